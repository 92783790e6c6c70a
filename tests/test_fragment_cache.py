"""The `{% cache %}` tag and `summary_item`: a fragment rendered once per key, kept for one scope at a time."""

from datetime import datetime
from urllib.parse import urljoin, urlsplit

import pytest
from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from fragment_cache import FragmentCache


@pytest.fixture
def render():
    """Render a template; `fresh(x)` in it counts how often a body was really rendered."""
    rendered = []
    env = Environment(loader=DictLoader({}), extensions=[FragmentCache])
    env.globals["fresh"] = lambda text: rendered.append(text) or text

    def render(source, **context):
        return env.from_string(source).render(**context)

    render.rendered = rendered
    return render


def test_a_fragment_is_rendered_once_per_key(render):
    page = '{% for post in posts %}{% cache "summary", post, depth %}[{{ fresh(post) }}]{% endcache %}{% endfor %}'
    assert render(page, posts=["a", "b", "a"], depth=1) == "[a][b][a]"
    assert render(page, posts=["b", "a"], depth=1) == "[b][a]"
    assert render(page, posts=["a"], depth=2) == "[a]"
    assert render.rendered == ["a", "b", "a"], "one rendering per key, across pages"


def test_a_new_scope_drops_the_fragments_of_that_name_only(render):
    page = ('{% cache "header", lang %}<{{ fresh("header-" ~ lang) }}>{% endcache %}'
            '{% cache "summary", post for lang %}[{{ fresh(post ~ "-" ~ lang) }}]{% endcache %}')  # fmt: skip
    render(page, post="a", lang="en")
    render(page, post="a", lang="en")
    render(page, post="a", lang="ru")
    render(page, post="a", lang="en")
    assert render.rendered == ["header-en", "a-en", "header-ru", "a-ru", "a-en"]


def test_one_summary_rendering_serves_every_depth_with_its_own_siteurl():
    env = Environment(loader=DictLoader({"_summary.html": '<a href="{{ SITEURL }}/{{ fresh(article.url) }}">{{ lang() }}</a>'}),
                      extensions=[FragmentCache], autoescape=True)  # fmt: skip
    rendered, lang = [], ["en"]
    env.globals.update(fresh=lambda text: rendered.append(text) or text, current_lang=lambda: lang[0], lang=lambda: lang[0])
    post = Article("<p>Plain text.</p>", {"title": "A", "date": datetime(2024, 3, 5)}, settings=DEFAULT_CONFIG,
                   source_path="/content/a.md")  # fmt: skip
    page = env.from_string("{{ summary_item(post) }}")
    assert [page.render(post=post, SITEURL=url) for url in (".", "../..", "https://example.org")] == [
        '<a href="./a.html">en</a>', '<a href="../../a.html">en</a>', '<a href="https://example.org/a.html">en</a>']
    assert rendered == ["a.html"]
    lang[0] = "ru"
    assert page.render(post=post, SITEURL="..") == '<a href="../a.html">ru</a>'
    assert rendered == ["a.html", "a.html"], "rendered again for another language site"


LINKED = "She answered [the other post]({filename}other.md)."


@pytest.mark.parametrize("written", [{"body": LINKED}, {"Summary": LINKED}, {"body": "She answered the other post."}])
def test_summaries_link_right_from_list_pages_at_every_depth(site, written):
    site.post("other.md", Title="Kazakhstan: Other", Date="2024-03-01 09:30")
    site.post("letter.md", **written)
    build = site.build(DEFAULT_PAGINATION=1, TRANSLATIONS={"untranslated": "note"})
    assert build.returncode == 0, build.log
    # The same summaries on the index (depth 0) and a topic's pages (depths 2 and 4); the Russian index (1).
    shown = {}
    for url in ("", "topic/media/", "topic/media/page/2/", "ru/"):
        for summary in build.page(url).iterfind(".//article[@class='post-summary']"):
            links = {urlsplit(urljoin(f"http://localhost/{url}", a.get("href"))).path for a in summary.iter("a")}
            shown.setdefault((url == "ru/", summary.findtext(".//h2/a")), set()).add(frozenset(links))
    assert all(len(links) == 1 for links in shown.values()), shown
    (letter,), (russian,) = shown[False, "Kazakhstan: A test post"], shown[True, "Kazakhstan: A test post"]
    assert letter >= {"/2024/03/letter/", "/author/test-author/", "/country/kazakhstan/"}
    assert russian >= {"/2024/03/letter/", "/ru/author/test-author/", "/ru/country/kazakhstan/"}
    assert ("/2024/03/other/" in letter) == ("/2024/03/other/" in russian) == (LINKED in written.values())
