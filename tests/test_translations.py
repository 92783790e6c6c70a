"""Translations: one post in many languages, and a whole site per language."""

import re
from urllib.parse import urljoin

import pytest
from lxml import etree

from conftest import REPO

RU = {"Lang": "ru", "Translator": "Ирина Ким <https://example.org/irina>", "Title": "Казахстан: письмо"}


def _site_with_translation(site, **translation):
    site.write("topics.toml", '[ru]\nMedia = "СМИ"\n')
    site.post("letter.md", Tags="Media", body="She [wrote](https://a.kz/1) [ru].\n")
    site.post("ru/letter.md", Slug="letter", **{**RU, **translation}, body="Она [написала](https://a.kz/1) [ru].\n")
    site.post("other.md", Category="Kyrgyzstan", Tags="Energy", Date="2024-02-01")


@pytest.fixture
def built(site):
    """Every language site lists every post ("note"), so each has every kind of list page."""
    _site_with_translation(site)
    build = site.build(TRANSLATIONS={"untranslated": "note"})
    assert build.returncode == 0, build.log
    return build


def _links(page, xpath, base=None):
    """hreflang -> href of the elements found; with `base` (the page's path), hrefs made site-absolute."""
    return {
        a.get("hreflang"): urljoin(f"https://site.test/{base}", a.get("href")) if base is not None else a.get("href")
        for a in page.iterfind(xpath)
    }


def test_every_language_has_its_own_site(built):
    for lang in ("ru", "kk", "ar"):
        for path in ("", "archives/", "country/", "country/kazakhstan/", "topic/", "topic/media/",
                     "author/", "author/test-author/", "404.html"):  # fmt: skip
            page = built.page(f"{lang}/{path}")
            assert page.get("lang") == lang, (lang, path)
        feed = built.xml(f"{lang}/feeds/all.atom.xml")
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert built.page("").get("lang") == "en"


def test_arabic_pages_are_right_to_left(built):
    assert built.page("ar/").get("dir") == "rtl"
    assert built.page("ru/").get("dir") == "ltr"


def test_a_translation_credits_its_translator_and_links_the_original(built):
    page = built.page("ru/2024/03/letter/")
    credit = page.find(".//p[@class='translation-credit']")
    assert "Перевод:" in credit.text_content()
    translator = credit.find("bdi/a")
    assert translator.text == "Ирина Ким"
    assert translator.get("href").endswith("ru/author/irina-kim/"), "the name opens the translator's page"
    assert credit.find("a[@href='https://example.org/irina']").text == "example.org/irina", "then their own address"
    original = credit.find("a[@hreflang='en']")
    assert original.get("href").endswith("2024/03/letter/")


def test_article_pages_list_every_language_and_declare_alternates(built):
    english = built.page("2024/03/letter/")
    switcher = english.find(".//article//nav[@class='languages']")
    assert [(a.get("lang"), a.text) for a in switcher.iterfind(".//a")] == [("en", "English"), ("ru", "Русский")]
    alternates = _links(english, ".//head/link[@rel='alternate'][@hreflang]", "2024/03/letter/")
    assert alternates == {
        "en": "https://site.test/2024/03/letter/",
        "ru": "https://site.test/ru/2024/03/letter/",
        "x-default": "https://site.test/2024/03/letter/",
    }
    assert english.find(".//head/link[@rel='canonical']").get("href") == "../../../2024/03/letter/"
    russian = built.page("ru/2024/03/letter/")
    assert _links(russian, ".//head/link[@rel='alternate'][@hreflang]", "ru/2024/03/letter/") == alternates


def test_untranslated_posts_are_listed_with_a_note(site):
    _site_with_translation(site)
    build = site.build(TRANSLATIONS={"untranslated": "note"})
    assert build.returncode == 0, build.log
    index = build.page("ru/")
    assert index.find(".//p[@class='also-in-default']") is None, "every post is listed already"
    titles = [h.text_content() for h in index.iterfind(".//article[@class='post-summary']/h2")]
    assert titles == ["Казахстан: письмо", "Kazakhstan: A test post"]
    note = index.find(".//p[@class='untranslated']")
    assert note.text == "Ещё не переведено — читайте в оригинале (английский)"
    assert index.find(".//article[@class='post-summary']/h2[@lang='en']") is not None


