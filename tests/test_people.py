"""People: author and translator pages with a profile (content/authors/), linked from every credit."""

import pytest
from PIL import Image

from people.profiles import Profile, field_problems, index_profiles, link_label, listed

LANGUAGES = ["en", "ru", "kk", "ar"]


def _slugify(name):
    return {"Irina Kim": "irina-kim", "Ирина Ким": "irina-kim", "IRINA KIM": "irina-kim",
            "Bakyt Osmonov": "bakyt-osmonov"}.get(name, name.lower().replace(" ", "-"))  # fmt: skip


def _profile(slug="irina-kim", lang="en", name="Irina Kim", **fields):
    return Profile(slug=slug, lang=lang, name=name, source_path=f"content/authors/{lang}/{slug}.md", **fields)


@pytest.mark.parametrize(
    ("value", "items"),
    [("kk, ru,  en", ("kk", "ru", "en")), ("", ()), (None, ()), ("ru,", ("ru",)), (["kk", "ru"], ("kk", "ru")),
     ("https://a.kz/x, mailto:i@a.kz", ("https://a.kz/x", "mailto:i@a.kz"))],
)  # fmt: skip
def test_listed_values(value, items):
    assert listed(value) == items


@pytest.mark.parametrize(
    ("address", "label"),
    [("https://www.t.me/aigerim/", "t.me/aigerim"), ("http://example.kz", "example.kz"),
     ("mailto:irina@example.org", "irina@example.org"), ("https://a.kz/x?y=1", "a.kz/x?y=1")],
)  # fmt: skip
def test_link_labels(address, label):
    assert link_label(address) == label


@pytest.mark.parametrize(
    ("languages", "links", "problems"),
    [(("kk", "ru"), ("https://a.kz/",), []),
     (("russian",), (), ['Languages: "russian" is not a language code']),
     ((), ("javascript:alert(1)",), ['Links: "javascript:alert(1)" is not a web address']),
     ((), ("https://a.kz/\"onmouseover=x",), ['is not a web address']),
     ((), ("mailto:irina@example.org",), [])],
)  # fmt: skip
def test_field_problems(languages, links, problems):
    found = [problem.message for problem in field_problems("p.md", languages, links)]
    assert len(found) == len(problems), found
    for message, expected in zip(found, problems, strict=True):
        assert expected in message


def test_a_page_shows_its_language_else_the_first_of_languages():
    people, problems = index_profiles([_profile(lang="ru", name="Ирина Ким"), _profile(lang="en"),
                                       _profile(slug="layla", lang="ar", name="ليلى حداد")], LANGUAGES, _slugify)  # fmt: skip
    assert problems == []
    assert people.shown("irina-kim", "ru", LANGUAGES).name == "Ирина Ким"
    assert people.shown("irina-kim", "kk", LANGUAGES).name == "Irina Kim"
    assert people.shown("layla", "en", LANGUAGES).lang == "ar"
    assert people.shown("nobody", "en", LANGUAGES) is None


def test_every_spelling_finds_the_profile():
    people, _ = index_profiles([_profile(names=("Ирина Ким",)), _profile(lang="ru", name="Ирина Ким")], LANGUAGES, _slugify)
    assert {name: people.slug_of[name] for name in ("Irina Kim", "Ирина Ким")} == {"Irina Kim": "irina-kim", "Ирина Ким": "irina-kim"}


def test_a_translated_profile_shows_its_originals_photo_languages_and_links_unless_it_has_its_own():
    original = _profile(languages=("ru", "en"), links=("https://a.kz/",), photo="images/irina.jpg",
                        photo_sources=[("images/profile/irina-96.webp", 96)])  # fmt: skip
    translation = _profile(lang="ru", name="Ирина Ким", links=("https://a.ru/",))
    index_profiles([translation, original], LANGUAGES, _slugify)
    assert (translation.photo, translation.languages, translation.links) == ("images/irina.jpg", ("ru", "en"), ("https://a.ru/",))


@pytest.mark.parametrize(
    ("profiles", "message"),
    [([_profile(), _profile()], '"irina-kim" already has a en profile'),
     ([_profile(lang="de")], 'Lang "de" is not configured'),
     ([_profile(), _profile(slug="ikim", names=("Irina Kim",))], '"Irina Kim" is also the name of the profile'),
     ([_profile(), _profile(slug="ikim", name="IRINA KIM")], '"IRINA KIM" is also the name of the profile')],
)  # fmt: skip
def test_profile_problems(profiles, message):
    _, problems = index_profiles(profiles, LANGUAGES, _slugify)
    assert [p.message for p in problems if message in p.message], [p.message for p in problems]


# A small site: one post by Aigerim, its Russian translation by Irina, a post by Bakyt (no profile).

AIGERIM = """\
    Title: Aigerim Sadykova
    Names: Айгерим Садыкова
    Photo: /images/people/aigerim.png
    Languages: kk, ru, en
    Links: https://example.kz/aigerim, mailto:aigerim@example.kz

    Aigerim is a *journalist* in Almaty.
    """
