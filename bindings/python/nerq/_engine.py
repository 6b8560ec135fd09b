"""The Pythonic surface over the C API: Engine, NerqError, version()."""

from __future__ import annotations

import ctypes
import datetime as _dt
import json
import os
import queue
import signal
import threading
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, TypeVar, Union

from . import _ffi

JSONObject = Dict[str, Any]
Request = Union[Mapping[str, Any], str, bytes]
PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["Engine", "NerqError", "fetch", "version", "abi_version", "render", "FORMATS"]

#: The formats :func:`render` writes.
FORMATS = ("human", "markdown", "sarif", "html", "json")
Document = Union[Mapping[str, Any], str, bytes]


class NerqError(Exception):
    """An ``{"error": {...}}`` document from libnerq, as an exception.

    ``code`` is one of the stable snake_case codes of include/nerq.h (``invalid_type``,
    ``not_found``, ...), ``message`` says what is wrong, ``path`` names the JSON path in the request
    (``$.package.name``), a file location, or is None.
    """

    def __init__(self, code: str, message: str, path: Optional[str] = None) -> None:
        super().__init__(code, message, path)
        self.code = code
        self.message = message
        self.path = path

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        return f"{self.code}: {self.message}{where}"

    @classmethod
    def _from_document(cls, doc: Mapping[str, Any]) -> "NerqError":
        err = doc.get("error")
        if not isinstance(err, Mapping):
            return cls("internal_error", f"malformed error document: {doc!r}")
        return cls(str(err.get("code", "internal_error")), str(err.get("message", "")), err.get("path"))


def version() -> str:
    """The loaded library's version, ``"MAJOR.MINOR.PATCH"``."""
    raw = _ffi.lib().nerq_version()
    return raw.decode("utf-8") if raw else ""


def abi_version() -> int:
    """The loaded library's ABI version (equal to :data:`nerq.ABI_VERSION`, or it would not load)."""
    return int(_ffi.lib().nerq_abi_version())


def fetch(
    request: Optional[Request] = None,
    *,
    sources: Union[Mapping[str, Any], Sequence[str], None] = None,
    packages: Optional[Sequence[str]] = None,
    lockfile: Optional[PathLike] = None,
    **fields: Any,
) -> JSONObject:
    """Fetches data onto disk through ``nerq_fetch`` (no engine needed) and returns the
    ``nerq.fetch`` document: per source its url, path, status (fetched, not_modified, up_to_date,
    offline, failed), error, bytes, duration and freshness.

    ``request`` is a whole ``nerq.fetch_request`` (mapping or JSON text); or give its fields as
    keywords: ``sources`` (a mapping, or a list of names: "advisory_db", "osv", "index", "dump"),
    ``packages``/``lockfile`` (the crates.io packages to fetch index files for; they imply
    "index"), ``offline``, ``update`` ("always" or "missing"), ``cache_dir``, ``advisory_db``,
    ``advisory_db_url``, ``osv_url``, ``index_url``, ``db_dump_url``, ``network``, ``max_bytes``,
    ``progress``. A source that fails is a ``failed`` entry of the document, not an exception;
    a malformed request raises :class:`NerqError`."""
    if request is not None and (sources is not None or packages is not None or lockfile is not None or fields):
        raise ValueError("give either a whole request or keyword fields, not both")
    if request is None:
        req: JSONObject = dict(fields)
        chosen: Dict[str, Any]
        if sources is None:
            chosen = {}
        elif isinstance(sources, Mapping):
            chosen = {k: dict(v) for k, v in sources.items()}
        else:
            chosen = {name: {} for name in sources}
        if packages is not None or lockfile is not None:
            index = chosen.setdefault("index", {})
            if packages is not None:
                index["packages"] = list(packages)
            if lockfile is not None:
                index["lockfile"] = _path("lockfile", lockfile)
        if chosen:
            req["sources"] = chosen
        request = req
    _check("request", request, (Mapping, str, bytes), "a mapping, or JSON text as str or bytes")
    data = _encode(request)
    # Downloads take long: run so that Ctrl-C interrupts the wait (see _Worker).
    return _decode(_interruptible(lambda: _ffi.take_string(_ffi.lib().nerq_fetch_str(data))))


