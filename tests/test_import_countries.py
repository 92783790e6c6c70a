"""Importing Global Voices' countries: every spelling it used becomes the country, and the main
country is the one the title names before its colon."""

import pytest
from importer.taxonomy import classify, countries_before_colon, first_mentions

from conftest import REPO, import_into, invoke

EXPORT = REPO / "tests/fixtures/globalvoices-countries.xml"


@pytest.mark.parametrize(
    ("categories", "title", "text", "countries"),
    [
        # The title names the main country before its colon, whatever the categories' order.
        (["Human Rights", "Israel", "Palestine"], "Palestine: Mass Hunger Strike", "",
         ["Palestinian Territories", "Israel"]),
        (["Liberia", "Sierra Leone"], "Sierra Leone: Ebola Wards Fill Up", "", ["Sierra Leone", "Liberia"]),
        (["China", "Hong Kong (China)"], "Hong Kong: Voters Queue", "", ["Hong Kong SAR China", "China"]),
        (["Kazakhstan", "Kyrgyzstan"], "Kyrgyzstan, Kazakhstan: Border Talks", "", ["Kyrgyzstan", "Kazakhstan"]),
        (["Bosnia Herzegovina", "Serbia"], "Bosnia and Herzegovina: Floods", "", ["Bosnia & Herzegovina", "Serbia"]),
        (["Trinidad & Tobago"], "Trinidad and Tobago: Carnival", "", ["Trinidad & Tobago"]),
        # A title country the categories forgot is still the post's country.
        (["Elections"], "Turkey: Bloggers on the Vote", "", ["Türkiye"]),
        # A region before the colon is not a country: the country the post names first.
        (["Angola", "Kenya", "Nigeria"], "Africa: Bloggers Watch the Polls", "<p>In <b>Kenya</b> and Nigeria; Angola</p>",
         ["Kenya", "Nigeria", "Angola"]),
        (["Kazakhstan", "Kyrgyzstan"], "Central Asia: Water", "Kyrgyz herders in Kyrgyzstan, then Kazakhstan",
         ["Kyrgyzstan", "Kazakhstan"]),
        (["Egypt", "Tunisia"], "Middle East & North Africa: Year Two", "Tunisia first, Egypt after", ["Tunisia", "Egypt"]),
        # Named nowhere: the first country, as the export lists them.
        (["Angola", "Kenya"], "Africa: A Quiet Week", "Nothing happened.", ["Angola", "Kenya"]),
        (["Angola", "Kenya"], "No colon here", "", ["Angola", "Kenya"]),
        # Global Voices' spellings.
        (["Cote d'Ivoire", "D.R. of Congo", "Republic of Congo", "Swaziland", "Burma", "USA", "Macedonia"], "x", "",
         ["Côte d’Ivoire", "Congo - Kinshasa", "Congo - Brazzaville", "Eswatini", "Myanmar (Burma)", "United States",
          "North Macedonia"]),
    ],
)  # fmt: skip
def test_the_main_country_is_the_one_the_title_names(categories, title, text, countries):
    assert classify(categories, title=title, text=text).countries == countries


@pytest.mark.parametrize(
    ("title", "codes"),
    [("Palestine: x", ["PS"]), ("Ivory Coast: x", ["CI"]), ("Kazakhstan, Kyrgyzstan: x", ["KZ", "KG"]),
     ("Russia & Ukraine: x", ["RU", "UA"]), ("Africa: x", []), ("Central Asia: x", []), ("Video: x", []),
     ("Kazakhstan and Central Asia: x", []), ("Kazakhstan", []), ("", [])],
)  # fmt: skip
def test_countries_before_the_colon(title, codes):
    assert countries_before_colon(title) == codes


def test_a_longer_name_is_not_a_mention_of_a_shorter_one():
    first = first_mentions(["GN", "GQ"], "Bloggers in Equatorial Guinea wrote first; Guinea answered.")
    assert first["GQ"] < first["GN"]
    assert "US" not in first_mentions(["US", "MX"], "They told us about Mexico."), "“us” is a word, not a mention"


def test_a_region_before_the_colon_is_a_region_not_a_country():
    terms = classify(["Kazakhstan", "Kyrgyzstan"], title="Central Asia: Water", text="")
    assert terms.regions == ["Central Asia"] and "Central Asia" not in terms.topics
    far = classify(["Kazakhstan"], title="Africa: Something", text="")
    assert far.countries == ["Kazakhstan"] and "Africa" not in far.regions + far.topics


@pytest.fixture
def imported(project):
    return import_into(project, EXPORT)


def _header(project, slug):
    text = (project / "content/imported" / f"{slug}.md").read_text(encoding="utf-8")
    return dict(line.split(": ", 1) for line in text.split("\n\n", 1)[0].splitlines())


def test_global_voices_countries_are_countries_and_the_posts_stay_published(imported):
    project, report = imported
    expected = {
        "palestine-mass-hunger-strike": ("Palestinian Territories", "Palestinian Territories, Israel"),
        "sierra-leone-vote": ("Sierra Leone", "Sierra Leone, Liberia"),
        "africa-mobile-money": ("Côte d’Ivoire", "Côte d’Ivoire, Congo - Kinshasa, Congo - Brazzaville, Eswatini, Angola"),
        "hong-kong-voters": ("Hong Kong SAR China", "Hong Kong SAR China, China"),
    }
    for slug, (category, countries) in expected.items():
        header = _header(project, slug)
        assert (header["Category"], header["Countries"]) == (category, countries), slug
        assert "Status" not in header, f"{slug} stays published"
    assert "Palestine" not in _header(project, "palestine-mass-hunger-strike").get("Tags", "")
    assert "names no country" not in report
    assert "'Palestine: Mass Hunger Strike in Israeli Prisons': main country Palestinian Territories" in report
    assert "\"Cote d'Ivoire\" → country Côte d’Ivoire" in report


def test_imported_countries_build_one_page_each(imported):
    project, _ = imported
    build = invoke(project, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    for slug, title in [("palestinian-territories", "Palestine: Mass Hunger Strike"), ("israel", "Palestine: Mass Hunger Strike"),
                        ("eswatini", "Africa: Mobile Money"), ("congo-brazzaville", "Africa: Mobile Money"),
                        ("hong-kong-sar-china", "Hong Kong: Voters")]:  # fmt: skip
        assert title in (project / f"output/country/{slug}/index.html").read_text(encoding="utf-8"), slug
