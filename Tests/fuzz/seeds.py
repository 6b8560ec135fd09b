#!/usr/bin/env python3
"""Writes the seed corpora of nerq's fuzz targets, one directory per target, from the shared data
(../shared/data: lockfiles, advisory-db, toml-test), the repository's own examples and test
fixtures, and Rust sources from /usr/share/cargo/registry when Debian's crate packages are there.
Nothing here is committed: the seeds are made anew by every `make fuzz` / `make fuzz-smoke`.

    seeds.py OUT_DIR [--shared ../shared/data] [--small]

--small caps every target at a few dozen seeds (the smoke pass in `make test`)."""
import argparse
import hashlib
import json
import os
import re
import sys
import tomllib

TARGETS = ["json", "score", "preflight", "assess", "assess_lockfile", "engine_new", "toml", "lockfile",
           "rustsec", "osv", "scan", "semver", "cvss", "index_cache", "registry_csv", "zip", "tar", "render", "config"]
NOW = "2026-11-21T00:00:00Z"


def files_under(root, suffixes):
    out = []
    if not os.path.isdir(root):
        return out
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(names):
            if n.endswith(suffixes):
                out.append(os.path.join(d, n))
    return out


def read(path, limit=1 << 20):
    with open(path, "rb") as f:
        return f.read(limit)


def spread(items, n):
    """n items spread evenly over a sorted list (deterministic)."""
    if n is None or len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


