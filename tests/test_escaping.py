"""Hostile metadata: every value reaches pages, feeds, JSON-LD and the sitemap as text, or is refused."""

import json
from urllib.parse import urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import Site
from strict.checks import address_problem, leaves_folder
from strict.term_names import term_problems
from test_hardening import _assert_nothing_runs
from translations.model import parse_translator, translator_problem
from ui_strings.topics import read_topic_names

ATOM = "{http://www.w3.org/2005/Atom}"
SITEURL = "https://tilmash.example.org"
PARTNERS = {"neweurasia": {"name": "neweurasia", "url": "https://neweurasia.example.net"}}
# What ran in Chromium before topics stopped going through gettext; `images/x.js` is on the site.
SCRIPT_TAG = 'Zebra"><script src="/images/x.js"></script>'
HANDLER_TAG = "Yak<img src=x onerror=document.title='pwned'>"
TAGS = [SCRIPT_TAG, HANDLER_TAG, "100% Free", "Q&A"]
AUTHOR = "</script><script>document.title='pwned'</script>Eve & Co"
TITLE = 'Kazakhstan: "quoted" <b onclick=x()>bold</b> & </script><script>alert(1)</script>'
SUMMARY = '<img src=x onerror=alert(2)> "summary" & more'
MIRROR_URL = "https://neweurasia.example.net/copy/?a=1&b=2"
TRANSLATOR = 'Eve & "Co"'
TRANSLATOR_URL = "https://example.org/eve?a=1&b=2"
# A translator's name for a topic is text too, never markup.
TOPIC_NAMES = '[ru]\n"Q&A" = "<i>Вопросы</i> & ответы"\n'
PAYLOAD = "document.title = 'pwned'; window.pwned = true;\n"


def hostile_site(root):
    site = Site(root)
    site.write("images/x.js", PAYLOAD)
    site.write("topics.toml", TOPIC_NAMES)
    site.post("hostile.md", Title=TITLE, Tags=", ".join(TAGS), Author=AUTHOR, Summary=SUMMARY, Mirror="neweurasia",
              **{"Mirror-url": MIRROR_URL}, body="She [wrote](https://a.kz/1) [ru].\n")  # fmt: skip
    site.post("ru/hostile.md", Slug="hostile", Lang="ru", Translator=f"{TRANSLATOR} <{TRANSLATOR_URL}>", Mirror="neweurasia",
              Title="Казахстан: письмо", Tags=", ".join(TAGS), body="Она [написала](https://a.kz/1) [en].\n")  # fmt: skip
    site.post("tom&jerry.md", Slug="tom&jerry")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    build = hostile_site(tmp_path_factory.mktemp("hostile")).build(
        SITEURL=SITEURL, RELATIVE_URLS=False, PARTNERS=PARTNERS
    )
    assert build.returncode == 0, build.log
    return build


def _refused(site, *messages, **settings):
    """Build; the build must fail, saying each message, without a traceback."""
    build = site.build(**settings)
    assert build.returncode != 0
    for message in messages:
        assert message in build.stderr, build.log
    assert "Traceback" not in build.log


def _json_ld(page):
    (script,) = page.findall(".//script[@type='application/ld+json']")
    return script.text, json.loads(script.text)


def test_no_page_or_feed_carries_an_injected_element_handler_or_script(built):
    _assert_nothing_runs(built.output)
    for path in built.output.rglob("*.html"):
        document = lxml_html.fromstring(path.read_bytes())
        # The summary is Markdown: its <img> stays, cleaned of its handler; no other value makes one.
        assert not document.xpath("//img[@src='x'][not(ancestor::div[@class='summary'])]"), path
        assert not document.xpath("//script[contains(@src, 'x.js')]"), path


