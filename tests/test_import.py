"""Importing a WordPress export: markers, countries, languages, authors, and idempotent re-runs."""

import sqlite3
import subprocess
import sys

import pytest
from lxml import etree

from conftest import REPO, import_into, invoke, snapshot

EXPORT = REPO / "tests/fixtures/wordpress-export.xml"


@pytest.fixture
def imported(project):
    return import_into(project, EXPORT)


def _post(project, name):
    return (project / "content/imported" / name).read_text(encoding="utf-8")


def test_markers_are_restored_in_every_form(imported):
    project, report = imported
    text = _post(project, "kyrgyzstan-media-bill.md")
    assert '[declared](https://law.example.kg/bill-211 "The lawyer\'s analysis") [ar]' in text
    assert "[Aida K.](https://blog.example.kg/aida). [ky] (@aida" in text
    assert "[press club](https://press.example.kg/statement) (Bishkek Press Club) [ru]" in text
    assert "[a Kyiv outlet](https://news.example.ua/kg) [uk, ru]" in text
    assert "[a Paris daily](https://news.example.fr/kg) [fr]" in text and "(RUS)" not in text
    assert "Nurlan, a student, said [ru]:" in text
    assert "\\[AM\\]" in text, "the ambiguous marker stays text"
    for line in ("after a link: 3", "after punctuation or a gloss: 2", "several languages: 1", "old spelling: 2",
                 "labels a quote: 1", "content/imported/kyrgyzstan-media-bill.md:15: [AM] ([AM] is ambiguous"):  # fmt: skip
        assert line in report
    assert (project / "var/import-report.txt").read_text(encoding="utf-8") in report


def test_taxonomy_authors_drafts_and_titles(imported):
    project, report = imported
    bill = _post(project, "kyrgyzstan-media-bill.md")
    assert "Category: Kyrgyzstan\n" in bill and "Countries:" not in bill
    assert "Regions: Central Asia\n" in bill, "CLDR's Central Asia contains Kyrgyzstan"
    assert "Tags: Central Asia & Caucasus, Freedom of Speech, Media & Journalism\n" in bill
    assert "Type: Updates\n" in bill and "Source-languages: ru\n" in bill
    assert "Author: Aida Kasymova\n" in bill
    roundup = _post(project, "roundup-water-talks-between-kazakhstan-and-uzbekistan.md")
    assert "Category: Kazakhstan\nCountries: Kazakhstan, Uzbekistan\n" in roundup
    assert "Tags: Water, Western Asia\n" in roundup and "Regions:" not in roundup, "not these countries' region"
    assert "Status: draft\n" in roundup and "Summary: Two countries, one river.\n" in roundup
    assert "Source-languages: hy\n" in roundup and "Type: Weblog\n" in roundup
    untitled = _post(project, "dushanbe-bread-queues.md")
    assert untitled.startswith("Title: Dushanbe residents report long queues for bread after…\n")
    assert "post 103 has no title" in report
    assert "'Central Asia & Caucasus' → topic" in report and "'Russian' → source-language hint ru" in report
    assert not (project / "content/imported/about.md").exists(), "pages are not posts"


