"""The nerq Python binding against the real libnerq.so."""

import ctypes
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import nerq
from nerq import _ffi
from nerq_py_support import NOW, PYTHON_DIR, REPO_ROOT

SIGNALS = REPO_ROOT / "examples" / "signals"
DEMO_LOCK = REPO_ROOT / "examples" / "demo" / "Cargo.lock"


def signals(name: str) -> dict:
    return json.loads((SIGNALS / f"{name}.json").read_text())


def run_python(code: str, env_extra: dict, cwd: Path = REPO_ROOT, path: Path = PYTHON_DIR) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NERQ_LIBRARY", "PYTHONPATH", "NERQ_ADVISORY_DB", "CARGO_HOME")}
    env.update(env_extra)
    env["PYTHONPATH"] = str(path)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


# -- loading --------------------------------------------------------------------------------------

def test_version_and_abi():
    header = (REPO_ROOT / "include" / "nerq_version.h").read_text()
    assert f'#define NERQ_VERSION "{nerq.version()}"' in header
    assert nerq.abi_version() == nerq.ABI_VERSION == 1
    assert os.path.isfile(nerq.library_path())


def test_function_table_covers_the_header():
    header = (REPO_ROOT / "include" / "nerq.h").read_text()
    import re
    declared = set(re.findall(r"\b(nerq_[a-z_]+)\s*\(", header))
    declared -= {"nerq_x_v2"}
    assert declared == {name for name, _, _ in _ffi.FUNCTIONS}
    lib = _ffi.lib()
    assert lib.nerq_score_str.restype is ctypes.c_void_p  # char * results are never c_char_p
    assert lib.nerq_free.argtypes == [ctypes.c_void_p]


def test_missing_library_lists_the_path_tried(tmp_path):
    bad = tmp_path / "nowhere" / "libnerq.so"
    r = run_python("import nerq; nerq.version()", {"NERQ_LIBRARY": str(bad)})
    assert r.returncode != 0
    assert "ImportError: cannot load libnerq.so; tried:" in r.stderr
    assert f"{bad} ($NERQ_LIBRARY): not found" in r.stderr
    assert "NERQ_LIBRARY is set, so no other location was tried" in r.stderr


def test_not_a_library_is_an_import_error(tmp_path):
    junk = tmp_path / "libnerq.so"
    junk.write_text("not an ELF file\n")
    r = run_python("import nerq; nerq.version()", {"NERQ_LIBRARY": str(junk)})
    assert r.returncode != 0 and "ImportError" in r.stderr and str(junk) in r.stderr


def test_without_env_every_default_location_is_listed(tmp_path):
    # A copy of the package outside the source tree: neither a bundled library nor a tree build.
    shutil.copytree(PYTHON_DIR / "nerq", tmp_path / "pkg" / "nerq", ignore=shutil.ignore_patterns("libnerq.so", "__pycache__"))
    r = run_python("import nerq; nerq.version()", {}, cwd=tmp_path, path=tmp_path / "pkg")
    assert r.returncode != 0
    assert str(tmp_path / "pkg" / "nerq" / "libnerq.so") + " (bundled with the package): not found" in r.stderr
    assert ".build/release/libnerq.so (source tree build (make build)): not found" in r.stderr
    assert "make build" in r.stderr


def test_abi_mismatch_is_refused(tmp_path):
    cc = shutil.which("cc")
    if not cc:
        pytest.skip("no C compiler")
    names = [name for name, _, _ in _ffi.FUNCTIONS if name != "nerq_abi_version"]
    src = "\n".join(f"void {n}(void) {{}}" for n in names) + "\nint nerq_abi_version(void) { return 2; }\n"
    (tmp_path / "fake.c").write_text(src)
    lib = tmp_path / "libnerq.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(lib), str(tmp_path / "fake.c")], check=True)
    r = run_python("import nerq; nerq.version()", {"NERQ_LIBRARY": str(lib)})
    assert r.returncode != 0
    assert "libnerq ABI version 2 does not match this binding's ABI version 1" in r.stderr


def test_loads_lazily():
    r = run_python("import sys, nerq; from nerq import _ffi; print(_ffi._lib is None); nerq.version(); print(_ffi._lib is None)", {})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "False"]


# -- score / preflight / errors --------------------------------------------------------------------

def test_score_matches_the_c_example():
    with nerq.Engine() as engine:
        report = engine.score(signals("nix-0.22.1"))
    assert report["kind"] == "nerq.report"
    assert (report["trust_score"], report["grade"], report["verdict"]["level"]) == (45.0, "D", "warning")
    assert [d["name"] for d in report["dimensions"]][:2] == ["security", "maintenance"]


