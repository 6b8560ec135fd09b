"""Fixtures for the binding tests (helpers live in nerq_py_support, importable by name)."""

import pytest

from nerq_py_support import REPO_ROOT, shared_data


@pytest.fixture(scope="session")
def advisory_db():
    return shared_data() / "advisory-db"


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT
