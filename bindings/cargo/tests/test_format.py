"""cargo nerq's formatters, gates and flags on hand-built assessment documents (no library)."""

import io
import json
import re

import pytest

from cargo_nerq_fixtures import assessment
from sarif_schema import assert_valid

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_attention_ignores_info_findings(cn):
    pkgs = {p["package"]["name"]: p for p in assessment()["packages"]}
    assert [cn.needs_attention(pkgs[n]) for n in ("itoa", "time", "atty", "nerq-demo", "rustc-serialize")] == \
        [False, True, True, False, True]
    safe_with_advisory = dict(pkgs["itoa"], findings=[{"severity": "low", "kind": "unmaintained", "id": "X", "message": "x"}])
    assert cn.needs_attention(safe_with_advisory)


def test_sort_worst_first_unscored_last(cn):
    order = [f"{p['package']['name']}" for p in cn.sort_worst_first(assessment()["packages"])]
    assert order == ["rustc-serialize", "atty", "time", "itoa", "nerq-demo"]


def test_human_default_shows_packages_that_need_attention(cn):
    out = cn.render_human(assessment(), show_all=False, style=cn.Style(False))
    lines = out.splitlines()
    assert lines[0].split() == ["PACKAGE", "VERSION", "SCORE", "GRADE", "VERDICT", "WORST", "FINDING"]
    assert [l.split()[0] for l in lines[1:4]] == ["rustc-serialize", "atty", "time"]
    assert "rustc-serialize (dev)" in lines[1]
    assert "RUSTSEC-2021-0145: Potential unaligned read | on windows (+1 more)" in lines[2]
    assert "... and 2 more packages (1 safe, 1 unknown) with no finding above info (--all lists them)" in out
    assert "itoa" not in out
    assert "5 packages: 1 avoid, 1 warning, 1 caution, 1 safe, 1 unknown" in out
    assert "4 advisories affect 3 packages: 2 vulnerability, 1 unsound, 1 unmaintained" in out
    assert "advisory database: /data/advisory-db (1225 advisories, newest 2026-08-21)" in out
    assert not ANSI.search(out)


def test_human_all_and_alignment(cn):
    out = cn.render_human(assessment(), show_all=True, style=cn.Style(False))
    rows = out.split("\n\n")[0].splitlines()
    assert len(rows) == 6 and "more packages" not in out
    assert rows[-1].split()[:5] == ["nerq-demo", "0.1.0", "-", "-", "unknown"]
    # SCORE is right-aligned in one column
    col = rows[0].index("SCORE") + len("SCORE")
    assert all(r[col - 1] != " " for r in rows[1:])


def test_human_colours_verdicts(cn):
    out = cn.render_human(assessment(), show_all=True, style=cn.Style(True))
    assert "\x1b[1;31mavoid" in out and "\x1b[32msafe" in out and "\x1b[33mcaution" in out
    assert ANSI.sub("", out) == cn.render_human(assessment(), show_all=True, style=cn.Style(False))


