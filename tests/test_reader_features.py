"""What a reader of a news site expects: a lead image, related stories, share links, a subscribe
link and the region trail, all from what the editor wrote and nothing loaded from elsewhere."""

import datetime
import io
import json
import os
import posixpath
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from conftest import REPO, Site, require_npm_file, snapshot
from lead_image.files import image_size, requested_path, write_copies
from lead_image.sizes import chosen_widths, fallback, resized_path, srcset
from regions.trail import region_name, region_of, region_topic
from related.scoring import Story, related_stories
from sharing.share_links import share_links
from test_readers import AXE, _axe

# --- pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "widths", "chosen"),
    [
        (2000, [480, 800, 1200], [480, 800, 1200]),
        (1200, [480, 800, 1200], [480, 800, 1200]),  # the original's own width, not enlarged
        (1000, [480, 800, 1200], [480, 800, 1000]),  # the widest copy is the original's width
        (800, [480, 800, 1200], [480, 800]),
        (300, [480, 800, 1200], [300]),  # smaller than every width: one copy, as wide as it is
        (480, [480], [480]),
    ],
)
def test_an_image_is_resized_to_the_widths_it_can_fill(original, widths, chosen):
    assert chosen_widths(original, widths) == chosen


@pytest.mark.parametrize(
    ("sources", "base", "expected"),
    [
        ([("images/lead/a-480.webp", 480)], "", "images/lead/a-480.webp 480w"),
        ([("images/lead/a-480.webp", 480), ("images/lead/a-800.webp", 800)], "../..",
         "../../images/lead/a-480.webp 480w, ../../images/lead/a-800.webp 800w"),
        # A comma or a space in a file name would split the list: encoded.
        ([("images/lead/road, winter-480.webp", 480)], "", "images/lead/road%2C%20winter-480.webp 480w"),
        ([("images/lead/дорога-480.webp", 480)], "", "images/lead/%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B0-480.webp 480w"),
    ],
)  # fmt: skip
def test_srcset_lists_every_copy_with_its_width(sources, base, expected):
    assert srcset(sources, base) == expected


@pytest.mark.parametrize(
    ("sources", "src"),
    [([("a", 480), ("b", 800), ("c", 1200)], "b"), ([("a", 480), ("b", 700)], "b"), ([("a", 1000)], "a")],
)
def test_browsers_without_srcset_get_a_middle_copy(sources, src):
    assert fallback(sources)[0] == src


@pytest.mark.parametrize(
    ("source", "width", "path"),
    [
        ("images/naryn.jpg", 800, "images/lead/naryn-800.webp"),
        ("images/2024/naryn.road.png", 480, "images/lead/2024/naryn.road-480.webp"),
        ("photos/naryn.jpg", 480, "images/lead/photos/naryn-480.webp"),
    ],
)
def test_resized_copies_go_next_to_the_original(source, width, path):
    assert resized_path(source, width) == path


@pytest.mark.parametrize(
    ("value", "post_folder", "path"),
    [
        ("/images/naryn.jpg", "posts", "images/naryn.jpg"),
        ("{static}/images/naryn.jpg", "posts/ru", "images/naryn.jpg"),
        ("../images/naryn.jpg", "posts", "images/naryn.jpg"),
        ("naryn.jpg", "posts", "posts/naryn.jpg"),
        ("./images/../images/naryn.jpg", "", "images/naryn.jpg"),
        ("../../etc/passwd", "posts", None),
        ("/../outside.jpg", "posts", None),
        ("https://example.org/naryn.jpg", "posts", None),
        ("//example.org/naryn.jpg", "posts", None),
        ("data:image/png;base64,AAAA", "posts", None),
        ("..\\..\\outside.jpg", "posts", None),
        ("/", "posts", None),
    ],
)
def test_an_image_path_is_read_as_links_are_and_never_leaves_content(value, post_folder, path):
    assert requested_path(value, post_folder) == path


def _story(key, countries="", topics="", day=1):
    return Story(key, frozenset(countries.split()), frozenset(topics.split()), datetime.date(2024, 3, day))