AIGERIM_RU = """\
    Title: Айгерим Садыкова
    Slug: aigerim-sadykova
    Lang: ru

    Айгерим — журналист из Алматы.
    """
IRINA_RU = """\
    Title: Ирина Ким
    Slug: irina-kim
    Lang: ru

    Ирина переводит с английского.
    """


def _people_site(site):
    photo = site.content / "images" / "people" / "aigerim.png"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (300, 300), (40, 80, 120)).save(photo)
    site.write("authors/aigerim-sadykova.md", AIGERIM)
    site.write("authors/ru/aigerim-sadykova.md", AIGERIM_RU)
    site.write("authors/ru/irina-kim.md", IRINA_RU)
    site.post("letter.md", Author="Aigerim Sadykova")
    site.post("ru/letter.md", Slug="letter", Lang="ru", Title="Казахстан: письмо", Author="Aigerim Sadykova",
              Translator="Ирина Ким <https://example.org/irina>")  # fmt: skip
    site.post("road.md", Author="Bakyt Osmonov", Date="2024-02-01")


@pytest.fixture
def built(site):
    _people_site(site)
    build = site.build()
    assert build.returncode == 0, build.log
    return build


def test_an_authors_page_shows_the_profile_in_the_pages_language(built):
    page = built.page("author/aigerim-sadykova/")
    assert page.findtext(".//main/h1/bdi") == "Aigerim Sadykova"
    profile = page.find(".//section[@class='profile']")
    assert profile.find(".//div[@class='profile-bio']/p/em").text == "journalist"
    assert profile.findtext(".//p[@class='profile-languages']") == "Writes and translates in: Kazakh, Russian, and English"
    links = [(a.get("href"), a.text) for a in profile.iterfind(".//ul[@class='profile-links']/li/a")]
    assert links == [("https://example.kz/aigerim", "example.kz/aigerim"), ("mailto:aigerim@example.kz", "aigerim@example.kz")]
    photo = profile.find(".//img[@class='profile-photo']")
    assert photo.get("alt") == "Photo of Aigerim Sadykova"
    for candidate in photo.get("srcset").split(", "):
        address, width = candidate.rsplit(" ", 1)
        with Image.open(built.output / "author" / "aigerim-sadykova" / address) as copy:
            assert (copy.format, f"{copy.width}w") == ("WEBP", width)
    assert [a.text for a in page.iterfind(".//ol[@class='post-list']//h2/a")] == ["Kazakhstan: A test post"]

    russian = built.page("ru/author/aigerim-sadykova/")
    assert russian.findtext(".//main/h1/bdi") == "Айгерим Садыкова"
    assert russian.findtext(".//div[@class='profile-bio']/p") == "Айгерим — журналист из Алматы."
    assert russian.find(".//img[@class='profile-photo']") is not None, "a translated profile shows the original's photo"
    assert "казахский, русский и английский" in russian.findtext(".//p[@class='profile-languages']")


def test_bylines_and_credits_link_to_the_persons_page(built):
    translation = built.page("ru/2024/03/letter/")
    byline = translation.find(".//p[@class='byline']/bdi/a[@rel='author']")
    assert (byline.text, byline.get("href").rsplit("/ru/", 1)[1]) == ("Айгерим Садыкова", "author/aigerim-sadykova/")
    credit = translation.find(".//p[@class='translation-credit']/bdi/a")
    assert (credit.text, credit.get("href").rsplit("/ru/", 1)[1]) == ("Ирина Ким", "author/irina-kim/")
    assert translation.find(".//p[@class='translation-credit']/a[@dir='ltr']") is None, "a profile replaces the address"
    original = built.page("2024/03/letter/").find(".//p[@class='byline']/bdi/a[@rel='author']")
    assert (original.text, original.get("href")) == ("Aigerim Sadykova", "../../../author/aigerim-sadykova/")


def test_a_translator_has_a_page_listing_their_translations(built):
    page = built.page("ru/author/irina-kim/")
    assert page.findtext(".//main/h1/bdi") == "Ирина Ким"
    assert [a.text for a in page.iterfind(".//ol[@class='post-list']//h2/a")] == ["Казахстан: письмо"]
    index = built.page("ru/author/")
    assert "Ирина Ким" in [a.text for a in index.iterfind(".//ul[@class='term-list']/li/a")]
    assert not (built.output / "author" / "irina-kim").exists(), "no English page: she translated nothing into English"


def test_a_person_without_a_profile_keeps_a_plain_page(built):
    page = built.page("author/bakyt-osmonov/")
    assert page.find(".//section[@class='profile']") is None
    assert page.findtext(".//main/h1") == "Posts by Bakyt Osmonov"


