"""The demo site: every post has a page, and the content follows the house style."""

import re

from conftest import REPO
from strict.checks import metadata_values

POSTS = sorted((REPO / "content/posts").rglob("*.md"))


def _metadata(path):
    text = path.read_text(encoding="utf-8")
    return metadata_values(text), text


def test_the_demo_has_the_posts_the_house_style_asks_for():
    originals = [p for p in POSTS if "lang" not in _metadata(p)[0]]
    translations = [_metadata(p)[0]["lang"] for p in POSTS if "lang" in _metadata(p)[0]]
    assert len(originals) >= 8
    assert len({_metadata(p)[0]["category"] for p in originals}) >= 3
    assert translations.count("ru") >= 2 and translations.count("kk") >= 1
    assert any(_metadata(p)[0].get("mirror") == "neweurasia" for p in originals)
    for path in originals:
        metadata, text = _metadata(path)
        assert re.match(r"^[A-Z][a-z]+: ", metadata["title"]), path
        assert {"date", "category", "tags", "author", "summary"} <= metadata.keys(), path
        assert "\n> " in text, f"{path} quotes nobody"
        assert re.search(r"\]\(https?://[^)]+\) \[[a-z]{2}\]", text), f"{path} has no language marker"


def test_every_demo_post_and_page_has_a_page_in_the_output(demo_build):
    for path in POSTS:
        metadata, _ = _metadata(path)
        year, month = metadata["date"][:4], metadata["date"][5:7]
        lang = metadata.get("lang", "en")
        prefix = "" if lang == "en" else f"{lang}/"
        page = demo_build.page(f"{prefix}{year}/{month}/{metadata['slug']}/")
        assert page.get("lang") == lang
        assert page.findtext(".//h1") == metadata["title"]
    for path in (REPO / "content/pages").glob("*.md"):
        metadata, _ = _metadata(path)
        assert demo_build.page(f"{metadata['slug']}/").findtext(".//h1") == metadata["title"]


def test_the_nav_pages_are_in_every_language_and_the_nav_says_where_the_reader_is(demo_build):
    pages = {lang: {} for lang in ("en", "ru", "kk", "ar")}
    for path in (REPO / "content/pages").rglob("*.md"):
        metadata, _ = _metadata(path)
        pages[metadata.get("lang", "en")][metadata["slug"]] = metadata["title"]
    assert all(pages[lang].keys() == pages["en"].keys() for lang in pages), pages
    for lang, titles in pages.items():
        prefix = "" if lang == "en" else f"{lang}/"
        for slug, title in titles.items():
            page = demo_build.page(f"{prefix}{slug}/")
            assert page.get("lang") == lang and page.findtext(".//h1") == title
            nav = {a.text: a.get("aria-current") for a in page.iterfind(".//nav[@class='site-nav']//a")}
            assert {name: nav[name] for name in titles.values()} == {name: "page" if name == title else None
                                                                    for name in titles.values()}  # fmt: skip
            assert page.find(".//link[@hreflang='x-default']").get("href").endswith(f"/{slug}/")
            assert f"/{lang}/" not in page.find(".//link[@hreflang='x-default']").get("href")
