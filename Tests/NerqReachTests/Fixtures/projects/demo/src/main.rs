//! nerq-demo: a tiny command-line tool whose dependencies (resolved offline from Debian's
//! librust-*-dev packages) include several with RustSec advisories, so `cargo nerq` has
//! something to say. The program itself splits a shell-like command line, and prints it as YAML.

use std::io::Write;

use anyhow::{Context, Result};
use bytes::{BufMut, BytesMut};
use yaml_rust::{Yaml, YamlEmitter};

fn main() -> Result<()> {
    let line = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let line = if line.is_empty() { "echo 'hello world' --count 3".to_string() } else { line };
    let words = shlex::split(&line).context("unbalanced quotes")?;

    let mut doc = yaml_rust::yaml::Hash::new();
    doc.insert(Yaml::String("line".into()), Yaml::String(line.clone()));
    doc.insert(
        Yaml::String("words".into()),
        Yaml::Array(words.iter().map(|w| Yaml::String(w.clone())).collect()),
    );
    let mut count = itoa::Buffer::new();
    doc.insert(Yaml::String("count".into()), Yaml::String(count.format(words.len()).to_string()));
    let spaces = memchr::memchr_iter(b' ', line.as_bytes()).count();
    doc.insert(Yaml::String("spaces".into()), Yaml::Integer(spaces as i64));
    let now = time::OffsetDateTime::now_utc();
    doc.insert(Yaml::String("year".into()), Yaml::Integer(i64::from(now.year())));

    let mut text = String::new();
    YamlEmitter::new(&mut text).dump(&Yaml::Hash(doc)).context("emitting YAML")?;
    let mut out = BytesMut::with_capacity(text.len() + 1);
    out.put_slice(text.as_bytes());
    out.put_u8(b'\n');
    let colour = atty::is(atty::Stream::Stdout);
    let mut stdout = std::io::stdout().lock();
    if colour {
        stdout.write_all(b"\x1b[1m")?;
    }
    stdout.write_all(&out)?;
    if colour {
        stdout.write_all(b"\x1b[0m")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_round_trip() {
        // rustc-serialize is a dev-dependency only: cargo nerq marks it dev_only.
        let v = rustc_serialize::json::Json::from_str("[1,2]").unwrap();
        assert_eq!(v.as_array().map(|a| a.len()), Some(2));
    }
}
