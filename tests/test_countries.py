"""Countries as people write them: every CLDR name and alternative and our aliases, one page each,
and the name each language site shows (`COUNTRIES["names"]`)."""

import json
import os

import pytest
from country_names import ALIASES, NAMES, aliases, country_code, country_label, display_name, english_name, normalised, suggestion
from country_names.cldr import names_from_cldr
from countries import display_names
from markupsafe import Markup

from conftest import REPO, Site, invoke

# Spellings people write -> the country they mean: CLDR's main, alternative and short names,
# Global Voices' own category names, UN-style official names, and the site's other languages.
SPELLINGS = [
    ("Kazakhstan", "KZ"), ("kazakhstan", "KZ"), ("  Kazakhstan ", "KZ"),
    ("Türkiye", "TR"), ("Turkey", "TR"), ("Turkiye", "TR"), ("TURKEY", "TR"),
    ("Myanmar (Burma)", "MM"), ("Myanmar", "MM"), ("Burma", "MM"),
    ("Côte d’Ivoire", "CI"), ("Cote d'Ivoire", "CI"), ("Côte d'Ivoire", "CI"), ("cote d’ivoire", "CI"), ("Ivory Coast", "CI"),
    ("Eswatini", "SZ"), ("Swaziland", "SZ"),
    ("Czechia", "CZ"), ("Czech Republic", "CZ"),
    ("Hong Kong SAR China", "HK"), ("Hong Kong", "HK"), ("Hong Kong (China)", "HK"), ("China", "CN"),
    ("Macao", "MO"), ("Macau", "MO"), ("Macau (China)", "MO"),
    ("Palestine", "PS"), ("Palestinian Territories", "PS"), ("State of Palestine", "PS"), ("Israel", "IL"),
    ("D.R. of Congo", "CD"), ("DR Congo", "CD"), ("Democratic Republic of the Congo", "CD"), ("Congo - Kinshasa", "CD"),
    ("Congo (DRC)", "CD"), ("Republic of Congo", "CG"), ("Congo - Brazzaville", "CG"), ("Congo (Republic)", "CG"),
    ("USA", "US"), ("U.S.A.", "US"), ("US", "US"), ("United States", "US"),
    ("UK", "GB"), ("United Kingdom", "GB"), ("Great Britain", "GB"),
    ("Macedonia", "MK"), ("North Macedonia", "MK"), ("East Timor", "TL"), ("Timor-Leste", "TL"),
    ("Vatican", "VA"), ("Vatican City", "VA"), ("Holy See", "VA"),
    ("Russia", "RU"), ("Russian Federation", "RU"), ("South Korea", "KR"), ("Republic of Korea", "KR"),
    ("North Korea", "KP"), ("Iran", "IR"), ("Syria", "SY"), ("Syrian Arab Republic", "SY"), ("Laos", "LA"),
    ("Moldova", "MD"), ("Republic of Moldova", "MD"), ("Bolivia", "BO"), ("Venezuela", "VE"), ("Tanzania", "TZ"),
    ("Vietnam", "VN"), ("Viet Nam", "VN"), ("Taiwan", "TW"), ("Taiwan (ROC)", "TW"), ("Kosovo", "XK"),
    ("Brunei", "BN"), ("Cape Verde", "CV"), ("Cabo Verde", "CV"),
    ("Bosnia Herzegovina", "BA"), ("Bosnia & Herzegovina", "BA"), ("Bosnia and Herzegovina", "BA"), ("Bosnia", "BA"),
    ("Trinidad & Tobago", "TT"), ("Trinidad and Tobago", "TT"),
    ("Saint Vincent & the Grenadines", "VC"), ("St. Vincent & Grenadines", "VC"), ("Saint Lucia", "LC"), ("St Lucia", "LC"),
    ("Guinea-Bissau", "GW"), ("Guinea Bissau", "GW"), ("Gambia", "GM"), ("The Gambia", "GM"),
    ("Kyrgyz Republic", "KG"), ("Puerto Rico (U.S.)", "PR"), ("Sao Tome and Principe", "ST"), ("Åland", "AX"),
    # The site's other languages: CLDR's names, and those the region writes.
    ("Казахстан", "KZ"), ("Турция", "TR"), ("Киргизия", "KG"), ("Кыргызстан", "KG"), ("Қырғызстан", "KG"),
    ("Қазақстан", "KZ"), ("Палестина", "PS"), ("Свазиленд", "SZ"), ("Кот-д'Ивуар", "CI"), ("кыргызстан", "KG"),
    ("كازاخستان", "KZ"), ("فلسطين", "PS"), ("ساحل العاج", "CI"),
]  # fmt: skip