class Corpus:
    def __init__(self, out, cap):
        self.out, self.cap, self.counts = out, cap, {}

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode()
        if isinstance(data, (dict, list)):
            data = json.dumps(data).encode()
        if self.cap and self.counts.get(target, 0) >= self.cap:
            return
        d = os.path.join(self.out, target)
        os.makedirs(d, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()
        p = os.path.join(d, name)
        if not os.path.exists(p):
            with open(p, "wb") as f:
                f.write(data)
            self.counts[target] = self.counts.get(target, 0) + 1


def front_matter(md):
    m = re.match(r"```toml\n(.*?)\n```", md, re.S)
    if not m:
        return None
    try:
        return tomllib.loads(m.group(1))
    except tomllib.TOMLDecodeError:
        return None


def osv_from_rustsec(doc, body):
    """An OSV record with the fields RustSec's own OSV export uses, from a RustSec advisory."""
    a = doc.get("advisory", {})
    v = doc.get("versions", {})
    events = [{"introduced": "0.0.0-0"}]
    for req in v.get("patched", []):
        m = re.search(r"(\d+\.\d+\.\d+[-+.\w]*)", req)
        if m:
            events.append({"fixed": m.group(1)})
    rec = {
        "schema_version": "1.4.0",
        "id": a.get("id", "RUSTSEC-0000-0000"),
        "modified": str(a.get("date", "2021-01-01")) + "T12:00:00Z",
        "published": str(a.get("date", "2021-01-01")) + "T12:00:00Z",
        "aliases": a.get("aliases", []),
        "related": a.get("related", []),
        "summary": body.strip().split("\n")[0].lstrip("# ")[:120],
        "details": body.strip()[:600],
        "affected": [{
            "package": {"ecosystem": "crates.io", "name": a.get("package", "x"), "purl": "pkg:cargo/" + a.get("package", "x")},
            "ranges": [{"type": "SEMVER", "events": events}],
            "ecosystem_specific": {"affects": {"arch": doc.get("affected", {}).get("arch", []),
                                               "os": doc.get("affected", {}).get("os", []),
                                               "functions": sorted(doc.get("affected", {}).get("functions", {}))},
                                   "affected_functions": None},
            "database_specific": {"categories": a.get("categories", []), "cvss": a.get("cvss"),
                                  "informational": a.get("informational")},
        }],
        "references": [{"type": "PACKAGE", "url": "https://crates.io/crates/" + a.get("package", "x")}],
        "database_specific": {"license": "CC0-1.0"},
    }
    if a.get("cvss"):
        rec["severity"] = [{"type": "CVSS_V4" if a["cvss"].startswith("CVSS:4") else "CVSS_V3", "score": a["cvss"]}]
    if a.get("withdrawn"):
        rec["withdrawn"] = str(a["withdrawn"]) + "T00:00:00Z"
    return rec


SMALL_LOCK = """version = 3

[[package]]
name = "demo"
version = "0.1.0"
dependencies = [
 "atty",
 "nix 0.22.1",
]

[[package]]
name = "atty"
version = "0.2.14"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "d9b39be18770d11421cdb1b9947a45dd3f37e93092cbf377614828a319d5fee8"

[[package]]
name = "nix"
version = "0.22.1"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "cyc"
version = "1.0.0"
dependencies = ["cyc2"]

[[package]]
name = "cyc2"
version = "1.0.0"
dependencies = ["cyc"]
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
    ap.add_argument("--small", action="store_true")
    args = ap.parse_args()
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    shared = os.path.abspath(args.shared)
    n = 24 if args.small else None  # files taken from each big source
    c = Corpus(args.out, 40 if args.small else 0)
    for t in TARGETS:
        os.makedirs(os.path.join(args.out, t), exist_ok=True)

    examples = files_under(os.path.join(repo, "examples", "signals"), (".json",))
    schemas = files_under(os.path.join(repo, "schemas"), (".json",))
    lockfiles = files_under(os.path.join(shared, "lockfiles"), (".lock",))
    advisories = files_under(os.path.join(shared, "advisory-db"), (".md",))
    advisories = [p for p in advisories if "/crates/" in p or "/rust/" in p]
    toml_valid = files_under(os.path.join(shared, "toml-test", "tests", "valid"), (".toml",))
    toml_invalid = files_under(os.path.join(shared, "toml-test", "tests", "invalid"), (".toml",))
    toml_json = files_under(os.path.join(shared, "toml-test", "tests", "valid"), (".json",))
    rust = [p for p in files_under("/usr/share/cargo/registry", (".rs",)) if os.path.getsize(p) <= 48 << 10]
    manifests = files_under("/usr/share/cargo/registry", ("Cargo.toml",))

    # JSON parser: example documents, schemas, toml-test's JSON, and edge cases.
    for p in spread(examples + schemas, None) + spread(toml_json, n or 120):
        c.add("json", read(p))
    for s in ['{}', '[]', '0', '-0', '-0.0', '1e400', '1e-400', '9223372036854775807', '-9223372036854775808',
              '9223372036854775808', '"\\ud83d\\ude00"', '"\\ud800"', '"\\u0000"', '{"a":1,"a":2}', '[' * 130 + ']' * 130,
              '"\xc3\x28"', '1.5e308', '[1,2,]', '{"a" 1}', 'true', 'nul']:
        c.add("json", s.encode("utf-8", "surrogateescape"))

    # score: the example signals, and variations of them.
    for p in examples:
        doc = json.loads(read(p))
        c.add("score", json.dumps(doc))
        for key in list(doc):
            if key not in ("package",):
                d = dict(doc)
                d.pop(key)
                c.add("score", json.dumps(d))
        d = dict(doc, now=NOW, dimensions={"security": -0.0, "quality": 100})
        c.add("score", json.dumps(d))
    c.add("score", '{"package":{"name":"nix","version":"0.22.1"},"now":"%s"}' % NOW)
    c.add("score", '{"kind":"nerq.signals","version":1,"package":{"ecosystem":"crates.io","name":"x","version":"1.0.0-rc.1+b"},'
                   '"advisories":[{"id":"X","kind":"vulnerability","severity":"critical","patched":[">= 1.0.0"],'
                   '"cvss":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}')

    # render: the hand-built documents of the cargo nerq and rendering tests (an assessment with
    # unscored packages and pipes, a crate report; hostile values in every field), and pieces of them.
    sys.path.insert(0, os.path.join(repo, "bindings", "cargo", "tests"))
    from cargo_nerq_fixtures import assessment  # noqa: E402
    demo = assessment()
    c.add("render", demo)
    for p in demo["packages"]:
        c.add("render", p)
    c.add("render", {"kind": "nerq.preflight", "version": 1, "target": "nix@0.22.1", "trust_score": 59.0, "trust_grade": "C",
                     "recommendation": "CAUTION", "verdict": "caution", "risk_flags": ["vulnerability"],
                     "known_cves": ["CVE-2021-45707"], "checked_at": NOW, "ttl": 86400})
    try:
        sys.path.insert(0, os.path.join(repo, "Tests", "render"))
        from render_support import hostile_assessment, hostile_preflight, hostile_report  # noqa: E402
        for doc in (hostile_report(), hostile_preflight(), hostile_report(3)):
            c.add("render", doc)
        small = hostile_assessment()
        small["packages"] = small["packages"][:1]
        c.add("render", small)
    except ImportError as e:  # pytest missing: the hand-built seeds above still cover the kinds
        print(f"seeds: no hostile render seeds ({e})", file=sys.stderr)

    # preflight
    for t in ["nix@0.22.1", "nix", "atty@0.2.14", "serde@1.0.210", "x@not-a-version", "@1.0.0", "a@b@c", "smallvec@0.6.9"]:
        c.add("preflight", json.dumps({"target": t, "now": NOW}))
    for p in examples:
        doc = json.loads(read(p))
        pkg = doc.get("package", {})
        d = {k: v for k, v in doc.items() if k not in ("package", "kind", "version")}
        d["target"] = "%s@%s" % (pkg.get("name"), pkg.get("version"))
        c.add("preflight", json.dumps(d))
        c.add("preflight", json.dumps(dict(d, kind="nerq.preflight_request", version=1)))

    # assess (raw requests) and assess_lockfile (the lockfile text alone)
    c.add("assess", json.dumps({"lockfile_text": SMALL_LOCK, "now": NOW, "options": {"scan_sources": False}}))
    c.add("assess", json.dumps({"lockfile_text": SMALL_LOCK, "now": NOW,
                                "options": {"include_dev": False, "target_os": "linux", "target_arch": "x86_64",
                                            "ignore": ["RUSTSEC-2021-0145"], "max_paths": 50, "scan_sources": False}}))
    c.add("assess", json.dumps({"lockfile": "/nonexistent/Cargo.lock"}))
    c.add("assess", json.dumps({"metadata": {"packages": [], "workspace_members": [], "resolve": None}, "options": {"scan_sources": False}}))
    c.add("assess_lockfile", SMALL_LOCK)
    # Configuration files (audit.toml, deny.toml, nerq.toml, workspace metadata): every key once.
    c.add("config", '[advisories]\nignore = ["RUSTSEC-2026-0009", "CVE-2024-58266"]\ninformational_warnings = ["unmaintained"]\n'
                    'severity_threshold = "medium"\n[output]\ndeny = ["warnings"]\nquiet = true\nformat = "json"\nshow_tree = true\n'
                    '[target]\nos = ["linux"]\narch = "x86_64"\n[yanked]\nenabled = false\nupdate_index = false\n'
                    '[database]\npath = "x"\nstale = true\n[binary]\nmax_binary_size = 1\n')
    c.add("config", '[advisories]\nignore = ["RUSTSEC-2026-0009", { id = "RUSTSEC-2024-0375", reason = "r" }, "crate@1.0", '
                    '{ crate = "x", reason = "y" }]\nunmaintained = "workspace"\nunsound = "transitive"\nyanked = "deny"\n'
                    'unused-ignored-advisory = "deny"\ndb-path = "~/x"\n')
    c.add("config", '[[ignore]]\nid = "RUSTSEC-2026-0009"\nreason = "r"\nexpires = 2027-01-31\n[gates]\ndeny = ["warnings"]\n'
                    'allow = ["unmaintained"]\nfail_under = 50\nunused_ignores = "warn"\n[policy]\nweights = { security = 0.6 }\n'
                    'thresholds = { safe = 75 }\ncaps = { critical = 30 }\n')
    c.add("config", '[workspace]\nmembers = ["a"]\n[workspace.metadata.nerq]\nignore = [{ id = "CVE-2024-58266", expires = "2026-12-15T12:00:00Z" }]\n'
                    '[workspace.metadata.nerq.gates]\nfail_under = 10\n')
    for p in spread(lockfiles, n):
        data = read(p, 64 << 10)  # the fuzzers run with -max_len 64 KB at most
        c.add("assess_lockfile", data)
        c.add("lockfile", data)
        c.add("toml", data)
    if lockfiles:  # one request naming a file: the smallest lockfile (big ones make slow inputs)
        small = min(lockfiles, key=os.path.getsize)
        c.add("assess", json.dumps({"lockfile": small, "now": NOW, "options": {"scan_sources": False}}))
    # The hardening classes that are input-driven (docs/bad-input.md): duplicates and unknown ids in
    # cargo metadata, a non-string source, many members over one chain, many versions of one name.
    meta_pkg = lambda i, n: {"id": i, "name": n, "version": "1.0.0"}
    c.add("assess", json.dumps({"metadata": {"version": 1, "packages": [meta_pkg("a 1.0.0", "a"), meta_pkg("a 1.0.0", "a")],
                                             "workspace_members": ["a 1.0.0", "ghost 1.0.0"],
                                             "resolve": {"nodes": [{"id": "a 1.0.0", "deps": [{"pkg": "nowhere 9.9.9"}]},
                                                                   {"id": "a 1.0.0", "deps": []}]}},
                                "options": {"scan_sources": False}}))
    c.add("assess_lockfile", "version = 3\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = 1\n")
    chain = "version = 3\n" + "".join(f"[[package]]\nname = \"m{r}\"\nversion = \"0.1.0\"\ndependencies = [\"l0\"]\n" for r in range(20))
    chain += "".join(f"[[package]]\nname = \"l{m}\"\nversion = \"0.1.0\"\ndependencies = [\"{'l%d' % (m + 1) if m < 19 else 'atty'}\"]\n" for m in range(20))
    chain += "[[package]]\nname = \"atty\"\nversion = \"0.2.14\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
    c.add("assess_lockfile", chain)
    c.add("assess_lockfile", "version = 3\n" + "".join(f"[[package]]\nname = \"x\"\nversion = \"1.0.{i}\"\ndependencies = [\"x 1.0.0\"]\n" for i in range(40)))
    c.add("lockfile", SMALL_LOCK)
    c.add("lockfile", "# empty workspace\nversion = 4\n")
    c.add("lockfile", "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n")
    c.add("lockfile", "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\ndependencies = [\"a\"]\n")
    c.add("lockfile", "[root]\nname = \"r\"\nversion = \"0.1.0\"\ndependencies = [\"b 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\"]\n\n"
                      "[[package]]\nname = \"b\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
                      "[metadata]\n\"checksum b 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\" = \"00\"\n")

    # engine configuration
    configs = [{}, {"now": NOW}, {"advisory_db": "/nonexistent/advisory-db"},
               {"policy": {"weights": {"security": 0.25, "maintenance": 0.2}, "ignore": ["RUSTSEC-2020-0071"],
                           "caps": {"critical": 35, "high": 45, "vulnerability": 59, "unsound": 65, "unmaintained": 65,
                                    "yanked": 50, "malicious": 0},
                           "thresholds": {"safe": 70, "caution": 55, "warning": 40, "verified_score": 70,
                                          "verified_coverage": 0.6}}},
               {"registry": "/nonexistent"}, {"polcy": {}}, {"now": "yesterday"}]
    # engine_new loads databases only inside its sandbox (the fuzzer's working directory, see
    # Tests/fuzz/harness/Targets.swift): "db" holds a few RustSec and OSV files.
    configs += [{"advisory_db": "db", "now": NOW}, {"advisory_db": "db/crates/nix/RUSTSEC-2021-0119.md"},
                {"advisory_db": "db/osv.json"}, {"advisory_db": "db/crates"}, {"advisory_db": "."},
                {"registry": "db", "registry_store": "store.sqlite"}, {"registry": "db/osv.json"},
                {"registry": "nope.tar.gz"}, {"registry_store": "store.sqlite"}, {"scan_sources": False}]
    for cfg in configs:
        c.add("engine_new", json.dumps(cfg))

    # TOML: toml-test (valid and invalid), crate manifests
    for p in spread(toml_valid, n) + spread(toml_invalid, n) + spread(manifests, n or 60):
        c.add("toml", read(p))

    # advisories: RustSec files, and OSV records made from them
    for p in spread(advisories, n):
        data = read(p)
        c.add("rustsec", data)
        text = data.decode("utf-8", "replace")
        doc = front_matter(text)
        if doc is not None:
            body = text.split("```", 2)[-1]
            c.add("osv", json.dumps(osv_from_rustsec(doc, body), indent=2))
    recs = []
    for p in spread(advisories, 6):
        text = read(p).decode("utf-8", "replace")
        doc = front_matter(text)
        if doc is not None:
            recs.append(osv_from_rustsec(doc, text.split("```", 2)[-1]))
    c.add("osv", json.dumps(recs))
    c.add("osv", json.dumps({"vulns": recs[:2]}))

    # Rust sources
    for p in spread(rust, n or 300):
        c.add("scan", read(p))
    c.add("scan", "fn main() { let s = \"unterminated")
    c.add("scan", "/* " * 64 + "x")
    c.add("scan", "#![forbid(unsafe_code)]\nuse std::process::Command;\nunsafe fn f() {}\nr#\"raw\"#; b'x'; 'a; '\\u{1F600}'")

    # semver: versions and requirements from the lockfiles and advisories
    versions = set()
    for p in lockfiles[:3]:
        versions.update(re.findall(rb'^version = "([^"]*)"', read(p), re.M))
    reqs = set()
    for p in spread(advisories, n or 400):
        for m in re.findall(rb'(?:patched|unaffected) = \[([^\]]*)\]', read(p)):
            reqs.update(re.findall(rb'"([^"]*)"', m))
    vs, rs = sorted(versions), sorted(reqs)
    for i in range(0, min(len(vs), 400), 8):
        c.add("semver", b"\n".join(vs[i:i + 4] + rs[i // 2:i // 2 + 4]))
    for s in ["1.0.0-alpha.1+build.5", "^0.0.1", "~1", ">=1.2.3, <2.0.0", "*", "=1.2.3-rc.1", "1.x", "0.0.0-0",
              "18446744073709551615.0.0", "18446744073709551616.0.0", "01.2.3", "1.2.3-", ">= 1.0.0, < 1.0.0-0"]:
        c.add("semver", s)

    # CVSS vectors: the test fixtures and the advisory database
    vectors = set()
    for p in files_under(os.path.join(repo, "Tests", "NerqCoreTests", "Fixtures"), (".tsv",)):
        if "cvss" in os.path.basename(p):
            lines = read(p, 1 << 22).split(b"\n")
            vectors.update(l.split(b"\t")[0] for l in spread(lines, 60) if l)
    for p in spread(advisories, n or 400):
        vectors.update(re.findall(rb'cvss = "([^"]*)"', read(p)))
    for v in spread(sorted(vectors), n or 300):
        c.add("cvss", v)

    # cargo's index cache files (the layout of Tests/NerqRegistryTests/IndexCacheTests.swift) and the
    # crates.io dump's CSV (the columns of ../shared/data/crates-io-dump/FORMAT.md)
    def cache_file(revision, entries, version=3, schema=2):
        out = bytes([version]) + schema.to_bytes(4, "little") + revision.encode() + b"\0"
        for v, line in entries:
            out += v.encode() + b"\0" + line.encode() + b"\0"
        return out

    def index_line(name, vers, yanked=False, pubtime=None, rust=None):
        d = {"name": name, "vers": vers, "deps": [{"name": "libc", "req": "^0.2", "features": [], "optional": False,
             "default_features": True, "target": None, "kind": "normal"}], "cksum": "ab" * 32, "features": {},
             "yanked": yanked, "links": None}
        if rust:
            d["rust_version"] = rust
        if pubtime:
            d.update({"v": 2, "features2": {"std": []}, "pubtime": pubtime})
        return json.dumps(d, separators=(",", ":"))

    entries = [("0.1.0", index_line("Demo-Crate", "0.1.0", pubtime="2019-03-01T10:00:00Z")),
               ("0.2.0", index_line("Demo-Crate", "0.2.0", yanked=True, pubtime="2020-05-06T07:08:09Z")),
               ("1.0.0", index_line("Demo-Crate", "1.0.0", pubtime="2021-01-02T03:04:05Z", rust="1.56")),
               ("1.1.0-beta.1", index_line("Demo-Crate", "1.1.0-beta.1"))]
    c.add("index_cache", cache_file('etag: W/"abc"', entries))
    c.add("index_cache", cache_file("1234abcd", entries[:2], version=2)[:-1])
    c.add("index_cache", cache_file("r", [("1.0.0", "{")]))
    c.add("index_cache", bytes([3, 2, 0, 0, 0]))
    for v in vs[:20]:
        c.add("index_cache", cache_file("rev", [(v.decode(), index_line("x", v.decode()))]))
    # Archives as fetched: small zips of OSV records and tarballs of advisories (real files), and
    # ones that try to escape.
    import io, tarfile, zipfile
    osv_files = files_under(os.path.join(shared, "advisory-db-osv", "crates"), (".json",))[:6]
    md_files = files_under(os.path.join(shared, "advisory-db", "crates"), (".md",))[:6]
    for k in range(3):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED if k else zipfile.ZIP_STORED) as z:
            for f in osv_files[k * 2:k * 2 + 2]:
                z.writestr(os.path.basename(f), read(f))
            if k == 2:
                z.writestr("../escape.json", b"{}")
        c.add("zip", buf.getvalue())
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz" if k else "w") as t:
            for f in md_files[k * 2:k * 2 + 2]:
                data = read(f)
                info = tarfile.TarInfo("advisory-db-main/crates/" + os.path.basename(os.path.dirname(f)) + "/" + os.path.basename(f))
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            if k == 2:
                link = tarfile.TarInfo("advisory-db-main/link")
                link.type = tarfile.SYMTYPE
                link.linkname = "/etc"
                t.addfile(link)
        c.add("tar", buf.getvalue())
    csvs = [
        "id,name,updated_at,created_at,description,homepage,documentation,readme,repository,max_upload_size,max_features\n"
        "1,serde,2024-01-02 03:04:05.123456+00,2014-12-05 20:20:39.487502+00,\"A generic, \"\"serialization\"\" framework\",,,"
        "\"# serde\nmulti-line\",https://github.com/serde-rs/serde,,\n",
        "id,crate_id,num,num_no_build,updated_at,created_at,downloads,features,yanked,license,crate_size,published_by,checksum,"
        "links,rust_version,has_lib,bin_names,edition,description,homepage,documentation,repository,categories,keywords\n"
        "10,1,1.0.210,1.0.210,2024-09-06 21:04:05+00,2024-09-06 21:04:05+00,250000000,\"{\"\"std\"\":[]}\",f,MIT OR Apache-2.0,"
        "78338,3618,00ff,,1.31,t,{},2018,,,,,\"{encoding,no-std}\",\"{serde,serialization}\"\r\n",
        "crate_id,downloads\n1,123456789\n2,-5\n3,99999999999999999999\n",
        "version_id,downloads,date\n10,5,2026-02-29\n10,6,2024-02-29\n",
        "a,b\n1,\n\"unterminated\n",
    ]
    for text in csvs:
        c.add("registry_csv", text)

    for t in TARGETS:
        print("%-16s %5d seeds" % (t, c.counts.get(t, 0)))


if __name__ == "__main__":
    sys.exit(main())