def test_profile_mistakes_fail_the_build_with_file_and_line(site):
    _people_site(site)
    site.write("authors/layla.md", """\
        Title: Layla Haddad
        Languages: arabic
        Links: javascript:alert(1)
        Photo: /images/people/missing.png

        Layla translates into Arabic.
        """)
    site.write("authors/ru/aigerim.md", AIGERIM_RU)
    build = site.build()
    assert build.returncode != 0
    for expected in ('authors/layla.md:2: Languages: "arabic" is not a language code',
                     'authors/layla.md:3: Links: "javascript:alert(1)" is not a web address',
                     'authors/layla.md:4: Photo: "/images/people/missing.png" does not exist',
                     '"aigerim-sadykova" already has a ru profile'):  # fmt: skip
        assert expected in build.log, build.log
    assert not (site.root / "output").exists(), "a failed build writes no site"


def test_hostile_profile_values_are_text_or_refused(site):
    _people_site(site)
    site.write("authors/aigerim-sadykova.md", AIGERIM.replace("Aigerim is a *journalist* in Almaty.",
               'Aigerim <script>alert(1)</script><img src=x alt="her desk" onerror=alert(2)> is a *journalist*.')
               .replace("Names: Айгерим Садыкова", 'Names: Айгерим Садыкова, Aigerim"><b>x</b>'))  # fmt: skip
    build = site.build()
    assert build.returncode == 0, build.log
    page = build.page("author/aigerim-sadykova/")
    assert not page.xpath("//script[contains(., 'alert')]") and not page.xpath("//*[@onerror]")
    assert page.find(".//div[@class='profile-bio']/p/em").text == "journalist"
    assert "removed the <script> element" in build.log, "what the policy removed is said"


@pytest.mark.parametrize(("name", "text", "line"), [("Ab Cd.md", "Title: Ab\n\nBio.\n", 1),
                                                    ("ab.md", "Title: Ab\nSlug: ../../index\n\nBio.\n", 2)])  # fmt: skip
def test_a_profile_slug_is_a_slug(site, name, text, line):
    _people_site(site)
    site.write(f"authors/{name}", text)
    build = site.build()
    assert build.returncode == 1 and f"content/authors/{name}:{line}:" in build.log, build.log
    assert not (site.root / "output").exists()


def test_a_profile_no_post_credits_is_named_after_the_build_which_still_succeeds(site):
    _people_site(site)
    site.write("authors/layla.md", "Title: Layla Haddad\n\nLayla translates into Arabic.\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert 'authors/layla.md:1: no post credits "Layla Haddad" as Author: or Translator: yet' in build.log
    assert not (build.output / "author" / "layla-haddad").exists()


# --- the demo's people in Chromium ---------------------------------------------------------

PERSON_PAGES = ["author/aigerim-sadykova/", "ru/author/aigerim-sadykova/", "ru/author/irina-kim/", "ar/author/layla-haddad/"]


@pytest.mark.parametrize("path", PERSON_PAGES)
def test_a_persons_page_has_no_accessibility_violations(demo_build, browser, serve_folder, path):
    from conftest import REPO, require_npm_file  # noqa: PLC0415
    from test_readers import AXE, _axe  # noqa: PLC0415

    require_npm_file(AXE.relative_to(REPO / "node_modules"))
    assert _axe(browser, f"{serve_folder(demo_build.output)}/{path}") == []


@pytest.mark.parametrize(("path", "width"), [(PERSON_PAGES[0], 1280), (PERSON_PAGES[0], 390), (PERSON_PAGES[3], 390)])
def test_the_photo_sits_beside_the_bio_on_a_desktop_and_above_it_on_a_phone(demo_build, browser, serve_folder, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{serve_folder(demo_build.output)}/{path}")
    bio = page.locator(".profile-bio").bounding_box()
    photo = page.locator(".profile-photo")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing sticks out sideways"
    if photo.count():
        box = photo.bounding_box()
        loaded = page.evaluate("document.querySelector('.profile-photo').naturalWidth")
        assert loaded > 0, "the resized photo loads"
        if width > 600:
            assert box["x"] + box["width"] <= bio["x"] and box["y"] <= bio["y"] + 1
        else:
            assert box["y"] + box["height"] <= bio["y"]
    elif path.startswith("ar/"):
        heading = page.locator("main h1").bounding_box()
        assert heading["x"] + heading["width"] >= width - 40, "an Arabic page's name starts at the right"
    context.close()


def test_a_translator_into_the_default_language_has_a_page_on_the_main_site(site):
    site.post("ru/letter.md", Lang="ru", Title="Казахстан: письмо", Author="Айгерим Садыкова")
    site.post("letter.md", Slug="letter", Translator="Irina Kim", Author="Айгерим Садыкова")
    build = site.build()
    assert build.returncode == 0, build.log
    page = build.page("author/irina-kim/")
    assert [a.text for a in page.iterfind(".//ol[@class='post-list']//h2/a")] == ["Kazakhstan: A test post"]
    assert "Irina Kim" in [a.text for a in build.page("author/").iterfind(".//ul[@class='term-list']/li/a")]
