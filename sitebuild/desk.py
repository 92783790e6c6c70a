"""`invoke desk`: the authors' desk on this machine, Decap CMS with decap-server as its backend.

decap-server (npm) reads and writes the project's files for the desk's page: it listens on
127.0.0.1 only (BIND_HOST; without it, it would listen on every address), answers only pages of
127.0.0.1 and localhost (its CORS rule, narrowed to the preview's origin by ORIGIN), and never
leaves the project folder (GIT_REPO_DIRECTORY; it refuses paths outside). The desk's page learns
the backend's address from the preview server at /_desk/session.json, so the site's build does
not depend on the port chosen.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

HOST = "127.0.0.1"
SESSION = "/_desk/session.json"
CHECK = "/_desk/check"
# A post larger than this is no post (and the check runs a build).
CHECK_LIMIT = 2_000_000
SERVER_SCRIPT = "decap-server/dist/index.js"


def free_port(host=HOST):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def backend_environment(root, port, site_origin, mode="fs"):
    """decap-server's environment: where the project is, where to listen, whose pages it answers."""
    return {
        "PORT": str(port),
        "BIND_HOST": HOST,
        "GIT_REPO_DIRECTORY": str(Path(root).resolve()),
        # "fs" writes files, as an editor does by hand; "git" would also commit each save.
        "MODE": mode,
        "ORIGIN": site_origin,
        "LOG_LEVEL": "warn",
    }


def backend_command(node_modules):
    """The command that runs decap-server, or a ValueError saying what to install."""
    node = shutil.which("node")
    script = Path(node_modules) / SERVER_SCRIPT
    if node is None:
        raise ValueError("the desk needs Node.js: apt-get install nodejs npm")
    if not script.is_file():
        raise ValueError(f"{script} is missing: run `npm ci --ignore-scripts` in the project")
    return [node, str(script)]


def _wait_until_listening(process, port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"decap-server stopped at start (exit status {process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"decap-server did not listen on {HOST}:{port} within {timeout} s")


@contextlib.contextmanager
def running_backend(root, node_modules, port, site_origin):
    """decap-server, running until the block ends, however it ends (Ctrl-C, SIGTERM or an error)."""
    environment = {**os.environ, **backend_environment(root, port, site_origin)}
    process = subprocess.Popen(backend_command(node_modules), cwd=root, env=environment)
    # SIGTERM ends this process as Ctrl-C does, so that decap-server is stopped with it.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _wait_until_listening(process, port)
        yield f"http://{HOST}:{port}/api/v1"
    finally:
        signal.signal(signal.SIGTERM, previous)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def check_post(settings_file, content_folder, path, text):
    """Run the build's checks on one post's text (sitebuild/desk_check.py, in a process of its own).

    `path` is the file's path as the desk names it, inside the content folder.
    """
    import sys  # noqa: PLC0415

    from .desk_check import safe_relative  # noqa: PLC0415

    prefix = Path(content_folder).name + "/"
    relative = safe_relative(path[len(prefix):] if path.startswith(prefix) else path)
    settings_file = Path(settings_file).resolve()
    command = [sys.executable, "-m", "sitebuild.desk_check", str(settings_file), str(relative), str(Path(content_folder).resolve())]
    result = subprocess.run(command,
                            input=text.encode("utf-8"), capture_output=True, cwd=Path(__file__).resolve().parents[1], check=False)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace")[-2000:])
    return json.loads(result.stdout)


def desk_handler(backend_url, desk_path="/admin/", settings_file="pelicanconf.py", content_folder="content"):
    """The live preview's request handler, which also tells the desk's page where its backend is.

    The desk's own page is served as built, without the reload script: a page that reloaded
    itself would lose what the author is typing.
    """
    from .reload import preview_handler  # noqa: PLC0415
    from .serving import SiteRequestHandler  # noqa: PLC0415

    session = json.dumps({"backend": backend_url}).encode()

    class DeskHandler(preview_handler()):
        def do_GET(self):  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            if path == SESSION:
                return self._send(200, "application/json", session)
            if path.startswith(desk_path):
                return SiteRequestHandler.do_GET(self)
            return super().do_GET()

        def do_POST(self):  # noqa: N802 - http.server's name
            # JSON only: a page of another origin cannot send it without a preflight, which is refused.
            length = int(self.headers.get("Content-Length") or 0)
            if self.path != CHECK or self.headers.get_content_type() != "application/json" or not 0 < length <= CHECK_LIMIT:
                return self._send(400, body=b"POST a JSON {path, text} to /_desk/check\n")
            try:
                request = json.loads(self.rfile.read(length))
                result = check_post(settings_file, content_folder, str(request["path"]), str(request["text"]))
            except (ValueError, KeyError, TypeError) as error:
                return self._send(400, body=f"{error}\n".encode())
            except RuntimeError as error:
                return self._send(500, body=f"the check failed: {error}\n".encode())
            return self._send(200, "application/json", json.dumps(result, ensure_ascii=False).encode())

    return DeskHandler
