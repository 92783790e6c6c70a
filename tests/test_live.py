"""The resident build of `invoke livereload`: an edit to a post's text rewrites only what shows it, correctly."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from bench.corpus import write_corpus
from bench.run import settings_file as project_settings
from lxml import html
from watchfiles import Change

from conftest import Site, free_port, require_system_tool, snapshot, stop_process
from conftest import wait_for_line as _wait_for
from sitebuild.live import watch_filter
from sitebuild.reload import SCRIPT, stamp, with_reload_script

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def _live(settings, output):
    """`python -m sitebuild.live`, as `invoke livereload` runs it, stopped when the block ends."""
    live = subprocess.Popen([sys.executable, "-u", "-m", "sitebuild.live", str(settings), str(output)], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        yield live
    finally:
        live.terminate()
        live.wait(timeout=10)


def _two_posts(site):
    for day in (1, 2):
        site.post(f"post-{day}.md", Title=f"Kazakhstan: Post {day}", Date=f"2024-03-0{day} 09:30",
                  body=f"The first words of post {day}.\n")  # fmt: skip


def _summaries(index):
    return [p.text_content() for p in html.parse(str(index)).getroot().iterfind(".//div[@class='summary']")]


def _edit_text(post, sentence):
    head, body = post.read_text(encoding="utf-8").split("\n\n", 1)
    post.write_text(f"{head}\n\n{sentence}\n\n{body}", encoding="utf-8")


def _edit_while_live(settings, output, post, sentence):
    """Start the resident build, edit a post's text once it has built, and return the outcome."""
    with _live(settings, output) as live:
        _wait_for(live, "live: built")
        time.sleep(1)  # let the watcher settle before the edit
        _edit_text(post, sentence)
        return _outcome(live)


def _outcome(live):
    line, seen = _wait_for(live, "live: ")
    while not line.startswith(("live: text edit", "live: full build", "live: failed")):
        line, more = _wait_for(live, "live: ")
        seen += more
    return line, "".join(seen)


def test_text_edits_are_written_alone_and_equal_a_full_build(tmp_path):
    site = Site.__new__(Site)
    site.root, site.content = tmp_path, tmp_path / "content"
    write_corpus(site.content, 40)
    # Search parts of a few months: an edit indexes again only the part that holds the post.
    settings = project_settings(tmp_path, {"PATH": "content", "FEED_MAX_ITEMS": 5, "SEARCH_INDEX": {"pages_per_part": 8}})
    with _live(settings, tmp_path / "output") as live:
        _wait_for(live, "live: built")
        time.sleep(1)  # let the watcher settle before the edit
        # The newest post, on every first index page; its summary is its Summary: line.
        _edit_text(next(site.content.rglob("posts/00/post-00039.md")), "An editor's new first paragraph.")
        line, log = _outcome(live)
        assert line.startswith("live: text edit") and "wrote" in log, log
        # A translation without Summary: its summary, on list pages of every language, changes too.
        translation = sorted(site.content.rglob("posts/ru/post-*.md"))[-1]
        _edit_text(translation, "Редактор добавил абзац.")
        line, log = _outcome(live)
        assert line.startswith("live: text edit"), log
        # Metadata changed: everything is built again.
        post = next(site.content.rglob("posts/00/post-00001.md"))
        post.write_text(post.read_text(encoding="utf-8").replace("Author: Author 1\n", "Author: Author 2\n"))
        line, log = _outcome(live)
        assert line.startswith("live: full build"), log
    edited = snapshot(tmp_path / "output")
    page = edited["2015/01/post-00039/index.html"].decode()
    assert "An editor&#39;s new first paragraph." in page or "An editor's new first paragraph." in page
    assert "Редактор добавил абзац." in edited["ru/index.html"].decode(), "the summary on the first Russian index page"

    shutil.rmtree(tmp_path / ".pelican-cache")
    full = snapshot(site.build(settings).output)
    assert [path for path in edited.keys() | full.keys() if edited.get(path) != full.get(path)] == []


def test_an_edited_summary_is_not_served_from_the_fragments_of_the_first_build(tmp_path):
    site = Site(tmp_path)
    _two_posts(site)
    # One process and one language site: the first build's summaries are all in its fragment store.
    settings = project_settings(tmp_path, {"PATH": "content", "PARALLEL": {"workers": 1},
                                           "TRANSLATIONS": {"untranslated": "note", "sites": ["en"]}})  # fmt: skip
    line, log = _edit_while_live(settings, tmp_path / "output", site.content / "posts/post-2.md",
                                 "A new first paragraph from the editor.")  # fmt: skip
    assert line.startswith("live: text edit"), log
    summaries = _summaries(tmp_path / "output/index.html")
    assert any("A new first paragraph from the editor." in text for text in summaries), summaries