# Names that look like a country's but are not one (or are two), and codes, which are not names.
NOT_COUNTRIES = [
    "Congo", "Korea", "Virgin Islands", "Kazakstan", "Central Asia", "Africa", "Middle East & North Africa",
    "Sub-Saharan Africa", "English", "Russian", "Kyrgyz", "Turkish", "Northern Ireland", "Somaliland", "Tibet",
    "Netherlands Antilles", "Soviet Union", "KZ", "TR", "", "the", "Hong", "Guinea Equatorial", "Sudan South",
]  # fmt: skip

# Lookalikes that are each a different country, never each other.
LOOKALIKES = [
    ("Niger", "NE"), ("Nigeria", "NG"), ("Guinea", "GN"), ("Equatorial Guinea", "GQ"), ("Papua New Guinea", "PG"),
    ("Dominica", "DM"), ("Dominican Republic", "DO"), ("Sudan", "SD"), ("South Sudan", "SS"), ("Samoa", "WS"),
    ("American Samoa", "AS"), ("Ireland", "IE"), ("Georgia", "GE"), ("Austria", "AT"), ("Australia", "AU"),
    ("Iran", "IR"), ("Iraq", "IQ"), ("Slovakia", "SK"), ("Slovenia", "SI"), ("Mali", "ML"), ("Malawi", "MW"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "code"), SPELLINGS + LOOKALIKES)
def test_every_spelling_names_its_country(name, code):
    assert country_code(name) == code


@pytest.mark.parametrize("name", NOT_COUNTRIES)
def test_what_is_not_a_country_is_none(name):
    assert country_code(name) is None


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("Kazakstan", 'did you mean "Kazakhstan"?'),
        ("Turky", 'did you mean "Türkiye"?'),
        ("KZ", 'write the country\'s name, "Kazakhstan", not its code'),
        ("Congo", 'which one? "Congo - Brazzaville" or "Congo - Kinshasa"'),
        ("Korea", 'which one? "North Korea" or "South Korea"'),
        ("Virgin Islands", 'which one? "British Virgin Islands" or "U.S. Virgin Islands"'),
        ("Qqqq", 'write a country\'s name, e.g. "Kazakhstan"'),
    ],
)
def test_a_name_that_is_not_a_country_gets_a_fix(name, fix):
    assert suggestion(name).startswith(fix)


@pytest.mark.parametrize(
    ("name", "form"),
    [("Côte d’Ivoire", "cote divoire"), ("Cote d'Ivoire", "cote divoire"), ("Trinidad & Tobago", "trinidad and tobago"),
     ("St. Lucia", "st lucia"), ("Saint Lucia", "st lucia"), ("The Gambia", "gambia"), ("Congo - Kinshasa", "congo kinshasa"),
     ("U.S.A.", "usa"), ("Hong Kong (China)", "hong kong china"), ("ТУРЦИЯ", "турция"), ("the", "the")],
)  # fmt: skip
def test_names_compare_without_case_accents_or_punctuation(name, form):
    assert normalised(name) == form


def test_every_alias_is_a_country_and_says_what_cldr_does_not():
    data = json.loads(NAMES.read_text(encoding="utf-8"))["countries"]
    cldr = {normalised(name) for names in data.values() for local in names.values() for name in local}
    seen = {}
    for alias, code in aliases().items():
        assert code in data, f"{ALIASES.name}: {alias!r} -> {code!r} is not a country code"
        key = normalised(alias)
        assert key not in cldr, f"{ALIASES.name}: {alias!r} is already a CLDR name; remove it"
        assert key not in seen, f"{ALIASES.name}: {alias!r} is the same spelling as {seen[key]!r}"
        seen[key] = alias


def test_every_country_has_one_english_name_for_its_page():
    data = json.loads(NAMES.read_text(encoding="utf-8"))["countries"]
    assert len(data) > 240 and "ZZ" not in data and "EU" not in data and "UN" not in data
    assert {english_name(code) for code in ("TR", "MM", "CI", "SZ")} == {"Türkiye", "Myanmar (Burma)", "Côte d’Ivoire", "Eswatini"}
    for code in data:
        assert country_code(english_name(code)) == code, code


def test_the_names_file_reads_cldr_names_and_their_alternatives():
    info = {"supplemental": {"territoryInfo": {"TR": {}, "MM": {}, "ZZ": {}, "001": {}}}}
    english = {"TR": "Türkiye", "TR-alt-variant": "Turkey", "MM": "Myanmar (Burma)", "MM-alt-short": "Myanmar",
               "UN": "United Nations", "UN-alt-short": "UN", "ZZ": "Unknown Region", "001": "world"}  # fmt: skip
    data = names_from_cldr(info, {"en": english, "ru": {"TR": "Турция", "MM": "Мьянма (Бирма)"}}, "48.2.0")
    assert data["countries"] == {"MM": {"en": ["Myanmar (Burma)", "Myanmar"], "ru": ["Мьянма (Бирма)"]},
                                 "TR": {"en": ["Türkiye", "Turkey"], "ru": ["Турция"]}}  # fmt: skip
    assert data["languages"] == ["en", "ru"] and "48.2.0" in data["source"]


