"""Readers: search, feeds, sharing tags, accessibility, page weight, and a site that moves."""

import gzip
import json
import zipfile
from urllib.parse import urlsplit

import feedparser
import pytest

from conftest import REPO, invoke, require_npm_file

AXE = REPO / "node_modules/axe-core/axe.min.js"


@pytest.fixture
def elections(site):
    """An English post and its Russian translation; both quote the Russian word «выборов»."""
    site.post("vote.md", Title="Kazakhstan: Bloggers on the snap vote", Tags="Politics",
              body="People asked about the vote. One wrote «до выборов осталось мало времени» [ru].\n")  # fmt: skip
    site.post("ru/vote.md", Slug="vote", Lang="ru", Translator="Ирина Ким", Tags="Politics",
              Title="Казахстан: блогеры о досрочных выборах",
              body="Люди спрашивают о голосовании: до выборов осталось мало времени.\n")  # fmt: skip
    build = site.build()
    assert build.returncode == 0, build.log
    return build


def test_search_finds_a_russian_word_in_russian_posts_only(elections, browser, serve_folder):
    base = serve_folder(elections.output)
    page = browser.new_page()
    page.goto(f"{base}/ru/search/")
    page.fill(".pagefind-ui__search-input", "выборы")
    page.wait_for_selector(".pagefind-ui__result-link")
    results = page.locator(".pagefind-ui__result-link").all()
    hrefs = [urlsplit(link.get_attribute("href")).path for link in results]
    assert hrefs == ["/ru/2024/03/vote/"], "stemming finds «выборов» for «выборы»; only the Russian post"
    page.close()


def test_a_language_host_serves_its_site_from_its_own_origin(site, browser, serve_folder):
    output = site.root / "output"
    (output / "ru").mkdir(parents=True)
    main, russian = serve_folder(output), serve_folder(output / "ru")
    site.post("vote.md", Title="Kazakhstan: Bloggers on the snap vote", Tags="Politics")
    site.post("ru/vote.md", Slug="vote", Lang="ru", Translator="Ирина Ким", Tags="Politics",
              Title="Казахстан: блогеры о досрочных выборах", body="Люди спрашивают о голосовании.\n")  # fmt: skip
    build = site.build(SITEURL=main, FEED_DOMAIN=main, RELATIVE_URLS=False,
                       LANGUAGES={"en": {}, "ru": {"host": russian}, "kk": {}, "ar": {}})  # fmt: skip
    assert build.returncode == 0, build.log
    page, requested = browser.new_page(), []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{russian}/2024/03/vote/")
    assert page.evaluate("getComputedStyle(document.body).maxInlineSize") != "none", "its own stylesheet"
    english = page.locator("nav.languages a[hreflang='en']").first.get_attribute("href")
    page.goto(f"{russian}/search/")
    page.fill(".pagefind-ui__search-input", "голосовании")
    page.wait_for_selector(".pagefind-ui__result-link")
    found = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
    page.close()
    assert [url for url in requested if not url.startswith(russian)] == []
    assert english == f"{main}/2024/03/vote/"
    assert [urlsplit(href).path for href in found] == ["/2024/03/vote/"]


def _wait_for_excerpts(page, count):
    """Until Pagefind has shown `count` results' excerpts: it shows dots in their place while it loads them."""
    page.wait_for_function("""count => {
        const excerpts = [...document.querySelectorAll(".pagefind-ui__result-excerpt")];
        return excerpts.length === count && excerpts.every(e => /[^.\\s]/.test(e.innerText));
    }""", arg=count)


