#!/usr/bin/env python3
"""The local server nerq's fetch tests download from (127.0.0.1 only; no test needs the internet).

It serves a site built from real data:
  git/advisory-db.git   a bare git repository of ../shared/data/advisory-db (git's dumb HTTP
                        protocol: `git update-server-info` after every commit), also cloned by path
  advisory-db.tar.gz    the same tree as GitHub's tarball lays it out (advisory-db-main/...)
  osv/rustsec.zip       ../shared/data/advisory-db-osv/crates/*.json in OSV.dev's export layout
                        (flat <ID>.json entries, sorted by id, deflate)
  osv/crates.io/all.zip the same plus the GHSA and MAL records of Tests/fixtures/fetch/osv (OSV.dev's
                        crates.io export holds RUSTSEC-, GHSA- and MAL- records)
  index/                the real sparse-index files of Tests/fixtures/fetch/sparse-index
  dump/db-dump.tar.gz   a crates.io database dump made by tools/gen_crates_dump.py
  evil/*                archives that try to write outside their folder (../, absolute, symlink)

Static files get a strong ETag (sha256) and Last-Modified, and a 304 to If-None-Match /
If-Modified-Since. A path prefix asks for a failure instead:
  /fail-N/TOKEN/...      HTTP 500 for the first N requests of this exact path, then the file
  /truncate/...          announces the full length, sends half, closes the connection
  /stall/...             sends the headers and a few bytes, then nothing (until the client leaves)
  /slow/...              sends the body in 8 KiB pieces, 50 ms apart (~160 KiB/s)
  /status-NNN/...        answers HTTP NNN
  /no-validators/...     the file without ETag and Last-Modified
  /redirect-http/...     302 to a plain-http URL on another host
  /__log                 every request so far (path and the headers a fetcher sends), as JSON

Usage: fetch_server.py --site DIR --shared ../shared/data [--build]   prints "READY <port>"
Python tests import it: build_site(...), start(site) -> (server, port), advance_git(site).
"""

import argparse
import email.utils
import hashlib
import http.server
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "Tests" / "fixtures" / "fetch"
# A fixed identity and date: the repository's commit ids are the same in every run.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "RustSec", "GIT_AUTHOR_EMAIL": "rustsec@example.invalid",
    "GIT_COMMITTER_NAME": "RustSec", "GIT_COMMITTER_EMAIL": "rustsec@example.invalid",
    "GIT_AUTHOR_DATE": "2026-08-21T08:28:40+02:00", "GIT_COMMITTER_DATE": "2026-08-21T08:28:40+02:00",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "GIT_TERMINAL_PROMPT": "0",
}


