"""The habits users bring: the same audit.toml and deny.toml given to cargo-audit 0.22.2,
cargo-deny 0.20.2 and cargo nerq, with the same effect (the differences are the documented ones);
nerq.toml with expiry by --now; baselines; an exit code for each gate; the terminal (widths, the
help, the human view as snapshots); and output that cannot be written (issue #13)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cargo_nerq_support import BINARY, DEMO, REPO_ROOT, clean_env, run, shared_data, without_staleness
import peers

NOW = "2026-12-01T00:00:00Z"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# The same intent in both tools' files: an advisory by its id, one by a CVE alias, one that does
# not exist, one that exists but affects nothing here.
IGNORES = ["RUSTSEC-2026-0009", "CVE-2024-58266", "RUSTSEC-2099-9999", "RUSTSEC-2020-0071"]
ALIASED = ("RUSTSEC-2024-0006", "shlex", "1.1.0")  # CVE-2024-58266 is an alias of it


@pytest.fixture()
def demo(tmp_path, demo_ready):
    """A copy of the demo project (its .cargo/config.toml resolves it offline from Debian's crates)."""
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy, ignore=shutil.ignore_patterns("target"))
    return copy


def nerq_env(project: Path) -> dict:
    # An empty CARGO_HOME: no ~/.cargo/audit.toml of the machine running the tests is read.
    home = project / ".no-cargo-home"
    home.mkdir(exist_ok=True)
    return clean_env(CARGO_HOME=str(home))


def nerq(project: Path, advisory_db, *args, now=NOW):
    return run(["--advisory-db", advisory_db, "--now", now, *map(str, args)], cwd=project, env=nerq_env(project))


def nerq_json(project: Path, advisory_db, *args, now=NOW):
    r = nerq(project, advisory_db, "--format", "json", *args, now=now)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout), r.stderr


def statuses(doc) -> dict:
    return {i["id"]: i["status"] for i in doc["ignores"]}


# -- the same files, three tools --------------------------------------------------------------------

def test_same_audit_toml_as_cargo_audit_on_the_demo(demo, advisory_db, tmp_path):
    (demo / ".cargo" / "audit.toml").write_text(f"[advisories]\nignore = {json.dumps(IGNORES)}\n")
    code_a, audit, _ = peers.run_audit(demo, peers.audit_lockfile(demo / "Cargo.lock", tmp_path / "Cargo.lock"), advisory_db)
    code_n, doc, stderr = nerq_json(demo, advisory_db)
    got = peers.nerq_reported(doc)
    # The one difference: nerq honours an ignore that names an alias, and says so.
    assert audit - got == {ALIASED} and got - audit == set()
    assert code_a == code_n == 1
    assert statuses(doc) == {"RUSTSEC-2026-0009": "applied", "CVE-2024-58266": "applied",
                             "RUSTSEC-2099-9999": "unknown", "RUSTSEC-2020-0071": "unused"}
    alias = next(i for i in doc["ignores"] if i["id"] == "CVE-2024-58266")
    assert alias["matches"] == [{"advisory": "RUSTSEC-2024-0006", "package": "shlex", "version": "1.1.0", "via": "alias"}]
    assert [f["path"] for f in doc["config"]["files"]] == [".cargo/audit.toml"]
    # Printed in human mode: which files were read (stderr), every ignore and what became of it.
    r = nerq(demo, advisory_db)
    assert without_staleness(r.stderr).splitlines()[0] == "      Config .cargo/audit.toml (cargo-audit)"
    assert "CVE-2024-58266 [applied] (.cargo/audit.toml:2): ignores RUSTSEC-2024-0006 in shlex 1.1.0 through its alias" in r.stdout
    assert "RUSTSEC-2099-9999 [unknown]" in r.stdout and "RUSTSEC-2020-0071 [unused]" in r.stdout


