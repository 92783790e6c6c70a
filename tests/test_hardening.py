"""Hostile content, broken content and bad settings: refused clearly, never published."""

import contextlib
import io
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from bench.run import settings_file as project_settings
from conftest import copy_project, invoke, keep_one_post, require_system_tool, snapshot
from html_policy.policy import SANDBOX, clean, removals

HOSTS = {"www.youtube-nocookie.com"}


@pytest.mark.parametrize(
    ("source", "kept", "gone", "reported"),
    [
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>", "alert", "<script"),
        ('<p onclick="steal()">a</p>', "<p>a</p>", "steal", "onclick="),
        ('<a href="javascript:alert(1)">a</a>', "<a>a</a>", "javascript", "javascript:"),
        ('<a href="data:text/html,x">a</a>', "<a>a</a>", "data:", "data:"),
        ('<img src="data:image/svg+xml,x" alt="a">', '<img alt="a" loading="lazy">', "data:", "data:"),
        ('<p style="position:fixed">a</p>', "<p>a</p>", "position", "style="),
        ("<style>body{display:none}</style><p>a</p>", "<p>a</p>", "display", "<style"),
        ('<svg onload="x()"><circle/></svg>', "", "onload", "<svg"),
        ('<iframe src="https://evil.example/x"></iframe>', "", "evil", "https://evil.example/x"),
    ],
)
def test_the_allow_list_removes_and_reports(source, kept, gone, reported):
    assert clean(source, HOSTS) == kept
    assert gone not in clean(source, HOSTS)
    assert reported in [fragment for fragment, _ in removals(source, HOSTS)]


@pytest.mark.parametrize(
    "source",
    [
        '<p><a href="https://example.kz/1" hreflang="ru">a</a> <span class="source-lang" title="Russian">'
        '<span aria-hidden="true">[ru]</span><span class="visually-hidden">(Russian)</span></span></p>',
        '<div class="codehilite"><pre><span></span><code><span class="kn">import</span></code></pre></div>',
        '<p><a href="{filename}other.md">other</a> <img alt="x" src="{static}/images/x.png" loading="lazy"></p>',
    ],
)
def test_our_own_markup_passes_unchanged(source):
    assert clean(source, HOSTS) == source
    assert removals(source, HOSTS) == []


def test_table_alignment_is_kept():
    import markdown

    table = markdown.markdown("| a |\n|:-:|\n| b |", extensions=["tables"])
    assert 'style="text-align: center;"' in table
    assert 'style="text-align:center"' in clean(table, HOSTS)
    assert removals(table, HOSTS) == []


def test_allowed_embeds_are_sandboxed():
    cleaned = clean('<iframe src="https://www.youtube-nocookie.com/embed/abc" onload="x()"></iframe>', HOSTS)
    frame = lxml_html.fragment_fromstring(cleaned)
    assert frame.get("src") == "https://www.youtube-nocookie.com/embed/abc"
    assert "allow-scripts" in frame.get("sandbox") and frame.get("onload") is None