class FakeTTY(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize("flag,env,tty,expected", [
    (None, {}, True, True),
    (None, {}, False, False),
    (None, {"NO_COLOR": "1"}, True, False),
    (None, {"NO_COLOR": ""}, True, True),
    (None, {"CARGO_TERM_COLOR": "always"}, False, True),
    (None, {"CARGO_TERM_COLOR": "never"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True),
    ("never", {"CARGO_TERM_COLOR": "always"}, True, False),
    ("auto", {"CARGO_TERM_COLOR": "always"}, False, False),
])
def test_colour_choice(cn, monkeypatch, flag, env, tty, expected):
    for k in ("NO_COLOR", "CARGO_TERM_COLOR"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert cn.use_colour(flag, FakeTTY(tty)) is expected


def test_bad_cargo_term_color(cn, monkeypatch):
    monkeypatch.setenv("CARGO_TERM_COLOR", "sometimes")
    with pytest.raises(cn.Failure, match="CARGO_TERM_COLOR"):
        cn.use_colour(None, FakeTTY(True))


def test_markdown(cn):
    out = cn.render_markdown(assessment())
    lines = out.splitlines()
    assert lines[0] == "### cargo nerq: 3 packages of 5 need attention (4 advisories; 1 avoid, 1 warning, 1 caution, 1 safe, 1 unknown)"
    table = [l for l in lines if l.startswith("| `")]
    assert len(table) == 5
    assert table[0].startswith("| `rustc-serialize` (dev) | 0.3.24 | 35.0 | F | 🔴 avoid |")
    assert "[RUSTSEC-2026-0009](https://rustsec.org/advisories/RUSTSEC-2026-0009.html) vulnerability (medium)" in out
    assert "upgrade to 0.3.47" in out
    assert "Potential unaligned read \\| on windows" in out  # pipes cannot break the table
    assert out.count("<details>") == out.count("</details>") == 1
    assert "<summary>2 other packages (no finding above info)</summary>" in out
    assert "unsafe items" not in out  # informational findings are not listed
    for row in table:
        assert row.count(" | ") - row.count("\\|") >= 4


def test_markdown_all_clean(cn):
    doc = assessment()
    doc["packages"] = [p for p in doc["packages"] if p["verdict"]["level"] == "safe"]
    doc["findings"] = []
    out = cn.render_markdown(doc)
    assert out.startswith("### cargo nerq: all 5 packages look fine")
    assert "| Findings |" not in out


def test_sarif_is_valid_and_complete(cn):
    doc = assessment()
    sarif = json.loads(cn.render_sarif(doc, "/work/demo", "0.1.0"))
    assert_valid(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["nerq/vulnerability", "nerq/unsound", "nerq/unmaintained", "nerq/notice",
                                        "nerq/yanked", "nerq/malicious"]
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    results = run["results"]
    assert len(results) == len(doc["findings"]) == 4
    by_id = {r["properties"]["advisory"]: r for r in results}
    assert by_id["RUSTSEC-2022-0004"]["level"] == "error"          # high
    assert by_id["RUSTSEC-2026-0009"]["level"] == "warning"        # medium
    assert by_id["RUSTSEC-2024-0375"]["level"] == "note"           # low
    loc = by_id["RUSTSEC-2024-0375"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "Cargo.lock", "uriBaseId": "SRCROOT"}
    assert loc["region"] == {"startLine": 12}
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == "file:///work/demo/"
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    prints = [r["partialFingerprints"]["nerqFinding/v1"] for r in results]
    assert len(set(prints)) == len(prints)
    assert by_id["RUSTSEC-2026-0009"]["properties"]["upgrade_to"] == "0.3.47"


def test_sarif_outside_the_workspace_uses_an_absolute_uri(cn):
    doc = assessment()
    doc["project"]["lockfile"] = "/elsewhere/Cargo.lock"
    sarif = json.loads(cn.render_sarif(doc, "/work/demo", "0.1.0"))
    assert_valid(sarif)
    loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "file:///elsewhere/Cargo.lock"}


def test_sarif_with_no_findings_is_valid(cn):
    doc = assessment()
    doc["findings"] = []
    assert_valid(json.loads(cn.render_sarif(doc, None, "0.1.0")))


def test_gates(cn):
    pkgs = assessment()["packages"]
    assert cn.gate_failures(pkgs, None, []) == []
    assert cn.gate_failures(pkgs, 35, []) == []
    msgs = cn.gate_failures(pkgs, 55, [])
    assert msgs == ["--fail-under 55: 2 packages score below it: rustc-serialize 0.3.24 (35.0), atty 0.2.14 (50.0)"]
    # the workspace member (unscored) and unscored packages never trip --fail-under
    assert cn.gate_failures(pkgs, 100, [])[0].startswith("--fail-under 100: 3 packages")
    assert cn.gate_failures(pkgs, None, ["yanked", "notice", "malicious"]) == []
    msgs = cn.gate_failures(pkgs, None, ["vulnerability"])
    assert msgs == ["--deny vulnerability: 2 findings: RUSTSEC-2022-0004 in rustc-serialize 0.3.24, "
                    "RUSTSEC-2026-0009 in time 0.3.9"]
    assert len(cn.gate_failures(pkgs, None, list(cn.WARNING_KINDS))) == 2  # unsound + unmaintained


def test_deny_parsing(cn):
    assert cn._deny_arg("vulnerability,unsound") == ["vulnerability", "unsound"]
    assert cn._deny_arg("warnings") == ["unmaintained", "unsound", "notice", "yanked"]
    with pytest.raises(Exception, match="unknown finding kind 'vulns'"):
        cn._deny_arg("vulns")


def test_one_line_cargo_errors(cn):
    stderr = "error: unclosed table, expected `]`\n --> Cargo.toml:5:14\n  |\n5 | [dependencies\n  |              ^\n"
    assert cn._one_line(stderr) == "unclosed table, expected `]` (Cargo.toml:5:14)"
    stderr = "error: failed to load manifest for workspace member `/x`\n\nCaused by:\n  failed to read `/x/Cargo.toml`\n\nCaused by:\n  No such file or directory (os error 2)\n"
    assert cn._one_line(stderr) == ("failed to load manifest for workspace member `/x`; failed to read `/x/Cargo.toml`; "
                                    "No such file or directory (os error 2)")


def test_crate_report_human_and_markdown(cn):
    report = assessment()["packages"][2]  # atty
    db = assessment()["database"]
    out = cn.render_crate_human(report, db, cn.Style(False))
    assert out.startswith("Is atty safe?\n")
    assert "atty 0.2.14: 50.0/100 (C-)  NO — USE WITH CAUTION  recommendation CAUTION" in out
    assert "What it means: use only with care" in out
    for name in ("security", "maintenance", "popularity", "quality", "community", "transparency", "reliability", "privacy"):
        assert f"  {name}" in out
    assert "RUSTSEC-2024-0375: https://rustsec.org/advisories/RUSTSEC-2024-0375.html (source: https://github.com/softprops/atty/issues/57)" in out
    assert "cargo audit" in out and "methodology" in out
    mdout = cn.render_crate_markdown(report, db)
    assert mdout.startswith("## Is atty safe?")
    assert mdout.count("\n| ") == 9  # header, 8 dimensions
    assert "\nUse only with care" in mdout
