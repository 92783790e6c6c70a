"""Strict builds: bad content fails the build, names the file and line, and keeps output/."""

import logging

import pytest

from conftest import VALID_POST, snapshot
from strict.problems import Problem

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


def _reported(build):
    """The problem lines of a failed build's summary ("path:line: message"), in order."""
    assert build.returncode == 1, build.log
    summary = build.stderr[build.stderr.index("Build failed:") :].splitlines()[1:]
    return [line for line in summary if not line.startswith("    ")]


def test_every_problem_of_a_file_is_reported_in_one_build_and_again_in_the_next(site):
    site.post("good.md")
    site.post("bad.md", Date="2024-13-45", Category="Kazakstan", Summary="What [a blogger](https://a.kz/1) [russian] said.",
              body="A [letter](https://example.kz/letter) [zz].\n")  # fmt: skip
    expected = [
        "content/posts/bad.md:2: Date: '2024-13-45' cannot be read ('2024-13-45' is not a valid date)",
        'content/posts/bad.md:3: Category "Kazakstan" is not a country (categories are countries)',
        "content/posts/bad.md:7: [russian] is a language's name, not its code",
        "content/posts/bad.md:9: [zz] is not a language Babel knows",
    ]
    first = site.build()
    assert _reported(first) == expected
    # The file is in the reader cache now: its problems are reported from there.
    assert _reported(site.build()) == expected


def test_each_problem_is_printed_once_in_the_summary_form(site):
    site.post("good.md")
    site.post("bad.md", body="A [letter](https://example.kz/letter) [russian].\n")
    site.write("posts/twice.md", "Title: Kazakhstan: Twice\nDate: 2024-03-05\nCategory: Kazakhstan\nStatus: published\n"
               "Status: draft\n\nText.\n")  # fmt: skip
    build = site.build()
    assert _reported(build) == [
        "content/posts/bad.md:8: [russian] is a language's name, not its code",
        f"content/posts/twice.md: Duplicate definition of `status` for {site.content / 'posts/twice.md'}. Using first one.",
    ]
    assert build.log.count("[russian] is a language's name") == 1
    assert build.log.count("Duplicate definition of `status`") == 1
    for wording in ("Could not process", "ERROR", "see the message above"):
        assert wording not in build.log


def test_a_post_without_a_date_is_told_how_to_write_one(site):
    site.post("good.md")
    site.post("undated.md", Date=None)
    build = site.build()
    assert _reported(build) == ["content/posts/undated.md:1: the post has no Date:"]
    assert 'fix: add a line "Date: 2024-03-05 09:30"' in build.stderr
    assert "Could not process" not in build.log and "message above" not in build.log


def test_a_draft_without_a_date_is_fine(site):
    site.post("good.md")
    site.post("undated.md", Date=None, Status="draft")
    assert site.build().returncode == 0


def test_no_markdown_file_under_content_vanishes(site):
    site.post("good.md")
    site.write("drafts/waiting.md", "".join(f"{k}: {v}\n" for k, v in VALID_POST.items()) + "\nA finished post.\n")
    site.write("images/notes.md", "Title: Notes\n\nNot an image.\n")
    site.write("notes/.backup.md", "An editor's backup, hidden: no content.\n")
    build = site.build()
    assert _reported(build) == [
        "content/drafts/waiting.md: this Markdown file is not where posts and pages are read from, so it would not be published",
        "content/images/notes.md: this Markdown file is not where posts and pages are read from, so it would not be published",
    ]
    assert "fix: move it into content/posts/ or content/imported/ (or a folder in it) if it is a post" in build.stderr
    assert "or into content/pages/ if it is a page, or into content/authors/ if it is an author's or translator's profile" in build.stderr


def test_a_file_that_is_not_markdown_gets_that_problem_alone(site):
    site.post("good.md")
    site.write("posts/notes.rst", "Kazakhstan: notes\n=================\n\n:date: 2024-03-05\n\nText.\n")
    site.write("posts/letter.html", "<html><head><title>A letter</title></head><body><p>Text.</p></body></html>\n")
    site.write("pages/about.htm", "<html><body>About.</body></html>\n")
    problems = _reported(site.build())
    assert problems == [f"content/{path}: this file is not Markdown; posts and pages are .md files"
                        for path in ("pages/about.htm", "posts/letter.html", "posts/notes.rst")]  # fmt: skip


