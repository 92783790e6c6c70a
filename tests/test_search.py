"""The search index: per language site, in parts of bounded size that the search page merges."""

import shutil
import time
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import snapshot
from sitebuild.search import SearchConfigError, index_for_search, packed, search_config


@pytest.mark.parametrize(
    ("counts", "limit", "parts"),
    [
        ({}, 10, []),
        ({"2024/01": 3}, 10, [["2024/01"]]),
        ({"2024/02": 4, "2024/01": 3, "2023/12": 5}, 10, [["2023/12", "2024/01"], ["2024/02"]]),
        ({"2024/01": 3, "2024/02": 7}, 10, [["2024/01", "2024/02"]]),
        ({"2024/01": 12, "2024/02": 1}, 10, [["2024/01"], ["2024/02"]]),
        ({"2024/01": 1, "2024/02": 1, "2024/03": 1}, 1, [["2024/01"], ["2024/02"], ["2024/03"]]),
    ],
    ids=["nothing", "one-month", "oldest-first", "exactly-full", "month-larger-than-a-part", "a-month-each"],
)
def test_months_are_packed_oldest_first_into_parts(counts, limit, parts):
    assert packed(counts, limit) == parts


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"glob": "*/index.html"}, "unknown keys ['glob']"),
        ({"pages": "*/index.html"}, "last two parts are a post's folder and file"),
        ({"pages": "{2024,2025}/[0-9][0-9]/*/index.html"}, "without braces"),
        ({"pages_per_part": 0}, "a whole number of 1 or more"),
        ({"pages_per_part": "100"}, "a whole number of 1 or more"),
    ],
)
def test_a_wrong_search_setting_is_named(setting, message):
    with pytest.raises(SearchConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        search_config({"SEARCH_INDEX": setting})


def _three_months(site):
    for month, word in (("01", "glacier"), ("02", "glacier"), ("03", "glacier")):
        site.post(f"m{month}.md", Title=f"Kazakhstan: Month {month}", Date=f"2024-{month}-05 09:30",
                  body=f"Bloggers wrote about the {word} in month {month}.\n")  # fmt: skip
    site.post("ru/m02.md", Slug="m02", Lang="ru", Translator="Ирина Ким", Title="Казахстан: февраль",
              Date="2024-02-05 09:30", body="Блогеры написали о леднике.\n")  # fmt: skip


def test_each_language_site_has_its_own_index_in_parts_of_whole_months(site):
    _three_months(site)
    build = site.build(SEARCH_INDEX={"pages_per_part": 2})
    assert build.returncode == 0, build.log
    english, russian = build.output / "pagefind", build.output / "ru/pagefind"
    # Oldest first: January and February fill a part; March, the newest, is the main bundle.
    assert (english / "parts.js").read_text(encoding="utf-8").endswith('window.searchParts = ["2024-01/"];\n')
    assert sorted(p.name for p in english.glob("*.pf_meta")) == [p.name for p in english.glob("pagefind.en_*.pf_meta")]
    assert len(list(english.glob("fragment/*"))) == 1 and len(list((english / "2024-01").glob("fragment/*"))) == 2
    assert (russian / "parts.js").read_text(encoding="utf-8").endswith("window.searchParts = [];\n")
    assert list(russian.glob("pagefind.ru_*.pf_meta")) and not list(russian.glob("pagefind.en_*"))
    assert not (build.output / "kk/pagefind").exists(), "no posts in Kazakh: nothing to index"
    assert build.page("kk/search/").find(".//script[@src]") is None, "nor anything to load for it"
    assert build.page("kk/search/").find(".//p[@class='search-fallback']/a") is not None
    search = build.page("ru/search/")
    scripts = [urlsplit(urljoin("http://localhost/ru/search/", s.get("src"))).path for s in search.iterfind(".//script[@src]")]
    assert scripts == ["/ru/pagefind/pagefind-ui.js", "/ru/pagefind/parts.js", "/theme/js/search.js"]


def test_the_search_page_finds_posts_in_every_part(site, browser, serve_folder):
    _three_months(site)
    build = site.build(SEARCH_INDEX={"pages_per_part": 1})
    assert build.returncode == 0, build.log
    assert sorted(p.name for p in (build.output / "pagefind").iterdir() if p.name.startswith("2024-")) == ["2024-01", "2024-02"]
    base = serve_folder(build.output)
    page = browser.new_page()
    page.goto(f"{base}/search/")
    page.fill(".pagefind-ui__search-input", "glacier")
    page.locator(".pagefind-ui__result-link").nth(2).wait_for()
    found = sorted(urlsplit(link.get_attribute("href")).path for link in page.locator(".pagefind-ui__result-link").all())
    page.goto(f"{base}/ru/search/")
    page.fill(".pagefind-ui__search-input", "ледник")
    page.wait_for_selector(".pagefind-ui__result-link")
    found_ru = [urlsplit(link.get_attribute("href")).path for link in page.locator(".pagefind-ui__result-link").all()]
    page.close()
    assert found == ["/2024/01/m01/", "/2024/02/m02/", "/2024/03/m03/"]
    assert found_ru == ["/ru/2024/02/m02/"]


def test_a_wrong_search_setting_fails_the_build_and_keeps_the_site(site):
    _three_months(site)
    assert site.build().returncode == 0
    before = snapshot(site.root / "output")
    build = site.build(SEARCH_INDEX={"pages_per_part": 0})
    assert build.returncode != 0
    assert 'siteconf.py: SEARCH_INDEX["pages_per_part"] = 0: give a whole number of 1 or more.' in build.log
    assert snapshot(site.root / "output") == before


def _inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _bundles_rewritten(before, after):
    """The bundles ("" for the main one, "2024-01/" for a part) whose files are new files."""
    return {path.split("/", 1)[0] + "/" if path.startswith("2024-") else "" for path in after if after[path] != before.get(path)}


@pytest.mark.parametrize(("page", "rewritten"), [("2024/01/m01/index.html", "2024-01/"), ("2024/03/m03/index.html", "")])
def test_a_preview_indexes_again_only_the_part_that_holds_the_edited_page(site, page, rewritten):
    from pelican.settings import read_settings  # noqa: PLC0415

    _three_months(site)
    build = site.build(SEARCH_INDEX={"pages_per_part": 1})
    assert build.returncode == 0, build.log
    english, russian = build.output / "pagefind", build.output / "ru/pagefind"
    before, files, russian_files = snapshot(english), _inodes(english), _inodes(russian)
    result = index_for_search(build.output, read_settings(str(site.root / "siteconf.py")), pages=[page])
    assert result.returncode == 0, result.stderr
    assert snapshot(english) == before, "the same pages give the same index"
    assert _bundles_rewritten(files, _inodes(english)) == {rewritten}
    assert _inodes(russian) == russian_files, "other languages untouched"


def _mtimes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("fragment/*")}