def test_the_committed_names_file_is_what_cldr_gives(project):
    """`invoke cldr-countries` after a CLDR update; this says when it was forgotten."""
    if not (REPO / "node_modules/cldr-localenames-full").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("cldr-localenames-full is missing on CI: .ci/run must run `npm ci --ignore-scripts`")
        pytest.skip("cldr-localenames-full is not installed: run `npm ci --ignore-scripts`")
    names = project / NAMES.relative_to(REPO)
    names.write_text("{}", encoding="utf-8")
    missing = invoke(project, "cldr-countries")
    assert missing.returncode == 1 and "run `npm ci --ignore-scripts` first" in missing.stderr
    (project / "node_modules").symlink_to(REPO / "node_modules")
    result = invoke(project, "cldr-countries")
    assert result.returncode == 0 and "Wrote plugins/country_names/names.json (" in result.stdout, result.stderr
    assert names.read_text(encoding="utf-8") == NAMES.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "lang", "names", "shown"),
    [
        ("KG", "ru", None, "Кыргызстан"),  # the default: what readers in the region expect
        ("KG", "ru", {}, "Киргизия"),  # CLDR's, when the site names none
        ("KG", "kk", None, "Қырғызстан"),
        ("KG", "en", None, "Kyrgyzstan"),
        ("TR", "en", {"en": {"TR": "Turkey"}}, "Turkey"),
        ("PS", "ar", None, "الأراضي الفلسطينية"),
        ("KZ", "fr", None, "Kazakhstan"),  # not in the names file: Babel's
        ("KZ", "de", None, "Kasachstan"),
    ],
)
def test_the_name_a_page_shows(code, lang, names, shown):
    assert display_name(code, lang, names) == shown


def test_a_label_is_plain_text_for_the_template_to_escape():
    label = country_label("Trinidad and Tobago", "en", {"COUNTRIES": {"names": {"en": {"TT": "T<b>&</b>T"}}}})
    assert label == "T<b>&</b>T" and not isinstance(label, Markup)
    assert country_label("KG", "ru") == "Кыргызстан" and country_label("Media", "ru") == "Media"


def test_the_setting_names_countries_by_code_or_by_name():
    merged = display_names({"ru": {"Turkey": "Турецкая Республика"}, "en": {"PS": "Palestine"}})
    assert merged == {"ru": {"KG": "Кыргызстан", "TR": "Турецкая Республика"}, "en": {"PS": "Palestine"}}
    assert display_names({"ru": {"KG": "Киргизия"}})["ru"]["KG"] == "Киргизия", "the site's choice wins"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["KG"], 'COUNTRIES["names"] must be a dict'),
        ({"ru": "Кыргызстан"}, 'COUNTRIES["names"]["ru"] must be a dict'),
        ({"ru": {"Kazakstan": "Казахстан"}}, '"Kazakstan" is not a country (did you mean "Kazakhstan"?)'),
        ({"ru": {"KG": ""}}, 'COUNTRIES["names"]["ru"]["KG"] must be the name to show'),
    ],
)
def test_a_wrong_setting_says_what_to_write(names, message):
    with pytest.raises(ValueError) as error:
        display_names(names)
    assert message in str(error.value)


# --- A site built from posts that spell their countries in every way ---------------------------

SAME_COUNTRY = {
    "turkiye": ["Turkey", "Türkiye", "turkey"],
    "myanmar-burma": ["Myanmar", "Myanmar (Burma)", "Burma"],
    "cote-divoire": ["Ivory Coast", "Cote d'Ivoire", "Côte d’Ivoire"],
}
RU_LETTER = {"Slug": "bishkek", "Category": "Kyrgyzstan", "Lang": "ru", "Translator": "Ирина Ким", "Title": "Кыргызстан: письмо из Бишкека"}