def test_imported_posts_pass_the_strict_build_with_hreflang_links(imported):
    project, _ = imported
    build = invoke(project, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    page = etree.parse(str(project / "output/2013/05/kyrgyzstan-media-bill/index.html"), etree.HTMLParser()).getroot()
    hreflangs = {a.get("href"): a.get("hreflang") for a in page.iterfind(".//div[@class='post-body']//a")}
    assert hreflangs["https://news.example.ua/kg"] == "uk"
    assert hreflangs["https://tv.example.ru/kg"] == "ru"
    assert hreflangs["https://news.example.am/kg"] is None
    labels = [m.findtext("span[@aria-hidden='true']") for m in page.iterfind(".//span[@class='source-lang']")]
    assert labels == ["[ar]", "[ky]", "[ru]", "[uk, ru]", "[fr]", "[ru]", "[ru]"]


def test_a_roundup_is_listed_on_every_country_it_names(imported):
    project, _ = imported
    roundup = project / "content/imported/roundup-water-talks-between-kazakhstan-and-uzbekistan.md"
    roundup.write_text(roundup.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    assert invoke(project, "build").returncode == 0
    for country in ("kazakhstan", "uzbekistan"):
        listing = (project / f"output/country/{country}/index.html").read_text(encoding="utf-8")
        assert "Roundup: Water talks between Kazakhstan and Uzbekistan" in listing, country


def test_comments_never_reach_pages_or_feeds_but_can_go_to_isso(imported, tmp_path):
    project, _ = imported
    assert invoke(project, "build").returncode == 0
    for path in (project / "output").rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "reader-9001@mail.example.org" not in text and "192.0.2.44" not in text, path
    target = tmp_path / "comments.xml"
    result = invoke(project, "import-wordpress", str(EXPORT), "--comments-for-isso", str(target))
    assert result.returncode == 0, result.stderr
    items = etree.parse(str(target)).getroot().findall("channel/item")
    assert [item.findtext("link") for item in items] == ["/comments/kyrgyzstan-media-bill/"], "the thread id Tilmash uses"
    config = tmp_path / "isso.cfg"
    config.write_text(f"[general]\ndbpath = {tmp_path / 'comments.db'}\nhost = http://localhost/\n")
    isso = subprocess.run([sys.executable, "-c", "import sys; from isso import main; sys.argv[0] = 'isso'; sys.exit(main())",
                           "-c", str(config), "import", str(target)], capture_output=True, text=True, check=False)  # fmt: skip
    assert isso.returncode == 0, isso.stderr
    with sqlite3.connect(tmp_path / "comments.db") as db:
        assert db.execute("SELECT uri, text FROM threads JOIN comments ON comments.tid = threads.id").fetchall() == [
            ("/comments/kyrgyzstan-media-bill/", "Thank you for following this bill.")], "Isso's own import reads the file"


def test_a_second_import_changes_nothing(imported):
    project, _ = imported
    before = snapshot(project / "content/imported")
    again = invoke(project, "import-wordpress", str(EXPORT))
    assert again.returncode == 0
    assert "Imported 0 new posts (0 drafts); 0 updated; 4 unchanged; 0 conflicts." in again.stdout
    assert snapshot(project / "content/imported") == before


def test_a_newer_export_updates_and_adds_but_never_overwrites_local_edits(imported, tmp_path):
    project, _ = imported
    newer = tmp_path / "newer.xml"
    text = EXPORT.read_text(encoding="utf-8")
    text = text.replace("The parliament will <strong>vote</strong> next month.", "The parliament voted on Tuesday.")
    text = text.replace("Dushanbe residents report long queues", "Dushanbe residents report very long queues")
    extra = text[text.index("<item>") : text.index("</item>") + len("</item>")]
    extra = extra.replace("<wp:post_id>101</wp:post_id>", "<wp:post_id>106</wp:post_id>").replace(
        "kyrgyzstan-media-bill]]", "kyrgyzstan-media-bill-follow-up]]").replace("<wp:comment>", "<!--").replace("</wp:comment>", "-->")
    text = text.replace("</channel>", extra + "\n</channel>")
    newer.write_text(text, encoding="utf-8")
    local = project / "content/imported/dushanbe-bread-queues.md"
    local.write_text(local.read_text(encoding="utf-8").replace("Title: Dushanbe residents", "Title: Tajikistan: Dushanbe residents"),
                     encoding="utf-8")  # fmt: skip
    edited_here = local.read_text(encoding="utf-8")

    result = invoke(project, "import-wordpress", str(newer))
    assert result.returncode == 0, result.stderr
    assert "Imported 1 new posts (0 drafts); 1 updated; 2 unchanged; 1 conflicts." in result.stdout
    assert "dushanbe-bread-queues.md (WordPress post 103) was edited here since it was imported" in result.stdout
    assert local.read_text(encoding="utf-8") == edited_here
    assert "The parliament voted on Tuesday." in _post(project, "kyrgyzstan-media-bill.md")
    assert _post(project, "kyrgyzstan-media-bill-follow-up.md").startswith("Title: Kyrgyzstan: Reporters answer")


def test_a_missing_or_broken_export_is_a_clear_error(project, tmp_path):
    missing = invoke(project, "import-wordpress", str(tmp_path / "nope.xml"))
    assert missing.returncode == 1 and "is not a file" in missing.stderr
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>")
    result = invoke(project, "import-wordpress", str(broken))
    assert result.returncode == 1 and "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_the_region_data_is_cldrs():
    """importer/territory_containment.json is what `invoke cldr-regions` makes from cldr-core."""
    import json

    from importer.taxonomy import CONTAINMENT, containment_from_cldr

    source = REPO / "node_modules/cldr-core/supplemental/territoryContainment.json"
    if not source.exists():
        pytest.fail("cldr-core is missing: run `npm ci --ignore-scripts`")
    assert json.loads(CONTAINMENT.read_text()) == containment_from_cldr(json.loads(source.read_text()))