def test_search_results_say_their_count_in_the_page_language_and_start_with_the_text(site, browser, serve_folder):
    site.post("vote.md", Title="Kazakhstan: Bloggers on the vote", Mirror="neweurasia",
              body="Voters [wrote](https://example.kz/a) [kk] that the ballot came late.\n")  # fmt: skip
    russian = "Избиратели [пишут](https://example.kz/a) [kk], что бюллетени опоздали.\n"
    site.post("ru/vote.md", Slug="vote", Lang="ru", Title="Казахстан: выборы", Translator="Ирина Ким", body=russian)
    site.post("ru/own.md", Slug="own", Lang="ru", Title="Казахстан: свой материал", body=russian)
    build = site.build(PARTNERS={"neweurasia": {"name": "neweurasia", "url": "https://neweurasia.example.net"}})
    assert build.returncode == 0, build.log
    base = serve_folder(build.output)
    page = browser.new_page()
    page.goto(f"{base}/ru/search/")
    assert page.is_hidden(".search-fallback"), "the text for readers without JavaScript is gone once search works"
    page.fill(".pagefind-ui__search-input", "бюллетени")
    _wait_for_excerpts(page, 2)
    assert page.inner_text(".pagefind-ui__message") == "Найдено по запросу «бюллетени»: 2"
    excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    # The title, then the text: no byline, credit, partner note or the markers' spoken names.
    assert sorted(excerpts) == [f"Казахстан: {title}. Избиратели пишут [kk], что бюллетени опоздали."
                                for title in ("выборы", "свой материал")], excerpts
    page.goto(f"{base}/search/")
    page.fill(".pagefind-ui__search-input", "ballot")
    _wait_for_excerpts(page, 1)
    (excerpt,) = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert excerpt == "Kazakhstan: Bloggers on the vote. Voters wrote [kk] that the ballot came late.", excerpt
    page.close()


def test_search_page_without_javascript_links_to_the_archives(elections):
    page = elections.page("ru/search/")
    assert page.get("lang") == "ru"
    fallback = page.find(".//p[@class='search-fallback']/a")
    assert fallback.get("href").endswith("ru/archives/")


