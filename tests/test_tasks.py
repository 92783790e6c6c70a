"""The invoke tasks, run as an editor runs them, in a copy of the project."""

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from lxml import html
from conftest import free_port, invoke, require_system_tool, snapshot

def break_a_post(project):
    post = project / "content/posts/tajikistan-winter-without-light.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Category: Tajikistan", "Category: Tajikstan"))


def fetch(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_build_writes_the_site_and_a_failed_build_keeps_it(project):
    first = invoke(project, "build")
    assert first.returncode == 0, first.stderr
    assert (project / "output/index.html").exists()
    before = snapshot(project / "output")

    break_a_post(project)
    second = invoke(project, "build")
    assert second.returncode != 0
    assert "content/posts/tajikistan-winter-without-light.md:3" in second.stderr
    assert 'did you mean "Tajikistan"?' in second.stderr
    assert "build failed (see the problems above); output/ was left as it was" in second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert snapshot(project / "output") == before
    assert not list(project.glob("output.tmp-*")), "the staging folder is removed"


def test_a_rebuild_puts_the_new_site_in_place_and_removes_old_ones(site):
    site.post("first.md")
    assert site.build().returncode == 0
    # An old site whose removal was cut short, by a reboot say.
    interrupted = site.root / ".output.old-interrupted/output"
    interrupted.mkdir(parents=True)
    (interrupted / "index.html").write_text("an old page")
    site.post("second.md")
    build = site.build()
    assert build.returncode == 0, build.log
    assert (build.output / "2024/03/first/index.html").exists() and (build.output / "2024/03/second/index.html").exists()
    # The old trees are deleted by a process of their own, after the build has returned.
    deadline = time.monotonic() + 60
    while list(site.root.glob(".output.old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(site.root.glob(".output.old-*"))


def test_clean_removes_the_output(project):
    assert invoke(project, "build").returncode == 0
    assert invoke(project, "clean").returncode == 0
    assert not (project / "output").exists()


def test_preview_builds_with_absolute_addresses(project):
    result = invoke(project, "preview", env={"TILMASH_SITEURL": "https://mirror.example.net/tilmash"})
    assert result.returncode == 0, result.stderr
    index = (project / "output/index.html").read_text(encoding="utf-8")
    assert 'href="https://mirror.example.net/tilmash/theme/css/main.css"' in index


def test_publish_without_a_target_refuses_and_says_how_to_set_one(project):
    result = invoke(project, "publish")
    assert result.returncode == 1
    assert "publish: no target configured; set TILMASH_PUBLISH_TARGET" in result.stderr
    assert "Traceback" not in result.stderr


def test_publish_sends_the_site_with_rsync(project, tmp_path_factory):
    require_system_tool("rsync", "apt-get install rsync")
    target = tmp_path_factory.mktemp("server")
    result = invoke(project, "publish", env={"TILMASH_PUBLISH_TARGET": f"{target}/"})
    assert result.returncode == 0, result.stderr
    sent = snapshot(target)
    pages = len([name for name in sent if name.endswith(".html")])
    assert pages > 50 and json.loads(sent.pop(".tilmash-manifest.json"))["pages"] == pages, "the publish's record, kept there"
    assert sent == snapshot(project / "output")


def test_publish_after_a_failed_build_sends_nothing(project, tmp_path_factory):
    require_system_tool("rsync", "apt-get install rsync")
    target = tmp_path_factory.mktemp("server")
    (target / "index.html").write_text("the published site")
    break_a_post(project)
    result = invoke(project, "publish", env={"TILMASH_PUBLISH_TARGET": f"{target}/"})
    assert result.returncode == 1
    assert "publish: the build failed, nothing was sent" in result.stderr
    assert snapshot(target) == {"index.html": b"the published site"}


def test_new_scaffolds_a_draft_that_builds(project):
    result = invoke(project, "new", "--title", "Tajikistan: Bloggers on the new bridge", "--country", "Tajikistan",
                    "--tags", "Infrastructure", "--author", "Firuza Rahimova")  # fmt: skip
    assert result.returncode == 0, result.stderr
    post = project / "content/posts/tajikistan-bloggers-on-the-new-bridge.md"
    text = post.read_text(encoding="utf-8")
    for field in ("Title:", "Date:", "Category: Tajikistan", "Tags: Infrastructure", "Author:", "Slug:",
                  "Summary:", "Status: draft"):  # fmt: skip
        assert field in text
    assert invoke(project, "build").returncode == 0
    again = invoke(project, "new", "--title", "Tajikistan: Bloggers on the new bridge", "--country", "Tajikistan")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_new_refuses_a_country_that_does_not_exist(project):
    result = invoke(project, "new", "--title", "Kazakhstan: Something", "--country", "Kazakstan")
    assert result.returncode == 1
    assert 'new: "Kazakstan" is not a country: did you mean "Kazakhstan"?' in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_build_says_what_to_do(project):
    result = invoke(project, "serve", "--port", str(free_port()))
    assert result.returncode == 1
    assert "serve: output/ does not exist; run `invoke build` first" in result.stderr


def test_bench_into_a_missing_folder_says_so(project):
    result = invoke(project, "bench", "--posts", "5", "--folder", str(project / "no-such-folder"))
    assert result.returncode == 1
    assert f"bench: --folder {project / 'no-such-folder'}: no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_answers_on_the_loopback_address(project):
    assert invoke(project, "build").returncode == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "invoke", "serve", "--port", str(port)], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        assert "<h1>" in fetch(f"http://127.0.0.1:{port}/")
        assert "Kazakhstan: State-ordered blogging" in fetch(
            f"http://127.0.0.1:{port}/2024/03/kazakhstan-state-ordered-blogging/"
        )
        for path, lang in (("/no-such-page/", "en"), ("/ru/no-such-page/", "ru"), ("/favicon.ico", "en")):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
            page = html.fromstring(missing.value.read())
            assert missing.value.code == 404 and page.get("lang") == lang, path
            assert page.find(".//main") is not None, "the site's own 404 page"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_livereload_rebuilds_on_save(project):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "invoke", "livereload", "--port", str(port)], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}/2024/01/tajikistan-winter-without-light/"
    try:
        assert "Winter without light" in fetch(url)
        post = project / "content/posts/tajikistan-winter-without-light.md"
        time.sleep(1)  # let the watcher settle before the edit
        post.write_text(post.read_text(encoding="utf-8").replace("Winter without light", "Winter in the dark"))
        deadline = time.monotonic() + 30
        while "Winter in the dark" not in fetch(url):
            assert time.monotonic() < deadline, "the page was not rebuilt after the edit"
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_pygments_css_is_up_to_date(project):
    css = project / "theme/static/css/main.css"
    before = css.read_bytes()
    assert invoke(project, "pygments-css").returncode == 0
    assert css.read_bytes() == before, "run `invoke pygments-css` and commit the result"