def test_a_language_site_lists_its_own_posts_and_says_how_many_are_not_translated(site):
    _site_with_translation(site)
    built = site.build()
    assert built.returncode == 0, built.log
    russian = built.page("ru/")
    assert [h.text_content() for h in russian.iterfind(".//h2")] == ["Казахстан: письмо"]
    assert not (built.output / "ru/country/kyrgyzstan").exists()
    assert [h.text_content() for h in built.page("kk/").iterfind(".//h2")] == []
    for lang, text in (("ru", "Ещё 1 свежий материал пока только в оригинале (английский)"),
                       ("kk", "Тағы 2 жаңа материал әзірге тек түпнұсқада (ағылшын тілі)")):  # fmt: skip
        link = built.page(f"{lang}/").find(".//p[@class='also-in-default']/a")
        assert (link.text, link.get("href"), link.get("hreflang")) == (text, "../", "en")
    assert built.page("").find(".//p[@class='also-in-default']") is None


@pytest.mark.parametrize(
    ("languages_of_the_newest", "recent", "expected"),
    [([{"en", "ru"}, {"en"}, {"en", "kk"}, {"en"}], 10, 3), ([{"en"}, {"en"}, {"en", "ru"}], 2, 2),
     ([{"en", "ru"}], 10, 0), ([], 10, 0)],
)  # fmt: skip
def test_untranslated_recent_counts_the_newest_default_posts_without_the_language(languages_of_the_newest, recent, expected):
    from types import SimpleNamespace  # noqa: PLC0415

    from translations.model import untranslated_recent  # noqa: PLC0415

    posts = []
    for langs in languages_of_the_newest:
        post = SimpleNamespace()
        post.versions = [SimpleNamespace(lang=lang) for lang in sorted(langs)]
        posts.append(post)
    assert len(untranslated_recent(posts, "ru", recent)) == expected


def test_one_language_site_alone_still_writes_every_translation(site):
    _site_with_translation(site)
    build = site.build(TRANSLATIONS={"untranslated": "note", "sites": ["en"]})
    assert build.returncode == 0, build.log
    assert build.page("ru/2024/03/letter/").findtext(".//h1") == "Казахстан: письмо"
    assert (build.output / "index.html").exists() and (build.output / "feeds/all.atom.xml").exists()
    assert not (build.output / "ru/index.html").exists() and not (build.output / "ru/feeds").exists()
    wrong = site.build(TRANSLATIONS={"untranslated": "note", "sites": ["ru"]})
    assert wrong.returncode != 0 and 'TRANSLATIONS["sites"] must list languages of LANGUAGES, the default "en"' in wrong.log


PUBLISHED = {"SITEURL": "https://tilmash.example.org", "RELATIVE_URLS": False, "FEED_DOMAIN": "https://tilmash.example.org"}
HOSTED = {"en": {}, "ru": {"host": "https://ru.example.org"}, "kk": {}, "ar": {}}


def test_a_language_served_at_its_own_host(site):
    _site_with_translation(site)
    build = site.build(**PUBLISHED, LANGUAGES=HOSTED)
    assert build.returncode == 0, build.log
    english, russian = build.page("2024/03/letter/"), build.page("ru/2024/03/letter/")
    assert _links(english, ".//link[@rel='alternate'][@hreflang]")["ru"] == "https://ru.example.org/2024/03/letter/"
    assert russian.find(".//link[@rel='canonical']").get("href") == "https://ru.example.org/2024/03/letter/"
    assert _links(russian, ".//link[@rel='alternate'][@hreflang]")["en"] == "https://tilmash.example.org/2024/03/letter/"
    # The hosted site loads nothing from another origin: its own theme files and search index.
    assert russian.find(".//link[@rel='stylesheet']").get("href") == "https://ru.example.org/theme/css/main.css"
    assert (build.output / "ru/theme/css/main.css").is_file() and (build.output / "ru/pagefind/pagefind-ui.js").is_file()
    scripts = [s.get("src") for s in build.page("ru/search/").iterfind(".//script[@src]")]
    assert scripts and all(src.startswith("https://ru.example.org/") for src in scripts), scripts
    sitemap = (build.output / "sitemap.xml").read_text(encoding="utf-8")
    feed = (build.output / "ru/feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "https://ru.example.org/2024/03/letter/" in sitemap and "https://ru.example.org/2024/03/letter/" in feed
    leftovers = [p for p in build.output.rglob("*") if p.suffix in (".html", ".xml")
                 and "https://tilmash.example.org/ru/" in p.read_text(encoding="utf-8")]  # fmt: skip
    assert leftovers == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({**PUBLISHED, "LANGUAGES": {**HOSTED, "en": {"host": "https://en.example.org"}}}, "is the default language"),
        ({**PUBLISHED, "LANGUAGES": {**HOSTED, "ru": {"host": "ru.example.org"}}}, "must be an address like 'https://ru.example.org'"),
        ({"LANGUAGES": HOSTED}, "needs absolute addresses: set SITEURL and RELATIVE_URLS = False"),
    ],
)
def test_a_language_host_needs_a_valid_address_and_absolute_urls(site, settings, message):
    site.post("letter.md")
    build = site.build(**settings)
    assert build.returncode != 0 and message in build.log, build.log


