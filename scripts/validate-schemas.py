#!/usr/bin/env python3
"""Validates every document nerq emitted in the tests (NDJSON files) against its JSON Schema.

Usage: validate-schemas.py DOCS.ndjson [...]   (also checks the repository's example requests)
The schema is chosen by the document's "kind", or nerq.error for {"error": ...}.
"""
import json
import pathlib
import sys

import jsonschema
import referencing

root = pathlib.Path(__file__).resolve().parent.parent
schemas = {p.name[: -len(".schema.json")]: json.loads(p.read_text()) for p in (root / "schemas").glob("*.schema.json")}
# One schema may use another's definitions (nerq.rendered holds the assessment's gate): resolved
# from these files by $id, never fetched.
registry = referencing.Registry().with_resources(
    (s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values())


def validator(kind):
    schema = schemas[kind]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=registry)


validators = {kind: validator(kind) for kind in schemas}
counts, failures = {}, 0


def recompute(r, where):
    """docs/methodology.md section 5: every report's trust_score follows from the report alone."""
    global failures
    w = r["methodology"]["weights"]
    for d in r["dimensions"]:
        # Each dimension: clamp(base + its signals' points), rounded half up to one decimal; a
        # dimension without evidence is null, and its signals (what was checked) carry no points.
        if d["score"] is None or d["base"] is None:
            if d["score"] is None and any(c["points"] != 0 for c in d["signals"]):
                print(f"FAIL {where}: {d['name']} is null but its signals carry points")
                failures += 1
            continue
        total = min(100, max(0, d["base"] + sum(c["points"] for c in d["signals"])))
        if abs(int(total * 10 + 0.5) / 10 - d["score"]) > 0.051:
            print(f"FAIL {where}: {d['name']} {d['score']} does not recompute from base and points ({total})")
            failures += 1
    scored = [(d["score"], w[d["name"]]) for d in r["dimensions"] if d["score"] is not None]
    expected = None
    if scored and sum(x for _, x in scored) > 0:
        mean = sum(s * x for s, x in scored) / sum(x for _, x in scored)
        uncapped = int(mean * 10 + 0.5) / 10
        expected = min([uncapped] + [c["max"] for c in r["caps"]])
    if expected != r["trust_score"]:
        print(f"FAIL {where}: trust_score {r['trust_score']} does not recompute (expected {expected})")
        failures += 1
    counts["recomputed reports"] = counts.get("recomputed reports", 0) + 1


def check(doc, where):
    global failures
    kind = "nerq.error" if "error" in doc else doc.get("kind")
    if kind not in validators:
        print(f"FAIL {where}: no schema for kind {kind!r}")
        failures += 1
        return
    errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:3]:
        print(f"FAIL {where}: {kind}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    failures += bool(errors)
    counts[kind] = counts.get(kind, 0) + 1
    if kind == "nerq.report" and not errors:
        recompute(doc, where)
    # An assessment embeds one report per package: validate those too.
    for i, pkg in enumerate(doc.get("packages", []) if kind == "nerq.assessment" else []):
        check(pkg, f"{where} packages[{i}]")


for arg in sys.argv[1:]:
    for n, line in enumerate(pathlib.Path(arg).read_text().splitlines(), 1):
        if line.strip():
            check(json.loads(line), f"{arg}:{n}")
for example in sorted((root / "examples" / "signals").glob("*.json")):
    doc = json.loads(example.read_text())
    errors = list(validators["nerq.signals"].iter_errors(doc))
    for e in errors[:3]:
        print(f"FAIL {example}: {e.message[:200]}")
    failures += bool(errors)
    counts["nerq.signals (examples)"] = counts.get("nerq.signals (examples)", 0) + 1

total = sum(counts.values())
print("schemas: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
if total == 0:
    print("FAIL: no documents to validate")
    sys.exit(1)
print(f"schemas: {total - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
