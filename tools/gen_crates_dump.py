#!/usr/bin/env python3
"""Generates a crates.io database dump in the published format, deterministically from a seed.

The real dump (`db-dump.tar.gz`, ../shared/data/crates-io-dump/FORMAT.md) cannot be downloaded
on these machines, so tests and benchmarks run on dumps made here:

  OUT/YYYY-MM-DD-HHMMSS/metadata.json, README.md, export.sql, import.sql, schema.sql
  OUT/YYYY-MM-DD-HHMMSS/data/<table>.csv     (PostgreSQL `COPY ... WITH CSV HEADER` output)

and optionally the tarball (`--tarball PATH`): GNU tar headers as the `tar` crate writes them, the
top folder, its files, `data/`, then the tables in crates.io's topological order, gzip.

Columns are in the published order (dump-db.toml, 2026); booleans `t`/`f`; arrays as Postgres
literals (`{a,b}`, `{}`, quoted elements when needed); timestamps `2017-01-17 19:13:05.112025+00`;
NULL is an empty unquoted field, the empty string is `""`.

  python3 tools/gen_crates_dump.py --out /tmp/dump --seed 7 --size small
  python3 tools/gen_crates_dump.py --out /tmp/dump --size full --tarball /tmp/db-dump.tar.gz

Sizes: `small` (300 crates), `medium` (20,000 crates), `full` (190,000 crates, 2 million versions,
20 million dependency rows). `--crates/--versions/--dependencies` override.
Test knobs: `--omit TABLE` (repeatable), `--extra-columns` (unknown columns in some tables),
`--shuffle-columns` (column order differs from the published one), `--no-metadata`,
`--top-name NAME` (the tarball's top folder), `--tar-format gnu|pax|ustar`.
"""
import argparse
import bisect
import datetime as dt
import gzip
import itertools
import json
import os
import random
import sys
import tarfile

SIZES = {
    "small": (300, 3_000, 25_000),
    "medium": (20_000, 210_000, 2_100_000),
    "full": (190_000, 2_000_000, 20_000_000),
}

COLUMNS = {
    "categories": ["id", "category", "slug", "description", "crates_cnt", "created_at", "path"],
    "crate_downloads": ["crate_id", "downloads"],
    "crate_owners": ["crate_id", "owner_id", "created_at", "created_by", "owner_kind"],
    "crates": ["id", "name", "updated_at", "created_at", "description", "homepage", "documentation", "readme",
               "repository", "max_upload_size", "max_features"],
    "crates_categories": ["crate_id", "category_id"],
    "crates_keywords": ["crate_id", "keyword_id"],
    "default_versions": ["crate_id", "version_id", "num_versions"],
    "dependencies": ["id", "version_id", "crate_id", "req", "optional", "default_features", "features", "target",
                     "kind", "explicit_name"],
    "keywords": ["id", "keyword", "crates_cnt", "created_at"],
    "metadata": ["total_downloads"],
    "reserved_crate_names": ["name"],
    "teams": ["id", "login", "github_id", "name", "avatar", "org_id"],
    "users": ["id", "gh_login", "name", "gh_avatar", "gh_id"],
    "version_downloads": ["version_id", "downloads", "date"],
    "versions": ["id", "crate_id", "num", "num_no_build", "updated_at", "created_at", "downloads", "features", "yanked",
                 "license", "crate_size", "published_by", "checksum", "links", "rust_version", "has_lib", "bin_names",
                 "edition", "description", "homepage", "documentation", "repository", "categories", "keywords"],
}

# dump-db.toml's `dependencies` (the order tables are appended to the tarball).
TABLE_DEPS = {
    "crate_owners": ["crates", "users"],
    "crates_categories": ["categories", "crates"],
    "crates_keywords": ["crates", "keywords"],
    "default_versions": ["crates", "versions"],
    "dependencies": ["crates", "versions"],
    "version_downloads": ["versions"],
    "versions": ["crates", "users"],
}