def test_removals_are_reported_per_file_and_fail_with_strict_html(site):
    site.post("raw.md", body="Intro.\n\n<p onclick=\"x()\">text</p>\n\n<script>alert(1)</script>\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert "content/posts/raw.md:10: html_policy: removed the onclick=" in build.log
    assert "content/posts/raw.md:12: html_policy: removed the <script> element" in build.log
    body = (build.output / "2024/03/raw/index.html").read_text()
    assert "alert(1)" not in body and "onclick" not in body
    strict = site.build(STRICT_HTML=True)
    assert strict.returncode != 0
    assert "content/posts/raw.md:12: html_policy: removed the <script> element" in strict.stderr


def test_metadata_is_escaped_in_pages_and_feeds(site):
    site.post("evil.md", Title="<script>alert(1)</script>Kazakhstan: x", Author="<b onmouseover=x()>Eve</b>",
              Summary="<img src=x onerror=alert(2)> summary")  # fmt: skip
    site.post("ru/evil.md", Slug="evil", Lang="ru", Translator='Eve" onmouseover="alert(3)', Title="Казахстан: x")
    build = site.build()
    assert build.returncode == 0, build.log
    _assert_nothing_runs(build.output)
    page = build.page("2024/03/evil/")
    assert page.findtext(".//h1") == "<script>alert(1)</script>Kazakhstan: x", "shown as text, not run"


OUR_SCRIPTS = ("theme/js/comments.js", "theme/js/search.js", "pagefind/pagefind-ui.js", "pagefind/parts.js")


def _assert_safe_html(document, where):
    """No script but our own files and JSON-LD data, no on…= handler, no javascript: address."""
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, element.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (where, element.tag, name)
        if element.tag == "script" and element.get("type") == "application/ld+json":
            json.loads(element.text)  # data, not code: it must parse as JSON
        elif element.tag == "script":
            assert element.get("src", "").endswith(OUR_SCRIPTS) and not (element.text or "").strip(), where


def _assert_nothing_runs(output):
    """Every page, and every entry of every feed, is safe to open."""
    for path in output.rglob("*"):
        if path.suffix == ".html":
            _assert_safe_html(lxml_html.fromstring(path.read_bytes()), path)
        elif path.suffix == ".xml":
            for node in etree.parse(str(path)).iter("{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary"):
                if node.text and node.text.strip():
                    _assert_safe_html(lxml_html.fragment_fromstring(node.text, create_parent="div"), path)


BAD_CONTENT = [
    ("malformed metadata", lambda s: s.write("posts/bad.md", "Title: Kazakhstan: x\nDate 2024-03-05\nCategory: Kazakhstan\n\nText.\n"),
     "content/posts/bad.md:2: 'Date 2024-03-05' is not a `Key: value` line"),
    ("not markdown", lambda s: s.write("posts/notes.docx", b"PK\x03\x04binary"),
     "content/posts/notes.docx: this file is not Markdown"),
    ("broken internal link", lambda s: s.post("bad.md", body="See [this]({filename}missing.md).\n"),
     "content/posts/bad.md:8: the linked file 'missing.md' does not exist"),
    ("missing image", lambda s: s.post("bad.md", body="![a photo]({static}/images/nowhere.jpg)\n"),
     "content/posts/bad.md:8: the image '/images/nowhere.jpg' does not exist"),
    ("missing plain image", lambda s: s.post("bad.md", body="![a photo](images/nowhere.jpg)\n"),
     "content/posts/bad.md:8: the image 'images/nowhere.jpg' does not exist"),
    ("slug collides after slugification", lambda s: (s.post("a.md", Slug=None, Title="Kazakhstan: A post!"),
                                                     s.post("b.md", Slug=None, Title="Kazakhstan: a post")),
     'is also the slug of'),
    ("deep nesting", lambda s: s.post("bad.md", body="".join("    " * i + "- item\n" for i in range(300))),
     "content/posts/bad.md:49: lists and quotes are nested 41 deep here"),
    ("control character", lambda s: s.post("bad.md", body="A bell \x07 rings.\n"),
     "content/posts/bad.md:8: the control character U+0007 cannot stand in a web page or feed"),
    ("future date as error", lambda s: s.post("bad.md", Date="2999-01-01"),
     "content/posts/bad.md:2: the post is dated in the future"),
]  # fmt: skip


@pytest.mark.parametrize(("make_bad", "message"), [c[1:] for c in BAD_CONTENT], ids=[c[0] for c in BAD_CONTENT])
def test_bad_content_is_refused_and_the_output_kept(site, make_bad, message):
    site.post("good.md")
    first = site.build(STRICT={"future_dates": "error"})
    assert first.returncode == 0, first.log
    before = snapshot(first.output)
    make_bad(site)
    second = site.build(STRICT={"future_dates": "error"})
    assert second.returncode != 0
    assert message in second.stderr, second.stderr
    assert snapshot(second.output) == before


def test_a_future_date_is_only_reported_by_default(site):
    site.post("later.md", Date="2999-01-01")
    build = site.build()
    assert build.returncode == 0, build.log
    assert "content/posts/later.md:2: the post is dated in the future" in build.log


def test_existing_links_and_images_are_fine(site):
    site.write("images/photo.png", b"\x89PNG\r\n\x1a\n")
    site.post("other.md")
    site.post("good.md", body="[Other]({filename}other.md) and ![a photo]({static}/images/photo.png)\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert build.page("2024/03/good/").find(".//img").get("src").endswith("images/photo.png")


def test_a_ten_megabyte_post_builds(site):
    paragraph = "A blogger [wrote](https://example.kz/x) [ru] that the road is *still* broken.\n\n"
    site.post("huge.md", body=paragraph * (10_000_000 // len(paragraph)))
    build = site.build()
    assert build.returncode == 0, build.log
    assert (build.output / "2024/03/huge/index.html").stat().st_size > 10_000_000


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"STRICT": {"strict": True}}, "strict: unknown key(s) ['strict'] in STRICT"),
        ({"SOURCE_LANG": {"legacy": True}}, "source_lang: unknown key(s) ['legacy'] in SOURCE_LANG"),
        ({"TRANSLATIONS": {"untranslate": "note"}}, "translations: unknown key(s) ['untranslate'] in TRANSLATIONS"),
        ({"HTML_POLICY": {"hosts": []}}, "html_policy: unknown key(s) ['hosts'] in HTML_POLICY"),
        ({"COMMENTS": {"provider": "isso", "url": "http://x/", "colour": 1}}, "comments: unknown key(s) ['colour']"),
        ({"COMMENTS": {"provider": "facebook"}}, "comments: unknown provider 'facebook'"),
        ({"LANGUAGES": {"en": {}, "xx": {}}}, "translations: LANGUAGES has 'xx', which is not a language Babel knows"),
        ({"LANGUAGES": {"en": {"domain": "x"}}}, "translations: unknown key(s) ['domain'] in LANGUAGES['en']; known: ['host']"),
    ],
)
def test_bad_settings_fail_at_start_with_a_clear_message(site, setting, message):
    site.post("good.md")
    build = site.build(**setting)
    assert build.returncode != 0
    assert message in build.log
    assert "Traceback" not in build.log


