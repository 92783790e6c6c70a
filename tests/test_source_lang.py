"""Source-language markers, in the manner of Python-Markdown's own extension tests."""

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from source_lang.extension import SourceLangExtension
from source_lang.markers import MarkerError


def marker(code, name):
    return (
        f'<span class="source-lang" title="{name}"><span aria-hidden="true">[{code}]</span>'
        f'<span class="visually-hidden">({name})</span></span>'
    )


RU = marker("ru", "Russian")
KK = marker("kk", "Kazakh")


def render(source, **config):
    extensions = ["markdown.extensions.extra", "markdown.extensions.meta", SourceLangExtension(**config)]
    return markdown.markdown(source, extensions=extensions)


def plain(source):
    return markdown.markdown(source, extensions=["markdown.extensions.extra", "markdown.extensions.meta"])


MARKED = [
    ("inline", "has posted [a letter](https://example.kz/1) [ru]",
     f'<p>has posted <a href="https://example.kz/1" hreflang="ru">a letter</a> {RU}</p>'),
    ("no space", "[a letter](https://example.kz/1)[ru] then",
     f'<p><a href="https://example.kz/1" hreflang="ru">a letter</a>{RU} then</p>'),
    ("emphasis in link text", "[a *long* letter](https://example.kz/1) [ru]",
     f'<p><a href="https://example.kz/1" hreflang="ru">a <em>long</em> letter</a> {RU}</p>'),
    ("reference", "[a letter][1] [ru]\n\n[1]: https://example.kz/1",
     f'<p><a href="https://example.kz/1" hreflang="ru">a letter</a> {RU}</p>'),
    ("autolink", "<https://example.kz/1> [ru]",
     f'<p><a href="https://example.kz/1" hreflang="ru">https://example.kz/1</a> {RU}</p>'),
    ("attr_list", "[a letter](https://example.kz/1){: .source } [ru]",
     f'<p><a class="source" href="https://example.kz/1" hreflang="ru">a letter</a> {RU}</p>'),
    ("raw html", '<a href="https://example.kz/1">a letter</a> [ru], he wrote',
     f'<p><a href="https://example.kz/1" hreflang="ru">a letter</a> {RU}, he wrote</p>'),
    ("end of paragraph", "She [wrote](https://example.kz/1) [ru].\nThen left.",
     f'<p>She <a href="https://example.kz/1" hreflang="ru">wrote</a> {RU}.\nThen left.</p>'),
    ("two in a sentence", "[one](https://a.kz) [ru] and [two](https://b.kz) [kk] agree",
     f'<p><a href="https://a.kz" hreflang="ru">one</a> {RU} and <a href="https://b.kz" hreflang="kk">two</a> {KK} agree</p>'),
    ("blockquote", "> quoted [here](https://a.kz) [ru]",
     f'<blockquote>\n<p>quoted <a href="https://a.kz" hreflang="ru">here</a> {RU}</p>\n</blockquote>'),
    ("list", "- [one](https://a.kz) [ru]\n- [two](https://b.kz) [kk]",
     f'<ul>\n<li><a href="https://a.kz" hreflang="ru">one</a> {RU}</li>\n<li><a href="https://b.kz" hreflang="kk">two</a> {KK}</li>\n</ul>'),
    ("table", "| source |\n| --- |\n| [one](https://a.kz) [ru] |",
     f'<table>\n<thead>\n<tr>\n<th>source</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><a href="https://a.kz" hreflang="ru">one</a> {RU}</td>\n</tr>\n</tbody>\n</table>'),
    ("script subtag", "[a](https://a.tw) [zh-Hant]",
     f'<p><a href="https://a.tw" hreflang="zh-Hant">a</a> {marker("zh-Hant", "Chinese (Traditional)")}</p>'),
    ("region subtag, any case", "[a](https://a.br) [pt-br]",
     f'<p><a href="https://a.br" hreflang="pt-BR">a</a> {marker("pt-BR", "Portuguese (Brazil)")}</p>'),
    ("legacy (RU)", "[a](https://a.kz) (RU)", f'<p><a href="https://a.kz" hreflang="ru">a</a> {RU}</p>'),
    ("legacy (RUS)", "[a](https://a.kz) (RUS)", f'<p><a href="https://a.kz" hreflang="ru">a</a> {RU}</p>'),
    ("legacy [rus]", "[a](https://a.kz) [rus]", f'<p><a href="https://a.kz" hreflang="ru">a</a> {RU}</p>'),
    ("legacy [kaz]", "[a](https://a.kz) [kaz]", f'<p><a href="https://a.kz" hreflang="kk">a</a> {KK}</p>'),
    ("several languages", "[a](https://a.ua) [uk, ru] said",
     f'<p><a href="https://a.ua" hreflang="uk">a</a> {marker("uk, ru", "Ukrainian, Russian")} said</p>'),
    ("after punctuation", "[Aida K.](https://a.kg). [ky] wrote",
     f'<p><a href="https://a.kg" hreflang="ky">Aida K.</a>. {marker("ky", "Kyrgyz")} wrote</p>'),
    ("after a short gloss", "[press club](https://a.kg) (Bishkek Press Club) [ru] said",
     f'<p><a href="https://a.kg" hreflang="ru">press club</a> (Bishkek Press Club) {RU} said</p>'),
    ("lower-case parentheses", "[a](https://a.fr) (fr)",
     f'<p><a href="https://a.fr" hreflang="fr">a</a> {marker("fr", "French")}</p>'),
    ("a quote's label", "Nurlan said [ru]:\n\n> Quoted.",
     f'<p>Nurlan said {RU}:</p>\n<blockquote>\n<p>Quoted.</p>\n</blockquote>'),
    ("legacy [eng], hidden on an English page", "[a](https://a.kz) [eng]",
     '<p><a href="https://a.kz" hreflang="en">a</a></p>'),
]  # fmt: skip


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in MARKED], ids=[c[0] for c in MARKED])
def test_marker_after_a_link(source, expected):
    assert render(source) == expected


