#!/usr/bin/env python3
"""labels.py ADVISORY_DB OUT — what each crate's RustSec history says, for the study's labels.

Reads every advisory of ADVISORY_DB/crates (RustSec advisory-db: Markdown files with TOML front
matter) and writes OUT (JSON): per crate, under its name as crates.io compares names (lower case,
'-' == '_'), its advisories sorted by date and id, each with:
  memory_safety  category memory-corruption or memory-exposure, or informational = "unsound"
  vulnerability  not informational (informational advisories are unsound, unmaintained, notice)
  withdrawn      withdrawn advisories never count (analyze.py skips them)
and the snapshot's commit (from SNAPSHOT.md when present). The labels of analyze.py are "the
crate ever had such an advisory", and, for the prospective variant, "... dated after the cut".
"""
import json
import os
import re
import sys
import tomllib

MEMORY = {"memory-corruption", "memory-exposure"}


def log(*a):
    print("[labels]", *a, file=sys.stderr, flush=True)


def norm(name):
    return name.lower().replace("-", "_")


def read_advisory(path):
    with open(path, encoding="utf-8") as f:
        m = re.search(r"```toml\s*\n(.*?)\n```", f.read(), re.S)
    if not m:
        raise SystemExit(f"{path}: no TOML front matter")
    a = tomllib.loads(m.group(1))["advisory"]
    info = a.get("informational")
    categories = sorted(str(c) for c in a.get("categories", []))
    return {
        "id": a["id"],
        "package": a["package"],
        "date": str(a["date"]),
        "informational": info,
        "categories": categories,
        "withdrawn": str(a["withdrawn"]) if a.get("withdrawn") else None,
        "memory_safety": bool(MEMORY & set(categories)) or info == "unsound",
        "vulnerability": info is None,
    }


def main():
    db, out = sys.argv[1:3]
    crates = {}
    root = os.path.join(db, "crates")
    for d in sorted(os.listdir(root)):
        for f in sorted(os.listdir(os.path.join(root, d))):
            if f.endswith(".md"):
                adv = read_advisory(os.path.join(root, d, f))
                crates.setdefault(norm(adv["package"]), []).append(adv)
    commit = None
    snapshot = os.path.join(db, "SNAPSHOT.md")
    if os.path.isfile(snapshot):
        with open(snapshot) as f:
            m = re.search(r"Commit: `([0-9a-f]{40})`", f.read())
            commit = m.group(1) if m else None
    doc = {"advisory_db_commit": commit,
           "advisories": sum(len(v) for v in crates.values()),
           "crates": {k: sorted(v, key=lambda a: (a["date"], a["id"])) for k, v in sorted(crates.items())}}
    with open(out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    log(f"{doc['advisories']} advisories of {len(crates)} crates (snapshot {commit}) -> {out}")


if __name__ == "__main__":
    main()
