"""nerq.fetch through the C API against the local test server (Tests/fetch_server.py on 127.0.0.1):
what the library fetched is what the next Engine reads; a fetch killed half-way leaves the previous
data in place and in use."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import nerq
from nerq_py_support import PYTHON_DIR, REPO_ROOT

import fetch_server

NETWORK = {"tries": 2, "retry_delay_ms": 10, "connect_timeout_s": 5, "low_speed_bytes": 1000, "low_speed_time_s": 2,
           "lock_timeout_s": 5}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from fetch_server.serving(tmp_path_factory)


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """An isolated HOME and CARGO_HOME (nerq_fetch reads the process environment)."""
    for k in ("NERQ_CACHE_DIR", "NERQ_ADVISORY_DB", "NERQ_ADVISORY_DB_URL", "NERQ_OSV_URL", "NERQ_INDEX_URL", "NERQ_DB_DUMP_URL",
              "XDG_CACHE_HOME", "CARGO_NET_OFFLINE"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "cargo"))
    return tmp_path


def by_source(doc):
    assert doc["kind"] == "nerq.fetch" and doc["version"] == 1
    return {s["source"]: s for s in doc["sources"]}


def test_fetch_then_assess(server, home):
    base = server["base"]
    lock = REPO_ROOT / "examples" / "demo" / "Cargo.lock"
    urls = {"advisory_db_url": f"{base}/git/advisory-db.git", "osv_url": f"{base}/osv/crates.io/all.zip",
            "index_url": f"{base}/index/"}
    doc = nerq.fetch(sources=["advisory_db", "osv"], lockfile=lock, network=NETWORK, **urls)
    s = by_source(doc)
    assert set(s) == {"advisory_db", "osv", "index"}
    assert all(v["status"] == "fetched" for v in s.values()), s
    # Without cache_dir: the default, $HOME/.cache/nerq (no cargo-audit checkout exists here).
    cache = home / "home" / ".cache" / "nerq"
    assert s["advisory_db"]["path"] == str(cache / "advisory-db") and s["advisory_db"]["method"] == "git"
    assert s["index"]["counts"]["fetched"] == 15
    with nerq.Engine(now="2026-12-20T00:00:00Z", **urls) as engine:
        a = engine.assess(lockfile=lock)
    assert a["database"]["path"] == str(cache / "advisory-db") and a["database"]["origin"] == "git"
    assert a["database"]["url"] == urls["advisory_db_url"]
    assert [x["source"] for x in a["sources"]] == ["advisory_db", "osv", "index"]
    assert a["warnings"] == []
    ids = {f["id"] for f in a["findings"]}
    assert {"RUSTSEC-2021-0145", "RUSTSEC-2024-0006", "RUSTSEC-2026-0007"} <= ids
    # An explicit fetch again: nothing new.
    again = by_source(nerq.fetch(sources=["advisory_db", "osv"], network=NETWORK, **urls))
    assert again["advisory_db"]["status"] == "not_modified" and again["osv"]["status"] == "not_modified"


def test_offline_and_missing(server, home):
    base = server["base"]
    cache = str(home / "cache")
    url = f"{base}/osv/rustsec.zip"
    off = nerq.fetch(sources=["osv"], cache_dir=cache, osv_url=url, offline=True)
    assert off["offline"] and by_source(off)["osv"]["status"] == "offline" and by_source(off)["osv"]["path"] is None
    first = by_source(nerq.fetch(sources=["osv"], cache_dir=cache, osv_url=url, update="missing", network=NETWORK))
    assert first["osv"]["status"] == "fetched"
    second = by_source(nerq.fetch(sources=["osv"], cache_dir=cache, osv_url=url, update="missing", network=NETWORK))
    assert second["osv"]["status"] == "up_to_date" and second["osv"]["fetched_at"] == first["osv"]["fetched_at"]
    os.environ["CARGO_NET_OFFLINE"] = "true"
    try:
        doc = nerq.fetch(sources=["osv"], cache_dir=cache, osv_url=url)
    finally:
        del os.environ["CARGO_NET_OFFLINE"]
    assert doc["offline_reason"] == "CARGO_NET_OFFLINE=true"
    assert by_source(doc)["osv"]["status"] == "offline" and by_source(doc)["osv"]["path"] == cache + "/osv"


def test_request_errors():
    with pytest.raises(nerq.NerqError) as e:
        nerq.fetch(sources=["advisory-db"])
    assert e.value.code == "unknown_key" and e.value.path == "$.sources.advisory-db"
    with pytest.raises(nerq.NerqError) as e:
        nerq.fetch('{"update": 1}')
    assert e.value.code == "invalid_type" and e.value.path == "$.update"
    with pytest.raises(nerq.NerqError) as e:
        nerq.fetch("not json")
    assert e.value.code == "invalid_json"
    with pytest.raises(ValueError):
        nerq.fetch({"sources": {}}, offline=True)


KILLED = """
import sys
sys.path.insert(0, sys.argv[1])
import nerq
nerq.fetch(sources=["advisory_db"], cache_dir=sys.argv[2], advisory_db_url=sys.argv[3])
"""


def test_a_fetch_killed_half_way_leaves_the_old_data_in_use(server, home):
    base = server["base"]
    cache = home / "cache"
    good = f"{base}/advisory-db.tar.gz"
    first = by_source(nerq.fetch(sources=["advisory_db"], cache_dir=str(cache), advisory_db_url=good, network=NETWORK))
    assert first["advisory_db"]["status"] == "fetched"
    record = (cache / "advisory-db.fetch.json").read_bytes()
    files_before = sorted(p.name for p in (cache / "advisory-db" / "crates").iterdir())
    # A slow download of a new copy, killed once it is well under way.
    child = subprocess.Popen([sys.executable, "-c", KILLED, str(PYTHON_DIR), str(cache), f"{base}/slow/advisory-db.tar.gz"])
    try:
        deadline = time.monotonic() + 30
        partial = []
        while time.monotonic() < deadline:
            partial = [p for p in cache.iterdir() if ".download.tmp-" in p.name and p.stat().st_size > 64 * 1024]
            if partial or child.poll() is not None:
                break
            time.sleep(0.05)
        assert partial, "the download never got under way"
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    # The old data is intact and is what an engine reads.
    assert (cache / "advisory-db.fetch.json").read_bytes() == record
    assert sorted(p.name for p in (cache / "advisory-db" / "crates").iterdir()) == files_before
    with nerq.Engine(cache_dir=str(cache), now="2026-12-20T00:00:00Z") as engine:
        a = engine.assess(lockfile_text='version = 4\n\n[[package]]\nname = "time"\nversion = "0.1.42"\n'
                                        'source = "registry+https://github.com/rust-lang/crates.io-index"\n')
    assert a["database"]["origin"] == "fetched" and a["database"]["url"] == good
    assert "RUSTSEC-2020-0071" in {f["id"] for f in a["findings"]}
    # The next fetch clears what the killed one left.
    again = by_source(nerq.fetch(sources=["advisory_db"], cache_dir=str(cache), advisory_db_url=good, network=NETWORK))
    assert again["advisory_db"]["status"] == "not_modified"
    assert not [p for p in cache.iterdir() if ".tmp-" in p.name]


def test_schema_of_the_fetch_document(server, home, repo_root):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((repo_root / "schemas" / "nerq.fetch.schema.json").read_text())
    request_schema = json.loads((repo_root / "schemas" / "nerq.fetch_request.schema.json").read_text())
    base = server["base"]
    request = {"kind": "nerq.fetch_request", "version": 1, "cache_dir": str(home / "cache"),
               "sources": {"osv": {}, "index": {"packages": ["serde", "no-such-crate"]}, "advisory_db": {}},
               "osv_url": f"{base}/status-500/x.zip", "index_url": f"{base}/index/",
               "advisory_db_url": f"{base}/advisory-db.tar.gz", "network": NETWORK}
    jsonschema.validate(request, request_schema)
    doc = nerq.fetch(request)
    jsonschema.validate(doc, schema)
    s = by_source(doc)
    assert s["osv"]["status"] == "failed" and s["osv"]["error"]["code"] == "network_error"
    assert doc["failed"] == 1
