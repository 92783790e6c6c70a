"""Drafts are previewed locally, never published: not by publishconf.py, a snapshot, or `invoke publish`."""

import gzip
import zipfile

import pytest

from conftest import REPO, invoke, snapshot
from sitebuild.drafts import NO_DRAFT_PAGES, draft_pages, is_draft, no_draft_pages_args, refusal

SECRET = "zebrafish"  # a word only the drafts hold
MARKER = '<meta name="tilmash-status" content="draft">'
NOINDEX = '<meta name="robots" content="noindex">'


def _with_drafts(site):
    site.post("good.md", Mirror="neweurasia")
    site.post("secret.md", Status="draft", Mirror="neweurasia", Summary=f"The {SECRET} summary.",
              body=f"Embargoed: what the {SECRET} source said.\n")  # fmt: skip
    site.write("posts/ru/secret.md", "Title: Казахстан: секрет\nDate: 2024-03-05\nCategory: Kazakhstan\nSlug: secret\n"
               f"Lang: ru\nTranslator: Ирина\nStatus: draft\n\nТекст {SECRET}.\n")  # fmt: skip
    site.write("pages/plan.md", f"Title: Plan\nStatus: draft\n\nThe {SECRET} plan.\n")


def _files_holding(folder, word):
    """Every file of a built site that holds a word, Pagefind's compressed index included."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".pf_fragment":
            data = gzip.decompress(data)
        if word.encode() in data:
            found.append(path.relative_to(folder).as_posix())
    return found


def test_a_local_build_previews_drafts_unindexed_and_lists_them_nowhere_else(site):
    _with_drafts(site)
    build = site.build()
    assert build.returncode == 0, build.log
    drafts = ["drafts/pages/plan.html", "drafts/secret-ru.html", "drafts/secret.html"]
    assert draft_pages(build.output) == drafts
    for page in drafts:
        head = build.page(page).find("head")
        assert head.find("meta[@name='robots']").get("content") == "noindex"
        assert head.find("meta[@name='tilmash-status']").get("content") == "draft"
    published = (build.output / "2024/03/good/index.html").read_text(encoding="utf-8")
    assert MARKER not in published and NOINDEX not in published
    # Not in the sitemap, any feed (partner feeds too), the search index or any list page.
    assert _files_holding(build.output, SECRET) == drafts
    assert "drafts/" not in (build.output / "sitemap.xml").read_text(encoding="utf-8")


def test_search_never_indexes_a_draft_even_where_it_indexes_posts(site):
    site.post("good.md")
    site.post("secret.md", Status="draft", body=f"The {SECRET} source.\n")
    # A draft saved where posts are, which Pagefind's glob takes in.
    build = site.build(DRAFT_SAVE_AS="{date:%Y}/{date:%m}/{slug}/index.html")
    assert build.returncode == 0, build.log
    assert draft_pages(build.output) == ["2024/03/secret/index.html"]
    assert list((build.output / "pagefind/fragment").glob("*.pf_fragment")), "the published post is indexed"
    assert _files_holding(build.output / "pagefind", SECRET) == []


def _publish_settings(folder):
    """A settings file that is the project's publishconf.py, with the repository's theme and plugins."""
    path = folder / "publishsite.py"
    path.write_text(f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom publishconf import *\n"
                    f"THEME = {str(REPO / 'theme')!r}\nPLUGIN_PATHS = [{str(REPO / 'plugins')!r}]\n", encoding="utf-8")  # fmt: skip
    return path


def test_a_publishing_build_writes_no_draft(site):
    _with_drafts(site)
    build = site.build(settings_file=_publish_settings(site.root))
    assert build.returncode == 0, build.log
    assert (build.output / "2024/03/good/index.html").exists()
    assert draft_pages(build.output) == [] and refusal(build.output) is None
    assert _files_holding(build.output, SECRET) == []
    assert not (build.output / "drafts").exists()


def _add_draft(project):
    (project / "content/posts/embargo.md").write_text(
        "Title: Kazakhstan: Embargoed\nDate: 2024-03-05\nCategory: Kazakhstan\nStatus: draft\n\n"
        f"What the {SECRET} source said.\n", encoding="utf-8")  # fmt: skip
    (project / "content/pages/plans.md").write_text(f"Title: Plans\nStatus: draft\n\nThe {SECRET} plans.\n", encoding="utf-8")


def test_invoke_drafts_lists_each_draft_where_the_local_build_previews_it(project):
    _add_draft(project)
    listed = invoke(project, "drafts")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("  ") for line in listed.stdout.splitlines() if line.startswith("content/")]
    assert sorted((path, title) for path, title, _ in rows) == [
        ("content/pages/plans.md", "Plans"), ("content/posts/embargo.md", "Kazakhstan: Embargoed")]  # fmt: skip
    assert invoke(project, "build").returncode == 0
    for _, _, address in rows:
        assert address.startswith("http://127.0.0.1:8000/drafts/")
        page = project / "output" / address.removeprefix("http://127.0.0.1:8000/")
        assert MARKER in page.read_text(encoding="utf-8"), address
    assert "never" in listed.stdout.splitlines()[-1]


def test_publish_sends_no_draft_and_refuses_a_site_that_holds_one(project, tmp_path_factory):
    _add_draft(project)
    target = tmp_path_factory.mktemp("public")
    env = {"TILMASH_PUBLISH_TARGET": f"{target}/"}
    sent = invoke(project, "publish", env=env)
    assert sent.returncode == 0, sent.stderr
    assert (target / "index.html").exists() and draft_pages(target) == []
    assert _files_holding(target, SECRET) == []
    # A publishconf.py that writes drafts after all (a setting copied from pelicanconf.py, say).
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write('DRAFT_SAVE_AS = "drafts/{slug}.html"\n')
    before = snapshot(target)
    refused = invoke(project, "publish", env=env)
    assert refused.returncode == 1
    assert "the site holds 1 draft page(s) (drafts/kazakhstan-embargoed.html)" in refused.stderr
    assert "nothing was sent" in refused.stderr
    assert snapshot(target) == before


def test_a_snapshot_holds_no_draft(project, tmp_path):
    _add_draft(project)
    result = invoke(project, "snapshot", "--folder", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (archive,) = tmp_path.glob("tilmash-*.zip")
    with zipfile.ZipFile(archive) as files:
        names = files.namelist()
        assert "index.html" in names
        assert not [n for n in names if n.startswith("drafts/") or SECRET.encode() in files.read(n)]
        assert not [n for n in names if n.startswith("admin/")], "nor the authors' desk"


@pytest.mark.parametrize(
    ("pages", "found"),
    [
        ({"index.html": "<head><meta charset='utf-8'></head>", "2024/03/a/index.html": "<head></head>"}, []),
        ({"2024/03/a/index.html": f"<head>\n  {MARKER}\n</head>"}, ["2024/03/a/index.html"]),
        ({"ru/about/index.html": f"<head>{MARKER}</head>"}, ["ru/about/index.html"]),
        ({"drafts/x.html": "<head></head>", "drafts/pages/y.html": "<p>"}, ["drafts/pages/y.html", "drafts/x.html"]),
        # The marker is in the <head> the theme writes; a post that quotes it further down is no draft.
        ({"2024/03/a/index.html": "<head></head>" + " " * 5000 + MARKER}, []),
        ({"2024/03/drafts/index.html": "<head></head>"}, []),
    ],
)
def test_draft_pages_are_found_by_their_marker_or_folder(tmp_path, pages, found):
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert draft_pages(tmp_path) == found
    assert (refusal(tmp_path) is None) == (not found)


@pytest.mark.parametrize(
    ("metadata", "settings", "draft"),
    [
        ({"status": "draft"}, {}, True),
        ({"status": "Draft "}, {}, True),
        ({"status": "published"}, {"DEFAULT_METADATA": {"status": "draft"}}, False),
        ({}, {"DEFAULT_METADATA": {"status": "draft"}}, True),
        ({"status": "hidden"}, {}, False),
        ({}, {}, False),
    ],
)
def test_is_draft(metadata, settings, draft):
    assert is_draft(metadata, settings) is draft


def test_the_snapshot_arguments_are_read_by_pelican_as_no_draft_pages():
    from pelican import parse_arguments  # noqa: PLC0415

    assert parse_arguments(["-s", "x.py", *no_draft_pages_args()]).overrides == NO_DRAFT_PAGES