def test_a_build_keeps_the_bundles_of_parts_whose_pages_did_not_change(site):
    _three_months(site)
    assert site.build(SEARCH_INDEX={"pages_per_part": 1}).returncode == 0
    output = site.root / "output"
    english, russian = _mtimes(output / "pagefind"), _mtimes(output / "ru/pagefind")
    time.sleep(0.05)  # a bundle made again would have newer files
    january = site.content / "posts/m01.md"
    january.write_text(january.read_text(encoding="utf-8").replace("the glacier", "the moraine"), encoding="utf-8")
    # The Russian bundle as another version of Pagefind would have left it.
    entry = output / "ru/pagefind/pagefind-entry.json"
    entry.write_text(entry.read_text(encoding="utf-8").replace('"version": "', '"version": "0.'), encoding="utf-8")
    build = site.build(SEARCH_INDEX={"pages_per_part": 1})
    assert build.returncode == 0, build.log
    after = _mtimes(output / "pagefind")
    assert {path.split("/", 1)[0] for path in after if after[path] != english.get(path)} == {"2024-01"}
    assert all(_mtimes(output / "ru/pagefind")[path] != made for path, made in russian.items())
    edited = snapshot(output)
    shutil.rmtree(output)
    shutil.rmtree(site.root / ".pelican-cache")
    assert site.build(SEARCH_INDEX={"pages_per_part": 1}).returncode == 0
    assert [path for path in edited.keys() | snapshot(output).keys() if edited.get(path) != snapshot(output).get(path)] == []


def test_a_kept_bundle_brings_none_of_the_old_parts_inside_it(site):
    _three_months(site)
    assert site.build(SEARCH_INDEX={"pages_per_part": 1}).returncode == 0
    # March stays the newest part, alone; January and February become one part.
    assert site.build(SEARCH_INDEX={"pages_per_part": 2}).returncode == 0
    output = site.root / "output"
    assert sorted(p.name for p in (output / "pagefind").iterdir() if p.name.startswith("2024-")) == ["2024-01"]
    kept = snapshot(output)
    shutil.rmtree(output)
    assert site.build(SEARCH_INDEX={"pages_per_part": 2}).returncode == 0
    assert [path for path in kept.keys() | snapshot(output).keys() if kept.get(path) != snapshot(output).get(path)] == []
