"""cargo nerq and its data: `cargo nerq fetch` against the local test server, what a plain run fetches
by default (what is missing), and the ways to stay offline (--offline, CARGO_NET_OFFLINE, cargo's
net.offline)."""

import json
import shutil

import pytest

from cargo_nerq_support import DEMO, clean_env, run

import fetch_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from fetch_server.serving(tmp_path_factory)


def online_env(server, tmp_path, **extra):
    """Online, against the local server, with a HOME and CARGO_HOME of the test's own."""
    base = server["base"]
    return clean_env(HOME=str(tmp_path / "home"), CARGO_HOME=str(tmp_path / "cargo"), CARGO_NET_OFFLINE=None,
                     NERQ_ADVISORY_DB_URL=f"{base}/advisory-db.tar.gz", NERQ_OSV_URL=f"{base}/osv/crates.io/all.zip",
                     NERQ_INDEX_URL=f"{base}/index/", NERQ_DB_DUMP_URL=f"{base}/dump/db-dump.tar.gz", **extra)


@pytest.fixture()
def project(tmp_path):
    """The demo's Cargo.lock in a folder without cargo configuration (the demo's own says offline)."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(DEMO / "Cargo.lock", folder / "Cargo.lock")
    return folder


def test_fetch_prints_what_where_and_how_old(server, tmp_path, project):
    env = online_env(server, tmp_path)
    r = run(["fetch", "--now", "2026-12-31T00:00:00Z"], cwd=project, env=env)
    assert r.returncode == 0, r.stderr
    cache = tmp_path / "home" / ".cache" / "nerq"
    out = r.stdout
    for source, path in (("advisory_db", cache / "advisory-db"), ("osv", cache / "osv")):
        assert f"fetched {source}: " in out and f"-> {path}" in out, out
    assert "index: " + server["base"] + "/index/" in out and "15 fetched" in out
    assert "newest entry 2026-08-20" in out and "days ago" in out
    again = run(["fetch", "--format", "json"], cwd=project, env=env)
    assert again.returncode == 0, again.stderr
    doc = json.loads(again.stdout)
    assert {s["source"]: s["status"] for s in doc["sources"]} == {"advisory_db": "not_modified", "osv": "not_modified",
                                                                   "index": "not_modified"}


def test_a_plain_run_fetches_what_is_missing(server, tmp_path, project):
    env = online_env(server, tmp_path)
    r = run(["--lockfile", project / "Cargo.lock", "--format", "json", "--now", "2026-12-20T00:00:00Z"], cwd=project, env=env)
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    cache = tmp_path / "home" / ".cache" / "nerq"
    assert doc["database"]["path"] == str(cache / "advisory-db") and doc["database"]["origin"] == "fetched"
    assert [s["source"] for s in doc["sources"]] == ["advisory_db", "osv", "index"]
    assert doc["warnings"] == [] and "warning:" not in r.stderr
    # Registry signals from the fetched index files.
    lhm = next(p for p in doc["packages"] if p["package"]["name"] == "linked-hash-map")
    assert lhm["signals"]["registry"]["versions"] == 25
    # Nothing missing any more: a second run asks the server nothing.
    before = len(json.loads(_get(server, "/__log")))
    r2 = run(["--lockfile", project / "Cargo.lock", "--format", "json", "--now", "2026-12-20T00:00:00Z"], cwd=project, env=env)
    assert r2.returncode in (0, 1), r2.stderr
    assert len(json.loads(_get(server, "/__log"))) == before + 1  # only the log request itself


def _get(server, path):
    import urllib.request
    with urllib.request.urlopen(server["base"] + path) as f:  # the local server (127.0.0.1)
        return f.read()


@pytest.mark.parametrize("how", ["--offline", "CARGO_NET_OFFLINE", "net.offline", "--no-fetch"])
def test_offline_fetches_nothing(server, tmp_path, project, how):
    env = online_env(server, tmp_path)
    args = ["--lockfile", project / "Cargo.lock"]
    if how in ("--offline", "--no-fetch"):
        args.append(how)
    elif how == "CARGO_NET_OFFLINE":
        env["CARGO_NET_OFFLINE"] = "true"
    else:
        (project / ".cargo").mkdir()
        (project / ".cargo" / "config.toml").write_text("[net]\noffline = true\n")
    before = len(json.loads(_get(server, "/__log")))
    r = run(args, cwd=project, env=env)
    assert r.returncode == 2 and "no advisory database found: run `cargo nerq fetch`" in r.stderr, r.stderr
    assert len(json.loads(_get(server, "/__log"))) == before + 1
    assert not (tmp_path / "home" / ".cache" / "nerq" / "advisory-db").exists()


def test_fetch_in_the_demo_is_offline_as_cargo_is():
    """The demo's .cargo/config.toml sets net.offline = true: `cargo nerq fetch` fetches nothing and says why."""
    r = run(["fetch", "--format", "json"], cwd=DEMO, env=clean_env(CARGO_NET_OFFLINE=None))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["offline"] and doc["offline_reason"] == f"net.offline in {DEMO / '.cargo' / 'config.toml'}"
    assert all(s["status"] == "offline" for s in doc["sources"])
    human = run(["fetch"], cwd=DEMO)
    assert "offline (CARGO_NET_OFFLINE=true): nothing was fetched" in human.stdout


def test_failures_are_reported_and_old_data_stays(server, tmp_path, project):
    env = online_env(server, tmp_path)
    assert run(["fetch"], cwd=project, env=env).returncode == 0
    env["NERQ_OSV_URL"] = server["base"] + "/status-500/osv.zip"
    r = run(["fetch", "--lockfile", project / "Cargo.lock"], cwd=project, env=env)
    assert r.returncode == 2
    assert "failed osv" in r.stdout and "HTTP 500" in r.stdout
    # A plain run warns and goes on with what is on disk.
    plain = run(["--lockfile", project / "Cargo.lock", "--format", "json"], cwd=project, env=env)
    assert plain.returncode in (0, 1), plain.stderr
    assert json.loads(plain.stdout)["database"]["osv"][0]["origin"] == "fetched"


def test_registry_option_and_the_crate_view(server, tmp_path, project):
    env = online_env(server, tmp_path)
    dump = server["site"] / "dump" / "db-dump.tar.gz"
    r = run(["crate", "linked-hash-map@0.5.4", "--registry", dump, "--now", "2026-12-20T00:00:00Z", "--format", "json"],
            cwd=project, env=env)
    assert r.returncode in (0, 1), r.stderr
    registry = json.loads(r.stdout)["signals"]["registry"]
    # The crate is not in the generated dump, but its index file (fetched just now) is.
    assert registry["versions"] == 25 and registry["source"].startswith("nerq index cache "), registry
    human = run(["crate", "linked-hash-map@0.5.4", "--registry", dump, "--now", "2026-12-20T00:00:00Z"], cwd=project, env=env)
    assert human.returncode in (0, 1) and "linked-hash-map" in human.stdout, human.stderr
    # `cargo nerq fetch --dump` builds nerq's store, which later runs use without --registry.
    f = run(["fetch", "--dump", "--format", "json"], cwd=project, env=env)
    assert f.returncode == 0, f.stderr
    dump_line = next(s for s in json.loads(f.stdout)["sources"] if s["source"] == "dump")
    assert dump_line["status"] == "fetched" and dump_line["path"].endswith("crates-io-dump.sqlite")
    j = run(["--lockfile", project / "Cargo.lock", "--format", "json"], cwd=project, env=env)
    assert [s["source"] for s in json.loads(j.stdout)["sources"]][:3] == ["advisory_db", "osv", "registry"]
