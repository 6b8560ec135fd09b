"""Marks the wheel platform-specific when it bundles libnerq.so (a ctypes library, so any Python 3)."""

import re
from pathlib import Path

from setuptools import setup
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
BUNDLED = (HERE / "nerq" / "libnerq.so").exists()


def version() -> str:
    """NERQ_VERSION of include/nerq_version.h: the one place the version is kept."""
    for header in (HERE.parents[1] / "include" / "nerq_version.h", HERE / "nerq" / "nerq_version.h"):
        if header.exists():
            m = re.search(r'#define NERQ_VERSION "([^"]+)"', header.read_text())
            if m:
                return m.group(1)
    raise RuntimeError("include/nerq_version.h not found: build the Python package from the nerq repository")

try:
    from setuptools.command.bdist_wheel import bdist_wheel as _bdist_wheel
except ImportError:  # setuptools < 70.1
    try:
        from wheel.bdist_wheel import bdist_wheel as _bdist_wheel
    except ImportError:
        _bdist_wheel = None


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return BUNDLED


cmdclass = {}
if _bdist_wheel is not None:

    class bdist_wheel(_bdist_wheel):
        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = not BUNDLED

        def get_tag(self):
            python, abi, plat = super().get_tag()
            return ("py3", "none", plat) if BUNDLED else (python, abi, plat)

    cmdclass["bdist_wheel"] = bdist_wheel

setup(version=version(), distclass=BinaryDistribution, cmdclass=cmdclass)
