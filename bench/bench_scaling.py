#!/usr/bin/env python3
"""How nerq_assess's cost grows with hostile lockfile shapes (issue: hardening). Each shape is
generated at 1x, 2x, 4x and 8x; each size runs in a new process (out/nerq_assess_cli, sources not
scanned, full reports only for flagged packages, so what is measured is the graph work), three
times, median wall time and peak RSS. Linear growth shows as a time ratio near the size ratio.

  shapes:
    chain     R workspace members over one shared chain of M packages ending in a flagged package
              (max paths 1): dependency paths
    unrelated N unrelated packages and one flagged package: dependency paths, per-package work
    versions  V versions of one name, each depending on "x 1.0.0": reference resolution

Usage: bench_scaling.py NERQ_ASSESS_CLI ADVISORY_DB [--base N]
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REG = 'source = "registry+https://github.com/rust-lang/crates.io-index"'


def chain(k):
    members, links = 2000 * k, 2000 * k
    out = ["version = 3"]
    for r in range(members):
        out += ["[[package]]", f'name = "member{r}"', 'version = "0.1.0"', 'dependencies = ["link0"]']
    for m in range(links):
        nxt = f"link{m + 1}" if m + 1 < links else "atty"
        out += ["[[package]]", f'name = "link{m}"', 'version = "0.1.0"', f'dependencies = ["{nxt}"]']
    out += ["[[package]]", 'name = "atty"', 'version = "0.2.14"', REG]
    return "\n".join(out) + "\n", f"{members} members, chain of {links}"


def unrelated(k):
    n = 32000 * k
    out = ["version = 3"]
    for i in range(n):
        out += ["[[package]]", f'name = "p{i}"', 'version = "1.0.0"']
    out += ["[[package]]", 'name = "atty"', 'version = "0.2.14"', REG]
    return "\n".join(out) + "\n", f"{n} packages + 1 flagged"


def versions(k):
    v = 5000 * k
    out = ["version = 3"]
    for i in range(v):
        out += ["[[package]]", 'name = "x"', f'version = "1.0.{i}"', 'dependencies = ["x 1.0.0"]']
    return "\n".join(out) + "\n", f"{v} versions of x"


def run(cli, db, lockfile):
    start = time.monotonic()
    proc = subprocess.Popen([cli, db, lockfile, "--no-scan", "--flagged"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "NERQ_NOW": "2026-11-21T00:00:00Z"})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        sys.exit(f"bench_scaling: {lockfile}: exit {status}: {err[:300]}")
    return elapsed, usage.ru_maxrss / 1024  # MB


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cli, db = sys.argv[1], sys.argv[2]
    load = os.getloadavg()
    print(f"bench_scaling (new process per run, 3 runs per size, medians; load average {load[0]:.1f})")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in (chain, unrelated, versions):
            base = None
            print(f"  {shape.__name__}:")
            for k in (1, 2, 4, 8):
                text, what = shape(k)
                path = os.path.join(tmp, f"{shape.__name__}-{k}.lock")
                with open(path, "w") as f:
                    f.write(text)
                runs = [run(cli, db, path) for _ in range(3)]
                t = statistics.median(r[0] for r in runs)
                rss = statistics.median(r[1] for r in runs)
                if base is None:
                    base = (t, rss)
                print(f"    {k}x  {what:<34} {len(text) / 1e6:6.1f} MB  {t * 1000:8.0f} ms ({t / base[0]:4.1f}x)"
                      f"  peak RSS {rss:7.1f} MB ({rss / base[1]:4.1f}x)")


if __name__ == "__main__":
    main()
