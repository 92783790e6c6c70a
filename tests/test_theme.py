"""The theme: every template renders valid, accessible HTML from the demo content."""

import gzip
import re
import subprocess

import pytest
from pygments.formatters import HtmlFormatter

from conftest import REPO

PAGES = {
    "index": "",
    "article": "2024/03/kazakhstan-state-ordered-blogging/",
    "translation": "ru/2024/03/kazakhstan-state-ordered-blogging/",
    "page": "about/",
    "category": "country/kazakhstan/",
    "tag": "topic/media/",
    "author": "author/aigerim-sadykova/",
    "archives": "archives/",
    "categories": "country/",
    "tags": "topic/",
    "authors": "author/",
    "404": "404.html",
}


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_every_template_renders_a_complete_page(demo_build, url):
    page = demo_build.page(url)
    assert page.get("lang")
    assert len(page.findall(".//h1")) == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert page.find(f".//{landmark}") is not None, landmark
    assert page.findtext(".//title").strip()


def test_pages_carry_the_language_of_their_content(demo_build):
    assert demo_build.page(PAGES["article"]).get("lang") == "en"
    assert demo_build.page(PAGES["translation"]).get("lang") == "ru"
    assert demo_build.page("kk/2024/03/kazakhstan-state-ordered-blogging/").get("lang") == "kk"


def test_html_and_css_are_valid_for_the_nu_checker(demo_build, vnu):
    for kind in ("--skip-non-html", "--skip-non-css"):
        result = subprocess.run(
            [*vnu, kind, "--errors-only", str(demo_build.output)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr


def test_code_blocks_are_highlighted_with_the_style_the_css_ships(demo_build):
    page = demo_build.page("2024/11/kazakhstan-activists-archive-deleted-posts/")
    block = page.find(".//div[@class='codehilite']")
    assert block is not None
    assert block.findall(".//span[@class='kn']"), "keywords carry Pygments classes"
    css = (REPO / "theme/static/css/main.css").read_text(encoding="utf-8")
    assert HtmlFormatter(style="friendly").get_style_defs(".codehilite") in css


def test_stylesheet_is_small_has_a_print_style_and_no_web_fonts(demo_build):
    css = (demo_build.output / "theme/css/main.css").read_text(encoding="utf-8")
    assert "@media print" in css
    assert "@font-face" not in css and "@import" not in css
    # What a reader downloads: a first visit's page and stylesheet stay within 14 KB compressed
    # (tests/test_readers.py); the stylesheet's share of it is at most 4 KB.
    assert len(gzip.compress(css.encode(), 9)) < 4 * 1024


def test_pages_load_nothing_from_other_hosts(demo_build):
    for path in demo_build.output.rglob("*.html"):
        page = demo_build.page(path.relative_to(demo_build.output).as_posix())
        for element in page.iter("link", "script", "img", "iframe", "source", "video", "audio"):
            address = element.get("src") or element.get("href") or ""
            assert not re.match(r"(https?:)?//", address), (path, address)


def test_reads_without_css_in_document_order(demo_build):
    """Without CSS the page reads top to bottom: site name, menu, then the article."""
    page = demo_build.page(PAGES["article"])
    order = [element.tag for element in page.iter("header", "nav", "main", "h1", "footer")]
    assert order.index("main") < order.index("h1")
    assert order[0] == "header"
    assert order[-1] == "footer"