@pytest.fixture(scope="module")
def spelt(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("countries"))
    for slug, spellings in SAME_COUNTRY.items():
        for number, spelling in enumerate(spellings):
            site.post(f"{slug}-{number}.md", Category=spelling, Title=f"{spelling}: post {number}")
    site.post("roundup.md", Category="Kazakhstan", Countries="Swaziland, Ivory Coast", Title="Roundup: three countries")
    site.post("palestine.md", Category="Palestine", Title="Palestine: A hunger strike")
    site.post("trinidad.md", Category="Trinidad and Tobago", Title="Trinidad & Tobago: Carnival")
    site.post("bishkek.md", Category="Kyrgyzstan", Title="Kyrgyzstan: A letter from Bishkek")
    site.post("ru/bishkek.md", **RU_LETTER)
    build = site.build(COUNTRIES={"names": {"en": {"PS": "Palestine"}}}, TRANSLATIONS={"untranslated": "note"})
    assert build.returncode == 0, build.log
    return build


def test_every_spelling_lands_on_the_one_country_page(spelt):
    pages = {path.name for path in (spelt.output / "country").iterdir() if path.is_dir()}
    assert pages == {*SAME_COUNTRY, "kazakhstan", "eswatini", "palestinian-territories", "trinidad-tobago", "kyrgyzstan"}
    for slug, spellings in SAME_COUNTRY.items():
        text = "".join(spelt.page(f"country/{slug}/").itertext())
        for number, spelling in enumerate(spellings):
            assert f"{spelling}: post {number}" in text, (slug, spelling)
    for slug in ("eswatini", "cote-divoire", "kazakhstan"):
        assert "Roundup: three countries" in (spelt.output / f"country/{slug}/index.html").read_text(encoding="utf-8")


def test_the_page_and_byline_name_the_country_as_cldr_does(spelt):
    page = spelt.page("country/turkiye/")
    assert page.findtext(".//h1") == "Posts from Türkiye"
    post = spelt.page("2024/03/turkiye-0/")
    assert post.find(".//p[@class='byline']").findall(".//a")[-1].text == "Türkiye"
    raw = (spelt.output / "country/trinidad-tobago/index.html").read_text(encoding="utf-8")
    assert "Posts from Trinidad &amp; Tobago" in raw and "&amp;amp;" not in raw


def test_the_setting_names_a_country_everywhere(spelt):
    assert spelt.page("country/palestinian-territories/").findtext(".//h1") == "Posts from Palestine"
    post = spelt.page("2024/03/palestine/")
    assert post.find(".//p[@class='byline']").findall(".//a")[-1].text == "Palestine"
    data = json.loads(post.find(".//script[@type='application/ld+json']").text)
    assert data["articleSection"] == "Palestine"


def test_the_russian_site_writes_kyrgyzstan_as_the_region_does(spelt):
    atom = "{http://www.w3.org/2005/Atom}"
    post = spelt.page("ru/2024/03/bishkek/")
    assert post.find(".//p[@class='byline']").findall(".//a")[-1].text == "Кыргызстан"
    assert json.loads(post.find(".//script[@type='application/ld+json']").text)["articleSection"] == "Кыргызстан"
    assert spelt.page("ru/country/kyrgyzstan/").findtext(".//h1") == "Публикации о стране: Кыргызстан"
    assert "Кыргызстан" in {a.text for a in spelt.page("ru/country/").iterfind(".//ul[@class='term-list']/li/a")}
    feed = spelt.xml("ru/feeds/country/kyrgyzstan.atom.xml")
    assert feed.findtext(f"{atom}title") == "Tilmash: Кыргызстан"
    assert [c.get("term") for c in feed.find(f"{atom}entry").iterfind(f"{atom}category")][0] == "Кыргызстан"
    everything = "".join(path.read_text(encoding="utf-8") for path in (spelt.output / "ru").rglob("*") if path.suffix in (".html", ".xml"))
    assert "Киргизия" not in everything
    assert spelt.page("kk/country/kyrgyzstan/").findtext(".//h1") == "Ел туралы жазбалар: Қырғызстан"


def test_a_name_that_is_two_countries_fails_with_both(site):
    site.post("congo.md", Category="Congo")
    site.post("korea.md", Countries="Korea")
    build = site.build()
    assert build.returncode == 1
    assert 'content/posts/congo.md:3: Category "Congo" is not a country' in build.log
    assert 'which one? "Congo - Brazzaville" or "Congo - Kinshasa"' in build.log
    assert 'Countries: "Korea" is not a country' in build.log and '"North Korea" or "South Korea"' in build.log


@pytest.mark.parametrize(
    ("setting", "message"),
    [({"names": {"ru": {"Kazakstan": "Казахстан"}}}, 'countries: COUNTRIES["names"]["ru"]: "Kazakstan" is not a country'),
     ({"name": {}}, "countries: unknown key(s) ['name'] in COUNTRIES")],
)  # fmt: skip
def test_a_wrong_countries_setting_stops_the_build(site, setting, message):
    site.post("good.md")
    build = site.build(COUNTRIES=setting)
    assert build.returncode != 0 and message in build.log, build.log
    assert not (build.output / "index.html").exists()