def test_same_informational_warnings_as_cargo_audit(demo, advisory_db, tmp_path):
    (demo / ".cargo" / "audit.toml").write_text('[advisories]\ninformational_warnings = ["unmaintained"]\n'
                                                '[output]\nquiet = false\ndeny = ["unsound"]\n')
    code_a, audit, _ = peers.run_audit(demo, peers.audit_lockfile(demo / "Cargo.lock", tmp_path / "Cargo.lock"), advisory_db)
    code_n, doc, _ = nerq_json(demo, advisory_db, "--allow", "vulnerability")
    assert peers.nerq_reported(doc) == audit
    # deny = ["unsound"] fails both runs (nerq without its vulnerabilities, to see that gate alone).
    assert code_a == 1 and code_n == 1
    assert [f["kind"] for f in doc["gate"]["failures"]] == ["unsound"]


def test_same_deny_toml_as_cargo_deny_on_the_demo(demo, advisory_db, tmp_path):
    db_root = peers.deny_database(tmp_path / "dbs", advisory_db)
    (demo / "deny.toml").write_text(
        "[advisories]\n"
        f'db-path = "{db_root}"\n'
        "disable-yank-checking = true\n"
        f'ignore = ["{IGNORES[0]}", {{ id = "{IGNORES[1]}", reason = "an alias" }}, "{IGNORES[2]}", "{IGNORES[3]}"]\n')
    code_d, diags = peers.run_deny(demo)
    code_n, doc, _ = nerq_json(demo, advisory_db)
    got = peers.nerq_reported(doc)
    denied = peers.deny_errors(diags)
    assert denied - got == {ALIASED} and got - denied == set()
    assert code_d == code_n == 1
    # cargo-deny warns about every entry that matched nothing, an alias included; nerq says which
    # are unknown, which unused, and that the alias did match.
    not_detected = {d["advisory"] for d in diags if d["code"] == "advisory-not-detected"}
    unknown = {d["advisory"] for d in diags if d["code"] == "unknown-advisory"}
    assert not_detected == {"CVE-2024-58266", "RUSTSEC-2099-9999", "RUSTSEC-2020-0071"}
    assert unknown == {"CVE-2024-58266", "RUSTSEC-2099-9999"}
    assert statuses(doc) == {"RUSTSEC-2026-0009": "applied", "CVE-2024-58266": "applied",
                             "RUSTSEC-2099-9999": "unknown", "RUSTSEC-2020-0071": "unused"}
    assert next(i for i in doc["ignores"] if i["id"] == "CVE-2024-58266")["reason"] == "an alias"
    # What cargo-deny fails on (every advisory it reports) is what nerq's gate lists.
    assert {k["kind"] for k in doc["gate"]["deny"]} >= {"vulnerability", "unmaintained", "unsound", "notice"}


@pytest.mark.parametrize("name", ["zellij", "mdbook-0.4.0"])
@pytest.mark.parametrize("advisories", ["", 'unsound = "all"\n', 'unmaintained = "workspace"\nunsound = "transitive"\n',
                                        'unmaintained = "none"\nunsound = "none"\n'])
def test_deny_scopes_on_a_shared_lockfile(name, advisories, advisory_db, tmp_path):
    """cargo-deny's unmaintained/unsound scopes on a real graph: the same findings reported.
    Both tools read the same synthesized `cargo metadata` (the lockfile has no dependency kinds)."""
    lock = shared_data() / "lockfiles" / f"{name}.Cargo.lock"
    db_root = peers.deny_database(tmp_path / "dbs", advisory_db)
    ws = peers.synthetic_workspace(lock, tmp_path / "ws")
    (ws / "deny.toml").write_text(f'[advisories]\ndb-path = "{db_root}"\ndisable-yank-checking = true\n{advisories}')
    code_d, diags = peers.run_deny(ws, "--metadata-path", "metadata.json", level="error")
    code_n, doc, _ = nerq_json(ws, advisory_db, "--metadata-path", "metadata.json", "--no-scan")
    assert peers.nerq_reported(doc) == peers.deny_errors(diags)
    assert code_n == code_d
    if advisories == 'unsound = "all"\n':
        # With every unsound advisory reported, cargo-deny and nerq report what cargo-audit does.
        code_a, audit, _ = peers.run_audit(ws, peers.audit_lockfile(lock, tmp_path / "audit.lock"), advisory_db)
        assert peers.nerq_reported(doc) == audit