CATEGORIES = [
    ("Algorithms", "algorithms"), ("API bindings", "api-bindings"), ("Asynchronous", "asynchronous"),
    ("Authentication", "authentication"), ("Caching", "caching"), ("Command line interface", "command-line-interface"),
    ("Command-line utilities", "command-line-utilities"), ("Compilers", "compilers"), ("Compression", "compression"),
    ("Computer vision", "computer-vision"), ("Concurrency", "concurrency"), ("Config", "config"),
    ("Cryptography", "cryptography"), ("Cryptocurrencies", "cryptography::cryptocurrencies"),
    ("Data structures", "data-structures"), ("Database interfaces", "database"),
    ("Database implementations", "database-implementations"), ("Date and time", "date-and-time"),
    ("Development tools", "development-tools"), ("Build Utils", "development-tools::build-utils"),
    ("Cargo plugins", "development-tools::cargo-plugins"), ("Debugging", "development-tools::debugging"),
    ("FFI", "development-tools::ffi"), ("Procedural macro helpers", "development-tools::procedural-macro-helpers"),
    ("Testing", "development-tools::testing"), ("Email", "email"), ("Embedded development", "embedded"),
    ("Emulators", "emulators"), ("Encoding", "encoding"), ("External FFI bindings", "external-ffi-bindings"),
    ("Filesystem", "filesystem"), ("Game development", "game-development"), ("Game engines", "game-engines"),
    ("Graphics", "graphics"), ("GUI", "gui"), ("Hardware support", "hardware-support"),
    ("Internationalization (i18n)", "internationalization"), ("Localization (L10n)", "localization"),
    ("Mathematics", "mathematics"), ("Memory management", "memory-management"), ("Multimedia", "multimedia"),
    ("Audio", "multimedia::audio"), ("Images", "multimedia::images"), ("Video", "multimedia::video"),
    ("Network programming", "network-programming"), ("No standard library", "no-std"),
    ("No dynamic allocation", "no-std::no-alloc"), ("Operating systems", "os"),
    ("Unix APIs", "os::unix-apis"), ("Windows APIs", "os::windows-apis"), ("Parser implementations", "parser-implementations"),
    ("Parsing tools", "parsing"), ("Rendering", "rendering"), ("Rust patterns", "rust-patterns"),
    ("Science", "science"), ("Simulation", "simulation"), ("Template engine", "template-engine"),
    ("Text editors", "text-editors"), ("Text processing", "text-processing"), ("Value formatting", "value-formatting"),
    ("Visualization", "visualization"), ("WebAssembly", "wasm"), ("Web programming", "web-programming"),
    ("HTTP client", "web-programming::http-client"), ("HTTP server", "web-programming::http-server"),
    ("WebSocket", "web-programming::websocket"),
]

WORDS = ["async", "json", "serde", "parser", "http", "cli", "tokio", "macro", "derive", "crypto", "hash", "log",
         "error", "time", "date", "regex", "string", "vec", "map", "tree", "graph", "net", "tcp", "udp", "fs",
         "path", "io", "buf", "stream", "future", "sync", "lock", "atomic", "alloc", "mem", "ptr", "ffi", "sys",
         "bind", "gen", "test", "mock", "bench", "fmt", "color", "term", "tui", "gui", "web", "wasm", "db", "sql",
         "redis", "kv", "cache", "config", "env", "toml", "yaml", "xml", "csv", "proto", "rpc", "grpc", "auth",
         "jwt", "tls", "ssl", "zip", "gzip", "image", "audio", "video", "math", "num", "rand", "uuid", "url",
         "mime", "bytes", "bits", "simd", "gpu", "game", "ecs", "physics", "embedded", "hal", "no-std", "arena"]
LICENSES = ["MIT OR Apache-2.0", "MIT", "Apache-2.0", "MIT/Apache-2.0", "BSD-3-Clause", "MPL-2.0", "GPL-3.0-only",
            "Unlicense OR MIT", "ISC", "Zlib", None]
