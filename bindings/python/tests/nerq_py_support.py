"""Helpers of the binding tests: import the package from this source tree (not an installed copy), locate data."""

import os
import sys
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PYTHON_DIR.parents[1]
sys.path.insert(0, str(PYTHON_DIR))

NOW = "2026-11-21T00:00:00Z"


def shared_data() -> Path:
    """../shared/data beside the repository (NERQ_SHARED_DATA overrides). Tests that need it skip
    when it is absent, and fail instead when CI=true (CI must have it)."""
    path = Path(os.environ.get("NERQ_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")
    if not path.is_dir():
        message = f"shared data not found at {path} (set NERQ_SHARED_DATA)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