def test_a_current_site_is_read_not_built_again_and_edits_still_show(tmp_path):
    site = Site(tmp_path)
    _two_posts(site)
    settings = project_settings(tmp_path, {"PATH": "content"})
    assert site.build(settings).returncode == 0
    index = tmp_path / "output/index.html"
    built = index.stat().st_ino
    with _live(settings, tmp_path / "output") as live:
        _, seen = _wait_for(live, "live: built")
        assert any(line.startswith("Nothing changed since the last build") for line in seen), "".join(seen)
        assert index.stat().st_ino == built, "the current site was built again"
        time.sleep(1)  # let the watcher settle before the edit
        _edit_text(site.content / "posts/post-2.md", "A paragraph the editor added.")
        line, log = _outcome(live)
        assert line.startswith("live: text edit"), log
    page = html.parse(str(tmp_path / "output/2024/03/post-2/index.html")).getroot()
    assert "A paragraph the editor added." in page.find(".//div[@class='post-body']").text_content()
    summaries = _summaries(index)
    assert any("A paragraph the editor added." in text for text in summaries), summaries


@pytest.mark.parametrize(
    ("name", "is_content"),
    [("sedAb3x9Z", False), ("4913", False), ("#post.md#", False), (".#post.md", False), (".post.md.swp", False),
     ("post.md~", False), (".goutputstream-ZK31E2", False), (".post.md.kate-swp", False), (".~lock.post.md#", False),
     ("post.md.crswap", False), ("post.md.tmp", False),
     ("post.md", True), ("sed.md", True), ("sedimentary.md", True), ("notes-4913.md", True), ("photo.jpg", True),
     ("base.html", True)],
)  # fmt: skip
def test_editors_temporary_files_are_no_changes(name, is_content):
    assert watch_filter()(Change.added, f"/site/content/posts/{name}") is is_content


@pytest.mark.parametrize(
    ("page", "expected"),
    [(b"<html><head><title>x</title></head><body>y</body></html>",
      b'<html><head><title>x</title><script src="/_live/reload.js" data-stamp="{}" defer></script></head><body>y</body></html>'),
     (b"<p>no head</p>", b'<p>no head</p><script src="/_live/reload.js" data-stamp="{}" defer></script>')],
)  # fmt: skip
def test_the_reload_tag_goes_before_the_end_of_head_with_the_pages_stamp(page, expected):
    assert with_reload_script(page) == expected.replace(b"{}", stamp(page).encode())
    assert stamp(page) != stamp(page + b" ")


def test_the_open_page_reloads_when_its_post_is_edited_with_sed(project, browser):
    """`invoke livereload`, Chromium on a post, `sed -i` on the post: the page shows the new text by itself."""
    require_system_tool("sed", "apt-get install sed")
    from playwright.sync_api import expect  # noqa: PLC0415

    port = free_port()
    livereload = subprocess.Popen([sys.executable, "-m", "invoke", "livereload", "--port", str(port)], cwd=project,
                                  env={**os.environ, "COLUMNS": "1000"}, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        _wait_for(livereload, "Serving at", timeout=180)
        page = browser.new_page()
        errors, loads = [], []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("load", lambda _: loads.append(page.url))
        address = f"http://127.0.0.1:{port}/2024/04/kyrgyzstan-the-road-to-naryn/"
        page.goto(address)
        assert page.locator(f"script[src='{SCRIPT}']").count() == 1
        policy = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
        assert "script-src 'self'" in policy and "connect-src 'self'" in policy
        time.sleep(1)  # let the watcher settle before the edit
        post = project / "content/posts/kyrgyzstan-the-road-to-naryn.md"
        subprocess.run(["sed", "-i", "s/^Six months later, /Eight months later, /", str(post)], check=True)
        expect(page.locator(".post-body")).to_contain_text("Eight months later, people who drive it", timeout=60_000)
        assert page.url == address and len(loads) == 2, loads
        line, seen = _outcome(livereload)
        assert line.startswith("live: text edit"), seen
        assert "live: changed content/posts/kyrgyzstan-the-road-to-naryn.md\n" in seen, "sed's own file is no change"
        assert [e for e in errors if "Content Security Policy" in e or "/_live/" in e] == [], errors
        page.close()
    finally:
        stop_process(livereload, signal.SIGINT)
    built = snapshot(project / "output")
    assert not [path for path, data in built.items() if SCRIPT.encode() in data], "the script is never in a build"


def test_a_mistake_made_while_previewing_is_printed_once(tmp_path):
    site = Site(tmp_path)
    _two_posts(site)
    settings = project_settings(tmp_path, {"PATH": "content"}, name="siteconf.py")
    line, log = _edit_while_live(settings, tmp_path / "output", site.content / "posts/post-2.md",
                                 "A [letter](https://example.kz/letter) [russian].")  # fmt: skip
    assert line.startswith("live: failed"), log
    assert "content/posts/post-2.md:8: [russian] is a language's name, not its code\n    fix: did you mean [ru]?" in log
    assert log.count("[russian]") == 1 and "ERROR" not in log, log
