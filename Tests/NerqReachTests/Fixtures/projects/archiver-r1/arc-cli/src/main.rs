//! arc: create, extract and list archives (.tar, .tar.gz, .tar.xz).
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Parser;

#[derive(Parser)]
#[clap(name = "arc", version, about)]
enum Cmd {
    /// Pack a directory
    Create { archive: PathBuf, dir: PathBuf },
    /// Unpack into a directory
    Extract { archive: PathBuf, dest: PathBuf },
    /// List members with their SHA-256, optionally only those matching a glob
    List { archive: PathBuf, #[clap(long)] only: Option<String> },
}

fn main() -> Result<()> {
    match Cmd::parse() {
        Cmd::Create { archive, dir } => {
            let n = arc_core::create(&archive, &dir).with_context(|| format!("creating {}", archive.display()))?;
            eprintln!("{n} files");
        }
        Cmd::Extract { archive, dest } => arc_core::extract(&archive, &dest)?,
        Cmd::List { archive, only } => {
            let glob = match only {
                Some(g) => Some(globset::Glob::new(&g)?.compile_matcher()),
                None => None,
            };
            if arc_core::console_is_tty() {
                println!("# {}", arc_core::stamp());
            }
            let lines = arc_core::manifest(&archive)?;
            if lines.is_empty() {
                bail!("{} is empty", archive.display());
            }
            for line in lines {
                let path = line.rsplit("  ").next().unwrap_or("");
                if glob.as_ref().map_or(true, |g| g.is_match(path)) {
                    println!("{line}");
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::format_description;

    #[test]
    fn round_trip() {
        let src = tempfile::tempdir().unwrap();
        std::fs::write(src.path().join("a.txt"), b"hello").unwrap();
        let out = tempfile::tempdir().unwrap();
        let archive = out.path().join("x.tar.gz");
        assert_eq!(arc_core::create(&archive, src.path()).unwrap(), 1);
        let dest = out.path().join("d");
        arc_core::extract(&archive, &dest).unwrap();
        assert_eq!(std::fs::read(dest.join("a.txt")).unwrap(), b"hello");
    }

    #[test]
    fn stamp_parses() {
        let _ = time::Date::parse("2024-01-02", format_description!("[year]-[month]-[day]")).unwrap();
    }
}
