"""Source-language markers, in the manner of Python-Markdown's own extension tests."""

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lxml import html as lxml_html

from pelicanconf import MARKDOWN
from source_lang.extension import NOTICES, SourceLangExtension
from source_lang.markers import MarkerError, known_tag, read_marker
from source_lang.prose import ABBREVIATIONS, ENGLISH_WORDS


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
    ("deprecated code, no region added", "[a](https://a.id) [in]",
     f'<p><a href="https://a.id" hreflang="id">a</a> {marker("id", "Indonesian")}</p>'),
    ("deprecated Hebrew code", "[a](https://a.il) [iw]",
     f'<p><a href="https://a.il" hreflang="he">a</a> {marker("he", "Hebrew")}</p>'),
    ("region as written, no script added", "[a](https://a.tw) [zh-TW]",
     f'<p><a href="https://a.tw" hreflang="zh-TW">a</a> {marker("zh-TW", "Chinese (Traditional, Taiwan)")}</p>'),
    ("upper-case code that is no abbreviation", "[a](https://a.kz) [KK]",
     f'<p><a href="https://a.kz" hreflang="kk">a</a> {KK}</p>'),
    ("[it] after a link whose text is the word", "[it](https://a.it) [it]",
     f'<p><a href="https://a.it" hreflang="it">it</a> {marker("it", "Italian")}</p>'),
    ("[or] is Odia", "[a](https://a.in) [or]",
     f'<p><a href="https://a.in" hreflang="or">a</a> {marker("or", "Odia")}</p>'),
    ("[no] is Norwegian", "[a](https://a.no) [no]",
     f'<p><a href="https://a.no" hreflang="no">a</a> {marker("no", "Norwegian")}</p>'),
    ("[is] is Icelandic", "[a](https://a.is) [is]",
     f'<p><a href="https://a.is" hreflang="is">a</a> {marker("is", "Icelandic")}</p>'),
    ("[to] is Tongan", "[a](https://a.to) [to]",
     f'<p><a href="https://a.to" hreflang="to">a</a> {marker("to", "Tongan")}</p>'),
    ("closing quote and gloss, raw html", "'<a href=\"https://a.mx\">Supervía Poniente</a>' (Poniente Super-road) [es]",
     f'<p>\'<a href="https://a.mx" hreflang="es">Supervía Poniente</a>\' (Poniente Super-road) {marker("es", "Spanish")}</p>'),
    ("closing quote and gloss", "'[Supervía Poniente](https://a.mx)' (Poniente Super-road) [es]",
     f'<p>\'<a href="https://a.mx" hreflang="es">Supervía Poniente</a>\' (Poniente Super-road) {marker("es", "Spanish")}</p>'),
    ("closing double quote", '"[a letter](https://a.kz)" [ru]',
     f'<p>"<a href="https://a.kz" hreflang="ru">a letter</a>" {RU}</p>'),
    ("an abbreviation as the gloss", "[the BBC](https://a.uk) (UK) [ru]",
     f'<p><a href="https://a.uk" hreflang="ru">the BBC</a> (UK) {RU}</p>'),
    ("an English word as the gloss", "[one](https://a.kz) (or) [ru]",
     f'<p><a href="https://a.kz" hreflang="ru">one</a> (or) {RU}</p>'),
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
    ("an abbreviation that is no code in parentheses", "[the embassy](https://a.us) (US)"),
    # English words in parentheses are prose, whatever language code they spell.
    *((f"English word ({word})", f"[the report](https://a.org) ({word}) its summary")
      for word in ("it", "or", "no", "is", "to", "in", "may", "sun")),
]  # fmt: skip


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
        ('<a href="https://a.kz">a</a> [xx]', "[xx]", "use a language code Babel knows"),
        ("[a](https://a.rs) [Latn]", "[Latn]", "a script goes after it: [sr-Latn]"),
        ("[a](https://a.th) [Thai]", "[Thai]", "did you mean [th]?"),
    ],
)
def test_marker_typo_is_an_error_with_a_suggestion(source, fragment, fix):
    with pytest.raises(MarkerError) as raised:
        render(source)
    (problem,) = raised.value.problems
    assert problem.fragment == fragment
    assert fix in problem.fix


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[a](https://a.rs) [Latn]", "[Latn] is a script code, not a language"),
        ("[a](https://a.ru) [Cyrl]", "[Cyrl] is a script code, not a language"),
        ("[a](https://a.kz) [russian]", "[russian] is a language's name, not its code"),
    ],
)
def test_what_a_typo_is_said_to_be(source, message):
    with pytest.raises(MarkerError) as raised:
        render(source)
    assert raised.value.problems[0].message == message