@pytest.mark.parametrize("name", ["zellij", "tauri-2024-10"])
def test_audit_toml_on_a_shared_lockfile(name, advisory_db, tmp_path):
    lock = shared_data() / "lockfiles" / f"{name}.Cargo.lock"
    project = tmp_path / "p"
    (project / ".cargo").mkdir(parents=True)
    audit_lock = peers.audit_lockfile(lock, project / "Cargo.lock")
    baseline_code, everything, _ = peers.run_audit(project, audit_lock, advisory_db)
    vulns = sorted({f[0] for f in everything})[:2]
    (project / ".cargo" / "audit.toml").write_text(
        f'[advisories]\nignore = {json.dumps(vulns)}\ninformational_warnings = ["unsound"]\n')
    code_a, audit, _ = peers.run_audit(project, audit_lock, advisory_db)
    code_n, doc, _ = nerq_json(project, advisory_db, "--lockfile", "Cargo.lock", "--no-scan")
    assert peers.nerq_reported(doc) == audit
    assert code_n == code_a
    assert all(i["status"] == "applied" for i in doc["ignores"])


def test_audit_toml_output_table_is_honoured(demo, advisory_db):
    """cargo-audit's [output]: format and quiet apply unless the command line says otherwise."""
    (demo / ".cargo" / "audit.toml").write_text('[output]\nformat = "json"\nquiet = true\nshow_tree = true\n')
    r = nerq(demo, advisory_db)
    doc = json.loads(r.stdout)
    assert len(doc["packages"]) == doc["summary"]["packages"] == 16  # every report, not only the flagged ones
    assert "Config" not in r.stderr  # quiet
    assert nerq(demo, advisory_db, "--format", "human").stdout.startswith("PACKAGE")
    assert "dependency tree (who pulls it in):" in nerq(demo, advisory_db, "--format", "human").stdout  # show_tree


# -- nerq.toml: reasons, expiry by --now --------------------------------------------------------------

def test_expiry_is_compared_with_now(demo, advisory_db):
    (demo / "nerq.toml").write_text('[[ignore]]\nid = "RUSTSEC-2026-0007"\nreason = "never called with untrusted sizes"\n'
                                    'expires = 2026-11-01\n')
    _, before, _ = nerq_json(demo, advisory_db, now="2026-10-31T00:00:00Z")
    _, after, _ = nerq_json(demo, advisory_db, now="2026-11-01T00:00:00Z")
    assert statuses(before) == {"RUSTSEC-2026-0007": "applied"}
    assert ("RUSTSEC-2026-0007", "bytes", "1.2.1") not in peers.nerq_reported(before)
    assert statuses(after) == {"RUSTSEC-2026-0007": "expired"}
    assert ("RUSTSEC-2026-0007", "bytes", "1.2.1") in peers.nerq_reported(after)
    r = nerq(demo, advisory_db, now="2026-11-02T00:00:00Z")
    assert ("RUSTSEC-2026-0007 [expired] (nerq.toml:2): expired on 2026-11-01: no longer applies; reported again: "
            "RUSTSEC-2026-0007 in bytes 1.2.1; reason: never called with untrusted sizes") in " ".join(r.stdout.split())


def test_workspace_metadata_and_bad_config(demo, advisory_db):
    manifest = demo / "Cargo.toml"
    manifest.write_text(manifest.read_text() + '\n[package.metadata.nerq.gates]\ndeny = []\n')
    code, doc, stderr = nerq_json(demo, advisory_db)
    assert code == 0 and doc["gate"]["deny"] == [] and doc["config"]["files"][0]["format"] == "cargo-manifest"
    (demo / "nerq.toml").write_text("[gates]\nfail_under = \"high\"\n")
    r = nerq(demo, advisory_db)
    assert r.returncode == 2 and r.stdout == ""
    assert without_staleness(r.stderr).strip().splitlines() == [
        "error: invalid_type: nerq.toml:2: `gates.fail_under` must be a number, found string (at nerq.toml:2)"]


# -- exit codes, one per gate --------------------------------------------------------------------------