@pytest.mark.parametrize(
    ("stories", "count", "expected"),
    [
        # Shared country and topics score a point each; the most shared first.
        ([_story("a", "KZ", "media law", 1), _story("b", "KZ", "media", 2), _story("c", "KZ", "media law", 3),
          _story("d", "UZ", "sport", 4)], 3, {"a": ["c", "b"], "b": ["c", "a"], "c": ["a", "b"], "d": []}),
        # Equal scores: the newest first.
        ([_story("old", "KG", "", 1), _story("new", "KG", "", 9), _story("mid", "KG", "", 5), _story("me", "KG", "", 3)],
         2, {"me": ["new", "mid"], "old": ["new", "mid"], "new": ["mid", "me"], "mid": ["new", "me"]}),
        # A topic alone relates stories across countries; more shared beats newer.
        ([_story("x", "KZ", "water", 1), _story("y", "TJ", "water", 3), _story("z", "KZ", "water", 2)], 1,
         {"x": ["z"], "y": ["z"], "z": ["x"]}),
        ([_story("x", "KZ", "", 1)], 3, {"x": []}),
        ([_story("x", "KZ", "a", 1), _story("y", "KZ", "a", 2)], 0, {"x": [], "y": []}),
        # Many terms on one post (counted rather than intersected): the same order.
        ([_story("wide", "KZ KG TJ", "a b c d e f g", 1), _story("p", "KZ KG", "a b", 2), _story("q", "KZ", "a b c", 3),
          _story("r", "UZ", "g", 4)], 3, {"wide": ["q", "p", "r"], "p": ["wide", "q"], "q": ["wide", "p"], "r": ["wide"]}),
    ],
)  # fmt: skip
def test_related_stories_share_the_most_countries_and_topics_then_are_newest(stories, count, expected):
    assert related_stories(stories, count) == expected


def test_related_stories_do_not_depend_on_the_input_order():
    stories = [_story(f"s{n}", "KZ" if n % 2 else "KG", "media" if n % 3 else "law", n % 5 + 1) for n in range(30)]
    assert related_stories(stories) == related_stories(list(reversed(stories)))