def test_topics_are_text_on_the_article_topic_pages_and_topic_list(built):
    page = built.page("2024/03/hostile/")
    assert [a.text for a in page.iterfind(".//a[@rel='tag']")] == TAGS
    assert [m.get("content") for m in page.iterfind(".//meta[@property='article:tag']")] == TAGS
    for tag, slug in [(SCRIPT_TAG, "zebra"), ("100% Free", "100-free"), ("Q&A", "qa")]:
        topic = built.page(f"topic/{slug}/")
        assert topic.findtext(".//h1") == f"Posts on {tag}"
        assert f"Tilmash: {tag}" in [link.get("title") for link in topic.iterfind(".//link[@type='application/atom+xml']")]
    listed = [a.text for a in built.page("topic/").iterfind(".//ul[@class='term-list']/li/a")]
    assert set(TAGS) <= set(listed)


def test_a_topic_with_a_percent_sign_builds_and_reads_as_written(built):
    assert built.page("topic/100-free/").findtext(".//h1") == "Posts on 100% Free"
    assert "100% Free" in [a.text for a in built.page("2024/03/hostile/").iterfind(".//a[@rel='tag']")]


def test_a_topic_name_from_the_table_is_text_as_well(built):
    page = built.page("ru/2024/03/hostile/")
    assert [a.text for a in page.iterfind(".//a[@rel='tag']")][-1] == "<i>Вопросы</i> & ответы"
    assert page.find(".//a[@rel='tag']/i") is None
    assert built.page("ru/topic/qa/").findtext(".//h1").endswith("<i>Вопросы</i> & ответы")


def test_author_title_and_summary_are_text_in_the_page(built):
    page = built.page("2024/03/hostile/")
    assert page.findtext(".//h1") == TITLE
    assert page.find(".//h1/b") is None
    assert page.find(".//p[@class='byline']//a[@rel='author']").text == AUTHOR
    assert page.find(".//meta[@name='description']").get("content").strip() == '"summary" & more'
    summary = built.page("").find(".//div[@class='summary']")
    assert summary.find(".//img") is None or summary.find(".//img").get("onerror") is None


def test_json_ld_cannot_end_its_script_and_keeps_every_value(built):
    raw, data = _json_ld(built.page("2024/03/hostile/"))
    assert "<" not in raw and ">" not in raw, "no </script> can end the block early"
    assert data["keywords"] == TAGS
    assert data["author"][0]["name"] == AUTHOR
    raw, data = _json_ld(built.page("ru/2024/03/hostile/"))
    assert "<" not in raw
    assert data["translator"] == {"@type": "Person", "name": TRANSLATOR, "url": TRANSLATOR_URL}


def test_translator_and_partner_copy_are_links_with_their_address_as_written(built):
    page = built.page("ru/2024/03/hostile/")
    name = page.find(".//p[@class='translation-credit']/bdi/a")
    assert (name.text, name.get("href")) == (TRANSLATOR, "https://tilmash.example.org/ru/author/eve-co/")
    address = page.find(".//p[@class='translation-credit']/a[@dir='ltr']")
    assert address.get("href") == TRANSLATOR_URL
    copy = built.page("2024/03/hostile/").find(".//p[@class='also-posted']/a")
    assert copy.get("href") == MIRROR_URL


def test_atom_feeds_carry_the_values_as_text(built):
    feed = built.xml("feeds/all.atom.xml")
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.find(f"{ATOM}link").get("href").endswith("/2024/03/hostile/"))
    assert entry.findtext(f"{ATOM}title") == TITLE
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == AUTHOR
    assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == ["Kazakhstan", *TAGS]
    topic = built.xml("feeds/topic/zebra.atom.xml")
    assert topic.findtext(f"{ATOM}title") == f"Tilmash: {SCRIPT_TAG}"


def test_the_partner_feed_attribution_names_the_translator_as_text(built):
    feed = built.xml("feeds/partners/neweurasia.ru.atom.xml")
    (content,) = feed.iter(f"{ATOM}content")
    body = lxml_html.fragment_fromstring(content.text, create_parent="div")
    attribution = body.find(".//p[@class='tilmash-attribution']")
    assert f"Перевод: {TRANSLATOR}." in attribution.text_content()
    assert [a.get("href") for a in attribution.iter("a")] == [f"{SITEURL}/ru/2024/03/hostile/"]