AMBIGUOUS = [
    ("[a](https://a.uk) (UK)", "(UK)", "uk (Ukrainian) by code, but also a common abbreviation"),
    ("[a](https://a.uk) [UK]", "[UK]", "uk (Ukrainian) by code, but also a common abbreviation"),
    ("[a](https://a.eu) (EU)", "(EU)", "eu (Basque) by code, but also a common abbreviation"),
    ("[a](https://a.eu) [EU]", "[EU]", "eu (Basque) by code, but also a common abbreviation"),
    ("[a](https://a.it) (IT)", "(IT)", "it (Italian) by code, but also a common abbreviation"),
    ("[a](https://a.in) (OR)", "(OR)", "or (Odia) by code, but also a common abbreviation"),
    ("[a](https://a.is) (IS)", "(IS)", "is (Icelandic) by code, but also a common abbreviation"),
    ("[a](https://a.to) [TO]", "[TO]", "to (Tongan) by code, but also a common abbreviation"),
    ("[a](https://a.no) (NO)", "(NO)", "no (Norwegian) by code, but also a country whose language is nb"),
    ("[a](https://a.org) (MAY)", "(MAY)", "ms (Malay) by code, but also a common abbreviation"),
    ("[a](https://a.am) [AM]", "[AM]", "am (Amharic) by code, but also a country whose language is hy"),
    ("[a](https://a.am) (AM)", "(AM)", "am (Amharic) by code, but also a country whose language is hy"),
    ("[a](https://a.in) (IN)", "(IN)", "id (Indonesian) by code, but also a country whose language is hi"),
    ("[a](https://a.us) [US]", "[US]", "[US] is an abbreviation, not a language code"),
    ("[a](https://a.org) [UN]", "[UN]", "[UN] is an abbreviation, not a language code"),
    ("[a](https://a.tv) [TV]", "[TV]", "[TV] is an abbreviation, not a language code"),
    ("[a](https://a.org) [OK]", "[OK]", "[OK] is an abbreviation, not a language code"),
    ("[a](https://a.ua) [UK, RU]", "[UK, RU]", "uk (Ukrainian) by code"),
    ("[a](https://a.org) [und]", "[und]", "[und] names no language"),
    ("[a](https://a.org) [mul]", "[mul]", "[mul] names no language"),
    ("[a](https://a.org) [zxx]", "[zxx]", "[zxx] names no language"),
    ('<a href="https://a.uk">a</a> (UK)', "(UK)", "a common abbreviation"),
]


@pytest.mark.parametrize(("source", "fragment", "message"), AMBIGUOUS, ids=[c[1] for c in AMBIGUOUS])
def test_an_ambiguous_bracket_stays_text_and_is_noted(source, fragment, message):
    md = markdown.Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.meta", SourceLangExtension()])
    assert md.convert(source) == plain(source)
    (notice,) = md.source_lang_notices
    assert (notice.fragment, notice.fails_build) == (fragment, False)
    assert message in notice.message
    assert md.Meta[NOTICES] == [fragment]


def test_an_ambiguous_bracket_is_never_hidden_as_the_page_language():
    """[und] was read as en-US, and vanished from English pages."""
    assert render("[a](https://a.org) [und] and [b](https://b.org) [en]") == (
        '<p><a href="https://a.org">a</a> [und] and <a href="https://b.org" hreflang="en">b</a></p>'
    )


def test_an_escaped_bracket_is_text_without_a_notice():
    md = markdown.Markdown(extensions=["markdown.extensions.meta", SourceLangExtension()])
    assert md.convert(r"[a](https://a.uk) \(UK\) and [b](https://b.us) \[US\]") == (
        '<p><a href="https://a.uk">a</a> (UK) and <a href="https://b.us">b</a> [US]</p>'
    )
    assert md.source_lang_notices == [] and NOTICES not in md.Meta


@pytest.mark.parametrize(
    ("raw", "tag"),
    [("ru", "ru"), ("pt-br", "pt-BR"), ("in", "id"), ("iw", "he"), ("zh-TW", "zh-TW"), ("zh-hant-tw", "zh-Hant-TW"),
     ("sr-latn", "sr-Latn"), ("sh", "sr-Latn"), ("rus", "ru"), ("en_GB", "en-GB"), ("en-150", "en-150"),
     ("und", None), ("mul", None), ("zxx", None), ("ru-XX", None), ("xx", None), ("Latn", None)],
)  # fmt: skip
def test_the_tag_is_the_code_as_written_canonicalised(raw, tag):
    assert known_tag(raw) == tag


@pytest.mark.parametrize("word", sorted(ENGLISH_WORDS))
def test_each_english_word_in_the_list_spells_a_code(word):
    assert known_tag(word), f"({word}) is no code: it needs no entry in ENGLISH_WORDS"
    assert read_marker(f" [{word}]", 0) != (None, None), "in brackets it stays a marker"


