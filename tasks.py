"""Tasks for editors and publishers: `invoke --list` names them all."""

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "content_path": "content",
    "posts_path": "content/posts",
    "cache_path": ".pelican-cache",
    # `serve`, `reserve` and `livereload` listen here, never on a public address.
    "host": "127.0.0.1",
    "port": 8000,
    # Where `publish` sends the site: user@host:/path/, kept out of the repo.
    "publish_target": os.environ.get("TILMASH_PUBLISH_TARGET", ""),
    "ssh_port": os.environ.get("TILMASH_PUBLISH_SSH_PORT", "22"),
}


def build_atomically(settings_file, deploy_path, capture=False, extra_args=()):
    """Build with Pelican into a sibling folder and swap it in only if the build succeeded.

    Pelican runs in the settings file's folder, so that it names files as editors see
    them there. Returns Pelican's CompletedProcess; on failure `deploy_path` is left as it was.
    """
    settings_file = Path(settings_file).resolve()
    deploy = Path(deploy_path).resolve()
    deploy.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{deploy.name}.tmp-", dir=deploy.parent))
    command = [sys.executable, "-m", "pelican", "-s", str(settings_file), "-o", str(staging), *extra_args]
    # Captured logs are read by programs: keep Pelican's log lines unwrapped.
    env = {**os.environ, "COLUMNS": "1000"} if capture else None
    try:
        result = subprocess.run(
            command, cwd=settings_file.parent, env=env, capture_output=capture, text=True, check=False
        )
        if result.returncode == 0:
            _swap(staging, deploy)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(new, current):
    retired = current.with_name(f"{current.name}.old-{os.getpid()}")
    if current.exists():
        current.rename(retired)
    new.rename(current)
    shutil.rmtree(retired, ignore_errors=True)


def _build(settings_file):
    result = build_atomically(settings_file, CONFIG["deploy_path"])
    if result.returncode != 0:
        raise Exit(
            f"build failed (see the problems above); {CONFIG['deploy_path']}/ was left as it was",
            code=result.returncode,
        )


@task
def clean(c):
    """Remove the built site, leftovers of interrupted builds, and the cache."""
    deploy = Path(CONFIG["deploy_path"]).resolve()
    for path in [deploy, Path(CONFIG["cache_path"]), *deploy.parent.glob(f"{deploy.name}.tmp-*"),
                 *deploy.parent.glob(f"{deploy.name}.old-*")]:  # fmt: skip
        shutil.rmtree(path, ignore_errors=True)


@task
def build(c):
    """Build the site for local viewing into output/."""
    _build(CONFIG["settings_base"])


@task
def rebuild(c):
    """Build from scratch, ignoring any cache."""
    shutil.rmtree(CONFIG["cache_path"], ignore_errors=True)
    _build(CONFIG["settings_base"])


def _server(directory, port):
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer  # noqa: PLC0415

    if not Path(directory).is_dir():
        raise Exit(f"serve: {directory}/ does not exist; run `invoke build` first", code=1)

    class ReusableServer(RootedHTTPServer):
        allow_reuse_address = True

    try:
        return ReusableServer(directory, (CONFIG["host"], int(port)), ComplexHTTPRequestHandler)
    except OSError as error:
        raise Exit(
            f"serve: cannot listen on {CONFIG['host']}:{port} ({error.strerror}); "
            "stop the other server or pass --port",
            code=1,
        ) from None