def test_the_sitemap_parses_and_holds_every_address_escaped(built):
    sitemap = built.xml("sitemap.xml")
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{SITEURL}/2024/03/tom&jerry/" in locations
    assert all(urlsplit(loc).netloc == "tilmash.example.org" for loc in locations)
    assert b"tom&amp;jerry" in (built.output / "sitemap.xml").read_bytes()


REFUSED = [
    ("Translator", "x <javascript:alert(1)>", 'Translator: "javascript:alert(1)" is not a web address'),
    ("Translator", "x <JaVaScRiPt:alert(1)>", 'Translator: "JaVaScRiPt:alert(1)" is not a web address'),
    ("Translator", "x < javascript:alert(1)>", 'Translator: "javascript:alert(1)" is not a web address'),
    ("Translator", "x <data:text/html,<b>>", 'is not a name, or a name and <address>'),
    ("Translator", "x <//evil.example/x>", 'Translator: "//evil.example/x" is not a web address'),
    ("Translator", "<img src=x onerror=alert(1)> x", 'Translator "<img src=x onerror=alert(1)> x" is not a name'),
    ("Translator", "<https://example.org/irina>", "is not a name, or a name and <address>"),
    ("Mirror-url", "javascript:alert(1)", 'Mirror-url: "javascript:alert(1)" is not a web address'),
    ("Mirror-url", "JAVASCRIPT:alert(1)", 'Mirror-url: "JAVASCRIPT:alert(1)" is not a web address'),
    ("Mirror-url", "data:text/html,x", 'Mirror-url: "data:text/html,x" is not a web address'),
    ("Mirror-url", 'https://neweurasia.example.net/"><script>', "is not a web address"),
    ("Mirror-url", "mailto:editor@neweurasia.example.net", "is not a web address"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "message"), REFUSED)
def test_a_link_that_is_not_a_web_address_fails_the_build_naming_file_and_line(site, key, value, message):
    site.post("letter.md", Mirror="neweurasia", **({key: value} if key == "Mirror-url" else {}))
    site.post("ru/letter.md", Slug="letter", Lang="ru", Title="Казахстан: письмо",
              Translator=value if key == "Translator" else "Ирина Ким")  # fmt: skip
    where = "content/posts/ru/letter.md:8" if key == "Translator" else "content/posts/letter.md:8"
    _refused(site, f"{where}: ", message, PARTNERS=PARTNERS)


@pytest.mark.parametrize(
    ("value", "mailto", "fine"),
    [
        ("https://example.org/irina", False, True),
        ("HTTP://example.org", False, True),
        ("https://example.org/a?b=1&c=2#d", False, True),
        ("mailto:irina@example.org", True, True),
        ("mailto:irina@example.org", False, False),
        ("javascript:alert(1)", True, False),
        ("java\tscript:alert(1)", True, False),
        (" https://example.org", False, False),
        ("https://", False, False),
        ("https:///path", False, False),
        ("//example.org/x", False, False),
        ("/relative/path", False, False),
        ("example.org", False, False),
        ("https://example.org/a b", False, False),
        ('https://example.org/"onmouseover=x()', False, False),
        ("mailto:irina@example.org?subject=<x>", True, False),
        ("vbscript:msgbox", True, False),
    ],
)
def test_only_web_and_mail_addresses_pass(value, mailto, fine):
    assert (address_problem(value, mailto=mailto) is None) is fine


