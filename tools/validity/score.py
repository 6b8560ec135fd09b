#!/usr/bin/env python3
"""score.py MODE CRATES CACHE WORK OUT — every crate of the study scored through libnerq's public API.

The library is the one the Python binding loads (bindings/python; make validity sets
NERQ_LIBRARY to the tree's .build/release/libnerq.so). Each crate is scored from its own source
as part of a nerq_assess call: a synthetic Cargo.lock lists 100 crates at a time as crates.io
packages, and options.vendor_dirs points at the private tree (CACHE/tree/usr/share/cargo/registry,
then WORK/renamed; see crates.py). MODE says what the engine knows besides the source:

  withheld  the retrospective study: no advisory database. HOME is an empty directory and
            NERQ_ADVISORY_DB / CARGO_HOME are unset, so the default look-ups ($NERQ_ADVISORY_DB,
            $CARGO_HOME/advisory-db, ~/.cargo/advisory-db) find nothing; every report must say
            advisories_checked false. now = the advisory snapshot's date (nothing in a source-only
            score depends on it).
  cut       the prospective variant: the advisory database (ADVISORY_DB) with now = the cut,
            2023-06-10T00:00:00Z. The engine ignores advisories published after its now, so the
            findings, caps and advisory_history of each report use only what was known at the cut
            (analyze.py checks that no report names a later advisory).
  current   labels only, never a predictor: the advisory database with now = the snapshot's
            date, so each report lists every advisory that affects the version Debian ships
            (the library's own range matching), for the labels "affecting the shipped version".

HOME is empty in every mode, so no cargo registry of this machine is read either. Every scanned
path must lie inside the private tree: the library would otherwise fall back to the system's
/usr/share/cargo/registry, whose crates are not the ones listed here.

Writes OUT (JSON lines, the order of CRATES): the crate, its Debian package, and its nerq.report
without the evidence snippets.
"""
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"
NOW = {"withheld": "2026-08-21T00:00:00Z", "cut": "2023-06-10T00:00:00Z", "current": "2026-08-21T00:00:00Z"}
BATCH = 100


def log(*a):
    print("[score]", *a, file=sys.stderr, flush=True)


def read_crates(path):
    with open(path) as f:
        header = f.readline().lstrip("#").rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def lockfile(batch):
    return "version = 3\n" + "".join(
        f'\n[[package]]\nname = "{c["name"]}"\nversion = "{c["version"]}"\nsource = "{CRATES_IO}"\n' for c in batch)


def strip_evidence(report):
    """Evidence snippets (file, line, text) are for readers of one report; the study needs counts."""
    for f in report.get("findings", []):
        f.pop("evidence", None)
    (report.get("signals", {}).get("source") or {}).pop("evidence", None)
    return report


def main():
    mode, crates_path, cache, work, out = sys.argv[1:6]
    db = sys.argv[6] if len(sys.argv) > 6 else None
    if mode not in NOW or (mode == "withheld") != (db is None):
        raise SystemExit("usage: score.py withheld|cut|current CRATES CACHE WORK OUT [ADVISORY_DB (not withheld)]")
    # Before the library reads the environment (each engine captures it when created).
    home = tempfile.mkdtemp(prefix="nerq-validity-home-")
    os.environ["HOME"] = home
    for k in ("NERQ_ADVISORY_DB", "CARGO_HOME"):
        os.environ.pop(k, None)
    sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))
    import nerq  # noqa: E402

    roots = {"tree": os.path.realpath(os.path.join(cache, "tree", "usr", "share", "cargo", "registry")),
             "renamed": os.path.realpath(os.path.join(work, "renamed"))}
    crates = read_crates(crates_path)
    config = {"now": NOW[mode]}
    if db:
        config["advisory_db"] = os.path.abspath(db)
    engine = nerq.Engine(**config)
    log(f"libnerq {nerq.version()} from {nerq.library_path()}; mode {mode}: {json.dumps(config)}; {len(crates)} crates")
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        for b in range(0, len(crates), BATCH):
            batch = crates[b:b + BATCH]
            doc = engine.assess(lockfile_text=lockfile(batch), vendor_dirs=[roots["tree"], roots["renamed"]], reports="all")
            database = doc.get("database")
            if (database is None) != (mode == "withheld"):
                raise SystemExit(f"mode {mode} but the assessment's database is {database!r}")
            reports = {(r["package"]["name"], r["package"]["version"]): r for r in doc["packages"]}
            for c in batch:
                r = reports[(c["name"], c["version"])]
                src = r["signals"].get("source")
                if src is None:
                    raise SystemExit(f"{c['name']} {c['version']}: source not scanned")
                root = roots[c["scanned_from"]]
                if not os.path.realpath(src["path"]).startswith(root + os.sep):
                    raise SystemExit(f"{c['name']} {c['version']}: scanned {src['path']}, outside {root}")
                # (The v1 library's reports, scored once for the "before" table, lack the key.)
                checked = r.get("advisories_checked", False)
                if checked != (mode != "withheld"):
                    raise SystemExit(f"{c['name']} {c['version']}: advisories_checked is {checked} in mode {mode}")
                row = {"name": c["name"], "version": c["version"], "package": c["package"],
                       "deb_version": c["deb_version"], "changelog_date": c["changelog_date"],
                       "scanned_from": c["scanned_from"], "report": strip_evidence(r)}
                f.write(json.dumps(row, sort_keys=True, separators=(",", ":")) + "\n")
            log(f"{mode}: scored {b + len(batch)}/{len(crates)}")
    os.replace(tmp, out)
    engine.close()
    os.rmdir(home)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