def test_score_takes_text_and_bytes_too():
    text = (SIGNALS / "serde-1.0.210.json").read_text()
    with nerq.Engine(now=NOW) as engine:
        a = engine.score(text)
        b = engine.score(text.encode())
        c = engine.score(json.loads(text))
    assert a == b == c and a["grade"] == "A"


def test_call_returns_the_library_text_as_is():
    with nerq.Engine(now=NOW) as engine:
        raw = engine.call("score", signals("serde-1.0.210"))
        assert isinstance(raw, bytes) and raw.startswith(b'{"kind":"nerq.report"')
        assert json.loads(raw) == engine.score(signals("serde-1.0.210"))
        with pytest.raises(ValueError):
            engine.call("delete", {})


def test_bad_json_type_is_a_nerq_error_with_code_and_path():
    with nerq.Engine() as engine:
        with pytest.raises(nerq.NerqError) as e:
            engine.score({"package": {"ecosystem": "crates.io", "name": 5, "version": "1.0.0"}})
    assert e.value.code == "invalid_type"
    assert e.value.path == "$.package.name"
    assert "expected a string" in e.value.message
    assert str(e.value) == f"invalid_type: {e.value.message} (at $.package.name)"


def test_invalid_json_text():
    with nerq.Engine() as engine, pytest.raises(nerq.NerqError) as e:
        engine.score(b'{"package": ')
    assert e.value.code == "invalid_json"


def test_nul_byte_never_reaches_c():
    with nerq.Engine() as engine, pytest.raises(nerq.NerqError) as e:
        engine.score({"package": {"name": "a\0b"}})
    assert e.value.code == "invalid_json"


def test_engine_config_errors():
    with pytest.raises(nerq.NerqError) as e:
        nerq.Engine(advisroy_db="/tmp")  # a typo must not pass
    assert e.value.code == "unknown_key"
    with pytest.raises(nerq.NerqError) as e:
        nerq.Engine(now="yesterday")
    assert e.value.code == "invalid_value" and e.value.path == "$.now"
    with pytest.raises(ValueError):
        import datetime
        nerq.Engine(now=datetime.datetime(2026, 1, 1))  # naive


def test_missing_advisory_db_is_not_found(tmp_path):
    with pytest.raises(nerq.NerqError) as e:
        nerq.Engine(advisory_db=tmp_path / "no-such-db")
    assert e.value.code == "not_found"


def test_now_accepts_datetime():
    import datetime
    when = datetime.datetime(2026, 11, 21, tzinfo=datetime.timezone.utc)
    with nerq.Engine(now=when) as a, nerq.Engine(now=NOW) as b:
        assert a.score(signals("nix-0.22.1")) == b.score(signals("nix-0.22.1"))


def test_preflight():
    with nerq.Engine(now=NOW) as engine:
        answer = engine.preflight("nix@0.22.1", advisories=signals("nix-0.22.1")["advisories"])
        assert answer["kind"] == "nerq.preflight"
        assert answer["recommendation"] in ("PROCEED", "CAUTION", "DENY")
        assert answer["package"] == {"ecosystem": "crates.io", "name": "nix", "version": "0.22.1"}
        with pytest.raises(nerq.NerqError) as e:
            engine.preflight("nix@not-a-version")
        assert e.value.code == "invalid_value" and e.value.path == "$.target"


def test_preflight_with_the_advisory_db(advisory_db):
    with nerq.Engine(advisory_db=advisory_db, now=NOW) as engine:
        answer = engine.preflight("atty@0.2.14")
    assert "unmaintained" in answer["risk_flags"]


def _preflight_in_fresh_process(env_extra: dict) -> dict:
    """nerq.Engine() with no argument in a new process (the engine reads the environment once)."""
    code = "import json, nerq\nwith nerq.Engine() as e: print(json.dumps(e.preflight('atty@0.2.14')))"
    r = run_python(code, env_extra)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_engine_with_no_argument_finds_the_database_like_an_empty_config(advisory_db, tmp_path):
    """NULL config is exactly {}: the database is found through NERQ_ADVISORY_DB, else
    ~/.cargo/advisory-db (cargo-audit's), and atty is never PROCEED."""
    base = {"HOME": str(tmp_path), "NERQ_LIBRARY": nerq.library_path()}
    by_variable = _preflight_in_fresh_process({**base, "NERQ_ADVISORY_DB": str(advisory_db)})
    assert by_variable["recommendation"] != "PROCEED"
    assert by_variable["advisories_checked"] is True and "unmaintained" in by_variable["risk_flags"]
    (tmp_path / ".cargo").mkdir()
    (tmp_path / ".cargo" / "advisory-db").symlink_to(advisory_db)
    by_home = _preflight_in_fresh_process(base)
    assert by_home["advisories_checked"] is True and "unmaintained" in by_home["risk_flags"]