@pytest.mark.parametrize(
    ("value", "problem", "parsed"),
    [
        ("Irina Kim", None, ("Irina Kim", None)),
        ("Ирина Ким <https://example.org/irina>", None, ("Ирина Ким", "https://example.org/irina")),
        ("Irina Kim < https://example.org/irina >", None, ("Irina Kim", "https://example.org/irina")),
        ("Irina Kim <mailto:irina@example.org>", None, ("Irina Kim", "mailto:irina@example.org")),
        ('Eve & "Co"', None, ('Eve & "Co"', None)),
        ("Irina Kim <irina@example.org>", "is not a web address", None),
        ("x <javascript:alert(1)>", "is not a web address", None),
        ("<img src=x onerror=alert(1)> x", "is not a name", None),
        ("<img src=x onerror=alert(1)>", "is not a name", None),
        ("Eve > x", "is not a name", None),
        ("", "is empty", None),
        ("  ", "is empty", None),
    ],
)
def test_translator_values(value, problem, parsed):
    found = translator_problem(value)
    assert (found is None) if problem is None else (problem in found), found
    if parsed:
        assert parse_translator(value) == parsed


def test_json_ld_gives_a_mailto_translator_as_email(site):
    site.post("letter.md")
    site.post("ru/letter.md", Slug="letter", Lang="ru", Title="Казахстан: письмо", Translator="Ирина Ким <mailto:irina@example.org>")
    build = site.build()
    assert build.returncode == 0, build.log
    page = build.page("ru/2024/03/letter/")
    assert page.find(".//p[@class='translation-credit']/a[@dir='ltr']").get("href") == "mailto:irina@example.org"
    assert _json_ld(page)[1]["translator"] == {"@type": "Person", "name": "Ирина Ким", "email": "irina@example.org"}


LANGUAGES = ("en", "ru", "kk", "ar")


@pytest.mark.parametrize(
    ("text", "names", "problems"),
    [
        ('[ru]\nMedia = "СМИ"\n"Human Rights" = "Права человека"\n', {"ru": {"Media": "СМИ", "Human Rights": "Права человека"}}, []),
        ("", {}, []),
        ('[xx]\nMedia = "M"\n', {}, [(1, 'topics.toml: "xx" is not one of LANGUAGES (en, ru, kk, ar)')]),
        ('[ru]\nMedia = 3\nEnergy = "Энергетика"\n', {"ru": {"Energy": "Энергетика"}}, [(2, 'topics.toml: [ru] "Media" must be a name in quotes')]),
        ('[ru]\nMedia = ""\n', {"ru": {}}, [(2, 'topics.toml: [ru] "Media" must be a name in quotes')]),
        ('[kk]\nMedia = "БАҚ"\n\n[ru]\nMedia = 1\n', {"kk": {"Media": "БАҚ"}, "ru": {}}, [(5, 'topics.toml: [ru] "Media" must be a name in quotes')]),
        ('ru = "x"\n', {}, [(1, 'topics.toml: "ru" must be a table of topic names, [ru]')]),
        ('[ru]\nHuman Rights = "x"\n', {}, [(2, "topics.toml cannot be read: ")]),
    ],
)  # fmt: skip
def test_the_topic_table_is_read_or_its_problems_named(text, names, problems):
    found_names, found_problems = read_topic_names(text, LANGUAGES)
    assert {lang: dict(table) for lang, table in found_names.items()} == names
    assert [line for line, _ in found_problems] == [line for line, _ in problems]
    assert all(message.startswith(expected) for (_, message), (_, expected) in zip(found_problems, problems))


def test_a_broken_topic_table_fails_the_build_naming_its_line(site):
    site.post("letter.md")
    site.write("topics.toml", '[ru]\nMedia = "СМИ"\nEnergy = 3\n')
    _refused(site, 'content/topics.toml:3: topics.toml: [ru] "Energy" must be a name in quotes')


