#!/usr/bin/env python3
"""Generate CVSS test fixtures from the Python `cvss` package (the oracle).

Writes into Tests/NerqSemverTests/Fixtures:
  cvss_advisory_db.tsv   every `cvss = "..."` vector in the advisory-db
                         (crates/ and rust/): vector TAB score TAB severity
  cvss3_all_base.tsv     every CVSS v3 base-metric combination (2592), in the
                         enumeration order given by its `#metrics` header
                         (last metric varies fastest): score3.0 TAB score3.1
  cvss4_all_base.tsv     every CVSS v4.0 base-metric combination (104976),
                         same layout: one score per line
  cvss_random.tsv        seeded random vectors with threat / environmental /
                         supplemental (v4) or temporal / environmental (v3)
                         metrics, in shuffled metric order: vector TAB score
  cvss_malformed.tsv     vectors the Python package rejects: vector TAB error

Usage: python3 tools/gen_cvss_fixtures.py [--db DIR] [--out DIR]
"""
import argparse
import glob
import itertools
import os
import random
import re

from cvss import CVSS3, CVSS4
from cvss.constants3 import METRICS_VALUES as V3_VALUES
from cvss.constants4 import METRICS_VALUE_NAMES as V4_VALUES

V3_BASE = [("AV", "NALP"), ("AC", "LH"), ("PR", "NLH"), ("UI", "NR"), ("S", "UC"),
           ("C", "HLN"), ("I", "HLN"), ("A", "HLN")]
V4_BASE = [("AV", "NALP"), ("AC", "LH"), ("AT", "NP"), ("PR", "NLH"), ("UI", "NPA"),
           ("VC", "HLN"), ("VI", "HLN"), ("VA", "HLN"), ("SC", "HLN"), ("SI", "HLN"), ("SA", "HLN")]


def sev(score):
    s = float(score)
    if s == 0.0:
        return "none"
    if s <= 3.9:
        return "low"
    if s <= 6.9:
        return "medium"
    if s <= 8.9:
        return "high"
    return "critical"


def score_of(vector):
    if vector.startswith("CVSS:4.0/"):
        return float(CVSS4(vector).base_score)
    return float(CVSS3(vector).base_score)