@pytest.mark.parametrize("abbreviation", sorted(ABBREVIATIONS))
def test_each_abbreviation_in_the_list_is_a_code_not_already_ambiguous(abbreviation):
    """An entry that is no code, or a country with another language, changes nothing."""
    tag = known_tag(abbreviation)
    assert tag, f"{abbreviation} is no code"
    marker, problem = read_marker(f" ({abbreviation})", 0)
    assert marker is None and "a common abbreviation" in problem.message


def toc_markdown():
    """Python-Markdown as pelicanconf.py configures it (toc included), with the extension."""
    return markdown.Markdown(extensions=[*MARKDOWN["extension_configs"], SourceLangExtension()],
                             extension_configs=MARKDOWN["extension_configs"])  # fmt: skip


def test_a_marker_in_a_heading_stays_out_of_its_id_and_the_table_of_contents():
    md = toc_markdown()
    converted = md.convert("[TOC]\n\n# Heading [a](http://x) [ru]\n\n# Heading [a](http://y) [kk]")
    page = lxml_html.fromstring(f"<div>{converted}</div>")
    headings = page.findall("h1")
    assert [h.get("id") for h in headings] == ["heading-a", "heading-a_1"]
    assert [h.find("a").get("hreflang") for h in headings] == ["ru", "kk"]
    assert [h.findtext("span/span[@class='visually-hidden']") for h in headings] == ["(Russian)", "(Kazakh)"]
    assert [entry.text_content() for entry in page.iterfind(".//div[@class='toc']//a")] == ["Heading a", "Heading a"]
    assert [token["name"] for token in md.toc_tokens] == ["Heading a", "Heading a"]
    assert "Russian" not in md.toc and "[ru]" not in md.toc


def test_a_heading_marker_in_the_page_language_is_hidden_and_the_id_unchanged():
    md = toc_markdown()
    assert md.convert("## Report [a](http://x) [en]") == '<h2 id="report-a">Report <a href="http://x" hreflang="en">a</a></h2>'


def test_markers_outside_headings_are_unchanged_by_toc():
    assert toc_markdown().convert("[a letter](https://example.kz/1) [ru]") == render("[a letter](https://example.kz/1) [ru]")


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


def test_an_ambiguous_bracket_is_reported_with_file_and_line_and_builds(site):
    site.post("note.md", Title="Ukraine (UK) and the EU",
              body="First line.\n\nThe [BBC](https://a.uk/1) (UK) said.\n\nThe [embassy](https://a.us/2) [US] agreed.\n\n"
                   "Quiet: [one](https://a.uk/3) \\(UK\\) and [two](https://a.us/4) \\[US\\].\n")  # fmt: skip
    build = site.build()
    assert build.returncode == 0, build.log
    assert "content/posts/note.md:10: source_lang: (UK) is ambiguous: uk (Ukrainian) by code" in build.log
    assert "content/posts/note.md:12: source_lang: [US] is an abbreviation, not a language code" in build.log
    assert build.log.count("source_lang:") == 2
    body = build.page("2024/03/note/").find(".//div[@class='post-body']")
    assert [a.get("hreflang") for a in body.iter("a")] == [None] * 4
    assert "(UK) said" in body.text_content() and "[US] agreed" in body.text_content()
    site.post("other.md")
    again = site.build()  # note.md now comes from Pelican's reader cache
    assert again.returncode == 0, again.log
    assert "content/posts/note.md:10: source_lang: (UK) is ambiguous" in again.log


def test_a_heading_with_a_marker_keeps_a_plain_id_on_the_built_page(site):
    site.post("heading.md", body="Lead.\n\n## What [the letter](https://a.kz/1) [ru] says\n\nText.\n")
    build = site.build()
    assert build.returncode == 0, build.log
    (heading,) = build.page("2024/03/heading/").iterfind(".//div[@class='post-body']//h2")
    assert heading.get("id") == "what-the-letter-says"
    assert heading.find("a").get("hreflang") == "ru" and _markers(heading) == ["[ru]"]


def test_unknown_source_lang_setting_is_a_clear_error(site):
    site.post("good.md")
    build = site.build(SOURCE_LANG={"legacy": False})
    assert build.returncode != 0
    assert "source_lang: unknown key(s) ['legacy'] in SOURCE_LANG" in build.log


def test_the_demo_posts_show_markers(demo_build):
    page = demo_build.page("2024/03/kazakhstan-state-ordered-blogging/")
    assert set(_markers(page)) == {"[ru]", "[kk]"}
    assert "[ru]" not in _markers(demo_build.page("ru/2024/03/kazakhstan-state-ordered-blogging/"))
