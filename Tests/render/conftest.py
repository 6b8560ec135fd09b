"""Fixtures of the rendering tests: the documents they render. Real ones (the demo project, every
shared lockfile, three Debian-packaged crates, a preflight) are made by the library from the shared
advisory snapshot; hostile ones come from render_support (edge cases real data lacks)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Dict

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_support import (CRATES, LOCKFILES, NOW, REPO_ROOT, hostile_assessment, hostile_preflight,  # noqa: E402
                            hostile_report, shared_data)

import nerq  # noqa: E402


@pytest.fixture(scope="session")
def engine():
    db = shared_data() / "advisory-db"
    with nerq.Engine(advisory_db=db, now=NOW) as e:
        yield e


@pytest.fixture(scope="session")
def database(engine) -> dict:
    return engine.assess(lockfile_text="version = 4\n")["database"]


@pytest.fixture(scope="session")
def documents(engine, database) -> Dict[str, bytes]:
    """name -> the document as the library's JSON text (assessments are never decoded here)."""
    docs: Dict[str, bytes] = {}
    docs["demo"] = engine.call("assess", {"lockfile": str(REPO_ROOT / "examples" / "demo" / "Cargo.lock")})
    for name in LOCKFILES:
        docs[f"lockfile-{name}"] = engine.call("assess", {"lockfile": str(shared_data() / "lockfiles" / f"{name}.Cargo.lock")})
    for target in CRATES:
        name, version = target.split("@")
        report = json.loads(engine.call("score", {"package": {"name": name, "version": version}}))
        assert report["signals"].get("source"), f"{target}: its Debian source was not scanned (scripts/deps.sh installs it)"
        # as cargo nerq crate renders it: with the database it was checked against
        docs[f"crate-{name}"] = json.dumps(dict(report, database=database)).encode()
    docs["preflight-atty"] = engine.call("preflight", {"target": "atty@0.2.14"})
    return docs


@pytest.fixture(scope="session")
def hostile_documents() -> Dict[str, bytes]:
    return {"hostile-report": json.dumps(hostile_report()).encode(),
            "hostile-assessment": json.dumps(hostile_assessment()).encode(),
            "hostile-preflight": json.dumps(hostile_preflight()).encode()}