def test_a_shared_slug_is_reported_once_per_pair_and_a_page_is_a_page(site):
    for name in ("a", "b", "c"):
        site.post(f"{name}.md", Slug="same")
    site.write("pages/about.md", "Title: About\nSlug: about\n\nAbout us.\n")
    site.write("pages/about-us.md", "Title: About us\nSlug: about\n\nAbout us.\n")
    site.write("pages/empty.md", "Slug: empty\n\n")
    problems = _reported(site.build())
    assert problems == [
        'content/pages/about.md:1: slug "about" in language "en" is also used by content/pages/about-us.md',
        "content/pages/empty.md:1: the page has no title",
        "content/pages/empty.md:2: the page has no text after its metadata",
        'content/posts/b.md:6: "same" is also the slug of content/posts/a.md',
        'content/posts/c.md:6: "same" is also the slug of content/posts/a.md',
    ]


def test_links_to_country_topic_and_author_pages_must_have_a_page(site):
    site.post("good.md", Countries="Kazakhstan, Kyrgyzstan")
    links = "[there]({category}Kazakhstan), [also]({category}Kyrgyzstan), [media]({tag}Media), [by]({author}Test Author)"
    site.post("links.md", body=f"{links}.\n")
    assert site.build().returncode == 0
    site.post("bad.md", body="[Yeah]({category}Yeah) and [x]({tag}Medai).\n\n[nobody]({author}Nobody)\n")
    build = site.build()
    assert _reported(build) == [
        'content/posts/bad.md:8: the link "{category}Yeah" goes to the page of a country that does not exist: no published post is about it',
        'content/posts/bad.md:8: the link "{tag}Medai" goes to the page of a topic that does not exist: no published post has it',
        'content/posts/bad.md:10: the link "{author}Nobody" goes to the page of an author that does not exist: no published post is by them',
    ]
    assert 'did you mean "{tag}Media"?' in build.stderr


def test_a_missing_image_is_one_problem_with_the_post_and_line(site):
    site.post("good.md")
    site.post("a.md", body="Text.\n\n![a photo]({static}/images/nowhere.jpg)\n\n![again]({static}/images/nowhere.jpg)\n")
    site.post("b.md", body="![the same photo]({static}/images/nowhere.jpg)\n")
    build = site.build()
    assert _reported(build) == [
        "content/posts/a.md:10: the image '/images/nowhere.jpg' does not exist",
        "content/posts/b.md:8: the image '/images/nowhere.jpg' does not exist",
    ]
    assert "modification stamp" not in build.log


@pytest.mark.parametrize(
    ("files", "read", "unread"),
    [
        (["posts/a.md", "pages/b.md"], ["posts/a.md", "pages/b.md"], []),
        (["posts/a.md", "drafts/b.md", "b.markdown"], ["posts/a.md"], ["b.markdown", "drafts/b.md"]),
        (["images/photo.jpg", "images/readme.mkd"], [], ["images/readme.mkd"]),
        # Hidden files and folders (editors' backups, .git) and IGNORE_FILES are not content.
        ([".git/x.md", "notes/.x.md", "posts/#x.md#", "tmp/x.md"], [], ["tmp/x.md"]),
    ],
)
def test_unread_markdown(tmp_path, files, read, unread):
    from strict.unread import unread_markdown  # noqa: PLC0415

    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Title: x\n", encoding="utf-8")
    found = unread_markdown(str(tmp_path), [str(tmp_path / n) for n in read], ["md", "markdown", "mkd"], ["**/.*", "#*#"])
    assert found == [str(tmp_path / n) for n in unread]


@pytest.mark.parametrize(
    ("html", "links"),
    [
        ('<a href="{category}Kazakhstan">x</a>', [("category", "Kazakhstan", "{category}Kazakhstan")]),
        ("<a href='|tag|Media'>x</a> <a href=\"{author}Test Author#top\">", [("tag", "Media", "|tag|Media"),
                                                                            ("author", "Test Author", "{author}Test Author")]),
        ('<a href="{filename}a.md">x</a> <img src="{static}/i.png"> <a href="https://x.kz/{tag}">', []),
        ('<a href="{tag}Q&amp;A">', [("tag", "Q&amp;A", "{tag}Q&A")]),
    ],
)  # fmt: skip
def test_term_links(html, links):
    from strict.terms import term_links  # noqa: PLC0415

    assert term_links(html) == links