@task
def serve(c, port=CONFIG["port"]):
    """Serve output/ at http://127.0.0.1:8000/ until Ctrl-C."""
    server = _server(CONFIG["deploy_path"], port)
    print(f"Serving {CONFIG['deploy_path']}/ at http://{CONFIG['host']}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def reserve(c, port=CONFIG["port"]):
    """`build`, then `serve`."""
    build(c)
    serve(c, port)


@task
def preview(c):
    """Build the site with the publishing settings into output/."""
    _build(CONFIG["settings_publish"])


@task
def livereload(c, port=CONFIG["port"]):
    """Serve the site and rebuild it whenever content, theme, plugins or settings change."""
    from watchfiles import watch  # noqa: PLC0415  (installed with Pelican)

    build_atomically(CONFIG["settings_base"], CONFIG["deploy_path"])
    server = _server(CONFIG["deploy_path"], port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving at http://{CONFIG['host']}:{port}/; rebuilding on every save (Ctrl-C stops)", flush=True)
    watched = [CONFIG["content_path"], "theme", "plugins", CONFIG["settings_base"]]
    try:
        for changes in watch(*watched):
            print("Changed:", ", ".join(sorted(os.path.relpath(path) for _, path in changes)), flush=True)
            if build_atomically(CONFIG["settings_base"], CONFIG["deploy_path"]).returncode != 0:
                print("Build failed; still serving the last good build.", flush=True)
    except KeyboardInterrupt:
        server.server_close()


@task
def publish(c):
    """Build with the publishing settings and rsync output/ to TILMASH_PUBLISH_TARGET over ssh."""
    target = CONFIG["publish_target"]
    if not target:
        raise Exit(
            "publish: no target configured; set TILMASH_PUBLISH_TARGET=user@host:/path/ "
            "(and TILMASH_PUBLISH_SSH_PORT if not 22)",
            code=1,
        )
    if shutil.which("rsync") is None:
        raise Exit("publish: rsync is not installed (on Debian: apt-get install rsync)", code=1)
    result = build_atomically(CONFIG["settings_publish"], CONFIG["deploy_path"])
    if result.returncode != 0:
        raise Exit("publish: the build failed, nothing was sent; fix the problems above first", code=1)
    source = str(Path(CONFIG["deploy_path"])).rstrip("/") + "/"
    c.run(
        f'rsync --delete --exclude ".DS_Store" -pthrvz -c -e "ssh -p {CONFIG["ssh_port"]}" {source} {target}',
        pty=False,
    )


@task(
    help={
        "title": 'the post\'s title, "Country: What bloggers say"',
        "country": "the country the post is about, as CLDR names it in English",
        "tags": "comma-separated topics",
        "author": "the author's name",
    }
)
def new(c, title, country, tags="", author=""):
    """Scaffold a draft post with today's date and every required metadata field."""
    from pelican.settings import DEFAULT_CONFIG  # noqa: PLC0415
    from pelican.utils import slugify  # noqa: PLC0415
    from strict.checks import country_code, country_suggestion  # noqa: PLC0415

    if country_code(country) is None:
        raise Exit(f'new: "{country}" is not a country: {country_suggestion(country)}', code=1)
    slug = slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise Exit("new: the title has no letters or digits to make an address from", code=1)
    path = Path(CONFIG["posts_path"]) / f"{slug}.md"
    if path.exists():
        raise Exit(f"new: {path} already exists; choose another title or edit that file", code=1)
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {title}\n"
        f"Date: {now}\n"
        f"Category: {country}\n"
        f"Tags: {tags}\n"
        f"Author: {author or 'Your Name'}\n"
        f"Slug: {slug}\n"
        "Summary: One sentence that says what bloggers are saying.\n"
        "Status: draft\n"
        "\n"
        "Lead paragraph: who said what, and why it matters. Link every source, and mark\n"
        "a source in another language after its link: [a post](https://example.org/post) [ru].\n"
        "\n"
        "> Quote the blogger here.\n",
        encoding="utf-8",
    )
    print(f"Created {path} as a draft; set Status: published when it is ready.")


@task(name="pygments-css")
def pygments_css(c):
    """Write the Pygments style named by PYGMENTS_STYLE into the theme's CSS."""
    from pelican.settings import get_settings_from_file  # noqa: PLC0415
    from pygments.formatters import HtmlFormatter  # noqa: PLC0415

    style = get_settings_from_file(CONFIG["settings_base"])["PYGMENTS_STYLE"]
    css_path = ROOT / "theme/static/css/main.css"
    css = css_path.read_text(encoding="utf-8")
    head, _, rest = css.partition("/* pygments:start */\n")
    _, _, tail = rest.partition("/* pygments:end */")
    rules = HtmlFormatter(style=style).get_style_defs(".codehilite")
    css_path.write_text(f"{head}/* pygments:start */\n{rules}\n/* pygments:end */{tail}", encoding="utf-8")
    print(f"Wrote the {style} style into {css_path.relative_to(ROOT)}")