HOSTILE_TITLES = [
    "Kazakhstan: Bloggers on the snap vote",
    'Tajikistan: "Light & heat" <script>alert(1)</script>',
    "Kyrgyzstan: 100% #road? a=1&b=2; c/d+e",
    "Казахстан: блогеры о выборах",
    "مدونون في أوزبكستان: ماذا يقولون؟",
    "Line\nbreak and\ttab %0A",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_share_links_carry_the_title_and_address_encoded(title):
    url = "https://tilmash.example.org/2024/03/vote/?a=1&b=2#x"
    links = dict(share_links(url, title))
    assert list(links) == ["email", "Telegram", "WhatsApp", "X", "Facebook", "VK"]
    for service, address in links.items():
        parts = urlsplit(address)
        assert not set(address) & set(" \n\t\"'<>#"), (service, address)
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
        values = [value for values in query.values() for value in values]
        if service == "WhatsApp":
            assert values == [f"{title} {url}"]
        else:
            assert url in values, (service, query)
            if service != "Facebook":
                assert title in values, (service, query)
    assert links["email"].startswith("mailto:?subject=")
    assert urlsplit(links["Telegram"]).netloc == "t.me" and urlsplit(links["VK"]).netloc == "vk.com"
    assert all(urlsplit(a).scheme == "https" for s, a in links.items() if s != "email")


@pytest.mark.parametrize(
    ("country", "region", "names"),
    [
        ("KZ", "143", {"en": "Central Asia", "ru": "Центральная Азия", "ar": "وسط آسيا"}),
        ("UZ", "143", {"kk": "Орталық Азия"}),
        ("AZ", "145", {"en": "Western Asia"}),
        ("RU", "151", {"en": "Eastern Europe"}),
        ("SL", "011", {"en": "Western Africa"}),
        ("ZZ", None, {}),
    ],
)
def test_a_country_is_in_its_smallest_cldr_region(country, region, names):
    containment = json.loads((REPO / "importer/territory_containment.json").read_text(encoding="utf-8"))
    assert region_of(country, containment) == region
    for lang, name in names.items():
        assert region_name(region, lang) == name


class _Topic:
    def __init__(self, name):
        self.name = name


@pytest.mark.parametrize(
    ("topics", "found"),
    [(["Media", "Central Asia"], "Central Asia"), (["central  asia"], "central  asia"), (["Asia", "Media"], None), ([], None)],
)
def test_a_region_page_is_the_topic_named_as_the_region(topics, found):
    topic = region_topic("143", [_Topic(name) for name in topics])
    assert (topic.name if topic else None) == found


# --- a built site -------------------------------------------------------------------------


def _picture(width, height, kind="JPEG"):
    """A picture with some detail (a flat colour would make every size the same bytes)."""
    image = Image.new("RGB", (width, height), (120, 150, 200))
    for x in range(0, width, 37):
        image.paste((200, 90 + x % 120, 40), (x, height // 3, x + 18, height // 3 + height // 4))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


@pytest.fixture(scope="module")
def illustrated(tmp_path_factory):
    """One site, built once for the tests that read it."""
    site = Site(tmp_path_factory.mktemp("illustrated"))
    site.write("images/naryn road.jpg", _picture(1000, 500))
    site.write("images/pothole.jpg", _picture(200, 100))
    site.post("road.md", Title='Kazakhstan: The road & the "vote"', Tags="Media, Central Asia",
              Date="2024-03-01 10:00", Image="/images/naryn road.jpg",
              **{"Image-caption": "The road to Naryn <b>in winter</b>.", "Image-credit": "Ainura <i>Ismailova</i>"},
              body="Text.\n\n![A pothole](/images/pothole.jpg)\n")  # fmt: skip
    site.post("ru/road.md", Slug="road", Lang="ru", Translator="Ирина Ким", Tags="Media",
              Title="Казахстан: дорога", Date="2024-03-01 10:00")  # fmt: skip
    site.post("same-topics.md", Title="Kazakhstan: Same topics", Tags="Media, Central Asia", Date="2024-03-02 10:00")
    site.post("same-country.md", Title="Kazakhstan: Same country", Tags="Sport", Date="2024-03-04 10:00")
    site.post("elsewhere.md", Title="Azerbaijan: Elsewhere", Category="Azerbaijan", Tags="Sport", Date="2024-03-05 10:00")
    site.post("ru/same-country.md", Slug="same-country", Lang="ru", Translator="Ирина Ким", Tags="Sport",
              Title="Казахстан: та же страна", Date="2024-03-04 10:00")  # fmt: skip
    build = site.build()
    assert build.returncode == 0, build.log
    return build


def test_the_lead_image_is_a_figure_with_every_copy_in_srcset(illustrated):
    page = illustrated.page("2024/03/road/")
    header, figure = page.find(".//article/header"), page.find(".//article/figure[@class='lead-image']")
    assert figure is not None and figure.getprevious() is header, "at the top of the article, under its title"
    img = figure.find("img")
    assert img.get("alt") == "The road to Naryn <b>in winter</b>.", "the caption, as text"
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    copies = [entry.split() for entry in img.get("srcset").split(", ")]
    assert copies == [[f"../../../images/lead/naryn%20road-{w}.webp", f"{w}w"] for w in (480, 800, 1000)]
    assert img.get("src") == "../../../images/lead/naryn%20road-800.webp"
    assert (img.get("width"), img.get("height")) == ("800", "400")
    assert "40rem" in img.get("sizes")
    for width in (480, 800, 1000):
        with Image.open(illustrated.output / f"images/lead/naryn road-{width}.webp") as copy:
            assert (copy.format, copy.size) == ("WEBP", (width, width // 2))
    caption = figure.find("figcaption")
    assert caption.text.startswith("The road to Naryn <b>in winter</b>.") and caption.find("b") is None
    assert caption.find("span[@class='credit']/bdi").text == "Ainura <i>Ismailova</i>"
    assert caption.find(".//i") is None
    (body_image,) = page.findall(".//div[@class='post-body']//img")
    assert body_image.get("loading") == "lazy", "images in the text load as the reader nears them"


def test_open_graph_and_json_ld_name_the_lead_image(illustrated):
    page = illustrated.page("2024/03/road/")
    og = {m.get("property"): m.get("content") for m in page.iterfind(".//meta[@property]")}
    assert og["og:image"] == "http://127.0.0.1:8000/images/naryn road.jpg"
    assert (og["og:image:width"], og["og:image:height"]) == ("1000", "500")
    assert og["og:image:alt"] == "The road to Naryn <b>in winter</b>."
    assert page.find(".//meta[@name='twitter:card']").get("content") == "summary_large_image"
    (script,) = page.findall(".//script[@type='application/ld+json']")
    image = json.loads(script.text)["image"]
    assert image == {"@type": "ImageObject", "url": "http://127.0.0.1:8000/images/naryn road.jpg", "width": 1000,
                     "height": 500, "caption": "The road to Naryn <b>in winter</b>.", "creditText": "Ainura <i>Ismailova</i>"}  # fmt: skip
    plain = illustrated.page("2024/03/same-country/")
    assert plain.find(".//meta[@property='og:image']") is None and plain.find(".//figure") is None
    assert "image" not in json.loads(plain.find(".//script[@type='application/ld+json']").text)


def test_a_translation_without_an_image_shows_its_originals_in_its_language(illustrated):
    figure = illustrated.page("ru/2024/03/road/").find(".//figure[@class='lead-image']")
    assert figure.get("lang") == "en", "the caption is the original's, marked as English"
    assert figure.find("img").get("src") == "../../../../images/lead/naryn%20road-800.webp"


def test_related_stories_are_of_the_same_country_and_topics_in_the_readers_language(illustrated):
    def related(path):
        return [a.text for a in illustrated.page(path).iterfind(".//section[@class='related']//a")]

    assert related("2024/03/road/") == ["Kazakhstan: Same topics", "Kazakhstan: Same country"]
    assert related("2024/03/elsewhere/") == ["Kazakhstan: Same country"]
    assert related("ru/2024/03/road/") == ["Казахстан: та же страна"], "the Russian site's own posts only"


def test_share_links_are_plain_addresses_with_the_title_encoded(illustrated):
    page = illustrated.page("2024/03/road/")
    links = {a.text: a.get("href") for a in page.iterfind(".//section[@class='share']//a")}
    assert list(links) == ["E-mail", "Telegram", "WhatsApp", "X", "Facebook", "VK"]
    query = parse_qs(urlsplit(links["Telegram"]).query)
    assert query == {"url": ["http://127.0.0.1:8000/2024/03/road/"], "text": ['Kazakhstan: The road & the "vote"']}
    assert page.find(".//section[@class='share']//script") is None
    russian = illustrated.page("ru/2024/03/road/")
    assert russian.find(".//section[@class='share']/h2").text == "Поделиться материалом"
    (email,) = [a for a in russian.iterfind(".//section[@class='share']//a") if a.get("href").startswith("mailto:")]
    assert email.text == "Эл. почта" and "%D0%9A%D0%B0%D0%B7" in email.get("href")


@pytest.mark.parametrize(
    ("path", "feed", "text"),
    [
        ("country/kazakhstan/", "../../feeds/country/kazakhstan.atom.xml", "Subscribe to these posts (Atom feed)"),
        ("topic/media/", "../../feeds/topic/media.atom.xml", "Subscribe to these posts (Atom feed)"),
        ("ru/country/kazakhstan/", "../../../ru/feeds/country/kazakhstan.atom.xml", "Подписаться на эти публикации (лента Atom)"),
        ("ru/topic/sport/", "../../../ru/feeds/topic/sport.atom.xml", "Подписаться на эти публикации (лента Atom)"),
    ],
)  # fmt: skip
def test_country_and_topic_pages_show_a_subscribe_link(illustrated, path, feed, text):
    (link,) = illustrated.page(path).findall(".//main//p[@class='subscribe']/a")
    assert (link.get("href"), link.text, link.get("type")) == (feed, text, "application/atom+xml")
    assert (illustrated.output / posixpath.normpath(posixpath.join(path, feed))).is_file()


def test_the_trail_names_region_and_country_above_the_title(illustrated):
    def trail(path):
        nav = illustrated.page(path).find(".//article/header/nav[@class='trail']")
        assert nav.getnext().tag == "h1"
        return [(li.findtext(".//bdi"), li.find("a").get("href") if li.find("a") is not None else None)
                for li in nav.iterfind("ol/li")]  # fmt: skip

    # "Central Asia" is a topic of the English site: the region links to its page.
    assert trail("2024/03/road/") == [("Central Asia", "../../../topic/central-asia/"),
                                      ("Kazakhstan", "../../../country/kazakhstan/")]  # fmt: skip
    region, country = trail("ru/2024/03/road/")
    assert (region[0], country) == ("Центральная Азия", ("Казахстан", "../../../../ru/country/kazakhstan/"))
    # No topic is named "Western Asia": the region is text.
    assert trail("2024/03/elsewhere/") == [("Western Asia", None), ("Azerbaijan", "../../../country/azerbaijan/")]


def test_a_turned_phone_photo_is_resized_upright_and_loses_its_exif(tmp_path):
    photo = Image.new("RGB", (400, 200), (90, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown turned a quarter clockwise
    exif[0x8825] = {2: (43.0, 15.0, 0.0)}  # where it was taken
    source = tmp_path / "photo.jpg"
    photo.save(source, "JPEG", exif=exif)
    assert image_size(source) == (200, 400)
    assert write_copies(source, [("images/lead/photo-100.webp", 100)], tmp_path / "out", tmp_path / "cache", 70) == 1
    with Image.open(tmp_path / "out/images/lead/photo-100.webp") as copy:
        assert copy.size == (100, 200)
        assert not copy.getexif() and "exif" not in copy.info
    assert write_copies(source, [("images/lead/photo-100.webp", 100)], tmp_path / "out", tmp_path / "cache", 70) == 0


def test_resized_copies_are_made_once_and_the_same_by_every_worker_count(site):
    site.write("images/naryn.png", _picture(900, 600, "PNG"))
    post = site.post("road.md", Image="/images/naryn.png", **{"Image-alt": "A road"})
    first = site.build(PARALLEL={"workers": 2})
    assert first.returncode == 0, first.log
    cached = sorted(site.root.glob(".pelican-cache/*/lead-images/*.webp"))
    assert len(cached) == 3, cached
    made = {path: path.stat().st_mtime_ns for path in cached}
    copies = snapshot(first.output / "images/lead")
    assert sorted(copies) == ["naryn-480.webp", "naryn-800.webp", "naryn-900.webp"]
    post.write_text(post.read_text(encoding="utf-8").replace("A lead paragraph", "An edited paragraph"), encoding="utf-8")
    again = site.build(PARALLEL={"workers": 2})
    assert again.returncode == 0, again.log
    assert {path: path.stat().st_mtime_ns for path in cached} == made, "not encoded again"
    assert snapshot(again.output / "images/lead") == copies
    shutil.rmtree(site.root / ".pelican-cache")
    serial = site.build(PARALLEL={"workers": 1})
    assert serial.returncode == 0, serial.log
    assert snapshot(serial.output / "images/lead") == copies, "encoded anew, the same bytes"
    assert all(os.stat(serial.output / "images/lead" / name).st_mode & 0o044 == 0o044 for name in copies)


def test_an_image_outside_content_or_without_alt_text_fails_the_build(site, tmp_path):
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(_picture(600, 300))
    site.write("images/fine.jpg", _picture(600, 300))
    site.write("images/broken.jpg", b"not a picture")
    site.write("pictures/notes.jpg", _picture(600, 300))
    site.post("climb.md", Image="../../secret.jpg", **{"Image-alt": "x"})
    site.post("no-alt.md", Image="/images/fine.jpg", **{"Image-credit": "Someone"})
    site.post("missing.md", Image="/images/nowhere.jpg", **{"Image-alt": "x"})
    site.post("address.md", Image="https://tracker.example/pixel.jpg", **{"Image-alt": "x"})
    site.post("broken.md", Image="/images/broken.jpg", **{"Image-alt": "x"})
    site.post("unpublished.md", Image="/pictures/notes.jpg", **{"Image-alt": "x"})
    site.post("stray.md", **{"Image-caption": "A caption for no picture"})
    site.post("folder.md", Image="/images", **{"Image-alt": "x"})
    site.write("pages/about.md", "Title: About\nImage: /images/fine.jpg\n\nWho we are.\n")
    build = site.build()
    assert build.returncode == 1
    line = 7  # Image: comes after the six fields every test post has
    for expected in (
        f"content/posts/climb.md:{line}: Image: \"../../secret.jpg\" is outside content/",
        f"content/posts/no-alt.md:{line}: Image: has no text for readers who cannot see it",
        f"content/posts/missing.md:{line}: Image: \"/images/nowhere.jpg\" does not exist",
        f"content/posts/address.md:{line}: Image: \"https://tracker.example/pixel.jpg\" is outside content/",
        f"content/posts/broken.md:{line}: Image: \"/images/broken.jpg\" is not a picture the build can read",
        f"content/posts/unpublished.md:{line}: Image: \"/pictures/notes.jpg\" is not in a folder that is published (images)",
        f"content/posts/stray.md:{line}: Image-caption: without an Image:",
        f"content/posts/folder.md:{line}: Image: \"/images\" does not exist",
        "content/pages/about.md:2: Image: is read on posts only",
    ):
        assert expected in build.log, (expected, build.log)
    assert not (build.output / "images/lead").exists()
    # A symlink out of content/ stops the build before anything is read (strict/paths.py), lead images too.
    (site.content / "images/link.jpg").symlink_to(outside)
    linked = site.build()
    assert linked.returncode == 1 and "content/images/link.jpg: is a symlink to" in linked.log, linked.log
    assert not (linked.output / "images/lead").exists()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"LEAD_IMAGE": {"width": [480]}}, "lead_image: unknown key(s) ['width'] in LEAD_IMAGE"),
        ({"LEAD_IMAGE": {"widths": []}}, 'lead_image: LEAD_IMAGE["widths"] must be a list of widths'),
        ({"LEAD_IMAGE": {"widths": ["800"]}}, 'lead_image: LEAD_IMAGE["widths"] must be a list of widths'),
        ({"LEAD_IMAGE": {"quality": 0}}, 'lead_image: LEAD_IMAGE["quality"] must be a WebP quality'),
        ({"RELATED": {"count": -1}}, 'related: RELATED["count"] must be a number of posts'),
        ({"RELATED": {"posts": 3}}, "related: unknown key(s) ['posts'] in RELATED"),
    ],
)
def test_settings_are_checked_at_start(site, settings, message):
    site.post("road.md")
    build = site.build(**settings)
    assert build.returncode == 1 and message in build.log, build.log


# --- the demo in Chromium ----------------------------------------------------------------

NARYN = "2024/04/kyrgyzstan-the-road-to-naryn/"


@pytest.mark.parametrize("path", [NARYN, f"ru/{NARYN}"], ids=["english", "russian"])
def test_an_article_with_a_lead_image_has_no_accessibility_violations(demo_build, browser, serve_folder, path):
    require_npm_file(AXE.relative_to(REPO / "node_modules"))
    assert _axe(browser, f"{serve_folder(demo_build.output)}/{path}") == []


@pytest.mark.parametrize(("width", "scale", "chosen"), [(390, 1, "480"), (390, 2, "800"), (1280, 1, "800"), (1280, 2, "1200")])
def test_the_browser_fetches_the_smallest_copy_that_fits(demo_build, browser, serve_folder, width, scale, chosen):
    base = serve_folder(demo_build.output)
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.goto(f"{base}/{NARYN}")
    page.wait_for_load_state("networkidle")
    current = page.evaluate("document.querySelector('.lead-image img').currentSrc")
    context.close()
    assert current.endswith(f"road-to-naryn-{chosen}.webp")
    assert [p for p in fetched if "/images/" in p] == [f"/images/lead/road-to-naryn-{chosen}.webp"]