def render(
    document: Document,
    format: str = "human",
    *,
    color: Optional[bool] = None,
    width: Optional[int] = None,
    all: Optional[bool] = None,
    evidence: Optional[bool] = None,
    base: Optional[PathLike] = None,
    tree: Optional[bool] = None,
) -> str:
    """Renders a document nerq emitted (``nerq.report``, ``nerq.assessment`` or ``nerq.preflight``)
    with libnerq's ``nerq_render_str``, and returns the text.

    ``document`` is the document as a mapping, or as the JSON text (str or bytes) a call returned:
    text is passed to the library as is, so a large assessment is never decoded in Python only to
    be rendered. ``format``: ``"human"`` (terminal text), ``"markdown"`` (a pull-request comment),
    ``"sarif"`` (SARIF 2.1.0), ``"html"`` (one self-contained page with charts) or ``"json"``.
    ``color``: ANSI colours (human). ``width``: no line wider than this (human; 20 to 10000).
    ``all``: every package of a project (human). ``evidence``: list file:line evidence (default:
    on a crate's HTML page only). ``base``: the directory SARIF locations are relative to (absolute;
    default: the workspace root). ``tree``: each finding's inverted dependency tree (human,
    markdown; the assessment needs ``tree=True`` among its options). Options left as None are not
    sent (the library's defaults). A wrong type raises :class:`TypeError` naming the argument.

    Every value from the document is escaped for the format (no terminal escape sequence, HTML, link
    or workflow command can come from a crate name or an advisory). Raises :class:`NerqError` for a
    bad document or option (``path`` names ``$.document...`` or ``$.options...``).
    """
    _check("document", document, (Mapping, str, bytes), "a mapping, or JSON text as str or bytes")
    _check("format", format, str, "a str")
    options: Dict[str, Any] = {"format": format}
    for key, value in (("color", color), ("all", all), ("evidence", evidence), ("tree", tree)):
        if value is not None:
            _check(key, value, bool, "True or False")
            options[key] = value
    if width is not None:
        _check("width", width, int, "an int", no_bool=True)
        options["width"] = width
    if base is not None:
        options["base"] = _path("base", base)
    data = _encode(document)
    opts = _encode(options)

    def call() -> bytes:
        lib = _ffi.lib()
        err = ctypes.c_void_p()
        out = lib.nerq_render_str(data, opts, ctypes.byref(err))
        if not out:
            if not err.value:
                raise MemoryError("nerq_render_str failed without an error document (out of memory)")
            raise NerqError._from_document(json.loads(_ffi.take_string(err.value)))
        return _ffi.take_string(out)

    return _interruptible(call).decode("utf-8")


T = TypeVar("T")


def _check(name: str, value: Any, types: Any, what: str, no_bool: bool = False) -> None:
    """A clear TypeError naming the argument, instead of whatever ctypes or json would say."""
    if not isinstance(value, types) or (no_bool and isinstance(value, bool)):
        raise TypeError(f"{name} must be {what}, not {type(value).__name__}")


def _path(name: str, value: Any) -> str:
    """A path argument (str or os.PathLike giving a str)."""
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), not {type(value).__name__}")
    path = os.fspath(value)
    if not isinstance(path, str):
        raise TypeError(f"{name} must be a path that gives a str, not {type(path).__name__}")
    return path