def _axe(browser, url, before=None):
    """axe-core's violations on a page; `before(page)` first does what a reader does there."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if before is not None:
        before(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize(
    "path",
    ["", "2024/03/kazakhstan-state-ordered-blogging/", "ru/2024/03/kazakhstan-state-ordered-blogging/",
     "ar/2024/10/uzbekistan-cotton-pickers-speak-up/", "country/kazakhstan/", "search/"],  # fmt: skip
    ids=["home", "article", "translation", "arabic-article", "country", "search"],
)
def test_no_accessibility_violations(demo_build, browser, serve_folder, path):
    require_npm_file(AXE.relative_to(REPO / "node_modules"))
    base = serve_folder(demo_build.output)
    assert _axe(browser, f"{base}/{path}") == []


def test_an_article_page_weighs_at_most_20_kb_compressed_and_calls_no_one_else(demo_build, browser, serve_folder):
    base = serve_folder(demo_build.output)
    page = browser.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{base}/2024/03/kazakhstan-state-ordered-blogging/")
    page.wait_for_load_state("networkidle")
    assert all(r.url.startswith(base) for r in responses), [r.url for r in responses]
    assert not [r.url for r in responses if r.status >= 400], "every address the page asks for exists"
    assert page.get_attribute("link[rel=icon]", "href").endswith("/favicon.svg")
    paths = [urlsplit(r.url).path for r in responses]
    assert any(p.endswith(".css") for p in paths) and any(p.endswith(".js") for p in paths), paths
    total = sum(len(gzip.compress(r.body(), 9)) for r in responses)
    # What the first round trips carry: the page and its stylesheet.
    first_paint = sum(len(gzip.compress(r.body(), 9)) for r in responses if r.request.resource_type in ("document", "stylesheet"))
    page.close()
    assert total <= 20 * 1024, f"{total} bytes compressed"
    assert first_paint <= 14 * 1024, f"HTML and CSS: {first_paint} bytes compressed"


def test_no_page_uses_web_fonts(demo_build):
    for css in demo_build.output.rglob("*.css"):
        assert "@font-face" not in css.read_text(encoding="utf-8"), css


def _click_through(page, start):
    """Home -> the first post with a translation -> its Russian version; returns the titles seen."""
    page.goto(start)
    page.click("a[href*='kazakhstan-state-ordered-blogging']")
    english = page.inner_text("h1")
    page.click("article nav.languages a[hreflang='ru']")
    return english, page.inner_text("h1"), page.get_attribute("html", "lang")


def test_the_site_works_under_another_host_and_a_subpath(demo_build, browser, serve_folder, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "tilmash").symlink_to(demo_build.output, target_is_directory=True)
    base = serve_folder(mirror)
    page = browser.new_page()
    english, russian, lang = _click_through(page, f"{base}/tilmash/")
    page.close()
    assert (english, russian, lang) == ("Kazakhstan: State-ordered blogging", "Казахстан: блогинг по госзаказу", "ru")


def test_a_snapshot_archive_opened_from_disk_navigates(project, browser, tmp_path):
    result = invoke(project, "snapshot", "--folder", str(tmp_path / "snapshots"))
    assert result.returncode == 0, result.stderr
    (archive,) = (tmp_path / "snapshots").glob("tilmash-????-??-??.zip")
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(archive).extractall(unpacked)
    page = browser.new_page()
    english, russian, lang = _click_through(page, (unpacked / "index.html").as_uri())
    assert page.url.startswith("file://") and page.url.endswith("/ru/2024/03/kazakhstan-state-ordered-blogging/index.html")
    stylesheet = page.evaluate("getComputedStyle(document.body).maxInlineSize")
    page.close()
    assert (english, russian, lang) == ("Kazakhstan: State-ordered blogging", "Казахстан: блогинг по госзаказу", "ru")
    assert stylesheet != "none", "the stylesheet loads from disk"


ATOM = "http://www.w3.org/2005/Atom"


@pytest.mark.parametrize(
    ("path", "lang", "titles"),
    [
        ("feeds/all.atom.xml", "en", {"Kazakhstan: Bloggers on the snap vote", "Kazakhstan: A test post"}),
        ("ru/feeds/all.atom.xml", "ru", {"Казахстан: блогеры о досрочных выборах"}),
        ("ru/feeds/country/kazakhstan.atom.xml", "ru", {"Казахстан: блогеры о досрочных выборах"}),
        ("ru/feeds/topic/politics.atom.xml", "ru", {"Казахстан: блогеры о досрочных выборах"}),
        ("feeds/topic/media.atom.xml", "en", {"Kazakhstan: A test post"}),
    ],
)
def test_feeds_per_language_country_and_topic(elections, site, path, lang, titles):
    site.post("other.md")
    build = site.build()
    feed = feedparser.parse((build.output / path).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == lang
    assert {entry.title for entry in feed.entries} == titles
    for entry in feed.entries:
        assert entry.author == "Test Author"
        assert entry.link.startswith("http://127.0.0.1:8000/")
        (content,) = entry.content
        assert content.type == "text/html" and len(content.value) > len(entry.summary or "") - 1
        assert "href=\"http" in content.value or "<p>" in content.value


def test_feeds_carry_the_newest_posts_only(site):
    for day in (1, 2, 3):
        site.post(f"day-{day}.md", Title=f"Kazakhstan: Day {day}", Date=f"2024-03-0{day} 10:00")
    build = site.build(FEED_MAX_ITEMS=2)
    assert build.returncode == 0, build.log
    for path in ("feeds/all.atom.xml", "feeds/country/kazakhstan.atom.xml", "feeds/topic/media.atom.xml"):
        feed = feedparser.parse((build.output / path).read_bytes())
        assert [entry.title for entry in feed.entries] == ["Kazakhstan: Day 3", "Kazakhstan: Day 2"], path


def test_json_ld_and_open_graph_describe_articles_and_translations(elections):
    def json_ld(page):
        (script,) = page.findall(".//script[@type='application/ld+json']")
        return json.loads(script.text)

    english_page, russian_page = elections.page("2024/03/vote/"), elections.page("ru/2024/03/vote/")
    english, russian = json_ld(english_page), json_ld(russian_page)
    assert english["@type"] == "NewsArticle" and english["@context"] == "https://schema.org"
    assert english["headline"] == "Kazakhstan: Bloggers on the snap vote"
    assert english["author"][0]["name"] == "Test Author"
    assert english["inLanguage"] == "en" and english["datePublished"].startswith("2024-03-05T09:30")
    assert english["publisher"] == {"@type": "Organization", "name": "Tilmash", "url": "http://127.0.0.1:8000/"}
    assert english["workTranslation"][0]["inLanguage"] == "ru"
    assert russian["inLanguage"] == "ru"
    assert russian["translationOfWork"]["@id"] == "http://127.0.0.1:8000/2024/03/vote/"
    assert russian["translator"] == {"@type": "Person", "name": "Ирина Ким"}
    og = {m.get("property"): m.get("content") for m in russian_page.iterfind(".//meta[@property]")}
    assert og["og:type"] == "article" and og["og:locale"] == "ru_RU" and og["og:locale:alternate"] == "en_US"
    assert og["og:url"] == "http://127.0.0.1:8000/ru/2024/03/vote/"
    assert russian_page.find(".//meta[@name='twitter:card']").get("content") == "summary"


@pytest.mark.parametrize("path", ["", "2024/03/kazakhstan-state-ordered-blogging/", "ar/2024/10/uzbekistan-cotton-pickers-speak-up/"])
def test_pages_fit_a_320_pixel_screen(demo_build, browser, serve_folder, path):
    base = serve_folder(demo_build.output)
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{base}/{path}")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert width <= 320, f"{width}px wide: readers would scroll sideways"


def test_pages_read_in_order_without_javascript(demo_build, browser, serve_folder):
    base = serve_folder(demo_build.output)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/2024/03/kazakhstan-state-ordered-blogging/")
    text = page.inner_text("main")
    context.close()
    assert "Kazakhstan: State-ordered blogging" in text and "Join the conversation" in text
    assert "Read the comments at" in text, "without JavaScript, a link to the thread"


def test_the_language_switcher_is_a_labelled_row_with_the_current_language_marked(demo_build, browser, serve_folder):
    base = serve_folder(demo_build.output)
    page = browser.new_page()
    for path, lang in (("", "en"), ("ru/", "ru"), ("ar/2024/10/uzbekistan-cotton-pickers-speak-up/", "ar")):
        page.goto(f"{base}/{path}")
        switcher = page.evaluate("""() => {
            const nav = document.querySelector("nav.languages");
            const label = document.getElementById(nav.getAttribute("aria-labelledby"));
            const items = [...nav.querySelectorAll("li")].map(li => li.getBoundingClientRect().top);
            const current = nav.querySelector("a[aria-current=page]");
            return {label: label.innerText.trim(), visible: label.offsetWidth > 0, rows: new Set(items).size,
                    bullets: getComputedStyle(nav.querySelector("ul")).listStyleType, current: current.lang,
                    bold: Number(getComputedStyle(current).fontWeight) >= 700, items: items.length};
        }""")
        assert switcher["label"] and switcher["visible"], switcher
        assert (switcher["rows"], switcher["bullets"], switcher["current"], switcher["bold"]) == (1, "none", lang, True), switcher
        assert switcher["items"] >= 2
    page.close()


def test_an_arabic_byline_keeps_a_latin_name_apart_from_the_date(demo_build, browser, serve_folder):
    base = serve_folder(demo_build.output)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/ar/2024/10/uzbekistan-cotton-pickers-speak-up/")
    boxes = page.evaluate("""() => {
        const byline = document.querySelector("article .byline");
        const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
        return {author: box(byline.querySelector("a[rel=author]")), date: box(byline.querySelector("time")),
                country: box(byline.querySelector("a[href*='country/']"))};
    }""")
    # Right to left, each piece whole: the author, then the date (the name never between its day and month), the country.
    assert boxes["author"]["left"] >= boxes["date"]["right"] and boxes["date"]["left"] >= boxes["country"]["right"], boxes
    page.close()


def test_a_video_loads_from_its_host_only_when_the_reader_asks(site, browser, serve_folder):
    site.post("video.md", body='Watch the debate:\n\n<iframe src="https://www.youtube-nocookie.com/embed/Ab1Cd2Ef3Gh" '
                               'width="560" height="315" title="The debate"></iframe>\n')  # fmt: skip
    build = site.build()
    assert build.returncode == 0, build.log
    base = serve_folder(build.output)
    context = browser.new_context()
    asked, refused = [], []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else (asked.append(route.request.url), route.abort()))  # fmt: skip
    page = context.new_page()
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(f"{base}/2024/03/video/")
    page.wait_for_load_state("networkidle")
    assert asked == [], "no request to the video's host before the reader asks"
    assert page.get_attribute(".embed-link", "href") == "https://www.youtube.com/watch?v=Ab1Cd2Ef3Gh"
    page.click(".embed-button")
    page.wait_for_selector(".embed iframe")
    page.wait_for_timeout(500)
    assert asked and asked[0].startswith("https://www.youtube-nocookie.com/embed/Ab1Cd2Ef3Gh"), asked
    assert page.get_attribute(".embed iframe", "sandbox") and refused == [], refused
    context.close()
