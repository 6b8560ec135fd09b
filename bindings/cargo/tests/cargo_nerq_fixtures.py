"""A nerq.assessment built by hand in the shape Sources/NerqEngine/Assess.swift emits, for testing
the formatters without the library (edge cases real data lacks: unscored packages, pipes in text)."""

import copy

WEIGHTS = {"security": 0.25, "maintenance": 0.2, "popularity": 0.1, "quality": 0.15, "community": 0.1,
           "transparency": 0.1, "reliability": 0.05, "privacy": 0.05}
LABELS = {"safe": ("YES — SAFE", "PROCEED"), "caution": ("CAUTION", "CAUTION"),
          "warning": ("NO — USE WITH CAUTION", "CAUTION"), "avoid": ("NO — AVOID", "DENY"),
          "unknown": ("UNKNOWN", "CAUTION")}


def report(name, version, score, grade, level, findings=(), line=None, member=False, dev=False, source="registry"):
    label, rec = LABELS[level]
    dims = []
    for d, w in WEIGHTS.items():
        scored = score is not None and d in ("security", "maintenance", "reliability")
        dims.append({"name": d, "score": score if scored else None, "weight": w, "base": 100 if scored else None,
                     "signals": ([{"signal": "advisories", "value": len(findings), "points": 0.0 if not findings else -50.0,
                                   "reason": "checked against the advisory database"}] if scored else [])})
    r = {"kind": "nerq.report", "version": 1,
         "package": {"ecosystem": "crates.io", "name": name, "version": version},
         "trust_score": score, "grade": grade,
         "verdict": {"level": level, "label": label, "summary": f"{name}@{version} scores {score} ({grade}), {label}."},
         "recommendation": rec, "verified": level == "safe",
         "dimensions": dims, "coverage": 0.5 if score is not None else 0.0, "confidence": "medium",
         "uncapped_score": score, "caps": [], "findings": list(findings), "strongest": None, "weakest": None,
         "methodology": {"version": "1", "weights": WEIGHTS}, "signals": {"now": "2026-11-21T00:00:00Z"},
         "source": {"kind": source}, "workspace_member": member, "dev_only": dev}
    if source == "registry":
        r["source"]["url"] = "registry+https://github.com/rust-lang/crates.io-index"
    if line is not None:
        r["lockfile_line"] = line
    return r


def finding(id_, kind, severity, title, upgrade_to=None, url=None):
    f = {"severity": severity, "kind": kind, "id": id_, "message": f"{id_}: {title}", "title": title,
         "aliases": [], "patched": [">= 9.0.0"] if upgrade_to else []}
    if upgrade_to:
        f["upgrade_to"] = upgrade_to
        f["message"] += f"; upgrade to {upgrade_to} or later"
    if url:
        f["url"] = url
    return f


def assessment():
    time_vuln = finding("RUSTSEC-2026-0009", "vulnerability", "medium", "Denial of Service via Stack Exhaustion",
                        upgrade_to="0.3.47", url="https://github.com/time-rs/time/blob/main/CHANGELOG.md")
    atty_unm = finding("RUSTSEC-2024-0375", "unmaintained", "low", "`atty` is unmaintained",
                       url="https://github.com/softprops/atty/issues/57")
    atty_uns = finding("RUSTSEC-2021-0145", "unsound", "medium", "Potential unaligned read | on windows")
    pkgs = [
        report("itoa", "1.0.1", 100.0, "A+", "safe", [{"severity": "info", "kind": "unsafe_code",
                                                         "message": "5 unsafe items in the crate's source"}], line=30),
        report("time", "0.3.9", 59.0, "C", "caution", [time_vuln], line=70),
        report("atty", "0.2.14", 50.0, "C-", "warning", [atty_uns, atty_unm], line=12),
        report("nerq-demo", "0.1.0", None, None, "unknown", member=True, source="path"),
        report("rustc-serialize", "0.3.24", 35.0, "F", "avoid",
               [finding("RUSTSEC-2022-0004", "vulnerability", "high", "Stack overflow in rustc_serialize", "0.3.25")],
               line=60, dev=True),
    ]
    top = []
    for p in pkgs:
        for f in p["findings"]:
            if "id" not in f or f["kind"] in ("capability", "unsafe_code"):
                continue  # the top-level list holds advisory findings only
            t = {"id": f["id"], "kind": f["kind"], "severity": f["severity"], "package": p["package"]["name"],
                 "version": p["package"]["version"], "message": f["message"]}
            if "upgrade_to" in f:
                t["upgrade_to"] = f["upgrade_to"]
            t["paths"] = [["nerq-demo 0.1.0", f"{p['package']['name']} {p['package']['version']}"]]
            top.append(t)
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4, "none": 5}
    top.sort(key=lambda t: (rank[t["severity"]], t["id"], t["package"], t["version"]))
    return copy.deepcopy({
        "kind": "nerq.assessment", "version": 1, "now": "2026-11-21T00:00:00Z",
        "project": {"lockfile": "/work/demo/Cargo.lock", "lockfile_format": 4, "metadata": True,
                    "workspace_root": "/work/demo", "workspace_members": ["nerq-demo 0.1.0"], "packages": 5},
        "database": {"path": "/data/advisory-db", "advisories": 1225, "newest": "2026-08-21", "error_count": 0,
                     "errors": []},
        "options": {"include_dev": True, "target_os": None, "target_arch": None, "ignore": []},
        "summary": {"packages": 5, "skipped_dev_only": 0, "by_source": {"registry": 4, "git": 0, "path": 1},
                    "by_grade": {"A+": 1, "C": 1, "C-": 1, "F": 1, "none": 1},
                    "by_verdict": {"safe": 1, "caution": 1, "warning": 1, "avoid": 1, "unknown": 1},
                    "by_finding_kind": {"malicious": 0, "vulnerability": 2, "unsound": 1, "unmaintained": 1,
                                        "yanked": 0, "notice": 0},
                    "advisories": 4, "affected_packages": 3, "verified": 1, "worst": []},
        "findings": top,
        "packages": pkgs,
        "issues": [],
        "notes": [],
    })