class _Worker:
    """One daemon thread that runs library calls for the main thread.

    A ctypes call keeps its thread in C until it returns, and Python runs signal handlers only on
    the main thread between bytecodes: a long nerq_assess called on the main thread would hold
    off Ctrl-C until it ended. Run on this thread instead, the call leaves the main thread waiting
    on an Event, which a signal interrupts: KeyboardInterrupt reaches the caller at once. The
    abandoned call runs to its end here (C cannot be stopped half way), frees what it allocated,
    and this worker is replaced so later calls do not queue behind it.
    """

    def __init__(self) -> None:
        self._jobs: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="nerq-call", daemon=True).start()

    def _loop(self) -> None:
        # The kernel hands a process signal to any thread that does not block it. Blocked here (and
        # so in every thread the library starts from here), Ctrl-C always reaches the main thread,
        # where Python handles it, and never interrupts a system call inside the library.
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, box, done = job
            try:
                box["value"] = fn()
            except BaseException as e:  # handed to the caller as is
                box["error"] = e
            finally:
                done.set()

    def run(self, fn: Callable[[], T]) -> T:
        box: Dict[str, Any] = {}
        done = threading.Event()
        self._jobs.put((fn, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def retire(self) -> None:
        self._jobs.put(None)  # ends the loop once the abandoned call is done


_worker_lock = threading.Lock()
_worker: Optional[_Worker] = None


def _interruptible(fn: Callable[[], T]) -> T:
    """Runs `fn` (a library call) so that Ctrl-C interrupts the wait for it: on the worker thread
    when called from the main thread (the only one Python delivers signals to), else directly."""
    global _worker
    if threading.current_thread() is not threading.main_thread():
        return fn()
    with _worker_lock:
        if _worker is None:
            _worker = _Worker()
        worker = _worker
    try:
        return worker.run(fn)
    except KeyboardInterrupt:
        with _worker_lock:
            if _worker is worker:
                _worker = None
        worker.retire()
        raise


def _encode(request: Request) -> bytes:
    """A request as the NUL-free UTF-8 JSON text the *_str functions take."""
    if isinstance(request, bytes):
        data = request
    elif isinstance(request, str):
        data = request.encode("utf-8")
    else:
        data = json.dumps(request, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if b"\0" in data:
        # A C string ends at the first NUL; what follows would be silently dropped.
        raise NerqError("invalid_json", "request text contains a NUL byte", None)
    return data


def _is_error(text: bytes) -> bool:
    # The library writes compact JSON with "kind" first; only error documents start like this.
    return text.startswith(b'{"error"')


def _decode(text: bytes) -> JSONObject:
    doc = json.loads(text)
    if isinstance(doc, dict) and "error" in doc and "kind" not in doc:
        raise NerqError._from_document(doc)
    return doc


def _timestamp(now: Union[str, _dt.datetime, None]) -> Optional[str]:
    """RFC 3339 in UTC. Written field by field: strftime's %Y does not pad years before 1000 on
    glibc ("999-01-01"), which the library rightly refuses; "0999-01-01T00:00:00Z" is the date."""
    if now is None or isinstance(now, str):
        return now
    if not isinstance(now, _dt.datetime):
        raise TypeError(f"now must be an RFC 3339 str or a timezone-aware datetime, not {type(now).__name__}")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.timezone.utc)")
    u = now.astimezone(_dt.timezone.utc)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


class Engine:
    """A nerq engine: loaded data (the advisory database) and a scoring policy.

    ``Engine(advisory_db=None, now=None, policy=None, **config)`` builds the engine configuration of
    include/nerq.h (``advisory_db``: a RustSec advisory-db directory, default ``$NERQ_ADVISORY_DB``
    then ``~/.cargo/advisory-db``; ``now``: the moment reports speak of, an RFC 3339 string or an
    aware datetime, default the clock at each call; ``policy``: weights, caps, thresholds, ignore;
    any other key is passed as is, and unknown keys are an error). Raises :class:`NerqError`.

    One engine may be shared by any number of threads: the engine is immutable and the C API is
    thread-safe, so no lock is held around calls. :meth:`close` (or leaving a ``with`` block)
    frees it; a close while calls are running waits for them by deferring the free to the last one.
    """

    def __init__(
        self,
        advisory_db: Optional[PathLike] = None,
        now: Union[str, _dt.datetime, None] = None,
        policy: Optional[Mapping[str, Any]] = None,
        **config: Any,
    ) -> None:
        self._handle: Optional[int] = None
        self._state = threading.Lock()  # guards _handle/_busy/_closing only, never held across a C call
        self._busy = 0
        self._closing = False
        cfg: Dict[str, Any] = {}
        if advisory_db is not None:
            cfg["advisory_db"] = _path("advisory_db", advisory_db)
        if now is not None:
            cfg["now"] = _timestamp(now)
        if policy is not None:
            _check("policy", policy, Mapping, "a mapping (weights, caps, thresholds, ignore)")
            cfg["policy"] = policy
        cfg.update(config)
        text = _encode(cfg) if cfg else None

        def create() -> int:
            lib = _ffi.lib()
            err = ctypes.c_void_p()
            handle = lib.nerq_engine_new_str(text, ctypes.byref(err))
            if not handle:
                if not err.value:
                    raise MemoryError("nerq_engine_new_str failed without an error document (out of memory)")
                raise NerqError._from_document(json.loads(_ffi.take_string(err.value)))
            return handle

        self._handle = _interruptible(create)

    # -- lifetime ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the engine. Safe to call twice; calls made after it raise ValueError."""
        state = getattr(self, "_state", None)
        if state is None:  # __init__ failed before the engine existed
            return
        with state:
            if self._handle is None or self._closing:
                return
            self._closing = True
            if self._busy:
                return  # the last running call frees it
            handle, self._handle = self._handle, None
        _ffi.lib().nerq_engine_free(handle)

    @property
    def closed(self) -> bool:
        return getattr(self, "_handle", None) is None or self._closing

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules may already be gone
            pass

    def __repr__(self) -> str:
        return f"<nerq.Engine {'closed' if self.closed else 'open'}>"

    # -- calls ------------------------------------------------------------------------------------

    def call(self, function: str, request: Request) -> bytes:
        """Runs ``nerq_<function>_str`` (function: "score", "assess" or "preflight") on a request
        (a mapping, or JSON text as str/bytes) and returns the library's JSON text as is.
        Raises :class:`NerqError` when the library answers with an error document."""
        _check("function", function, str, "a str")
        if function not in ("score", "assess", "preflight"):
            raise ValueError(f"unknown function {function!r} (score, assess or preflight)")
        _check("request", request, (Mapping, str, bytes), "a mapping, or JSON text as str or bytes")
        data = _encode(request)
        lib = _ffi.lib()
        fn = getattr(lib, f"nerq_{function}_str")
        with self._state:
            if self._handle is None or self._closing:
                raise ValueError("the engine is closed")
            handle = self._handle
            self._busy += 1

        def call() -> bytes:
            # Runs to its end even when the caller was interrupted: the result is freed and the
            # engine, if closed meanwhile, is freed by this last call (never while in use).
            try:
                return _ffi.take_string(fn(handle, data))
            finally:
                free = None
                with self._state:
                    self._busy -= 1
                    if self._closing and self._busy == 0 and self._handle is not None:
                        free, self._handle = self._handle, None
                if free is not None:
                    lib.nerq_engine_free(free)

        text = _interruptible(call)
        if _is_error(text):
            _decode(text)  # raises
        return text

    def score(self, signals: Request) -> JSONObject:
        """Scores one package: a ``nerq.signals`` document in, a ``nerq.report`` out."""
        _check("signals", signals, (Mapping, str, bytes), "a mapping, or JSON text as str or bytes")
        return _decode(self.call("score", signals))

    def assess(
        self,
        lockfile: Optional[PathLike] = None,
        lockfile_text: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        metadata_path: Optional[PathLike] = None,
        **options: Any,
    ) -> JSONObject:
        """Assesses a project: a Cargo.lock (path or text) and/or ``cargo metadata`` (object or
        file) in, a ``nerq.assessment`` out. ``options``: include_dev, target_os, target_arch,
        ignore, ignores, max_paths, scan_sources, vendor_dirs, reports ("all" or "flagged"),
        config_files, gates, baseline, tree, progress (include/nerq.h, nerq_assess)."""
        return _decode(self.call("assess", self.assess_request(lockfile, lockfile_text, metadata, metadata_path, **options)))

    @staticmethod
    def assess_request(
        lockfile: Optional[PathLike] = None,
        lockfile_text: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        metadata_path: Optional[PathLike] = None,
        **options: Any,
    ) -> JSONObject:
        """The nerq_assess request :meth:`assess` sends (for :meth:`call`)."""
        request: JSONObject = {}
        if lockfile is not None:
            request["lockfile"] = _path("lockfile", lockfile)
        if lockfile_text is not None:
            _check("lockfile_text", lockfile_text, str, "a str (the Cargo.lock text)")
            request["lockfile_text"] = lockfile_text
        if metadata is not None:
            _check("metadata", metadata, Mapping, "a mapping (the `cargo metadata` object)")
            request["metadata"] = metadata
        if metadata_path is not None:
            request["metadata_path"] = _path("metadata_path", metadata_path)
        if options:
            request["options"] = options
        return request

    @staticmethod
    def render(document: Document, format: str = "human", **options: Any) -> str:
        """:func:`nerq.render` (rendering needs no engine; here for convenience)."""
        return render(document, format, **options)

    def preflight(self, target: str, **signals: Any) -> JSONObject:
        """Preflight check of one dependency (``"nix@0.26.1"`` or a bare name), optionally with
        signal groups as in :meth:`score`; a ``nerq.preflight`` out."""
        _check("target", target, str, 'a str such as "nix@0.26.1"')
        request: JSONObject = {"target": target}
        request.update(signals)
        return _decode(self.call("preflight", request))
