"""Loading libnerq.so and declaring its C API (one table), once, lazily.

Where the library is looked for, in order:

1. ``$NERQ_LIBRARY`` when it is set: an explicit override, so it is the only path tried;
2. ``libnerq.so`` bundled in this package (copied in when the package was built);
3. the source tree's ``.build/release/libnerq.so`` (``make build``), when this package is run
   from a checkout (``bindings/python/nerq`` -> ``../../..``).

A library whose ``nerq_abi_version()`` differs from :data:`ABI_VERSION` is refused.
"""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

#: The NERQ_ABI_VERSION of include/nerq.h this binding was written against.
ABI_VERSION = 1

_c_void_p = ctypes.c_void_p
_c_char_p = ctypes.c_char_p

# Every function of include/nerq.h: (name, argtypes, restype). Returned `char *` that nerq allocates
# is c_void_p (so ctypes does not copy and lose the pointer we must nerq_free); json_t * is opaque.
# nerq_version returns static storage that is never freed, so c_char_p is right there.
FUNCTIONS: Tuple[Tuple[str, Sequence[type], Optional[type]], ...] = (
    ("nerq_version", (), _c_char_p),
    ("nerq_abi_version", (), ctypes.c_int),
    ("nerq_engine_new", (_c_void_p, ctypes.POINTER(_c_void_p)), _c_void_p),
    ("nerq_engine_new_str", (_c_char_p, ctypes.POINTER(_c_void_p)), _c_void_p),
    ("nerq_engine_free", (_c_void_p,), None),
    ("nerq_score", (_c_void_p, _c_void_p), _c_void_p),
    ("nerq_assess", (_c_void_p, _c_void_p), _c_void_p),
    ("nerq_preflight", (_c_void_p, _c_void_p), _c_void_p),
    ("nerq_score_str", (_c_void_p, _c_char_p), _c_void_p),
    ("nerq_assess_str", (_c_void_p, _c_char_p), _c_void_p),
    ("nerq_preflight_str", (_c_void_p, _c_char_p), _c_void_p),
    ("nerq_fetch", (_c_void_p,), _c_void_p),
    ("nerq_fetch_str", (_c_char_p,), _c_void_p),
    ("nerq_render", (_c_void_p, _c_void_p, ctypes.POINTER(_c_void_p)), _c_void_p),
    ("nerq_render_str", (_c_char_p, _c_char_p, ctypes.POINTER(_c_void_p)), _c_void_p),
    ("nerq_free", (_c_void_p,), None),
)

_PACKAGE_DIR = Path(__file__).resolve().parent
_LIB_NAME = "libnerq.so"

_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None
_path: Optional[str] = None


def candidates() -> List[Tuple[str, str]]:
    """The (path, where it comes from) pairs tried, in order."""
    env = os.environ.get("NERQ_LIBRARY")
    if env:
        return [(env, "$NERQ_LIBRARY")]
    return [
        (str(_PACKAGE_DIR / _LIB_NAME), "bundled with the package"),
        (str(_PACKAGE_DIR.parents[2] / ".build" / "release" / _LIB_NAME), "source tree build (make build)"),
    ]


def _open(path: str) -> ctypes.CDLL:
    lib = ctypes.CDLL(path)
    for name, argtypes, restype in FUNCTIONS:
        fn = getattr(lib, name)  # AttributeError: not a nerq library (or an incomplete one)
        fn.argtypes = list(argtypes)
        fn.restype = restype
    abi = lib.nerq_abi_version()
    if abi != ABI_VERSION:
        raise ImportError(
            f"{path}: libnerq ABI version {abi} does not match this binding's ABI version {ABI_VERSION}"
            " (rebuild the library or install the matching nerq package)"
        )
    return lib


def lib() -> ctypes.CDLL:
    """The loaded library (loaded on first use; thread-safe)."""
    global _lib, _path
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried: List[str] = []
        for path, origin in candidates():
            if not os.path.exists(path):
                tried.append(f"  {path} ({origin}): not found")
                continue
            try:
                loaded = _open(path)
            except (OSError, AttributeError) as e:
                tried.append(f"  {path} ({origin}): {e}")
                continue
            _lib, _path = loaded, path
            return loaded
        hint = (
            "NERQ_LIBRARY is set, so no other location was tried"
            if os.environ.get("NERQ_LIBRARY")
            else "build it with `make build`, or set NERQ_LIBRARY to a libnerq.so"
        )
        raise ImportError("cannot load libnerq.so; tried:\n" + "\n".join(tried) + f"\n{hint}")


def library_path() -> str:
    """The path libnerq.so was loaded from (loads it if needed)."""
    lib()
    assert _path is not None
    return _path


def take_string(ptr: Optional[int]) -> bytes:
    """Copies a `char *` nerq returned and frees it with nerq_free (always, even if copying fails)."""
    if not ptr:
        raise MemoryError("libnerq returned NULL (out of memory)")
    try:
        return ctypes.string_at(ptr)
    finally:
        lib().nerq_free(ptr)
