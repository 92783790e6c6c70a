"""Strict builds: bad content fails the build, names the file and line, and keeps output/."""

import pytest

from conftest import VALID_POST, snapshot

BODY = "A lead paragraph about what bloggers say.\n"


def _bad_date(site):
    site.post("bad.md", Date="2024-13-45")
    return "content/posts/bad.md:2", "Date"


def _missing_title(site):
    site.post("bad.md", Title=None)
    return "content/posts/bad.md:1", "no title"


def _missing_category(site):
    site.post("bad.md", Category=None)
    return "content/posts/bad.md:1", "names no country"


def _category_not_a_country(site):
    site.post("bad.md", Category="Kazakstan")
    return "content/posts/bad.md:3", 'did you mean "Kazakhstan"?'


def _region_as_category(site):
    site.post("bad.md", Category="Central Asia")
    return "content/posts/bad.md:3", "is not a country"


def _duplicate_slug(site):
    # A pair is reported once, on the file that sorts after the other.
    site.post("same.md", Slug="good")
    return "content/posts/same.md:6", '"good" is also the slug of content/posts/good.md'


def _typo_key(site):
    site.write("posts/bad.md", "Title: Kazakhstan: A post\nDate: 2024-03-05\nCategory: Kazakhstan\nCatgory: Kazakhstan\n\n" + BODY)
    return "content/posts/bad.md:4", 'unknown metadata key "catgory"'


def _empty_body(site):
    site.post("bad.md", body="\n\n")
    return "content/posts/bad.md:7", "has no text"


def _invalid_utf8(site):
    site.write("posts/bad.md", "Title: Kazakhstan: A post\nDate: 2024-03-05\nCategory: Kazakhstan\n\nOk\n".encode() + b"caf\xe9\n")
    return "content/posts/bad.md:6", "not valid UTF-8"


def _page_without_title(site):
    site.write("pages/bad.md", "Slug: bad\n\n" + BODY)
    return "content/pages/bad.md:1", "no title"


CASES = [
    _bad_date,
    _missing_title,
    _missing_category,
    _category_not_a_country,
    _region_as_category,
    _duplicate_slug,
    _typo_key,
    _empty_body,
    _invalid_utf8,
    _page_without_title,
]


@pytest.mark.parametrize("make_bad", CASES, ids=lambda case: case.__name__.strip("_"))
def test_bad_content_fails_the_build_and_keeps_the_previous_output(site, make_bad):
    site.post("good.md")
    first = site.build()
    assert first.returncode == 0, first.log
    before = snapshot(first.output)

    where, what = make_bad(site)
    second = site.build()

    assert second.returncode != 0
    assert where in second.stderr
    assert what in second.stderr
    assert "Traceback" not in second.log
    assert snapshot(second.output) == before


def test_all_problems_are_reported_together_sorted_by_file(site):
    site.post("b.md", Category="Kazakstan")
    site.post("a.md", Date="yesterday")
    site.post("c.md", Title=None)
    build = site.build()
    assert build.returncode != 0
    report = build.stderr[build.stderr.index("Build failed: 3 problems in 3 files.") :]
    positions = [report.index(f"content/posts/{name}.md") for name in "abc"]
    assert positions == sorted(positions)


def test_a_post_is_never_dropped_silently(site):
    """Plain Pelican logs an error, skips a post without a title and exits 0."""
    site.post("good.md")
    site.post("untitled.md", Title=None)
    build = site.build()
    assert build.returncode == 1
    assert not build.output.exists()


def test_a_bom_and_a_translation_with_the_same_slug_are_fine(site):
    site.post("good.md")
    site.write("posts/ru/good.md", "\ufeffTitle: Казахстан: пост\nDate: 2024-03-05\nCategory: Kazakhstan\nSlug: good\nLang: ru\nTranslator: Ирина\n\nТекст.\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert build.page("ru/2024/03/good/").get("lang") == "ru"


def test_custom_metadata_that_is_no_typo_is_allowed(site):
    site.post("good.md", **{"Photo-credit": "Someone"})
    assert site.build().returncode == 0


def test_unknown_strict_setting_is_a_clear_error(site):
    site.post("good.md")
    build = site.build(STRICT={"metdata": []})
    assert build.returncode != 0
    assert "strict: unknown key(s) ['metdata'] in STRICT" in build.log


def test_each_post_is_converted_on_its_own(site):
    """One reader converts every post in turn: no footnote, heading id or summary carries over to the next."""
    noted = "Text with a note.[^1]\n\n## Reactions\n\nMore text.\n\n[^1]: The first post's footnote.\n"
    site.post("first.md", Summary="The *first* summary.", body=noted)
    header = "".join(f"{key}: {value}\r\n" for key, value in {**VALID_POST, "Title": "Kazakhstan: Windows lines", "Slug": "second"}.items())
    site.write("posts/second.md", header + "\r\nA paragraph\r\nin two lines.\r\n\r\n## Reactions\r\n\r\nA reply.\r\n")
    site.post("third.md", body="Plain text, no notes.\n")
    build = site.build()
    assert build.returncode == 0, build.log
    first, second, third = (build.page(f"2024/03/{slug}/") for slug in ("first", "second", "third"))
    assert "The first post's footnote." in first.find(".//div[@class='footnote']").text_content()
    assert second.find(".//div[@class='footnote']") is None and third.find(".//div[@class='footnote']") is None
    assert [h.get("id") for h in first.iter("h2") if h.text == "Reactions"] == ["reactions"]
    assert [h.get("id") for h in second.iter("h2") if h.text == "Reactions"] == ["reactions"]
    assert second.findtext(".//h1") == "Kazakhstan: Windows lines"
    assert second.find(".//div[@class='post-body']/p").text == "A paragraph\nin two lines."
    description = {page: page.find(".//meta[@name='description']").get("content") for page in (first, third)}
    assert description == {first: "The first summary.", third: "Plain text, no notes."}
