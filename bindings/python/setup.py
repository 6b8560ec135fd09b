"""Builds the nerq wheel: the binding, the self-contained libnerq.so and the `cargo-nerq` command.

The library bundled is, in order:
1. ``nerq/libnerq.so`` when it was copied into the package before the build;
2. ``$NERQ_BUNDLE_LIBRARY`` (``make wheel`` passes the one it just built);
3. in a checkout of the nerq repository, its self-contained build (``.build-static/release``,
   Swift's runtime linked in), built first with ``make static-lib`` when ``swift`` is on PATH
   (incremental: a no-op when it is up to date).
A wheel without a library is refused: it would install a package whose first call fails.

``cargo-nerq`` is a native program (Sources/NerqCLI, the engine linked in, Swift's runtime too):
``$NERQ_BUNDLE_CARGO_NERQ``, else the checkout's ``.build-static/release/cargo-nerq`` (``make
static-lib`` builds both). It is installed as a script, into the environment's ``bin``. (Built from
a copy of bindings/python alone, the package is the binding without the command.)
"""

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from distutils.command.build_scripts import build_scripts as _build_scripts  # setuptools' copy of distutils
from setuptools.command.build_py import build_py as _build_py
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHECKOUT = (ROOT / "Package.swift").is_file() and (ROOT / "exports.map").is_file()
STAGED_COMMAND = HERE / "build" / "bundle" / "cargo-nerq"


def version() -> str:
    """NERQ_VERSION of include/nerq_version.h: the one place the version is kept."""
    for header in (ROOT / "include" / "nerq_version.h", HERE / "nerq" / "nerq_version.h"):
        if header.exists():
            m = re.search(r'#define NERQ_VERSION "([^"]+)"', header.read_text())
            if m:
                return m.group(1)
    raise RuntimeError("include/nerq_version.h not found: build the Python package from the nerq repository")


@functools.lru_cache(maxsize=None)
def library() -> Path:
    """The libnerq.so to bundle, building the checkout's when needed (see the module's text)."""
    staged = HERE / "nerq" / "libnerq.so"
    if staged.is_file():
        return staged
    given = os.environ.get("NERQ_BUNDLE_LIBRARY")
    if given:
        if not Path(given).is_file():
            raise RuntimeError(f"NERQ_BUNDLE_LIBRARY={given}: no such file")
        return Path(given)
    if not CHECKOUT:
        raise RuntimeError("no libnerq.so to bundle: build the package from a nerq checkout (make wheel)")
    built = ROOT / ".build-static" / "release" / "libnerq.so"
    if shutil.which(os.environ.get("SWIFT", "swift")):
        subprocess.run(["make", "-C", str(ROOT), "static-lib"], check=True)
    elif not built.is_file():
        raise RuntimeError("building libnerq.so needs the Swift toolchain (swift on PATH); or install a nerq wheel")
    return built


def command() -> "Path | None":
    """The cargo-nerq program to bundle (built with the library by ``library()``), staged under
    build/ for setuptools' ``scripts``; None when there is none (the binding alone)."""
    given = os.environ.get("NERQ_BUNDLE_CARGO_NERQ")
    built = Path(given) if given else (ROOT / ".build-static" / "release" / "cargo-nerq" if CHECKOUT else None)
    if given and not built.is_file():
        raise RuntimeError(f"NERQ_BUNDLE_CARGO_NERQ={given}: no such file")
    if built is None or not built.is_file():
        return None
    STAGED_COMMAND.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(built, STAGED_COMMAND)
    return STAGED_COMMAND


try:
    from setuptools.command.bdist_wheel import bdist_wheel as _bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel as _bdist_wheel


class BinaryDistribution(Distribution):
    """A wheel holding a native library: platform-specific (never `any`)."""

    def has_ext_modules(self):
        return True


class build_py(_build_py):
    """The package's Python files, plus the library, copied into the build tree (never into
    bindings/python/nerq, where a library would shadow the tree's own build)."""

    def run(self):
        super().run()
        target = Path(self.build_lib) / "nerq"
        lib = library()
        if lib.resolve() != (target / "libnerq.so").resolve():
            shutil.copyfile(lib, target / "libnerq.so")


class build_scripts(_build_scripts):
    """cargo-nerq is a program, not a Python script: copied as it is (distutils reads scripts as
    text, to rewrite a `#!python` line)."""

    def copy_scripts(self):
        self.mkpath(self.build_dir)
        outfiles = []
        for script in self.scripts:
            out = os.path.join(self.build_dir, os.path.basename(script))
            shutil.copy2(script, out)
            os.chmod(out, 0o755)
            outfiles.append(out)
        return outfiles, outfiles


class bdist_wheel(_bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        # ctypes, not a CPython extension: any Python 3, this platform (`linux_x86_64`: the
        # library links the system's libjansson and libsqlite3, and opens libcurl to fetch, so no
        # manylinux claim; `auditwheel show` agrees).
        _, _, plat = super().get_tag()
        return ("py3", "none", plat)


# The library first (building the checkout's builds cargo-nerq too), then the command beside it.
library()
COMMAND = command()
setup(
    version=version(),
    distclass=BinaryDistribution,
    cmdclass={"build_py": build_py, "build_scripts": build_scripts, "bdist_wheel": bdist_wheel},
    scripts=[str(COMMAND.relative_to(HERE))] if COMMAND else [],
)
