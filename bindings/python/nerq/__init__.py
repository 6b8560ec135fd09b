"""nerq: trust scores for Rust crates (and other open-source packages), from Python.

A thin ctypes binding over libnerq.so's C API (include/nerq.h): JSON documents in, JSON
documents out, errors as :class:`NerqError`. No scoring logic lives here.

    import nerq
    with nerq.Engine(advisory_db="~/.cargo/advisory-db") as engine:
        report = engine.score({"package": {"name": "nix", "version": "0.22.1"}})
        assessment = engine.assess(lockfile="Cargo.lock")
        answer = engine.preflight("nix@0.26.1")
    print(nerq.render(report, "human", width=100))
    open("report.html", "w").write(nerq.render(assessment, "html"))
    fetched = nerq.fetch(sources=["advisory_db", "osv"], lockfile="Cargo.lock")

The library is loaded on first use: ``$NERQ_LIBRARY`` if set, else the ``libnerq.so`` bundled in
this package, else the source tree's ``.build/release/libnerq.so``.
"""

from ._engine import FORMATS, Engine, NerqError, abi_version, fetch, render, version
from ._ffi import ABI_VERSION, library_path

__all__ = ["ABI_VERSION", "FORMATS", "Engine", "NerqError", "abi_version", "fetch", "library_path", "render", "version"]


def _package_version() -> str:
    """The installed package's version (it is the library's, from include/nerq_version.h); in a
    source tree that was not installed, the header's."""
    try:
        from importlib.metadata import PackageNotFoundError, version as _v
        return _v("nerq")
    except Exception:  # not installed (PackageNotFoundError), or no metadata
        import re
        from pathlib import Path
        header = Path(__file__).resolve().parents[3] / "include" / "nerq_version.h"
        m = re.search(r'#define NERQ_VERSION "([^"]+)"', header.read_text()) if header.exists() else None
        return m.group(1) if m else "unknown"


__version__ = _package_version()