@pytest.mark.parametrize("files,args,code,first_failure", [
    ({}, [], 1, "vulnerability"),                                               # cargo-audit's default
    ({}, ["--allow", "vulnerability"], 0, None),
    ({}, ["--allow", "vulnerability", "-D", "warnings"], 1, "unsound"),
    ({}, ["--allow", "vulnerability", "--fail-under", "40"], 1, "fail_under"),
    ({"nerq.toml": "[gates]\nunused_ignores = \"deny\"\n"}, ["--allow", "vulnerability", "--ignore", "RUSTSEC-2020-0071"], 1,
     "unused_ignores"),
    ({"nerq.toml": "[gates]\ndeny = []\n"}, [], 0, None),
    ({"nerq.toml": "[gates]\nallow = [\"vulnerability\"]\nfail_under = 40\n"}, [], 1, "fail_under"),
    ({".cargo/audit.toml": "[output]\nquiet = false\ndeny = [\"unmaintained\"]\n"}, ["--allow", "vulnerability"], 1, "unmaintained"),
    ({"deny.toml": "[advisories]\nyanked = \"deny\"\nunmaintained = \"none\"\nunsound = \"none\"\n"}, ["--allow", "vulnerability"], 0, None),
])
def test_exit_code_per_gate(demo, advisory_db, files, args, code, first_failure):
    for name, text in files.items():
        (demo / name).write_text(text)
    r = nerq(demo, advisory_db, "--format", "json", *args)
    assert r.returncode == code, r.stderr
    doc = json.loads(r.stdout)
    failures = doc["gate"]["failures"]
    if first_failure is None:
        assert failures == []
        assert all(line.startswith("      Config ") for line in without_staleness(r.stderr).splitlines()), r.stderr
    else:
        assert failures[0].get("kind", failures[0]["gate"]) == first_failure
        assert without_staleness(r.stderr).splitlines()[-1] == f"error: {doc['gate']['message']}"


def test_operational_errors_exit_2(demo, advisory_db):
    (demo / "deny.toml").write_text("[advisories]\nvulnerability = \"deny\"\n")
    r = nerq(demo, advisory_db)
    assert r.returncode == 2 and "deny.toml:2: `advisories.vulnerability` has been removed" in r.stderr
    r = nerq(demo, advisory_db, "--ignore", "RUSTSEC-9999-0001", "--no-config")
    assert r.returncode == 2 and "out-of-range year in advisory ID: RUSTSEC-9999-0001" in r.stderr
    r = nerq(demo, advisory_db, "--update-baseline")
    assert r.returncode == 2 and "--update-baseline needs --baseline FILE" in r.stderr


# -- baseline ------------------------------------------------------------------------------------------

def test_baseline_round_trip(demo, advisory_db):
    base = demo / "nerq-baseline.json"
    r = nerq(demo, advisory_db, "--baseline", base)
    assert r.returncode == 0, r.stderr
    assert "baseline: written" in r.stdout and base.is_file()
    recorded = json.loads(base.read_text())
    assert recorded["kind"] == "nerq.baseline" and len(recorded["findings"]) == 9
    again = nerq(demo, advisory_db, "--baseline", base)
    assert again.returncode == 0 and f"baseline {base} (recorded 2026-12-01): 0 new, 9 known, 0 gone" in " ".join(again.stdout.split())
    # bytes fixed, a new vulnerable crate locked: the run fails on the new one, lists the one gone.
    lock = (demo / "Cargo.lock").read_text()
    lock = lock.replace('name = "bytes"\nversion = "1.2.1"', 'name = "bytes"\nversion = "1.11.1"')
    lock += '\n[[package]]\nname = "smallvec"\nversion = "1.6.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
    (demo / "changed.lock").write_text(lock)
    r = nerq(demo, advisory_db, "--baseline", base, "--lockfile", "changed.lock")
    assert r.returncode == 1
    assert "new since the baseline" in r.stdout and "gone: RUSTSEC-2026-0007 in bytes 1.2.1" in r.stdout
    assert re.search(r"error: \d+ new vulnerability findings? \(denied by default\): RUSTSEC-\S+ in smallvec 1.6.0", r.stderr)
    sarif = json.loads(nerq(demo, advisory_db, "--baseline", base, "--lockfile", "changed.lock", "--format", "sarif").stdout)
    states = {res["properties"]["package"]: res["baselineState"] for res in sarif["runs"][0]["results"]}
    assert states["smallvec"] == "new" and states["time"] == "unchanged"
    r = nerq(demo, advisory_db, "--baseline", base, "--lockfile", "changed.lock", "--update-baseline")
    assert r.returncode == 0 and "baseline: updated" in r.stdout
    assert "smallvec" in base.read_text() and '"bytes"' not in base.read_text()