def test_no_hostile_value_runs_in_chromium(tmp_path, browser, serve_folder):
    site = hostile_site(tmp_path)
    (site.root / "output").mkdir()
    base = serve_folder(site.root / "output")
    build = site.build(SITEURL=base, FEED_DOMAIN=base, RELATIVE_URLS=False, PARTNERS=PARTNERS)
    assert build.returncode == 0, build.log
    page, requested = browser.new_page(), []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    pages = [("2024/03/hostile/", HANDLER_TAG), ("topic/zebra/", SCRIPT_TAG),
             ("topic/yak/", HANDLER_TAG), ("topic/", SCRIPT_TAG),
             ("", AUTHOR), ("ru/2024/03/hostile/", TRANSLATOR)]  # fmt: skip
    for path, shown in pages:
        page.goto(f"{base}/{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.pwned") is None and page.title() != "pwned", path
        assert shown in page.locator("body").inner_text(), (path, "the value reads as written")
    assert "/images/x.js" not in requested, "no page asked for the script"
    # The payload does run when a page does load it: the check above can fail.
    page.add_script_tag(url=f"{base}/images/x.js")
    assert page.evaluate("window.pwned") is True and page.title() == "pwned"
    page.close()


TERM_SETTINGS = {"TAG_URL": "topic/{slug}/", "AUTHOR_URL": "author/{slug}/"}


@pytest.mark.parametrize(
    ("uses", "problems"),
    [
        ([("a.md", "tags", "Human Rights", "human-rights"), ("b.md", "tags", "Human Rights", "human-rights")], []),
        ([("a.md", "tags", "Media", "media"), ("a.md", "author", "Media", "media")], []),
        ([("a.md", "tags", "Human Rights", "human-rights"), ("b.md", "tags", "human rights", "human-rights")],
         [("b.md", "tags", 'Tags: "human rights" and "Human Rights" (a.md) make one page, topic/human-rights/')]),
        ([("a.md", "tags", 'Zebra"><script>', "zebra"), ("b.md", "tags", "Zebra", "zebra"), ("c.md", "tags", "Zebra", "zebra")],
         [("b.md", "tags", 'Tags: "Zebra" and "Zebra"><script>" (a.md) make one page, topic/zebra/'),
          ("c.md", "tags", 'Tags: "Zebra" and "Zebra"><script>" (a.md) make one page, topic/zebra/')]),
        ([("a.md", "authors", "Irina Kim", "irina-kim"), ("b.md", "author", "IRINA KIM", "irina-kim")],
         [("b.md", "author", 'Author: "IRINA KIM" and "Irina Kim" (a.md) make one page, author/irina-kim/')]),
        ([("a.md", "tags", "!!!", "")], [("a.md", "tags", 'Tags: "!!!" makes no address (it has no letter or digit)')]),
    ],
)  # fmt: skip
def test_each_topic_and_author_makes_an_address_of_its_own(uses, problems):
    assert [(path, key, message) for path, key, message, _ in term_problems(uses, TERM_SETTINGS)] == problems


def test_two_spellings_of_one_topic_or_author_fail_the_build_naming_both_files(site):
    site.post("a.md", Tags="Human Rights")
    site.post("b.md", Tags="Media, human rights", Author="test author")
    _refused(site, 'content/posts/b.md:4: Tags: "human rights" and "Human Rights" (content/posts/a.md) make one page, '
             "topic/human-rights/", 'content/posts/b.md:5: Author: "test author" and "Test Author" (content/posts/a.md)')


def test_a_page_in_a_language_that_is_not_configured_fails_naming_its_line(site):
    site.post("letter.md")
    site.write("pages/about.md", 'Title: About\nLang: x"><script>\n\nText.\n')
    _refused(site, 'content/pages/about.md:2: Lang "x"><script>" is not configured')


def test_the_tagline_setting_is_text_and_may_hold_a_percent_sign(site):
    site.post("letter.md")
    build = site.build(SITESUBTITLE="100% local & <b>free</b>")
    assert build.returncode == 0, build.log
    page = build.page("")
    assert page.find(".//p[@class='site-tagline']").text == "100% local & <b>free</b>"
    assert page.find(".//meta[@name='description']").get("content") == "100% local & <b>free</b>"
    assert page.find(".//p[@class='site-tagline']/b") is None


