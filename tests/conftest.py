"""Build small sites in a temporary folder and hand back their parsed pages."""

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree, html

from bench.run import settings_file as project_settings
from sitebuild import build_atomically

REPO = Path(__file__).resolve().parents[1]

VALID_POST = {
    "Title": "Kazakhstan: A test post",
    "Date": "2024-03-05 09:30",
    "Category": "Kazakhstan",
    "Tags": "Media",
    "Author": "Test Author",
}


def require_system_tool(name, how_to_install):
    """Skip when a system tool is missing, except under CI, where it must be installed."""
    if shutil.which(name):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not installed on CI: .ci/run must install it ({how_to_install})")
    pytest.skip(f"{name} is not installed: {how_to_install}")


@dataclass
class Build:
    returncode: int
    stdout: str
    stderr: str
    output: Path

    @property
    def log(self):
        return self.stdout + self.stderr

    def page(self, url_path):
        """The parsed HTML page at a site-relative URL such as "2024/03/slug/"."""
        path = self.output / url_path
        if url_path.endswith("/") or not url_path:
            path = path / "index.html"
        return html.parse(str(path)).getroot()

    def xml(self, url_path):
        return etree.parse(str(self.output / url_path)).getroot()


class Site:
    """A Tilmash site in a temporary folder, with the repository's theme and plugins."""

    def __init__(self, root):
        self.root = root
        self.content = root / "content"
        (self.content / "posts").mkdir(parents=True)
        (self.content / "pages").mkdir()

    def write(self, relative_path, text, encoding="utf-8"):
        path = self.content / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text if isinstance(text, bytes) else textwrap.dedent(text).lstrip("\n").encode(encoding)
        path.write_bytes(data)
        return path

    def post(self, name, body="A lead paragraph about what bloggers say.\n", **metadata):
        """Write a valid post; a metadata value of None leaves that key out."""
        fields = {**VALID_POST, "Slug": Path(name).stem, **metadata}
        header = "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)
        return self.write(f"posts/{name}", header + "\n" + body)

    def build(self, settings_file=None, **settings):
        settings_file = settings_file or project_settings(self.root, settings, name="siteconf.py")
        output = self.root / "output"
        result = build_atomically(settings_file, output, capture=True)
        return Build(result.returncode, result.stdout, result.stderr, output)


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


def snapshot(folder):
    """Every file below a folder with its bytes, to compare a folder before and after."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """The demo site of the repository, built once into a temporary folder."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "content", root / "content")
    demo = Site.__new__(Site)
    demo.root, demo.content = root, root / "content"
    build = demo.build()
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def vnu():
    """The command that runs the Nu HTML Checker from the npm package vnu-jar."""
    require_system_tool("java", "apt-get install default-jre-headless")
    jar = require_npm_file("vnu-jar/build/dist/vnu.jar")
    return ["java", "-jar", str(jar)]


def require_npm_file(relative_path):
    """A file of an npm package the tests use; skip without it, except under CI, where it must be there."""
    path = REPO / "node_modules" / relative_path
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"node_modules/{relative_path} is missing on CI: .ci/run must run `npm ci --ignore-scripts`")
        pytest.skip(f"node_modules/{relative_path} is missing: run `npm ci --ignore-scripts`")
    return path


def free_port():
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve_folder():
    """Serve folders over HTTP on 127.0.0.1; returns a function folder -> base URL."""
    import functools  # noqa: PLC0415
    import threading  # noqa: PLC0415
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer  # noqa: PLC0415

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    servers = []

    def serve(folder, port=None):
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", port or free_port()), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    require_system_tool("chromium", "apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("playwright is not installed on CI")
        pytest.skip("playwright is not installed: pip install -r requirements-test.txt")
    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update"]  # fmt: skip
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=flags)
        yield chromium
        chromium.close()


PROJECT_FILES = ["content", "theme", "plugins", "importer", "bench", "sitebuild", "pelicanconf.py", "publishconf.py", "tasks.py"]


def copy_project(folder):
    """A copy of the project's own files in `folder`, for tasks that change files or write output/."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / name)
    return folder


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def keep_one_post(project):
    """The site loses every post but one, and every translated page (so each language site shrinks too)."""
    keep = project / "content/posts/kazakhstan-state-ordered-blogging.md"
    for path in [*(project / "content/posts").rglob("*.md"), *(project / "content/pages").glob("*/*.md")]:
        if path != keep:
            path.unlink()


def import_into(project, export):
    """`invoke import-wordpress EXPORT` in a project copy, which must succeed: (project, what it printed)."""
    result = invoke(project, "import-wordpress", str(export))
    assert result.returncode == 0, result.stderr
    return project, result.stdout


def wait_for_line(process, prefix, timeout=120):
    """Read a process's output until a line starts with `prefix`: (that line, every line read)."""
    import time  # noqa: PLC0415

    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        if line.startswith(prefix):
            return line, seen
        assert line or process.poll() is None, "".join(seen)
    raise AssertionError(f"no {prefix!r} line in time:\n" + "".join(seen))


def stop_process(process, signum):
    """Stop a process as a user or a service manager would, and kill it if it does not stop."""
    process.send_signal(signum)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def invoke(project, *args, env=None, **kwargs):
    environment = {**os.environ, "COLUMNS": "1000"}
    environment.pop("TILMASH_PUBLISH_TARGET", None)  # a publisher's own target must not leak in
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project, env=environment, capture_output=True, text=True, check=False, **kwargs,
    )  # fmt: skip




# The layers of the suite, by what a test needs (README, "Tests"): `pytest -m unit` runs in seconds.
SYSTEM_FIXTURES = {"isso", "wordpress", "vnu"}
SITE_FIXTURES = {"site", "project", "demo_build", "imported", "elections", "built", "tmp_path", "tmp_path_factory"}
LAYERS = ("unit", "site", "browser", "system")


def pytest_configure(config):
    for layer, what in zip(LAYERS, ("pure functions, no build", "builds a site or runs a task",
                                    "drives Chromium", "runs a server or program of the system: Isso, WordPress, Java"),
                           strict=True):  # fmt: skip
        config.addinivalue_line("markers", f"{layer}: {what}")


def pytest_collection_modifyitems(items):
    """Mark each test with its layer, from the fixtures it uses, unless it says its own."""
    for item in items:
        if any(item.get_closest_marker(layer) for layer in LAYERS):
            continue
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & SYSTEM_FIXTURES:
            item.add_marker(pytest.mark.system)
        elif "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        elif fixtures & SITE_FIXTURES:
            item.add_marker(pytest.mark.site)
        else:
            item.add_marker(pytest.mark.unit)
