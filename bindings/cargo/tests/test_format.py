"""The output cargo nerq prints, on hand-built assessment documents: rendered by libnerq
(nerq.render, as cargo nerq calls it) for edge cases the real data lacks (unscored packages,
pipes in text). cargo nerq's own parsing, colour choice and crate gate are Tests/NerqCLITests."""

import json
import re


import nerq
from cargo_nerq_fixtures import assessment
from sarif_schema import assert_valid

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def shown(doc, **options):
    """The package names of the human table's rows."""
    out = nerq.render(doc, "human", **options)
    return [line.split()[0] for line in out.split("\n\n")[0].splitlines()[1:] if not line.startswith("...")]


def test_attention_ignores_info_findings():
    doc = assessment()
    assert shown(doc) == ["rustc-serialize", "atty", "time"]  # itoa has only an info finding; nerq-demo is unknown
    itoa = next(p for p in doc["packages"] if p["package"]["name"] == "itoa")
    itoa["findings"] = [{"severity": "low", "kind": "unmaintained", "id": "X", "message": "x"}]
    assert "itoa" in shown(doc)


def test_sort_worst_first_unscored_last():
    assert shown(assessment(), all=True) == ["rustc-serialize", "atty", "time", "itoa", "nerq-demo"]


def test_human_default_shows_packages_that_need_attention():
    out = nerq.render(assessment(), "human")
    lines = out.splitlines()
    assert lines[0].split() == ["PACKAGE", "VERSION", "SCORE", "GRADE", "VERDICT", "REASON"]
    assert [l.split()[0] for l in lines[1:4]] == ["rustc-serialize", "atty", "time"]
    assert "rustc-serialize (dev)" in lines[1]
    assert "RUSTSEC-2021-0145: Potential unaligned read | on windows (+1 more)" in lines[2]
    assert "... and 2 more packages (1 safe, 1 unknown) with no finding above info (--all lists them)" in out
    assert "itoa" not in out
    assert "5 packages: 1 avoid, 1 warning, 1 caution, 1 safe, 1 unknown" in out
    # the kinds add up to the findings (the fixture's summary predates its "findings" count)
    assert "\n4 findings in 3 packages: 2 vulnerability, 1 unsound, 1 unmaintained\n" in out
    assert "advisory database: /data/advisory-db (1225 advisories, newest 2026-08-21)" in out
    assert not ANSI.search(out)


def test_human_all_and_alignment():
    out = nerq.render(assessment(), "human", all=True)
    rows = out.split("\n\n")[0].splitlines()
    assert len(rows) == 6 and "more packages" not in out
    assert rows[-1].split()[:5] == ["nerq-demo", "0.1.0", "-", "-", "unknown"]
    # SCORE is right-aligned in one column
    col = rows[0].index("SCORE") + len("SCORE")
    assert all(r[col - 1] != " " for r in rows[1:])


def test_human_colours_verdicts():
    out = nerq.render(assessment(), "human", all=True, color=True)
    assert "\x1b[1;31mavoid" in out and "\x1b[32msafe" in out and "\x1b[33mcaution" in out
    assert ANSI.sub("", out) == nerq.render(assessment(), "human", all=True)


def test_markdown():
    out = nerq.render(assessment(), "markdown")
    lines = out.splitlines()
    assert lines[0] == "### nerq: 3 packages of 5 need attention (4 advisories; 1 avoid, 1 warning, 1 caution, 1 safe, 1 unknown)"
    table = [l for l in lines if l.startswith("| `")]
    assert len(table) == 5
    assert table[0].startswith("| `rustc-serialize` (dev) | 0.3.24 | 35.0 | F | 🔴 avoid |")
    assert "[RUSTSEC-2026-0009](https://rustsec.org/advisories/RUSTSEC-2026-0009.html) vulnerability (medium)" in out
    assert "upgrade to 0.3.47" in out
    assert "Potential unaligned read \\| on windows" in out  # pipes cannot break the table
    assert out.count("<details><summary>") == out.count("</details>") == 1 + 4  # the rest folded, then each finding
    assert "<summary>2 other packages (no finding above info)</summary>" in out
    assert "unsafe items" not in out  # informational findings are not listed
    for row in table:
        assert row.count(" | ") - row.count("\\|") >= 4


def test_markdown_all_clean():
    doc = assessment()
    doc["packages"] = [p for p in doc["packages"] if p["verdict"]["level"] == "safe"]
    doc["findings"] = []
    out = nerq.render(doc, "markdown")
    assert out.startswith("### nerq: all 5 packages look fine")
    assert "| Findings |" not in out


def test_sarif_is_valid_and_complete():
    doc = assessment()
    sarif = json.loads(nerq.render(doc, "sarif", base="/work/demo"))
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


def test_sarif_outside_the_workspace_uses_an_absolute_uri():
    doc = assessment()
    doc["project"]["lockfile"] = "/elsewhere/Cargo.lock"
    sarif = json.loads(nerq.render(doc, "sarif", base="/work/demo"))
    assert_valid(sarif)
    loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "file:///elsewhere/Cargo.lock"}


def test_sarif_with_no_findings_is_valid():
    doc = assessment()
    doc["findings"] = []
    assert_valid(json.loads(nerq.render(doc, "sarif")))


def test_crate_report_human_and_markdown():
    report = dict(assessment()["packages"][2], database=assessment()["database"])  # atty, as cargo nerq crate renders it
    out = nerq.render(report, "human")
    assert out.startswith("Is atty safe?\n")
    assert "atty 0.2.14: 50.0/100 (C-)  NO — USE WITH CAUTION  recommendation CAUTION" in out
    assert "What it means: use only with care" in out
    for name in ("security", "maintenance", "popularity", "quality", "community", "transparency", "reliability", "privacy"):
        assert f"  {name}" in out
    assert "RUSTSEC-2024-0375: https://rustsec.org/advisories/RUSTSEC-2024-0375.html (source: https://github.com/softprops/atty/issues/57)" in out
    assert "cargo audit" in out and "methodology" in out
    mdout = nerq.render(report, "markdown")
    assert mdout.startswith("## Is atty safe?")
    assert mdout.count("\n| ") == 9  # header, 8 dimensions
    assert "\nUse only with care" in mdout
