"""Fixtures for the cargo nerq tests (helpers live in cargo_nerq_support, importable by name)."""

import os
import subprocess

import pytest

from cargo_nerq_support import BINARY, DEMO, shared_data


@pytest.fixture(scope="session", autouse=True)
def cargo_nerq_built():
    """The command under test exists (make build builds it)."""
    if not BINARY.is_file():
        pytest.fail(f"{BINARY} is missing: run make build (or set NERQ_CARGO_NERQ)")


@pytest.fixture(scope="session")
def advisory_db():
    return shared_data() / "advisory-db"


@pytest.fixture(scope="session")
def demo_ready():
    """The demo resolves offline: its Debian crates are installed (setup.sh does that)."""
    r = subprocess.run(["cargo", "metadata", "--offline", "--locked", "--format-version", "1"], cwd=DEMO,
                       capture_output=True, text=True)
    if r.returncode != 0:
        message = f"examples/demo does not resolve offline (run examples/demo/setup.sh): {r.stderr.strip()[:300]}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return DEMO
