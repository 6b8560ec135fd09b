"""Helpers of the binding tests: import the package from this source tree (not an installed copy), locate data."""

import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PYTHON_DIR.parents[1]
sys.path.insert(0, str(PYTHON_DIR))
sys.path.insert(0, str(REPO_ROOT / "Tests"))
from shared_data import shared_data  # noqa: E402  (re-exported to the tests)

NOW = "2026-11-21T00:00:00Z"

