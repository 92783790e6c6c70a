"""The `{% cache %}` tag: a fragment rendered once per key, kept for one scope at a time."""

import pytest
from jinja2 import DictLoader, Environment

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
