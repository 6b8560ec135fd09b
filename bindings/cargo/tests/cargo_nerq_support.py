"""Helpers of the cargo nerq tests: the command, paths, shared data, a runner."""

import os
import subprocess
import sys
from pathlib import Path

CARGO_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = CARGO_DIR.parents[1]
# The command under test: the release build (make build), or $NERQ_CARGO_NERQ (the wheel's).
BINARY = Path(os.environ.get("NERQ_CARGO_NERQ") or REPO_ROOT / ".build" / "release" / "cargo-nerq")
DEMO = REPO_ROOT / "examples" / "demo"
NOW = "2026-11-21T00:00:00Z"
sys.path.insert(0, str(REPO_ROOT / "bindings" / "python"))
sys.path.insert(0, str(REPO_ROOT / "Tests"))
from shared_data import shared_data  # noqa: E402  (re-exported to the tests)


def clean_env(**extra: str) -> dict:
    """The environment cargo nerq runs in: no nerq or colour settings of the machine, and offline
    (no test may need the network; the fetch tests point NERQ_*_URL at the local test server and
    drop CARGO_NET_OFFLINE)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NERQ_ADVISORY_DB", "CARGO_TERM_COLOR", "NO_COLOR", "PYTHONPATH", "NERQ_CACHE_DIR", "NERQ_ADVISORY_DB_URL",
                        "NERQ_OSV_URL", "NERQ_INDEX_URL", "NERQ_DB_DUMP_URL")}
    env["CARGO_NET_OFFLINE"] = "true"
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run(args, cwd=DEMO, env=None, **kw) -> subprocess.CompletedProcess:
    """Runs the command the way cargo does (`cargo-nerq nerq ARGS`), capturing text output."""
    return subprocess.run([str(BINARY), "nerq", *map(str, args)], cwd=cwd,
                          env=env or clean_env(), capture_output=True, text=True, **kw)


def without_staleness(stderr: str) -> str:
    """stderr without the data's staleness warnings: the shared advisory snapshot is 93 days old
    on the tests' `now` (2026-11-21), and cargo nerq says so on every run."""
    return "".join(line for line in stderr.splitlines(keepends=True)
                   if not (line.startswith("warning: ") and "older than max_staleness_days" in line))
