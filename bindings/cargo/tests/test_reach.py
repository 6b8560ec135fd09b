"""cargo nerq --target and --gate-scope (issue #20, docs/reachability.md): on the netfetch fixture
(Tests/NerqReachTests/Fixtures, resolved from Debian's crate sources), the rustls stack is not
compiled for Linux with the default features, so its vulnerabilities are reported but do not fail
the run; --gate-scope all counts them again; every finding says whether it is compiled."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cargo_nerq_support import REPO_ROOT, clean_env, run

NOW = "2026-12-01T00:00:00Z"
NETFETCH = REPO_ROOT / "Tests" / "NerqReachTests" / "Fixtures" / "projects" / "netfetch"
LINUX = "x86_64-unknown-linux-gnu"
NOT_COMPILED = {("RUSTSEC-2024-0336", "rustls"), ("RUSTSEC-2023-0052", "webpki"), ("RUSTSEC-2025-0009", "ring")}


@pytest.fixture()
def netfetch_ready():
    # Each lockfile package's manifest must be on disk: Debian's crates (scripts/deps.sh).
    if not Path("/usr/share/cargo/registry/reqwest-0.11.13/Cargo.toml").is_file():
        message = "netfetch's Debian crate sources are not installed (scripts/deps.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def nerq(tmp_path, advisory_db, *args):
    home = tmp_path / ".no-cargo-home"
    home.mkdir(exist_ok=True)
    return run(["--advisory-db", str(advisory_db), "--now", NOW, "--lockfile", str(NETFETCH / "Cargo.lock"),
                "--no-scan", *args], cwd=tmp_path, env=clean_env(CARGO_HOME=str(home), COLUMNS="200"))


def test_not_compiled_findings_do_not_fail_the_run(tmp_path, advisory_db, netfetch_ready):
    r = nerq(tmp_path, advisory_db, "--target", LINUX, "--format", "json")
    assert r.returncode == 1, r.stderr  # openssl's vulnerabilities are compiled on Linux
    doc = json.loads(r.stdout)
    assert doc["options"]["reach"]["targets"] == [LINUX]
    assert doc["gate"]["scope"] == {"scope": "compiled", "source": "default"}
    apart = {(f["id"], f["package"]) for f in doc["gate"]["set_apart"]}
    assert NOT_COMPILED <= apart
    denied = {(f["id"], f["package"]) for g in doc["gate"]["failures"] if g["gate"] == "deny" for f in g["findings"]}
    assert not (NOT_COMPILED & denied)
    assert ("RUSTSEC-2023-0044", "openssl") in denied
    by_key = {(f["id"], f["package"]): f for f in doc["findings"]}
    for key in NOT_COMPILED:  # reported all the same, with the edge that keeps it out
        assert by_key[key]["compiled"]["status"] == "no" and by_key[key]["gates"] is False
    assert all("compiled" in f for f in doc["findings"])

    everything = json.loads(nerq(tmp_path, advisory_db, "--target", LINUX, "--format", "json", "--gate-scope", "all").stdout)
    assert everything["gate"]["set_apart"] == []
    assert everything["gate"]["scope"] == {"scope": "all", "source": "request"}

    # Without --target nothing is known not to be compiled: every vulnerability counts.
    plain = json.loads(nerq(tmp_path, advisory_db, "--format", "json").stdout)
    assert plain["gate"]["set_apart"] == [] and "compiled" not in plain["findings"][0]


def test_human_view_says_what_is_compiled(tmp_path, advisory_db, netfetch_ready):
    r = nerq(tmp_path, advisory_db, "--target", LINUX, "--target", "x86_64-pc-windows-msvc")
    assert r.returncode == 1, r.stderr
    assert "compiled: no — not compiled for x86_64-unknown-linux-gnu, x86_64-pc-windows-msvc: " \
           "reqwest 0.11.13 -> hyper-rustls 0.23.2" in r.stdout
    assert "compiled: yes — compiled for x86_64-unknown-linux-gnu; not for x86_64-pc-windows-msvc" in r.stdout
    assert "not counted by the deny gate" in r.stdout