def test_dates_countries_and_topics_speak_the_page_language(built):
    page = built.page("ru/2024/03/letter/")
    byline = page.find(".//p[@class='byline']")
    assert byline.find(".//time").text == "5 марта 2024\u202fг."  # CLDR puts a narrow no-break space
    assert byline.findall(".//a")[-1].text == "Казахстан"
    assert [a.text for a in page.iterfind(".//a[@rel='tag']")] == ["СМИ"]
    assert built.page("ar/country/").find(".//ul[@class='term-list']/li/a").text in {"كازاخستان", "قيرغيزستان"}
    assert built.page("ru/topic/media/").findtext(".//h1") == "Публикации на тему: СМИ"


def test_list_pages_switch_to_the_same_page_in_each_language(built):
    page = built.page("ru/country/kazakhstan/")
    links = _links(page, ".//header/nav[@class='languages']//a", "ru/country/kazakhstan/")
    assert links["en"] == "https://site.test/country/kazakhstan/"
    assert links["ar"] == "https://site.test/ar/country/kazakhstan/"


def test_a_translation_may_have_its_own_slug(site):
    site.post("letter.md")
    site.post("ru/pismo.md", Slug="pismo", **{"Translation-of": "letter"}, **RU)
    build = site.build()
    assert build.returncode == 0, build.log
    page = build.page("ru/2024/03/pismo/")
    assert page.find(".//p[@class='translation-credit']/a[@hreflang='en']").get("href") == "../../../../2024/03/letter/"
    alternates = _links(build.page("2024/03/letter/"), ".//head/link[@hreflang]", "2024/03/letter/")
    assert alternates["ru"] == "https://site.test/ru/2024/03/pismo/"


def test_a_stale_translation_says_so(site):
    site.post("letter.md", Modified="2024-04-01")
    site.post("ru/letter.md", Slug="letter", **{"Translation-date": "2024-03-10"}, **RU)
    build = site.build()
    assert build.returncode == 0, build.log
    assert build.page("ru/2024/03/letter/").find(".//p[@class='stale']") is not None
    assert build.page("2024/03/letter/").find(".//p[@class='stale']") is None