@pytest.mark.parametrize(
    ("kind", "name", "pages", "problem"),
    [
        ("category", "Kazakhstan", {"kazakhstan": "Kazakhstan"}, None),
        ("category", "kazakhstan", {"kazakhstan": "Kazakhstan"}, None),  # Pelican links by slug
        ("tag", "Freedom of Speech", {"freedom-of-speech": "Freedom of Speech"}, None),
        ("tag", "Medai", {"media": "Media"}, 'did you mean "{tag}Media"?'),
        ("category", "Yeah", {"kazakhstan": "Kazakhstan"}, 'e.g. "{category}Kazakhstan"'),
        ("author", "Nobody", {}, "remove the link"),
    ],
)
def test_missing_term(kind, name, pages, problem):
    from pelican.settings import DEFAULT_CONFIG  # noqa: PLC0415
    from strict.terms import missing_term  # noqa: PLC0415

    found = missing_term(kind, name, pages, DEFAULT_CONFIG)
    if problem is None:
        assert found is None
    else:
        message, fix = found
        assert f'"{{{kind}}}{name}"' in message and problem in fix


def _record(message, *args, level=logging.WARNING, **extra):
    return logging.makeLogRecord({"msg": message, "args": args, "levelno": level, "levelname": logging.getLevelName(level), **extra})


@pytest.mark.parametrize(
    ("records", "problems"),
    [
        # A record with its exception gives it; none says "see the message above".
        ([_record("Could not process %s", "posts/x.md", level=logging.ERROR, cause="KeyError: 'x'")],
         [("content/posts/x.md", "Could not process posts/x.md: KeyError: 'x'")]),
        ([_record("Cannot get modification stamp for %s\n\t%s", "/nowhere/i.png", "[Errno 2]")],
         [("(build)", "Cannot get modification stamp for /nowhere/i.png [Errno 2]")]),
        # ... unless a problem of ours covers the path it names.
        ([_record("Cannot get modification stamp for %s\n\t%s", "/nowhere/i.png", "[Errno 2]"),
          _record("strict: x", level=logging.ERROR, problem=Problem("content/posts/x.md", 8, "the image", "fix"),
                  covers=("/nowhere/i.png",))],
         [("content/posts/x.md", "the image")]),
    ],
)  # fmt: skip
def test_problems_from_records(tmp_path, monkeypatch, records, problems):
    from strict.problems import problems_from_records  # noqa: PLC0415

    monkeypatch.chdir(tmp_path)
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/x.md").write_text("Title: x\n", encoding="utf-8")
    found = problems_from_records(records, "content")
    assert [(p.path, p.message) for p in found] == problems
    assert not any("above" in p.fix for p in found)


def test_the_collector_keeps_what_it_reports_out_of_other_handlers():
    from strict.problems import ProblemCollector  # noqa: PLC0415

    console, collector = logging.Handler(), ProblemCollector()
    collector.mute([console, collector])
    shown = {level: console.filter(_record("x", level=level)) for level in (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)}
    assert shown == {logging.INFO: True, logging.WARNING: False, logging.ERROR: False, logging.CRITICAL: True}
    assert console.filter(_record("x", notice=True))
    collector.unmute()
    assert console.filter(_record("x", level=logging.ERROR))


def test_when_pelican_stops_short_the_problems_found_so_far_are_still_reported(capsys):
    from strict.problems import ProblemCollector  # noqa: PLC0415

    collector = ProblemCollector()
    problem = Problem("content/posts/x.md", 2, "Date: 'x' cannot be read", "write it as YYYY-MM-DD")
    collector.handle(_record("strict: %s", problem, level=logging.ERROR, problem=problem))
    assert capsys.readouterr().err == ""
    collector.handle(_record("KeyError: %s", "'nope'", level=logging.CRITICAL))
    assert capsys.readouterr().err == f"Build failed: 1 problem in 1 file.\n{problem}\n"