# -- the terminal --------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [60, 80, 120])
def test_every_line_fits_the_width(demo, advisory_db, width):
    env = nerq_env(demo)
    env["COLUMNS"] = str(width)
    outputs = [run([*args, "--advisory-db", advisory_db, "--now", NOW], cwd=demo, env=env).stdout
               for args in ([], ["--all", "--tree"], ["crate", "atty"], ["crate", "time@0.3.9"])]
    for out in outputs:
        assert out.strip()
        for line in out.splitlines():
            assert len(line) <= width, f"{width}: {line!r}"
    # piped with no COLUMNS: no width is imposed (a file gets whole lines)
    piped = run(["--advisory-db", advisory_db, "--now", NOW], cwd=demo, env=nerq_env(demo)).stdout
    assert max(len(l) for l in piped.splitlines()) > 120


def test_reason_on_every_row(demo, advisory_db):
    r = nerq(demo, advisory_db, "--all")
    rows = r.stdout.split("\n\n")[0].splitlines()[1:]
    for row in rows:
        cells = re.split(r"\s{2,}", row.strip())
        verdict, reason = cells[4], cells[5] if len(cells) > 5 else "-"
        if verdict in ("caution", "warning", "avoid"):
            assert reason != "-", row
    libc = next(row for row in rows if row.startswith("libc"))
    assert "weakest: security" in libc  # a caution from its own evidence says which dimension and why
    # --evidence: where that evidence is, file:line
    shown = nerq(demo, advisory_db, "--evidence").stdout
    block = shown[shown.index("Evidence: libc 0.2.139"):]
    assert re.search(r"^    unsafe blocks:\n      src/\S+\.rs:\d+  ", block, re.M)


def test_crate_resolves_a_bare_name_to_the_locked_version(demo, advisory_db):
    r = run(["crate", "time", "--advisory-db", advisory_db, "--now", NOW], cwd=demo, env=nerq_env(demo))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Is time safe?\n\ntime 0.3.9: ")
    assert "as of 2026-12-01; verdict bands: safe from 70, caution from 55, warning from 40, avoid below" in " ".join(out.split())
    assert "licence: MIT OR Apache-2.0" in out
    assert "strongest: " in out and "weakest: " in out
    assert "fix: cargo update -p time --precise 0.3.47" in out


def _normalized(text: str) -> str:
    return text.replace(str(shared_data()), "<shared-data>").replace(str(REPO_ROOT), "<repo>")


def _snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        if os.environ.get("CI") == "true" and not path.exists():
            pytest.fail(f"snapshot {path} missing")
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed (UPDATE_SNAPSHOTS=1 rewrites it after review)"


def test_help_snapshot():
    env = clean_env(COLUMNS="100")
    project = run(["--help"], env=env)
    crate = run(["crate", "--help"], env=env)
    assert project.returncode == crate.returncode == 0
    # --advisory-db is data, not output; no path of nerq's source tree is shown to installed users
    groups = re.split(r"\n(?=\S[^\n]*:\n)", project.stdout)
    data = next(g for g in groups if g.startswith("data:"))
    assert "--advisory-db" in data
    assert "docs/" not in project.stdout + crate.stdout
    _snapshot("help.txt", project.stdout)
    _snapshot("help-crate.txt", crate.stdout)