NOT_MARKERS = [
    ("code span", "`[a](https://a.kz) [ru]`"),
    ("indented code", "    [a](https://a.kz) [ru]"),
    ("fenced code", "```\n[a](https://a.kz) [ru]\n```"),
    ("escaped", r"[a](https://a.kz) \[ru\]"),
    ("not after a link", "Nurlan said [ru] that"),
    ("two spaces", "[a](https://a.kz)  [ru]"),
    ("sic", "[a](https://a.kz) [sic]"),
    ("footnote-like number", "[a](https://a.kz) [1]"),
    ("words", "[a](https://a.kz) [citation needed]"),
    ("gloss in parentheses", "[a](https://a.kz) (Bishkek Press Club)"),
]


@pytest.mark.parametrize("source", [c[1] for c in NOT_MARKERS], ids=[c[0] for c in NOT_MARKERS])
def test_not_a_marker(source):
    assert render(source) == plain(source)


def test_legacy_spellings_can_be_turned_off():
    for source in ("[a](https://a.kz) (RU)", "[a](https://a.kz) [rus]"):
        assert render(source, legacy=False) == plain(source)


@pytest.mark.parametrize(
    ("source", "fragment", "fix"),
    [
        ("[a](https://a.kz) [zz]", "[zz]", "use a language code Babel knows"),
        ("[a](https://a.kz) [russian]", "[russian]", "did you mean [ru]?"),
        ("[a](https://a.kz) [Kazakh]", "[Kazakh]", "did you mean [kk]?"),
        ("[a](https://a.am) [AM]", "[AM]", "write [am] or [hy] in lower case"),
        ('<a href="https://a.kz">a</a> [xx]', "[xx]", "use a language code Babel knows"),
    ],
)
def test_marker_typo_is_an_error_with_a_suggestion(source, fragment, fix):
    with pytest.raises(MarkerError) as raised:
        render(source)
    (problem,) = raised.value.problems
    assert problem.fragment == fragment
    assert fix in problem.fix


def test_every_typo_in_a_document_is_reported():
    with pytest.raises(MarkerError) as raised:
        render("[a](https://a.kz) [zz] and [b](https://b.kz) [qq]")
    assert [p.fragment for p in raised.value.problems] == ["[zz]", "[qq]"]