def _pipeline(root, body):
    """Build a site in-process from one post body; return the output folder, or the report if it was refused."""
    from pelican import Pelican
    from pelican.settings import read_settings
    from strict.problems import BuildFailed

    posts = root / "content/posts"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / "fuzz.md").write_bytes(body)
    conf = project_settings(root, {}, name="conf.py")
    output = root / "output"
    cwd = os.getcwd()
    os.chdir(root)
    report = io.StringIO()
    try:
        with contextlib.redirect_stderr(report):
            Pelican(read_settings(str(conf), override={"OUTPUT_PATH": str(output)})).run()
    except BuildFailed:
        return report.getvalue()
    finally:
        os.chdir(cwd)
    return output


def _assert_refused_clearly(report):
    """The report of a refused build: a count, then each problem with the file, the line, what and a fix."""
    head, *problems = re.split(r"\n(?=\S)", report.strip())
    counted = re.fullmatch(r"Build failed: (\d+) problems? in 1 file\.", head)
    assert counted and int(counted[1]) == len(problems) > 0, report
    for problem in problems:
        assert re.fullmatch(r"content/posts/fuzz\.md(:\d+)?: \S.*\n    fix: \S.*", problem, re.S), report
    assert "Traceback" not in report


HEADER = b"Title: Kazakhstan: fuzz\nDate: 2024-03-05\nCategory: Kazakhstan\nSlug: fuzz\n\n"
HOSTILE = st.lists(
    st.sampled_from([
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
        "[t](javascript:alert(1))", "<iframe src='https://evil.example/'></iframe>", "<svg onload=alert(1)>",
        "<p style='color:red' onmouseover='x()'>p</p>", "<a href=\"JaVaScRiPt:alert(1)\">y</a>", "text ", "\n\n",
        "> quote ", "- item\n", "**bold** ", "[link](https://example.kz) [ru] ", "<div>", "</div>", "`code` ",
        "<object data='x'></object>", "<a href='data:text/html,x'>d</a>", "&lt;script&gt;", "<",
    ]),
    min_size=1,
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=HOSTILE)
def test_hostile_markdown_never_runs_in_the_output(tmp_path_factory, body):
    output = _pipeline(tmp_path_factory.mktemp("fuzz"), HEADER + body.encode())
    if isinstance(output, str):
        _assert_refused_clearly(output)
    else:
        _assert_nothing_runs(output)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(HEADER.__add__)))
def test_random_bytes_are_read_or_refused_clearly(tmp_path_factory, data):
    """Bytes alone, or after a valid header: either refused with a clear report, or built into a safe page."""
    output = _pipeline(tmp_path_factory.mktemp("bytes"), data)
    if isinstance(output, str):
        _assert_refused_clearly(output)
    else:
        assert (output / "2024/03/fuzz/index.html").is_file(), "a post that builds is published"
        _assert_nothing_runs(output)


def test_publish_refuses_a_site_that_shrank_and_shows_deletions(tmp_path):
    require_system_tool("rsync", "apt-get install rsync")
    project = copy_project(tmp_path / "project")
    target = tmp_path / "server"
    target.mkdir()
    env = {"TILMASH_PUBLISH_TARGET": f"{target}/"}
    assert invoke(project, "publish", env=env).returncode == 0
    published = snapshot(target)
    (target / "old-page.html").write_text("left from an earlier site")
    keep_one_post(project)
    refused = invoke(project, "publish", env=env)
    assert refused.returncode == 1
    assert "far fewer than the" in refused.stderr and "--force" in refused.stderr
    assert snapshot(target) == {**published, "old-page.html": b"left from an earlier site"}
    dry = invoke(project, "publish", "--force", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "would delete: old-page.html" in dry.stdout
    assert (target / "old-page.html").exists()
    forced = invoke(project, "publish", "--force", env=env)
    assert forced.returncode == 0 and not (target / "old-page.html").exists()


@pytest.mark.parametrize(
    ("src", "watch"),
    [("https://www.youtube-nocookie.com/embed/Ab1Cd2Ef3Gh", "https://www.youtube.com/watch?v=Ab1Cd2Ef3Gh"),
     ("https://player.vimeo.com/video/123456", "https://player.vimeo.com/video/123456")],
)  # fmt: skip
def test_an_embed_is_a_link_and_a_button_until_the_reader_asks(src, watch):
    from html_policy.embeds import deferred  # noqa: PLC0415

    fragment = clean(f'<p><iframe src="{src}" width="560" height="315" title="A &quot;debate&quot;"></iframe></p>',
                     {"www.youtube-nocookie.com", "player.vimeo.com"})  # fmt: skip
    page = lxml_html.fragment_fromstring(deferred(fragment, lambda host: (f"Watch at {host}", "Play")), create_parent="div")
    assert page.find(".//iframe") is None, "nothing loads from the video's host with the page"
    embed = page.find(".//span[@class='embed']")
    assert (embed.get("data-embed-src"), embed.get("data-embed-title"), embed.get("data-embed-sandbox")) == (
        src, 'A "debate"', SANDBOX)
    assert embed.find("a").get("href") == watch and embed.find("button").get("hidden") is not None