def test_no_database_is_never_proceed(tmp_path):
    answer = _preflight_in_fresh_process({"HOME": str(tmp_path), "NERQ_LIBRARY": nerq.library_path()})
    assert answer["recommendation"] != "PROCEED"
    assert answer["advisories_checked"] is False and "advisories_not_checked" in answer["risk_flags"]


# -- assess ----------------------------------------------------------------------------------------

def test_assess_demo_lockfile(advisory_db):
    with nerq.Engine(advisory_db=advisory_db, now=NOW) as engine:
        doc = engine.assess(lockfile=DEMO_LOCK)
    assert doc["kind"] == "nerq.assessment"
    assert doc["database"]["path"] and doc["database"]["advisories"] > 1000
    assert doc["project"]["lockfile"] == str(DEMO_LOCK)
    ids = {(f["id"], f["package"]) for f in doc["findings"]}
    assert ("RUSTSEC-2024-0375", "atty") in ids


def test_assess_errors(advisory_db, tmp_path):
    with nerq.Engine(advisory_db=advisory_db, now=NOW) as engine:
        with pytest.raises(nerq.NerqError) as e:
            engine.assess(lockfile=tmp_path / "Cargo.lock")
        assert e.value.code == "not_found"
        with pytest.raises(nerq.NerqError) as e:
            engine.assess()
        assert e.value.code == "missing_field"
        with pytest.raises(nerq.NerqError) as e:
            engine.assess(lockfile_text="version = 4\n", max_paths="three")
        assert e.value.code == "invalid_type" and e.value.path == "$.options.max_paths"


def test_assess_request_shape():
    assert nerq.Engine.assess_request(lockfile=Path("a/Cargo.lock"), include_dev=False) == {
        "lockfile": "a/Cargo.lock", "options": {"include_dev": False}}


# -- lifetime and threads --------------------------------------------------------------------------

def test_close_is_idempotent_and_calls_after_it_fail():
    engine = nerq.Engine()
    assert not engine.closed
    engine.close()
    engine.close()
    assert engine.closed and "closed" in repr(engine)
    with pytest.raises(ValueError, match="closed"):
        engine.score(signals("nix-0.22.1"))


def test_del_is_safe_after_a_failed_init():
    with pytest.raises(nerq.NerqError):
        nerq.Engine(bogus=1)
    import gc
    gc.collect()  # the half-built Engine's __del__ must not raise


def test_eight_threads_share_one_engine(advisory_db):
    requests = [("score", signals("nix-0.22.1")), ("score", signals("serde-1.0.210")),
                ("preflight", {"target": "atty@0.2.14"}), ("assess", {"lockfile": str(DEMO_LOCK)})]
    with nerq.Engine(advisory_db=advisory_db, now=NOW) as engine:
        expected = [engine.call(fn, req) for fn, req in requests]
        results = [None] * 8
        errors = []
        start = threading.Barrier(8)

        def work(k: int) -> None:
            try:
                start.wait()
                out = []
                for _ in range(25):
                    out.append([engine.call(fn, req) for fn, req in requests])
                results[k] = out
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    for out in results:
        assert out is not None
        for round_ in out:
            assert round_ == expected  # byte-identical


def test_close_while_calls_run_defers_the_free():
    engine = nerq.Engine(now=NOW)
    request = signals("nix-0.22.1")
    stop = threading.Event()
    outcomes = []

    def work():
        while not stop.is_set():
            try:
                outcomes.append(engine.score(request)["trust_score"])
            except ValueError:
                break

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    while len(outcomes) < 20:
        pass
    engine.close()
    stop.set()
    for t in threads:
        t.join()
    assert set(outcomes) == {45.0} and engine.closed


# -- packaging ---------------------------------------------------------------------------------------

@pytest.mark.skipif(os.environ.get("NERQ_SKIP_PIP") == "1", reason="NERQ_SKIP_PIP=1")
def test_pip_install_bundles_the_library(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(PYTHON_DIR, src, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))
    shutil.copy2(nerq.library_path(), src / "nerq" / "libnerq.so")
    # Outside the repository the version comes with the package, as the library does.
    shutil.copy2(REPO_ROOT / "include" / "nerq_version.h", src / "nerq" / "nerq_version.h")
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(src)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (site / "nerq" / "py.typed").is_file()
    assert (site / "nerq" / "libnerq.so").is_file()
    code = "import nerq; print(nerq.library_path()); print(nerq.Engine().score({'package': {'name': 'x', 'version': '1.0.0'}})['kind'])"
    r = run_python(code, {}, cwd=tmp_path, path=site)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(site / "nerq" / "libnerq.so"), "nerq.report"]