def test_names_are_in_the_page_language_and_its_own_language_is_hidden():
    source = "Lang: ru\n\n[письмо](https://a.kz) [ru] и [статья](https://b.org) [en]"
    assert render(source) == (
        '<p><a href="https://a.kz" hreflang="ru">письмо</a> и '
        f'<a href="https://b.org" hreflang="en">статья</a> {marker("en", "английский")}</p>'
    )


def test_the_page_language_can_come_from_the_configuration():
    assert marker("kk", "казахский") in render("[a](https://a.kz) [kk]", lang="ru")


def test_hiding_the_page_language_can_be_turned_off():
    assert marker("en", "English") in render("[a](https://a.kz) [en]", hide_same_language=False)


def test_the_visible_format_is_configurable():
    assert '<span aria-hidden="true">(ru)</span>' in render("[a](https://a.kz) [ru]", format="({code})")


def test_adding_the_extension_twice_changes_nothing():
    source = "[a](https://a.kz) [ru] and [b](https://b.kz) [kk]"
    twice = markdown.markdown(source, extensions=[SourceLangExtension(), SourceLangExtension()])
    assert twice == render(source)


def test_one_extension_object_serves_many_documents():
    """Pelican reuses extension objects across files: no state may leak between them."""
    extension = SourceLangExtension()
    first = markdown.markdown("Lang: ru\n\n[a](https://a.kz) [kk]", extensions=["meta", extension])
    second = markdown.markdown("[a](https://a.kz) [kk]", extensions=["meta", extension])
    assert "казахский" in first and "Kazakh" in second


MARKDOWN_TEXT = st.lists(
    st.sampled_from([*"abz ru[]()<>`*_\\!#-:|\n", "](https://a.kz)", "[ru]", "(RU)", "<a href='x'>", "</a>", "    "]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN_TEXT)
def test_arbitrary_markdown_never_crashes_and_is_unchanged_without_markers(source):
    try:
        output = render(source)
    except MarkerError:
        return
    if "hreflang" not in output and "source-lang" not in output:
        assert output == plain(source)


def _markers(page):
    return [m.findtext("span[@aria-hidden='true']") for m in page.iterfind(".//span[@class='source-lang']")]


def test_markers_are_relative_to_each_pages_language(site):
    site.post("letter.md", body="She [wrote](https://a.kz/1) [ru] and [he](https://b.org/2) [en] replied.\n")
    site.post("ru/letter.md", Slug="letter", Lang="ru", Translator="Ирина Ким", Title="Казахстан: письмо",
              body="Она [написала](https://a.kz/1) [ru], а [он](https://b.org/2) [en] ответил.\n")  # fmt: skip
    build = site.build()
    assert build.returncode == 0, build.log

    english = build.page("2024/03/letter/")
    assert _markers(english) == ["[ru]"]
    assert english.find(".//span[@class='source-lang']/span[@class='visually-hidden']").text == "(Russian)"
    assert [a.get("hreflang") for a in english.iterfind(".//div[@class='post-body']//a")] == ["ru", "en"]
    assert english.findtext(".//p[@class='source-languages']").endswith("Russian and English")

    russian = build.page("ru/2024/03/letter/")
    assert _markers(russian) == ["[en]"]
    assert russian.find(".//span[@class='source-lang']").get("title") == "английский"
    assert russian.find(".//a[@href='https://a.kz/1']").get("hreflang") == "ru"


def test_a_marker_typo_fails_the_build_with_file_and_line(site):
    site.post("good.md")
    site.post("typo.md", body="First line.\n\nShe [wrote](https://a.kz/1) [russian] yesterday.\n")
    build = site.build()
    assert build.returncode != 0
    assert "content/posts/typo.md:10: [russian] is a language's name, not its code" in build.stderr
    assert "did you mean [ru]?" in build.stderr


def test_unknown_source_lang_setting_is_a_clear_error(site):
    site.post("good.md")
    build = site.build(SOURCE_LANG={"legacy": False})
    assert build.returncode != 0
    assert "source_lang: unknown key(s) ['legacy'] in SOURCE_LANG" in build.log


def test_the_demo_posts_show_markers(demo_build):
    page = demo_build.page("2024/03/kazakhstan-state-ordered-blogging/")
    assert set(_markers(page)) == {"[ru]", "[kk]"}
    assert "[ru]" not in _markers(demo_build.page("ru/2024/03/kazakhstan-state-ordered-blogging/"))