EDITIONS = ["2015", "2018", "2021", "2024"]


def pg_quote(s):
    """One CSV field as PostgreSQL writes it: None is NULL (empty), "" is quoted."""
    if s is None:
        return ""
    if s == "" or any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def pg_array(items):
    out = []
    for x in items:
        if x == "" or x.upper() == "NULL" or any(c in x for c in '{},"\\ \t\n'):
            out.append('"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            out.append(x)
    return "{" + ",".join(out) + "}"


def pg_time(t):
    """Seconds (float) -> `2017-01-17 19:13:05.112025+00` (trailing zeros of the fraction dropped)."""
    whole = int(t)
    micro = int(round((t - whole) * 1_000_000))
    if micro >= 1_000_000:
        whole += 1
        micro -= 1_000_000
    d = dt.datetime.fromtimestamp(whole, tz=dt.timezone.utc)
    s = d.strftime("%Y-%m-%d %H:%M:%S")
    if micro:
        s += ("." + f"{micro:06d}").rstrip("0")
    return s + "+00"


def pg_bool(b):
    return "t" if b else "f"


class Table:
    """Writes one CSV in the published column order (or shuffled / with extra columns)."""

    def __init__(self, folder, name, rng, extra, shuffle):
        self.name = name
        cols = list(COLUMNS[name])
        self.extra = extra and name in ("crates", "versions", "dependencies", "crate_owners")
        if self.extra:
            cols.insert(rng.randrange(len(cols) + 1), "future_column")
            cols.append("another_new_column")
        if shuffle and name in ("crates", "versions", "dependencies", "version_downloads", "crate_owners"):
            rng.shuffle(cols)
        self.cols = cols
        self.plain = cols == COLUMNS[name]
        self.f = open(os.path.join(folder, name + ".csv"), "w", encoding="utf-8", newline="")
        self.f.write(",".join(cols) + "\n")
        self.buf = []

    def row(self, values):
        """values: dict column -> already-formatted field text (None = NULL) or a list in published order."""
        if isinstance(values, (list, tuple)):
            if self.plain:
                self.buf.append(",".join(values))
                self.buf.append("\n")
                if len(self.buf) > 20000:
                    self.flush()
                return
            values = dict(zip(COLUMNS[self.name], values))
        out = []
        for c in self.cols:
            if c == "future_column":
                out.append('"x,y"')
            elif c == "another_new_column":
                out.append("")
            else:
                out.append(values.get(c, ""))
        self.buf.append(",".join(out))
        self.buf.append("\n")
        if len(self.buf) > 20000:
            self.flush()

    def flush(self):
        self.f.write("".join(self.buf))
        self.buf = []

    def close(self):
        self.flush()
        self.f.close()


def topological_tables(tables):
    """crates.io's `VisibilityConfig::topological_sort` restricted to the tables written."""
    num = {t: len([d for d in TABLE_DEPS.get(t, [])]) for t in sorted(COLUMNS)}
    rev = {}
    for t in sorted(COLUMNS):
        for d in TABLE_DEPS.get(t, []):
            rev.setdefault(d, []).append(t)
    ready = [t for t in sorted(num) if num[t] == 0]
    out = []
    while ready:
        t = ready.pop(0)
        out.append(t)
        for r in rev.get(t, []):
            num[r] -= 1
            if num[r] == 0:
                ready.append(r)
    return [t for t in out if t in tables]


def version_string(rng, state):
    """The next version of a crate: state = [major, minor, patch]."""
    major, minor, patch = state
    r = rng.random()
    if r < 0.05:
        major, minor, patch = (1 if major == 0 else major + 1), 0, 0
    elif r < 0.30:
        minor, patch = minor + 1, 0
    else:
        patch += 1
    state[:] = [major, minor, patch]
    s = f"{major}.{minor}.{patch}"
    r = rng.random()
    if r < 0.04:
        s += rng.choice(["-alpha.", "-beta.", "-rc."]) + str(rng.randint(0, 3))
    elif r < 0.05:
        s += "+build." + str(rng.randint(1, 9))
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--crates", type=int)
    ap.add_argument("--versions", type=int)
    ap.add_argument("--dependencies", type=int)
    ap.add_argument("--timestamp", default="2026-11-20T02:00:04.290745Z")
    ap.add_argument("--omit", action="append", default=[])
    ap.add_argument("--extra-columns", action="store_true")
    ap.add_argument("--shuffle-columns", action="store_true")
    ap.add_argument("--no-metadata", action="store_true")
    ap.add_argument("--tarball")
    ap.add_argument("--tar-format", choices=["gnu", "pax", "ustar"], default="gnu")
    ap.add_argument("--top-name")
    ap.add_argument("--gzip-level", type=int, default=6)
    args = ap.parse_args()

    n_crates, n_versions, n_deps = SIZES[args.size]
    n_crates = args.crates or n_crates
    n_versions = max(n_crates, args.versions or n_versions)
    n_deps = args.dependencies if args.dependencies is not None else n_deps
    rng = random.Random(args.seed)

    stamp = dt.datetime.strptime(args.timestamp.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")
    now = stamp.timestamp()
    top = stamp.strftime("%Y-%m-%d-%H%M%S")
    folder = os.path.join(args.out, top)
    data = os.path.join(folder, "data")
    os.makedirs(data, exist_ok=True)
    start = dt.datetime(2014, 11, 11, tzinfo=dt.timezone.utc).timestamp()

    written = [t for t in sorted(COLUMNS) if t not in args.omit]
    T = {t: Table(data, t, random.Random(args.seed * 1000 + i), args.extra_columns, args.shuffle_columns)
         for i, t in enumerate(written)}

    def emit(table, values):
        if table in T:
            T[table].row(values)

    # Users and teams.
    n_users = max(10, n_crates // 2)
    n_teams = max(3, n_crates // 40)
    for u in range(1, n_users + 1):
        emit("users", [str(u), f"user{u}", pg_quote(f"User {u}" if u % 3 else None),
                       pg_quote(f"https://avatars.githubusercontent.com/u/{u}?v=4"), str(100000 + u)])
    for t in range(1, n_teams + 1):
        emit("teams", [str(t), pg_quote(f"github:org{t % 7}:team{t}"), str(500000 + t), pg_quote(f"Team {t}"),
                       pg_quote(None), str(9000 + t % 7)])

    # Categories and keywords.
    cat_ids = list(range(1, len(CATEGORIES) + 1))
    n_keywords = max(60, min(25000, n_crates // 8))
    keywords = []
    for k in range(n_keywords):
        w = WORDS[k % len(WORDS)]
        keywords.append(w if k < len(WORDS) else f"{w}{k // len(WORDS)}")
    keywords[7] = "null"  # a keyword Postgres must quote in an array literal
    kw_weights = [1.0 / (k + 1) ** 0.9 for k in range(n_keywords)]
    kw_cum = list(itertools.accumulate(kw_weights))

    # Crates: popularity rank is a random permutation; downloads follow it.
    ranks = list(range(n_crates))
    rng.shuffle(ranks)
    crate_created = []
    names = []
    used = set()
    for c in range(n_crates):
        while True:
            parts = [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]
            name = rng.choice(["-", "_"]).join(parts)
            if rng.random() < 0.3:
                name += str(rng.randint(2, 999))
            if rng.random() < 0.02:
                name = name.capitalize()
            canon = name.lower().replace("-", "_")
            if canon not in used:
                used.add(canon)
                break
        names.append(name)
        crate_created.append(start + (now - start) * (c / n_crates) ** 0.8 + rng.random() * 3600)

    # Versions per crate (at least one), heavy-tailed.
    per = [1] * n_crates
    extra = n_versions - n_crates
    pop_w = [1.0 / (ranks[c] + 1) ** 0.35 for c in range(n_crates)]
    pop_cum = list(itertools.accumulate(pop_w))
    # Spread the other versions in proportion to popularity, with noise.
    total_w = pop_cum[-1]
    assigned = 0
    for c in range(n_crates):
        k = int(extra * pop_w[c] / total_w * (0.5 + rng.random()))
        per[c] += k
        assigned += k
    c = 0
    while assigned < extra:
        per[rng.randrange(n_crates)] += 1
        assigned += 1
    while assigned > extra:
        c = rng.randrange(n_crates)
        if per[c] > 1:
            per[c] -= 1
            assigned -= 1

    v_crate, v_created, v_num, v_yanked, v_dl = [], [], [], [], []
    all_yanked = set(rng.sample(range(n_crates), max(1, n_crates // 100)))
    for c in range(n_crates):
        state = [0, 1, 0] if rng.random() < 0.85 else [1, 0, 0]
        t0 = crate_created[c]
        span = max(60.0, now - t0)
        times = sorted(t0 + span * rng.random() ** 1.5 for _ in range(per[c] - 1))
        times.insert(0, t0)
        base = 10 ** (7.5 * (1 - ranks[c] / n_crates) ** 3) * (0.5 + rng.random())
        first = True
        for t in times:
            num = "0.1.0" if first and state == [0, 1, 0] else ("1.0.0" if first else version_string(rng, state))
            first = False
            v_crate.append(c)
            v_created.append(min(t, now - 1))
            v_num.append(num)
            v_yanked.append(c in all_yanked or rng.random() < 0.03)
            v_dl.append(int(base * rng.random() / max(1, per[c]) * 3))
    order = sorted(range(len(v_crate)), key=lambda i: (v_created[i], i))
    vid_of = [0] * len(order)
    for new_id, i in enumerate(order, start=1):
        vid_of[i] = new_id

    # Default versions: highest non-yanked stable, else non-yanked, else any (crates.io's rule).
    def vkey(i):
        num = v_num[i]
        core, _, build = num.partition("+")
        main, _, pre = core.partition("-")
        nums = tuple(int(x) for x in main.split("."))
        pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
        return (not v_yanked[i], not pre, nums, (1,) if not pre else (0,) + pre_key, build, vid_of[i])

    crate_versions = [[] for _ in range(n_crates)]
    for i in range(len(v_crate)):
        crate_versions[v_crate[i]].append(i)
    default_of = [max(vs, key=vkey) for vs in crate_versions]

    # Crates table and their metadata.
    crate_ids = [c + 1 for c in range(n_crates)]
    crate_downloads = [sum(v_dl[i] for i in crate_versions[c]) for c in range(n_crates)]
    crate_cats = []
    crate_kws = []
    for c in range(n_crates):
        k = rng.choice([0, 0, 1, 1, 2, 3])
        crate_cats.append(sorted(set(rng.sample(cat_ids, k))))
        kk = rng.choice([0, 1, 2, 3, 4, 5])
        crate_kws.append(sorted({bisect.bisect_right(kw_cum, rng.random() * kw_cum[-1]) for _ in range(kk)}))
    for c in range(n_crates):
        created = crate_created[c]
        last = max(v_created[i] for i in crate_versions[c])
        desc = rng.choice([None, f"A {names[c]} crate", f'Fast, "safe" {names[c]}, for everyone',
                           f"Line one\nline two, with a comma"])
        readme = None
        if rng.random() < 0.3:
            readme = f'# {names[c]}\n\nUse it like this:\n\n```rust\nlet x = "quoted, with comma";\n```\n'
        repo = f"https://github.com/{names[c]}/{names[c]}" if rng.random() < 0.8 else None
        home = f"https://{names[c]}.rs" if rng.random() < 0.3 else None
        docs = f"https://docs.rs/{names[c]}" if rng.random() < 0.6 else None
        emit("crates", [str(crate_ids[c]), pg_quote(names[c]), pg_time(last + 5), pg_time(created), pg_quote(desc),
                        pg_quote(home), pg_quote(docs), pg_quote(readme), pg_quote(repo), "", ""])
        emit("crate_downloads", [str(crate_ids[c]), str(crate_downloads[c])])
        for cat in crate_cats[c]:
            emit("crates_categories", [str(crate_ids[c]), str(cat)])
        for kw in crate_kws[c]:
            emit("crates_keywords", [str(crate_ids[c]), str(kw + 1)])
        # Owners: 1-3 users, sometimes a team; owner_kind 0 user, 1 team.
        owners = sorted(set(rng.randint(1, n_users) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))))
        for o in owners:
            emit("crate_owners", {"crate_id": str(crate_ids[c]), "owner_id": str(o), "created_at": pg_time(created),
                                  "created_by": str(owners[0]), "owner_kind": "0"})
        if rng.random() < 0.1:
            emit("crate_owners", {"crate_id": str(crate_ids[c]), "owner_id": str(rng.randint(1, n_teams)),
                                  "created_at": pg_time(created + 100), "created_by": str(owners[0]), "owner_kind": "1"})

    for i, (label, slug) in enumerate(CATEGORIES, start=1):
        cnt = sum(1 for cc in crate_cats if i in cc)
        emit("categories", [str(i), pg_quote(label), pg_quote(slug), pg_quote(f"Crates for {label.lower()}, and more."),
                            str(cnt), pg_time(start), pg_quote("root." + slug.replace("::", ".").replace("-", "_"))])
    kw_counts = [0] * n_keywords
    for kws in crate_kws:
        for k in kws:
            kw_counts[k] += 1
    for k in range(n_keywords):
        emit("keywords", [str(k + 1), pg_quote(keywords[k]), str(kw_counts[k]), pg_time(start + k)])

    # Versions (in id order).
    for i in order:
        c = v_crate[i]
        num = v_num[i]
        feats = rng.choice(['{}', '{"default":["std"],"std":[]}', '{"serde":["dep:serde"]}'])
        lic = rng.choice(LICENSES)
        recent = v_created[i] > now - 2 * 365 * 86400
        cats = [CATEGORIES[x - 1][1] for x in crate_cats[c]] if recent else []
        kws = [keywords[x] for x in crate_kws[c]] if recent else []
        emit("versions", [str(vid_of[i]), str(crate_ids[c]), pg_quote(num), pg_quote(num.partition("+")[0]),
                          pg_time(v_created[i] + 10), pg_time(v_created[i]), str(v_dl[i]), pg_quote(feats),
                          pg_bool(v_yanked[i]), pg_quote(lic), str(rng.randint(2000, 900000)),
                          str(rng.randint(1, n_users)), "%064x" % rng.getrandbits(256),
                          pg_quote("z" if rng.random() < 0.01 else None),
                          pg_quote(rng.choice([None, None, "1.56", "1.70.0"])), pg_bool(rng.random() < 0.9),
                          pg_quote(pg_array([names[c]] if rng.random() < 0.1 else [])),
                          pg_quote(rng.choice(EDITIONS) if v_created[i] > start + 3 * 365 * 86400 else None),
                          pg_quote(None), pg_quote(None), pg_quote(None), pg_quote(None),
                          pg_quote(pg_array(cats)), pg_quote(pg_array(kws))])
    for c in range(n_crates):
        emit("default_versions", [str(crate_ids[c]), str(vid_of[default_of[c]]), str(len(crate_versions[c]))])

    # Dependencies: per version, depended-upon crates by popularity (Zipf); kinds 0/1/2.
    dep_w = [1.0 / (ranks[c] + 1) ** 1.05 for c in range(n_crates)]
    dep_cum = list(itertools.accumulate(dep_w))
    total = dep_cum[-1]
    nv = len(order)
    mean = n_deps / nv if nv else 0
    dep_id = 0
    remaining = n_deps
    targets = ["cfg(unix)", "cfg(windows)", 'cfg(any(unix, target_os = "wasi"))']
    for pos, i in enumerate(order):
        if remaining <= 0:
            break
        left = nv - pos
        k = remaining if left == 1 else min(remaining, int(rng.random() * 2 * mean + 0.5))
        remaining -= k
        vid = str(vid_of[i])
        own = v_crate[i]
        for _ in range(k):
            dep_id += 1
            d = bisect.bisect_right(dep_cum, rng.random() * total)
            if d >= n_crates:
                d = n_crates - 1
            if d == own:
                d = (d + 1) % n_crates
            r = rng.random()
            kind = "0" if r < 0.74 else ("1" if r < 0.79 else "2")
            r2 = rng.random()
            emit("dependencies", [str(dep_id), vid, str(d + 1), "^0.%d" % (dep_id % 20), "t" if r2 < 0.1 else "f",
                                  "f" if r2 > 0.93 else "t", "{}" if r2 < 0.8 else pg_quote("{std,derive}"),
                                  pg_quote(targets[dep_id % 3]) if r2 < 0.05 else "", kind,
                                  pg_quote(names[d] + "_renamed") if r2 > 0.995 else ""])

    # Version downloads: the last 90 days (and the 90th day back), for each crate's newest versions.
    today = int(now // 86400)
    vd_rows = 0
    for c in range(n_crates):
        vs = sorted(crate_versions[c], key=lambda i: v_created[i])[-3:]
        days = rng.choice([0, 3, 10, 30, 60, 91]) if ranks[c] > n_crates // 10 else 91
        for i in vs:
            for day in range(today - days + 1, today + 1):
                if rng.random() < 0.5:
                    emit("version_downloads", [str(vid_of[i]), str(rng.randint(0, 5000)),
                                               dt.date.fromordinal(dt.date(1970, 1, 1).toordinal() + day).isoformat()])
                    vd_rows += 1

    emit("metadata", [str(sum(crate_downloads))])
    for name in ["alloc", "core", "std", "proc-macro", "test"]:
        emit("reserved_crate_names", [pg_quote(name)])
    for t in T.values():
        t.close()

    if not args.no_metadata:
        with open(os.path.join(folder, "metadata.json"), "w") as f:
            json.dump({"timestamp": args.timestamp, "crates_io_commit": "%040x" % random.Random(args.seed).getrandbits(160)},
                      f, indent=2)
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write("# crates.io Database Dump\n\nGenerated by nerq's tools/gen_crates_dump.py for tests.\n")
    for name in ["export.sql", "import.sql", "schema.sql"]:
        with open(os.path.join(folder, name), "w") as f:
            f.write("-- generated\n")

    if args.tarball:
        write_tarball(args, folder, top, written, stamp)
    print(json.dumps({"folder": folder, "crates": n_crates, "versions": len(order), "dependencies": dep_id,
                      "version_downloads": vd_rows, "tarball": args.tarball}))


def write_tarball(args, folder, top, written, stamp):
    fmt = {"gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT, "ustar": tarfile.USTAR_FORMAT}[args.tar_format]
    name = args.top_name or top
    mtime = int(stamp.timestamp())

    def info(path, arc, is_dir=False):
        ti = tarfile.TarInfo(arc)
        ti.mtime = mtime
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = ""
        if is_dir:
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
        else:
            ti.size = os.path.getsize(path)
            ti.mode = 0o644
        return ti

    with open(args.tarball, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime, compresslevel=args.gzip_level) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=fmt) as tar:
                tar.addfile(info(folder, name, True))
                for f in sorted(os.listdir(folder)):
                    p = os.path.join(folder, f)
                    if os.path.isfile(p):
                        with open(p, "rb") as fh:
                            tar.addfile(info(p, f"{name}/{f}"), fh)
                tar.addfile(info(folder, f"{name}/data", True))
                for t in topological_tables(written):
                    p = os.path.join(folder, "data", t + ".csv")
                    with open(p, "rb") as fh:
                        tar.addfile(info(p, f"{name}/data/{t}.csv"), fh)


if __name__ == "__main__":
    sys.exit(main())