def git(*args, cwd=None, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV)
    env.update(env_extra or {})
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _tree_files(root):
    """Files of the advisory-db snapshot that belong in the repository (not SNAPSHOT.md)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if rel != "SNAPSHOT.md":
                yield rel


def build_site(site, shared):
    """Builds the served tree in `site` from `shared` (../shared/data). Returns timings in seconds."""
    site, shared = Path(site), Path(shared)
    timings = {}
    site.mkdir(parents=True, exist_ok=True)
    db = shared / "advisory-db"
    t = time.monotonic()
    work = site / "work" / "advisory-db"
    work.mkdir(parents=True)
    for rel in _tree_files(db):
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db / rel, work / rel)
    git("init", "-q", "-b", "main", str(work))
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "advisory-db snapshot bf5c0d24", cwd=work)
    (site / "git").mkdir()
    git("clone", "-q", "--bare", "--no-local", str(work), str(site / "git" / "advisory-db.git"))
    # One pack, as a hosted repository serves it (dumb HTTP would otherwise GET every loose object).
    git("repack", "-a", "-d", "-q", cwd=site / "git" / "advisory-db.git")
    git("update-server-info", cwd=site / "git" / "advisory-db.git")
    timings["git"] = time.monotonic() - t

    t = time.monotonic()
    with tarfile.open(site / "advisory-db.tar.gz", "w:gz", format=tarfile.PAX_FORMAT) as tar:
        tar.add(work / "crates", arcname="advisory-db-main/crates", filter=_clean)
        tar.add(work / "rust", arcname="advisory-db-main/rust", filter=_clean)
        tar.add(work / "README.md", arcname="advisory-db-main/README.md", filter=_clean)
    timings["tarball"] = time.monotonic() - t

    t = time.monotonic()
    (site / "osv" / "crates.io").mkdir(parents=True)
    export = sorted((shared / "advisory-db-osv" / "crates").glob("*.json"))
    extra = sorted(FIXTURES.joinpath("osv").glob("*.json"))
    _osv_zip(site / "osv" / "rustsec.zip", export)
    _osv_zip(site / "osv" / "crates.io" / "all.zip", export + extra)
    timings["osv"] = time.monotonic() - t

    shutil.copytree(FIXTURES / "sparse-index", site / "index")
    (site / "index" / "SOURCES.md").unlink()

    t = time.monotonic()
    dump_dir = site / "dump"
    dump_dir.mkdir()
    subprocess.run([sys.executable, str(REPO / "tools" / "gen_crates_dump.py"), "--out", str(dump_dir / "tree"), "--seed", "5",
                    "--size", "small", "--tarball", str(dump_dir / "db-dump.tar.gz")], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(dump_dir / "tree")
    timings["dump"] = time.monotonic() - t

    _evil(site / "evil")
    return timings


def _clean(info):
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = 1787300920  # 2026-08-21
    return info


def _osv_zip(path, files):
    """OSV.dev's exporter layout: flat <ID>.json, sorted by id, deflate, compact JSON."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for f in sorted(files, key=lambda p: p.name):
            record = json.loads(f.read_text())
            info = zipfile.ZipInfo(f.name, date_time=(2026, 8, 21, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, json.dumps(record, separators=(",", ":")))


def _evil(folder):
    """Archives that must be refused whole."""
    folder.mkdir()
    record = b'{"id":"GHSA-evil","affected":[]}'
    with tarfile.open(folder / "dotdot.tar.gz", "w:gz") as tar:
        _tar_bytes(tar, "advisory-db-main/crates/x/RUSTSEC-2099-0001.md", b"x")
        _tar_bytes(tar, "advisory-db-main/../../escaped.md", b"escaped")
    with tarfile.open(folder / "absolute.tar.gz", "w:gz") as tar:
        _tar_bytes(tar, "/tmp/nerq-escaped.md", b"escaped")
    with tarfile.open(folder / "symlink.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("advisory-db-main/crates")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc"
        tar.addfile(info)
    with zipfile.ZipFile(folder / "dotdot.zip", "w") as z:
        z.writestr("GHSA-good.json", record)
        z.writestr("../escaped.json", record)
    with zipfile.ZipFile(folder / "absolute.zip", "w") as z:
        z.writestr("/tmp/nerq-escaped.json", record)
    with zipfile.ZipFile(folder / "symlink.zip", "w") as z:
        info = zipfile.ZipInfo("link.json")
        info.create_system = 3
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")


def _tar_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def advance_git(site, message="new advisory"):
    """A new commit in the served repository (a new advisory file), as upstream would push."""
    site = Path(site)
    work = site / "work" / "advisory-db"
    n = len(list((work / "crates" / "nerq-test").glob("*.md"))) if (work / "crates" / "nerq-test").exists() else 0
    target = work / "crates" / "nerq-test" / f"RUSTSEC-2099-{n + 1:04d}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "```toml\n[advisory]\nid = \"RUSTSEC-2099-%04d\"\npackage = \"nerq-test\"\ndate = \"2026-12-01\"\n"
        "url = \"https://example.invalid\"\n\n[versions]\npatched = [\">= 1.0.0\"]\n```\n\n# Test advisory\n\nAdded by the fetch tests.\n"
        % (n + 1))
    dated = {"GIT_AUTHOR_DATE": "2026-12-01T00:00:00+00:00", "GIT_COMMITTER_DATE": "2026-12-01T00:00:00+00:00"}
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", message, cwd=work, env_extra=dated)
    git("push", "-q", str(site / "git" / "advisory-db.git"), "main", cwd=work)
    git("update-server-info", cwd=site / "git" / "advisory-db.git")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site = Path(".")
    log = []
    counts = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        with Handler.lock:
            Handler.log.append({"path": path, "headers": {k.lower(): v for k, v in self.headers.items()
                                                          if k.lower() in ("if-none-match", "if-modified-since", "cargo-protocol",
                                                                           "accept", "user-agent")}})
            count = Handler.counts[path] = Handler.counts.get(path, 0) + 1
        if path == "/__log":
            with Handler.lock:
                return self._send(200, json.dumps(Handler.log).encode(), {"Content-Type": "application/json"})
        parts = path.lstrip("/").split("/")
        mode = parts[0] if parts else ""
        rest = parts[1:]
        if mode.startswith("fail-"):
            n = int(mode[5:])
            if count <= n:
                return self._send(500, b"server error\n")
            return self._file("/".join(rest[1:]))
        if mode == "truncate":
            return self._file("/".join(rest), cut=True)
        if mode == "stall":
            return self._file("/".join(rest), stall=True)
        if mode == "slow":
            return self._file("/".join(rest), slow=True)
        if mode.startswith("status-"):
            return self._send(int(mode[7:]), b"status\n")
        if mode == "no-validators":
            return self._file("/".join(rest), validators=False)
        if mode == "redirect-http":
            return self._send(302, b"", {"Location": "http://example.invalid/" + "/".join(rest)})
        return self._file("/".join(parts))

    def _send(self, status, body, headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _file(self, rel, cut=False, stall=False, slow=False, validators=True):
        root = Handler.site.resolve()
        target = (root / rel).resolve()
        if not str(target).startswith(str(root) + os.sep) or not target.is_file():
            return self._send(404, b"not found\n")
        data = target.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        modified = email.utils.formatdate(int(target.stat().st_mtime), usegmt=True)
        # The failure modes always send the body (a fetcher revalidating must still meet them).
        if validators and not (cut or stall or slow):
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if (inm and inm == etag) or (not inm and ims and ims == modified):
                return self._send(304, b"", {"ETag": etag, "Last-Modified": modified})
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if validators:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            if cut:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif stall:
                self.wfile.write(data[:64])
                self.wfile.flush()
                for _ in range(600):  # a minute at most; the client gives up long before
                    time.sleep(0.1)
                    if Handler.stopping.is_set():
                        break
                self.close_connection = True
            elif slow:
                for k in range(0, len(data), 8192):
                    self.wfile.write(data[k:k + 8192])
                    self.wfile.flush()
                    time.sleep(0.05)
            else:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    stopping = threading.Event()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections when a fetcher opens eight at once
    # (the client then waits a second for its SYN to be retried).
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # A client that closes a kept-alive connection (as libcurl does when it is done) is normal.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def start(site):
    """Serves `site` on 127.0.0.1 (a free port) from a background thread: (server, port)."""
    Handler.site = Path(site)
    Handler.stopping.clear()
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def stop(server):
    Handler.stopping.set()
    server.shutdown()
    server.server_close()


def serving(tmp_path_factory):
    """The body of a pytest fixture: builds a site from ../shared/data (skipping, or failing under
    CI, when it is absent), serves it, and stops the server afterwards."""
    from shared_data import shared_data
    site = tmp_path_factory.mktemp("site") / "site"
    build_site(site, shared_data())
    httpd, port = start(site)
    try:
        yield {"site": site, "base": f"http://127.0.0.1:{port}"}
    finally:
        stop(httpd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--build", action="store_true", help="build the site first")
    args = ap.parse_args()
    if args.build:
        timings = build_site(args.site, args.shared)
        print("BUILT " + json.dumps(timings), flush=True)
    server, port = start(args.site)
    print(f"READY {port}", flush=True)
    # Serve until stdin closes (the test process that started us went away) or a signal.
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    stop(server)


if __name__ == "__main__":
    main()
