"""Where the shared test data is, for the Python test suites (bindings/python, bindings/cargo)."""

import os
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """../shared/data beside the repository (NERQ_SHARED_DATA overrides). Tests that need it skip
    when it is absent, and fail instead when CI=true (CI must have it)."""
    path = Path(os.environ.get("NERQ_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")
    if not path.is_dir():
        missing(f"shared data not found at {path} (set NERQ_SHARED_DATA)")
    return path


def missing(message: str) -> NoReturn:
    """Something a test needs is not installed: skip, or fail under CI (which must have it)."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