def test_the_tagline_is_still_translated(site):
    site.post("letter.md")
    build = site.build()
    assert build.returncode == 0, build.log
    assert build.page("ru/").find(".//p[@class='site-tagline']").text == "Гражданские медиа Центральной Азии в переводе"


@pytest.mark.parametrize("template", ["../../../etc/passwd", "nowhere", "page.html", "page", "index"])
def test_a_template_outside_the_theme_or_for_another_kind_fails_naming_its_line(site, template):
    site.post("letter.md", Template=template)
    _refused(site, f'content/posts/letter.md:7: Template "{template}" is not a template for this article')


def test_the_theme_s_own_template_is_fine(site):
    site.post("letter.md", Template="article")
    site.write("pages/about.md", "Title: About\nTemplate: page\n\nText.\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert build.page("about/").findtext(".//article[@class='page']/h1") == "About"


@pytest.mark.parametrize(("link", "shown"), [("javascript:alert(1)", PARTNERS["neweurasia"]["url"]),
                                             ("https://neweurasia.example.net/p/1", "https://neweurasia.example.net/p/1")])  # fmt: skip
def test_a_copy_address_recorded_from_the_partner_is_linked_only_if_it_is_a_web_address(site, link, shown):
    """The state file holds what the partner's WordPress answered: not ours to trust."""
    (site.root / "mirrors").mkdir()
    (site.root / "mirrors/neweurasia.json").write_text(json.dumps({"2024/03/letter/": {"id": 1, "link": link}}))
    site.post("letter.md", Mirror="neweurasia")
    build = site.build(PARTNERS=PARTNERS)
    assert build.returncode == 0, build.log
    note = build.page("2024/03/letter/").find(".//p[@class='also-posted']")
    assert note.text_content() == "Also posted on neweurasia"
    assert (note.find("a").get("href") if note.find("a") is not None else None) == shown


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [("Slug", "../../../../escaped", 6), ("Slug", "/tmp/escaped", 6), ("Lang", "../../../tmp", 7), ("URL", "../../x/", 7)],
)  # fmt: skip
def test_a_path_out_of_the_site_fails_naming_its_line_and_writes_nothing_outside(site, key, value, line):
    site.post("letter.md", **{key: value})
    _refused(site, f'content/posts/letter.md:{line}: {key}: "{value}" would put the file outside the site')
    assert not list(site.root.glob("escaped*")) and not (site.root.parent / "escaped.html").exists()


@pytest.mark.parametrize(
    ("value", "leaves"),
    [("a-name", False), ("2024/a-name", False), ("a..b", False), ("..", True), ("../x", True), ("a/../../x", True),
     ("/x", True), ("\\x", True), ("a\\..\\..\\x", True), ("ru", False)],
)  # fmt: skip
def test_which_values_leave_their_folder(value, leaves):
    assert leaves_folder(value) is leaves


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("Category", 'Kazakhstan"><script>alert(1)</script>', 'content/posts/letter.md:3: Category "Kazakhstan"><script>alert(1)</script>" is not a country'),
     ("Countries", "Kyrgyzstan, <img src=x onerror=alert(1)>", 'content/posts/letter.md:7: Countries: "<img src=x onerror=alert(1)>" is not a country')],
)  # fmt: skip
def test_a_country_that_is_not_one_is_refused_whatever_it_holds(site, key, value, message):
    site.post("letter.md", **{key: value})
    _refused(site, message)


def test_a_topic_that_makes_no_address_is_named_once_with_its_file_and_line(site):
    site.post("letter.md", Tags="Media, !!!")
    _refused(site, 'content/posts/letter.md:4: Tags: "!!!" makes no address (it has no letter or digit)')
    assert "(build)" not in site.build().stderr, "Pelican's own warning, which names no file, is not repeated"