def test_human_view_snapshot(demo_ready, advisory_db):
    env = clean_env(COLUMNS="100", CARGO_HOME=str(DEMO / ".no-such-cargo-home"))
    r = run(["--advisory-db", advisory_db, "--now", NOW, "--tree"], env=env)
    assert r.returncode == 1
    _snapshot("demo-human-100.txt", _normalized(r.stdout))
    r = run(["crate", "atty@0.2.14", "--advisory-db", advisory_db, "--now", NOW], env=env)
    _snapshot("crate-atty-100.txt", _normalized(r.stdout))


# -- output that cannot be written (issue #13): one line on stderr, no traceback -------------------------

def _with_stdout(args, stdout, env=None, cwd=DEMO):
    proc = subprocess.Popen([str(BINARY), "nerq", *map(str, args)], cwd=cwd, env=env or clean_env(),
                            stdout=stdout, stderr=subprocess.PIPE)
    _, err = proc.communicate(timeout=300)
    return proc.returncode, without_staleness(err.decode("utf-8", "replace"))


def _closed_pipe():
    r, w = os.pipe()
    os.close(r)  # the reader is gone before anything is written: EPIPE
    return w


def test_closed_stdout_keeps_the_gate_code(demo_ready, advisory_db):
    w = _closed_pipe()
    try:
        code, err = _with_stdout(["--advisory-db", advisory_db, "--now", NOW], w)
    finally:
        os.close(w)
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: 4 vulnerability findings") and "closed early" in lines[0], err
    assert "Traceback" not in err


def test_closed_stdout_without_a_gate_is_an_error(demo_ready, advisory_db):
    w = _closed_pipe()
    try:
        code, err = _with_stdout(["--advisory-db", advisory_db, "--now", NOW, "--allow", "vulnerability"], w)
    finally:
        os.close(w)
    assert code == 2 and err.strip().splitlines() == ["error: the output was closed before the report was written (broken pipe)"]


def test_piped_into_true(demo_ready, advisory_db):
    script = f'{BINARY} nerq --advisory-db {advisory_db} --now {NOW} | true; echo "exit=${{PIPESTATUS[0]}}" >&2'
    r = subprocess.run(["bash", "-c", script], cwd=DEMO, env=clean_env(), capture_output=True, text=True)
    lines = without_staleness(r.stderr).strip().splitlines()
    assert lines[-1] == "exit=1" and len(lines) == 2 and lines[0].startswith("error: 4 vulnerability findings"), r.stderr


def test_full_disk(demo_ready, advisory_db):
    with open("/dev/full", "wb") as full:
        code, err = _with_stdout(["--advisory-db", advisory_db, "--now", NOW], full)
    assert code == 2 and err.strip().splitlines() == ["error: cannot write the report to stdout: No space left on device"], err
    with open("/dev/full", "wb") as full:
        code, err = _with_stdout(["--help"], full)
    assert code == 2 and err.strip().splitlines() == ["error: cannot write the report to stdout: No space left on device"], err


def big_lockfile(path: Path, packages: int) -> Path:
    """A lockfile of `packages` crates.io packages that exist nowhere on disk: a long assessment."""
    path.write_text("version = 3\n" + "".join(
        f'\n[[package]]\nname = "p{i}"\nversion = "1.0.{i % 50}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
        for i in range(packages)))
    return path


def test_ctrl_c_ends_a_long_call_promptly(advisory_db, tmp_path):
    """Interrupted inside the library call (an assessment of 500,000 packages takes seconds): exit
    130 at once, not when the call would have ended, and no traceback."""
    lock = big_lockfile(tmp_path / "Cargo.lock", 500000)
    args = [str(BINARY), "nerq", "--advisory-db", str(advisory_db), "--lockfile", str(lock), "--now", NOW,
            "--no-config", "-o", str(tmp_path / "out.txt")]
    started = time.monotonic()
    full = subprocess.run(args, cwd=tmp_path, env=clean_env(), capture_output=True)
    whole = time.monotonic() - started
    assert full.returncode in (0, 1), full.stderr
    proc = subprocess.Popen(args, cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # past start-up (the database is read in about 0.3 s): inside nerq_assess
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    took = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert "Traceback" not in err.decode()
    assert whole > 3 and took < 1.0, (took, whole)
