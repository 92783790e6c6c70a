"""Screenshots of the built site for review: every reader-facing view, language and width.

`invoke screenshots` builds the site into a scratch folder with a real Isso on 127.0.0.1,
serves it on a free port, and has Debian's Chromium (through Playwright) photograph the home
page, an article, its country page, a person's page, a search with results and the open comment thread, in
each language asked for, at a desktop and a phone width. Nothing leaves this machine: every
request to another host is refused, and a page that makes one is named in the summary.
"""

import configparser
import contextlib
import functools
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import build_atomically

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]  # fmt: skip


@dataclass
class Shots:
    """What a run wrote, and what a reviewer must know of it."""

    folder: Path
    files: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served(folder, port):
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def isso_for(site_origin, scratch):
    """A moderated Isso for the site's origin, or None where Isso is not installed."""
    import importlib.util  # noqa: PLC0415

    from comments.isso_server import start, write_config  # noqa: PLC0415

    if importlib.util.find_spec("isso") is None:
        yield None
        return
    root = Path(__file__).resolve().parents[1]
    port = free_port()
    config = write_config(root / "plugins/comments/isso.cfg", scratch / "isso.cfg", dbpath=scratch / "comments.db",
                          site_origins=[site_origin], port=port, password="screenshots")  # fmt: skip
    # Each view posts a comment to the same threads, past what Isso's guard lets one reader do.
    settings = configparser.ConfigParser(interpolation=None)
    settings.read(config, encoding="utf-8")
    settings["guard"]["enabled"] = "false"
    with open(config, "w", encoding="utf-8") as out:
        settings.write(out)
    with open(scratch / "isso.log", "w", encoding="utf-8") as log:
        process = start(config, port, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            process.terminate()
            process.wait(timeout=10)


def language_root(lang, default_lang):
    return "/" if lang == default_lang else f"/{lang}/"


def take(settings_file, folder, languages=("en", "ru", "ar"), default_lang="en"):
    """Build, serve and photograph the site; returns `Shots`. Raises RuntimeError if it cannot."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a test and review tool

    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("Chromium is not installed (on Debian: apt-get install chromium)")
    shots = Shots(Path(folder))
    shots.folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tilmash-shots-") as scratch:
        scratch = Path(scratch)
        site_port = free_port()
        origin = f"http://127.0.0.1:{site_port}"
        with isso_for(origin, scratch) as isso_url:
            extra = []
            if isso_url:
                extra += ["-e", f'COMMENTS={{"provider": "isso", "url": "{isso_url}"}}']
            else:
                shots.problems.append("Isso is not installed: no comment thread (pip install -r requirements.txt)")
            build = build_atomically(settings_file, scratch / "site", capture=True, extra_args=extra)
            if build.returncode != 0:
                raise RuntimeError(f"the build failed:\n{build.stdout}{build.stderr}")
            with served(scratch / "site", site_port), sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
                try:
                    for lang in languages:
                        for width, size in WIDTHS.items():
                            _photograph(browser, shots, origin, isso_url, lang, default_lang, width, size)
                finally:
                    browser.close()
    return shots


def _photograph(browser, shots, origin, isso_url, lang, default_lang, width, size):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: PLC0415

    allowed = {urlsplit(origin).netloc} | ({urlsplit(isso_url).netloc} if isso_url else set())
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()

    def refuse_others(route):
        if urlsplit(route.request.url).netloc in allowed:
            route.continue_()
        else:
            shots.problems.append(f"{lang} {width}: {page.url} asked for {route.request.url} (refused)")
            route.abort()

    page.route("**/*", refuse_others)

    def shot(name):
        path = shots.folder / f"{lang}-{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.files.append(path)

    root = origin + language_root(lang, default_lang)
    page.goto(root)
    shot("home")
    # A post in the page's language (its title has no lang of its own), else any.
    own = page.locator(".post-summary h2:not([lang]) a")
    article = own.first if own.count() else page.locator(".post-summary h2 a").first
    if article.count() == 0:
        shots.problems.append(f"{lang}: the home page lists no post")
        context.close()
        return
    article.click()
    page.wait_for_load_state()
    article_url = page.url
    shot("article")
    country = page.locator("article .byline a[href*='country/']").first
    # The search view looks for the article's country, which its language site has posts about.
    query = country.inner_text() if country.count() else page.title().split(":")[0]
    if country.count():
        country.click()
        page.wait_for_load_state()
        shot("country")
    _photograph_a_profile(page, root, lang, shots, shot)
    page.goto(root + "search/")
    search = page.locator("#search input")
    if search.count():
        search.fill(query)
        try:
            page.wait_for_selector(".pagefind-ui__result", timeout=10000)
        except PlaywrightTimeout:
            shots.problems.append(f"{lang}: searching for {query!r} found nothing")
        shot("search")
    else:
        shots.problems.append(f"{lang}: the search page has no search box")
    if isso_url:
        page.goto(article_url)
        page.click("button.comments-button")
        page.wait_for_selector("textarea.isso-textarea", timeout=10000)
        page.fill("textarea.isso-textarea", "Thank you for linking every source.")
        page.fill("#isso-postbox-author", "Daniyar Abenov")
        page.click(".isso-post-action input[type=submit]")
        page.wait_for_selector("#isso-root .isso-comment", timeout=10000)
        page.locator("section.comments").scroll_into_view_if_needed()
        path = shots.folder / f"{lang}-comments-{width}.png"
        page.locator("section.comments").screenshot(path=str(path))
        shots.files.append(path)
    context.close()


def _photograph_a_profile(page, root, lang, shots, shot):
    """The page of the first person on the language site's list of authors who has a profile."""
    page.goto(root + "author/")
    index = page.url
    addresses = [link.get_attribute("href") for link in page.locator(".term-list a").all()]
    for address in addresses[:20]:
        page.goto(urljoin(index, address))
        if page.locator(".profile").count():
            shot("person")
            return
    shots.problems.append(f"{lang}: no one on {root}author/ has a profile (content/authors/)")
