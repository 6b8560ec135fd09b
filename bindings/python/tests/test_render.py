"""nerq.render (nerq_render_str through ctypes): every format, text and mapping input, options, errors."""

import json

import pytest

import nerq
from nerq_py_support import NOW, REPO_ROOT

SIGNALS = json.loads((REPO_ROOT / "examples" / "signals" / "nix-0.22.1.json").read_text())


@pytest.fixture(scope="module")
def report_text():
    with nerq.Engine(now=NOW) as engine:
        return engine.call("score", SIGNALS)


@pytest.mark.parametrize("fmt", nerq.FORMATS)
def test_every_format_from_text_and_from_a_mapping(report_text, fmt):
    from_text = nerq.render(report_text, fmt)
    from_bytes = nerq.render(report_text.decode(), fmt)
    from_dict = nerq.render(json.loads(report_text), fmt)
    assert from_text == from_bytes == from_dict
    assert isinstance(from_text, str) and from_text.endswith("\n")


def test_formats_say_what_they_are(report_text):
    assert nerq.render(report_text).startswith("Is nix safe?\n")
    assert nerq.render(report_text, "markdown").startswith("## Is nix safe?")
    sarif = json.loads(nerq.render(report_text, "sarif"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"] == "nerq"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["nerq/vulnerability"]
    page = nerq.render(report_text, "html")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "Is nix safe?" in page
    assert json.loads(nerq.render(report_text, "json")) == json.loads(report_text)


def test_options(report_text):
    plain = nerq.render(report_text, "human")
    assert "\x1b[" not in plain
    coloured = nerq.render(report_text, "human", color=True)
    assert "\x1b[" in coloured
    narrow = nerq.render(report_text, "human", width=40)
    assert max(len(line) for line in narrow.splitlines()) <= 40
    assert nerq.Engine.render(report_text, "human", width=40) == narrow


def test_errors_name_the_argument(report_text):
    with pytest.raises(nerq.NerqError) as e:
        nerq.render(report_text, "pdf")
    assert e.value.code == "invalid_value" and e.value.path == "$.options.format"
    with pytest.raises(nerq.NerqError) as e:
        nerq.render(report_text, width=3)
    assert e.value.path == "$.options.width"
    with pytest.raises(nerq.NerqError) as e:
        nerq.render({"kind": "nerq.signals"})
    assert e.value.code == "unsupported_version" and e.value.path == "$.document.kind"
    with pytest.raises(nerq.NerqError) as e:
        nerq.render(b"{not json")
    assert e.value.code == "invalid_json" and e.value.path == "$.document"
    with pytest.raises(nerq.NerqError) as e:
        nerq.render({"kind": "nerq.report", "package": {"name": "x"}, "dimensions": {}})
    assert e.value.code == "invalid_type" and e.value.path == "$.document.dimensions"