def test_sitemap_lists_alternates_for_every_translated_url(built):
    sitemap = built.xml("sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {u.findtext("s:loc", namespaces=ns): u for u in sitemap.iterfind("s:url", ns)}
    english = next(loc for loc in entries if loc.endswith("/2024/03/letter/") and "/ru/" not in loc)
    russian = english.replace("/2024/", "/ru/2024/")
    for loc in (english, russian):
        alternates = {link.get("hreflang"): link.get("href") for link in entries[loc].iterfind("x:link", ns)}
        assert alternates == {"en": english, "ru": russian}
    assert not entries[english.replace("letter", "other").replace("/03/", "/02/")].findall("x:link", ns)


def _problem(site, where, what, **settings):
    build = site.build(**settings)
    assert build.returncode != 0
    assert where in build.stderr, build.stderr
    assert what in build.stderr


def test_a_translation_without_an_original_fails(site):
    site.post("good.md")
    site.post("ru/orphan.md", Slug="orphan", **RU)
    _problem(site, "content/posts/ru/orphan.md:6", 'there is no post with the slug "orphan" to translate')


def test_two_translations_into_one_language_fail(site):
    site.post("letter.md")
    site.post("ru/letter.md", Slug="letter", **RU)
    site.post("ru/letter-2.md", Slug="letter-2", **{"Translation-of": "letter"}, **RU)
    build = site.build()
    assert build.returncode != 0
    reported = [f"content/posts/ru/{a}.md:{line}: \"letter\" already has a ru version: content/posts/ru/{b}.md"
                for a, line, b in (("letter", 7, "letter-2"), ("letter-2", 8, "letter"))]  # fmt: skip
    assert any(line in build.stderr for line in reported), build.stderr


def test_a_language_that_is_not_configured_fails(site):
    site.post("letter.md")
    site.post("fr/letter.md", Slug="letter", **{**RU, "Lang": "fr"})
    _problem(site, "content/posts/fr/letter.md:7", 'Lang "fr" is not configured')


def test_a_translation_without_a_translator_fails(site):
    site.post("letter.md")
    site.post("ru/letter.md", Slug="letter", Lang="ru", Title="Казахстан: письмо")
    _problem(site, "content/posts/ru/letter.md:6", '"letter" is also the slug of ')
    site.post("ru/letter.md", Slug="pismo", Lang="ru", **{"Translation-of": "letter"})
    _problem(site, "content/posts/ru/letter.md:8", "the translation names no translator")


def test_unknown_translations_setting_is_a_clear_error(site):
    site.post("letter.md")
    build = site.build(TRANSLATIONS={"untranslated": "note", "fed": "x"})
    assert build.returncode != 0
    assert "translations: unknown key(s) ['fed'] in TRANSLATIONS" in build.log


def test_the_demo_has_all_four_language_sites_browsable_both_ways(demo_build):
    path = "2024/10/uzbekistan-cotton-pickers-speak-up/"
    english = demo_build.page(path)
    arabic_path = _links(english, ".//article//nav[@class='languages']//a", path)["ar"].removeprefix("https://site.test/")
    arabic = demo_build.page(arabic_path)
    assert arabic.get("dir") == "rtl" and arabic_path == "ar/" + path
    back = _links(arabic, ".//article//nav[@class='languages']//a", arabic_path)["en"].removeprefix("https://site.test/")
    assert demo_build.page(back).findtext(".//h1") == english.findtext(".//h1")
    for lang in ("ru", "kk", "ar"):
        assert demo_build.page(f"{lang}/").get("lang") == lang


def test_catalogs_are_complete_for_every_language():
    from babel.messages.pofile import read_po

    template = read_po(open(REPO / "theme/translations/messages.pot", "rb"))
    for lang in ("en", "ru", "kk", "ar"):
        catalog = read_po(open(REPO / f"theme/translations/{lang}/LC_MESSAGES/messages.po", "rb"), locale=lang)
        for message in template:
            if message.id:
                translated = catalog.get(message.id)
                assert translated is not None and translated.string and not translated.fuzzy, (lang, message.id)
                assert not list(translated.check(catalog)), (lang, message.id)


def test_feeds_hold_only_their_languages_posts(built):
    atom = "{http://www.w3.org/2005/Atom}"
    russian = built.xml("ru/feeds/all.atom.xml")
    assert [e.findtext(f"{atom}title") for e in russian.iter(f"{atom}entry")] == ["Казахстан: письмо"]
    english = etree.tostring(built.xml("feeds/all.atom.xml"), encoding="unicode")
    assert "Казахстан: письмо" not in english and "Kazakhstan: A test post" in english


def test_ui_strings_are_whole_sentences_that_translators_can_reorder():
    """A label followed by inserted text ("By", "Topics:") cannot be reordered by a translator:
    such text is one message with a placeholder ("By %(authors)s")."""
    from babel.messages.pofile import read_po  # noqa: PLC0415

    template = read_po(open(REPO / "theme/translations/messages.pot", "rb"))
    # A label: a few words and a colon (a sentence that introduces a list may end in one).
    fragments = [m.id for m in template if m.id and not isinstance(m.id, tuple) and m.id.rstrip().endswith(":")
                 and len(m.id.split()) <= 3]  # fmt: skip
    assert fragments == []
    for lang in ("ru", "kk", "ar"):
        catalog = read_po(open(REPO / f"theme/translations/{lang}/LC_MESSAGES/messages.po", "rb"), locale=lang)
        for message in template:
            if message.id and "%(" in str(message.id):
                names = set(re.findall(r"%\((\w+)\)", str(message.id)))
                strings = catalog.get(message.id).string
                # A plural form may say the number in words (Arabic's "one" and "two" forms do).
                needed = names - {"num"} if isinstance(strings, tuple) else names
                for string in strings if isinstance(strings, tuple) else (strings,):
                    found = set(re.findall(r"%\((\w+)\)", string))
                    assert needed <= found <= names, (lang, message.id, string)