def test_translate_scaffolds_a_draft_translation(project):
    result = invoke(project, "translate", "--slug", "tajikistan-winter-without-light", "--lang", "ru")
    assert result.returncode == 0, result.stderr
    text = (project / "content/posts/ru/tajikistan-winter-without-light.md").read_text(encoding="utf-8")
    for line in ("Lang: ru", "Translation-of: tajikistan-winter-without-light", "Translator:", "Status: draft",
                 "Category: Tajikistan", "Electricity rationing has returned"):  # fmt: skip
        assert line in text
    assert invoke(project, "build").returncode == 0
    again = invoke(project, "translate", "--slug", "tajikistan-winter-without-light", "--lang", "ru")
    assert again.returncode == 1 and "already translates" in again.stderr
    unknown = invoke(project, "translate", "--slug", "tajikistan-winter-without-light", "--lang", "fr")
    assert unknown.returncode == 1 and "'fr' is not one of LANGUAGES" in unknown.stderr


def test_translation_status_reports_missing_and_stale_translations(project):
    result = invoke(project, "translation-status", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kyrgyzstan-the-road-to-naryn  ru: ok  kk: missing  ar: missing" in result.stdout
    original = project / "content/posts/kyrgyzstan-the-road-to-naryn.md"
    original.write_text(original.read_text(encoding="utf-8").replace("Date: 2024-04-18 14:00", "Date: 2024-04-18 14:00\nModified: 2024-05-01"))
    stale = invoke(project, "translation-status", "--strict")
    assert "kyrgyzstan-the-road-to-naryn  ru: STALE" in stale.stdout
    assert stale.returncode == 1 and "1 stale translation(s)" in stale.stderr


def test_a_scaffolded_translation_is_a_draft_not_ok_and_imported_posts_can_be_translated(project):
    imported = project / "content/imported/uzbekistan-a-bazaar.md"
    imported.parent.mkdir(parents=True)
    imported.write_text("Title: Uzbekistan: A bazaar\nDate: 2012-05-02 10:00\nCategory: Uzbekistan\nTags: Economy\n"
                        "Author: A. Karimov\nStatus: draft\n\nTraders speak of prices.\n", encoding="utf-8")  # fmt: skip
    assert invoke(project, "translate", "--slug", "uzbekistan-a-bazaar", "--lang", "ru").returncode == 0
    assert "Traders speak of prices." in (project / "content/imported/ru/uzbekistan-a-bazaar.md").read_text(encoding="utf-8")
    assert invoke(project, "translate", "--slug", "tajikistan-winter-without-light", "--lang", "kk").returncode == 0
    status = invoke(project, "translation-status").stdout
    assert "uzbekistan-a-bazaar (draft)  ru: draft, not yet translated  kk: missing  ar: missing" in status, status
    assert "tajikistan-winter-without-light  ru: missing  kk: draft, not yet translated  ar: missing" in status, status


@pytest.mark.parametrize("name", ["new", "translate", "mirror", "import-wordpress", "translation-status"])
def test_task_help_works_after_the_task_name(project, name):
    result = invoke(project, name, "--help")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"inv[oke] [--core-opts] {name} [--options]" in result.stdout
    assert "Docstring:" in result.stdout and "Options:" in result.stdout


def test_a_task_without_a_required_argument_names_its_flag(project):
    result = invoke(project, "new", "--title", "Kazakhstan: A post")
    assert result.returncode == 1 and "new: --country required" in result.stderr
    assert not list((project / "content/posts").glob("kazakhstan-a-post*.md"))


def test_ui_catalogs_are_complete_and_compile(project):
    status = invoke(project, "i18n-status", "--strict")
    assert status.returncode == 0, status.stdout
    for lang in ("en", "ru", "kk", "ar"):
        assert re.search(rf"^{lang}: (\d+) of \1 translated$", status.stdout, re.M), status.stdout
    assert invoke(project, "i18n-compile").returncode == 0
    assert (project / "theme/translations/ru/LC_MESSAGES/messages.mo").exists()


def test_i18n_status_names_untranslated_entries(project):
    po = project / "theme/translations/kk/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Мұрағат"', 'msgstr ""'), encoding="utf-8")
    status = invoke(project, "i18n-status", "--strict")
    assert status.returncode == 1
    assert "untranslated: 'Archives'" in status.stdout


def test_screenshots_photograph_every_view_at_both_widths(project):
    require_system_tool("chromium", "apt-get install chromium")
    result = invoke(project, "screenshots", "--langs", "en,ar", "--folder", "shots")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "asked for" not in result.stdout, "a page asked another host for something"
    names = sorted(p.name for p in (project / "shots").glob("*.png"))
    views = ("article", "comments", "country", "home", "person", "search")
    assert names == sorted(f"{lang}-{view}-{width}.png" for lang in ("en", "ar") for view in views
                           for width in ("desktop", "phone")), names  # fmt: skip
    for name in names:
        header = (project / "shots" / name).read_bytes()[:24]
        width = int.from_bytes(header[16:20], "big")
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        if "comments" not in name:
            assert width == (1280 if "desktop" in name else 390), (name, width)
