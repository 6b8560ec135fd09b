//! arc-core: create and extract archives, and list their SHA-256 manifest.
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc2822;
use time::OffsetDateTime;

/// Compression of an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    #[cfg(feature = "gzip")]
    Gzip,
    #[cfg(feature = "xz")]
    Xz,
}

impl Compression {
    pub fn from_path(path: &Path) -> Compression {
        let name = path.to_string_lossy();
        #[cfg(feature = "gzip")]
        if name.ends_with(".gz") || name.ends_with(".tgz") {
            return Compression::Gzip;
        }
        #[cfg(feature = "xz")]
        if name.ends_with(".xz") {
            return Compression::Xz;
        }
        let _ = name;
        Compression::None
    }
}

fn writer(path: &Path, c: Compression) -> io::Result<Box<dyn Write>> {
    let file = File::create(path)?;
    Ok(match c {
        Compression::None => Box::new(file),
        #[cfg(feature = "gzip")]
        Compression::Gzip => Box::new(flate2::write::GzEncoder::new(file, flate2::Compression::default())),
        #[cfg(feature = "xz")]
        Compression::Xz => Box::new(xz2::write::XzEncoder::new(file, 6)),
    })
}

fn reader(path: &Path, c: Compression) -> io::Result<Box<dyn Read>> {
    let file = File::open(path)?;
    Ok(match c {
        Compression::None => Box::new(file),
        #[cfg(feature = "gzip")]
        Compression::Gzip => Box::new(flate2::read::GzDecoder::new(file)),
        #[cfg(feature = "xz")]
        Compression::Xz => Box::new(xz2::read::XzDecoder::new(file)),
    })
}

/// Packs `dir` into `out`; returns the number of files.
pub fn create(out: &Path, dir: &Path) -> io::Result<usize> {
    let mut builder = tar::Builder::new(writer(out, Compression::from_path(out))?);
    let mut n = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::from)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            builder.append_path_with_name(entry.path(), rel)?;
            n += 1;
        }
    }
    builder.into_inner()?.flush()?;
    Ok(n)
}

/// Extracts `archive` into `dest`.
pub fn extract(archive: &Path, dest: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dest)?;
    let mut ar = tar::Archive::new(reader(archive, Compression::from_path(archive))?);
    for entry in ar.entries()? {
        let mut entry = entry?;
        entry.unpack_in(dest)?;
    }
    Ok(())
}

/// One line per member: hex SHA-256, size, path.
pub fn manifest(archive: &Path) -> io::Result<Vec<String>> {
    let mut ar = tar::Archive::new(reader(archive, Compression::from_path(archive))?);
    let mut lines = Vec::new();
    for entry in ar.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.display().to_string();
        let mut hasher = Sha256::new();
        let size = io::copy(&mut entry, &mut hasher)?;
        lines.push(format!("{}  {:>10}  {}", hex::encode(hasher.finalize()), size, path));
    }
    Ok(lines)
}

/// When the manifest was made, for the listing header.
pub fn stamp() -> String {
    OffsetDateTime::now_utc().format(&Rfc2822).unwrap_or_default()
}

#[cfg(windows)]
pub fn console_is_tty() -> bool {
    winapi_util::console::Console::stdout().is_ok()
}

#[cfg(not(windows))]
pub fn console_is_tty() -> bool {
    true
}