def header(metrics):
    return "#metrics " + " ".join("%s:%s" % (k, ",".join(vs)) for k, vs in metrics)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/work/shared/data/advisory-db")
    ap.add_argument("--out", default=os.path.join(here, "..", "Tests", "NerqSemverTests", "Fixtures"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    # 1. advisory-db vectors
    vectors = []
    for path in sorted(glob.glob(os.path.join(args.db, "*", "*", "*.md"))):
        text = open(path, encoding="utf-8").read()
        m = re.search(r"```toml\n(.*?)\n```", text, re.S)
        if not m:
            continue
        for vm in re.finditer(r'^cvss\s*=\s*"([^"]*)"', m.group(1), re.M):
            vectors.append(vm.group(1))
    unique = sorted(set(vectors))
    with open(os.path.join(args.out, "cvss_advisory_db.tsv"), "w") as f:
        for v in unique:
            s = score_of(v)
            f.write("%s\t%.1f\t%s\n" % (v, s, sev(s)))
    per_version = {}
    for v in unique:
        per_version[v[:8]] = per_version.get(v[:8], 0) + 1
    print("advisory-db: %d cvss fields, %d distinct vectors %r" % (len(vectors), len(unique), per_version))

    # 2. all CVSS v3 base combinations, both minor versions
    with open(os.path.join(args.out, "cvss3_all_base.tsv"), "w") as f:
        f.write(header(V3_BASE) + "\n")
        n = 0
        for combo in itertools.product(*[vs for _, vs in V3_BASE]):
            body = "/".join("%s:%s" % (k, c) for (k, _), c in zip(V3_BASE, combo))
            s0 = score_of("CVSS:3.0/" + body)
            s1 = score_of("CVSS:3.1/" + body)
            f.write("%.1f\t%.1f\n" % (s0, s1))
            n += 1
    print("cvss3 base combinations: %d" % n)

    # 3. all CVSS v4 base combinations
    with open(os.path.join(args.out, "cvss4_all_base.tsv"), "w") as f:
        f.write(header(V4_BASE) + "\n")
        n = 0
        for combo in itertools.product(*[vs for _, vs in V4_BASE]):
            body = "/".join("%s:%s" % (k, c) for (k, _), c in zip(V4_BASE, combo))
            f.write("%.1f\n" % score_of("CVSS:4.0/" + body))
            n += 1
    print("cvss4 base combinations: %d" % n)

    # 4. random vectors with the optional metric groups
    rng = random.Random(20240601)
    rows = []
    v3_optional = [k for k in V3_VALUES if k not in dict(V3_BASE)]
    v4_optional = [k for k in V4_VALUES if k not in dict(V4_BASE)]
    for i in range(4000):
        if i % 4 == 0:
            prefix = "CVSS:3.%d/" % rng.randint(0, 1)
            fields = ["%s:%s" % (k, rng.choice(vs)) for k, vs in V3_BASE]
            for k in v3_optional:
                if rng.random() < 0.5:
                    fields.append("%s:%s" % (k, rng.choice(list(V3_VALUES[k].keys()))))
        else:
            prefix = "CVSS:4.0/"
            fields = ["%s:%s" % (k, rng.choice(vs)) for k, vs in V4_BASE]
            for k in v4_optional:
                if rng.random() < 0.5:
                    fields.append("%s:%s" % (k, rng.choice(list(V4_VALUES[k].keys()))))
        if rng.random() < 0.3:
            rng.shuffle(fields)
        vector = prefix + "/".join(fields)
        rows.append((vector, score_of(vector)))
    with open(os.path.join(args.out, "cvss_random.tsv"), "w") as f:
        for vector, s in rows:
            f.write("%s\t%.1f\n" % (vector, s))
    print("random vectors: %d" % len(rows))

    # 5. malformed vectors: must be rejected by the Python package too
    base3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    base4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    malformed = [
        "",
        "CVSS:3.1",
        "CVSS:3.1/",
        base3 + "/",
        base3.replace("/A:H", ""),
        base3.replace("AV:N/", ""),
        base3.replace("/S:U", ""),
        base3 + "/A:H",
        base3 + "/AV:L",
        base3.replace("AV:N", "AV:X"),
        base3.replace("AV:N", "AV:n"),
        base3.replace("C:H", "C:Q"),
        base3 + "/ZZ:H",
        base3 + "/E:Z",
        base3.replace("AV:N/", "AV:N//"),
        base3.replace("AV:N", "AV:N:N"),
        base3.replace("AV:N", "AVN"),
        base3.replace("CVSS:3.1", "CVSS:3.2"),
        base3.replace("CVSS:3.1", "CVSS:2.0"),
        base3.replace("CVSS:3.1/", ""),
        "AV:N/AC:L/Au:N/C:P/I:P/A:P",
        "cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        " " + base3,
        base3 + " ",
        "CVSS:4.0",
        base4 + "/",
        base4.replace("/SA:N", ""),
        base4.replace("AT:N/", ""),
        base4 + "/SA:N",
        base4 + "/E:X/E:A",
        base4.replace("SI:N", "SI:S"),
        base4.replace("VC:H", "VC:X"),
        base4 + "/MSI:Q",
        base4 + "/U:red",
        base4 + "/S:Y",
        base4 + "/XX:N",
        base4.replace("CVSS:4.0", "CVSS:4.1"),
        base4.replace("AV:N/", "AV:N//"),
        base4 + "/C:H",
    ]
    with open(os.path.join(args.out, "cvss_malformed.tsv"), "w") as f:
        for vector in malformed:
            try:
                score_of(vector)
            except Exception as e:  # noqa: BLE001 - the oracle's rejection
                f.write("%s\t%s\n" % (vector.replace("\t", " "), type(e).__name__))
                continue
            raise SystemExit("Python cvss accepted a vector listed as malformed: %r" % vector)
    print("malformed vectors: %d" % len(malformed))


if __name__ == "__main__":
    main()
