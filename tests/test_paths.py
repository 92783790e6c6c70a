"""Files never leave their folders, every output has one source, and limits hold: refused with one clear problem each."""

import logging
import os
import posixpath
import re
import uuid
from pathlib import Path

import pytest
from lxml import etree

from bench.run import settings_file as project_settings
from conftest import REPO, VALID_POST, copy_project, invoke, snapshot
from sitebuild import build_atomically
from parallel.forking import _replay
from partners.push import read_entries
from strict.checks import deepest_nesting
from strict.limits import control_character, oversize
from strict.links import missing_targets
from strict.outputs import collisions, save_as_problem
from strict.paths import escapes, symlink_problems

# --- symlinks in the content folder ------------------------------------------------------


def _outside_file(root):
    os.symlink("/etc/passwd", root / "images/p.png")


def _outside_folder(root):
    os.symlink("/etc/ssl", root / "images/certs")


def _file_loop(root):
    os.symlink("l2", root / "images/l1")
    os.symlink("l1", root / "images/l2")


def _link_to_parent(root):
    os.symlink("..", root / "posts/loop")


def _links_to_each_others_folders(root):
    (root / "images/x").mkdir()
    (root / "images/y").mkdir()
    os.symlink("../y", root / "images/x/l")
    os.symlink("../x", root / "images/y/m")


def _dangling(root):
    os.symlink("gone.png", root / "images/p.png")


def _relative_way_out(root):
    os.symlink(os.path.relpath("/etc", root / "images"), root / "images/up")


SYMLINK_CASES = [
    (_outside_file, "images/p.png", "is a symlink to /etc/passwd, outside the content folder"),
    (_outside_folder, "images/certs", "is a symlink to /etc/ssl, outside the content folder"),
    (_relative_way_out, "images/up", "outside the content folder"),
    (_file_loop, "images/l1", "is one of the symlinks l1 and l2, which point at each other (a loop)"),
    (_link_to_parent, "posts/loop", "a folder that contains it"),
    (_links_to_each_others_folders, "images/y/m", "a folder that contains it"),
    (_dangling, "images/p.png", "is a symlink to gone.png, which does not exist"),
]


def _content_folder(tmp_path):
    root = tmp_path / "content"
    for folder in ("images", "posts", "pages"):
        (root / folder).mkdir(parents=True)
    (root / "images/a.png").write_bytes(b"PNG")
    (root / "posts/a.md").write_text("Title: a\n\nText.\n")
    return root


@pytest.mark.parametrize(("make", "where", "message"), SYMLINK_CASES, ids=[c[0].__name__.strip("_") for c in SYMLINK_CASES])
def test_each_bad_symlink_is_one_problem_where_it_is(tmp_path, make, where, message):
    root = _content_folder(tmp_path)
    make(root)
    problems = symlink_problems(str(root))
    assert [(os.path.relpath(path, root), message in text) for path, text, _ in problems] == [(where, True)], problems


def test_symlinks_within_the_content_folder_are_fine(tmp_path):
    root = _content_folder(tmp_path)
    os.symlink("a.png", root / "images/b.png")
    os.symlink("../images", root / "pages/pictures")
    os.symlink(str(root / "images"), root / "posts/absolute-pictures")
    assert symlink_problems(str(root)) == []


def test_a_content_folder_reached_through_a_symlink_is_fine(tmp_path):
    root = _content_folder(tmp_path)
    os.symlink("a.png", root / "images/b.png")
    os.symlink(root, tmp_path / "linked-content")
    assert symlink_problems(str(tmp_path / "linked-content")) == []


# --- link targets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "leaves"),
    [
        ("content/images/a.png", False),
        ("content/images/../images/a.png", False),
        ("content/../elsewhere/payload.txt", True),
        ("content/../../payload.txt", True),
        ("content", False),
        ("content-other/a.png", True),
        ("content/images/out/passwd", True),  # through a symlink to /etc
    ],
)
def test_escapes(tmp_path, target, leaves):
    root = _content_folder(tmp_path)
    os.symlink("/etc", root / "images/out")
    assert escapes(os.path.normpath(tmp_path / target), str(root)) is leaves


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="{static}/../../elsewhere/payload.txt">f</a>', "the linked file '/../../elsewhere/payload.txt' is outside the content folder"),
        ('<a href="{attach}../../x.pdf">f</a>', "the linked file '../../x.pdf' is outside the content folder"),
        ('<img src="{static}/../a.png">', "the image '/../a.png' is outside the content folder"),
        ('<a href="{static}/images/a.png">f</a>', None),
    ],
)
def test_links_out_of_the_content_folder_are_named(tmp_path, html, expected):
    root = _content_folder(tmp_path)
    (tmp_path / "a.png").write_bytes(b"PNG")
    found = missing_targets(html, str(root / "posts/a.md"), str(root))
    assert [message for _, message, _ in found] == ([f"{expected}, which alone is published"] if expected else [])


# --- output paths -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("save_as", "wrong"),
    [
        ("", None),
        ("about/index.html", None),
        ("2024/03/slug/index.html", None),
        ("../x.html", "outside the site's folder"),
        ("a/../../x.html", "outside the site's folder"),
        ("/etc/x.html", "outside the site's folder"),
        ("..", "outside the site's folder"),
        ("2024/03/" + "x" * 256 + "/index.html", "a part of 256 bytes"),
        ("2024/03/" + "ж" * 128 + "/index.html", "a part of 256 bytes"),
        ("2024/03/" + "x" * 255 + "/index.html", None),
    ],
)
def test_save_as_problem(save_as, wrong):
    problem = save_as_problem(save_as)
    assert (problem is None) if wrong is None else (wrong in problem[0]), problem


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ([("a/index.html", "p.md"), ("b/index.html", "q.md")], {}),
        ([("index.html", "p.md"), ("index.html", "the index page")], {"index.html": ["p.md", "the index page"]}),
        ([("theme/js/x.js", "theme"), ("theme/./js/x.js", "p.md")], {"theme/js/x.js": ["theme", "p.md"]}),
        ([("a.html", "p.md"), ("a.html", "p.md")], {}),
    ],
)
def test_collisions(claims, expected):
    assert collisions(claims) == expected


# --- limits -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "depth"),
    [
        ("- " * 60 + "x", 59),
        ("- " * 41 + "x", 40),
        ("- item", 0),
        ("    - item", 1),
        ("- - x", 1),
        ("> > x", 2),
        ("- > - > x", 3),
        ("1. 2) - x", 2),
        ("2024-03-05 was a day", 0),
        ("---", 0),
        ("-- not a list", 0),
    ],
)
def test_deepest_nesting_counts_lists_opened_on_one_line(line, depth):
    assert deepest_nesting(line, -1) == (1, depth)
    assert deepest_nesting(line, depth) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Title: a\x00b\n\nText.\n", (1, "\x00", 1)),
        ("Title: a\n\nText\x01 and\x1f\n", (3, "\x01", 2)),
        ("Title: a\tb\r\n\nText.\n", None),
        ("Title: Қазақстан ✓\n", None),
        ("a\x0cb", (1, "\x0c", 1)),
    ],
)
def test_control_character(text, found):
    assert control_character(text) == found


@pytest.mark.parametrize(("size", "limit", "refused"), [(10, 10, False), (11, 10, True), (0, 1, False)])
def test_oversize(size, limit, refused):
    assert (oversize(size, limit) is not None) is refused


def test_a_worker_log_record_pelican_drops_as_a_repeat_is_no_traceback():
    """Pelican's logger raises FilteredMessage from `filter` for a message it logged already."""
    import pelican.log  # noqa: F401, PLC0415 - makes Pelican's logger class the one getLogger makes

    logger = logging.getLogger(f"tilmash.test.{uuid.uuid4().hex}")
    heard = []
    handler = logging.Handler()
    handler.emit = heard.append
    logger.addHandler(handler)
    logger.warning("the same warning")
    _replay(logging.makeLogRecord({"name": logger.name, "msg": "the same warning", "levelno": logging.WARNING,
                                   "levelname": "WARNING", "args": ()}))  # fmt: skip
    _replay(logging.makeLogRecord({"name": logger.name, "msg": "another", "levelno": logging.WARNING,
                                   "levelname": "WARNING", "args": ()}))  # fmt: skip
    assert [record.getMessage() for record in heard] == ["the same warning", "another"]


def test_a_partner_feed_with_a_text_node_past_libxml2s_default_limit_is_read(tmp_path):
    content = "&lt;p&gt;" + "&lt;a href=&quot;https://example.kz/x&quot;&gt;a&lt;/a&gt; " * 300_000 + "&lt;/p&gt;"
    feed = tmp_path / "feed.atom.xml"
    feed.write_text(f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
                    f'<title>T</title><link rel="alternate" href="https://site.example/2024/03/p/"/>'
                    f'<content type="html">{content}</content></entry></feed>', encoding="utf-8")  # fmt: skip
    with pytest.raises(etree.XMLSyntaxError):
        etree.parse(str(feed))  # what lxml's defaults make of it
    [entry] = read_entries(feed, "https://site.example")
    assert entry.key == "2024/03/p/"
    assert len(entry.content) > 10_000_000


# --- builds -------------------------------------------------------------------------------------

REPORT = re.compile(r"Build failed: (\d+) problems? in (\d+) files?\.")


def problems_in(build):
    """The problems of a failed build's report, one text per problem (its first line)."""
    head = REPORT.search(build.stderr)
    assert head, build.log
    lines = build.stderr[head.end() :].strip("\n").splitlines()
    problems = [line for line in lines if not line.startswith("    fix: ")]
    assert len(problems) == int(head.group(1)) == len([line for line in lines if line.startswith("    fix: ")])
    return problems


def outside_output(root):
    """Every file under the site's folder but the build's output and caches."""
    return {path: data for path, data in snapshot(root).items()
            if not path.startswith(("output", ".pelican-cache")) and "__pycache__" not in path}  # fmt: skip


def _static_link_out(site):
    (site.root / "elsewhere").mkdir()
    (site.root / "elsewhere/payload.txt").write_text("PAYLOAD")
    site.post("p.md", body="First line.\n\n[f]({static}/../elsewhere/payload.txt)\n")
    return "content/posts/p.md:10: the linked file '/../elsewhere/payload.txt' is outside the content folder"


def _passwd_as_image(site):
    site.write("images/a.png", b"PNG")
    os.symlink("/etc/passwd", site.content / "images/p.png")
    return "content/images/p.png: is a symlink to /etc/passwd, outside the content folder"


def _certs_folder(site):
    site.write("images/a.png", b"PNG")
    os.symlink("/etc/ssl/certs", site.content / "images/certs")
    return "content/images/certs: is a symlink to /etc/ssl/certs, outside the content folder"


def _symlink_loop(site):
    site.write("images/a.png", b"PNG")
    _file_loop(site.content)
    return "content/images/l1: is one of the symlinks l1 and l2, which point at each other (a loop)"


def _dangling_symlink(site):
    site.write("images/a.png", b"PNG")
    _dangling(site.content)
    return "content/images/p.png: is a symlink to gone.png, which does not exist"


def _posts_folder_loop(site):
    _link_to_parent(site.content)
    return "content/posts/loop: is a symlink to content/, a folder that contains it"


def _post(name="p.md", body="A lead paragraph about what bloggers say.\n", **metadata):
    def write(site):
        site.post(name, body, **metadata)

    return write


def _save_as_static_file(site):
    site.write("images/a.png", b"PNG")
    site.post("p.md", Save_as="images/a.png")


def _two_posts_save_as_one_path(site):
    site.post("p.md", Save_as="about/index.html")
    site.post("q.md", Save_as="about/index.html")


BAD_BUILDS = [
    ("static link out", _static_link_out, None),
    ("passwd as image", _passwd_as_image, None),
    ("certs folder", _certs_folder, None),
    ("symlink loop", _symlink_loop, None),
    ("dangling symlink", _dangling_symlink, None),
    ("posts folder loop", _posts_folder_loop, None),
    ("save_as index", _post(Save_as="index.html"),
     'content/posts/p.md:7: "Save_as: index.html" is also where the site\'s "index" page is written'),
    ("save_as theme file", _post(Save_as="theme/js/comments.js"),
     'content/posts/p.md:7: "Save_as: theme/js/comments.js" is also where the theme\'s file static/js/comments.js is written'),
    ("save_as headers", _post(Save_as="_headers"),
     'content/posts/p.md:7: "Save_as: _headers" would write the page to a file that is not a page'),
    ("save_as static file", _save_as_static_file,
     'content/posts/p.md:7: "Save_as: images/a.png" is also where content/images/a.png is written'),
    ("two posts save_as one path", _two_posts_save_as_one_path,
     'content/posts/p.md:7: "Save_as: about/index.html" is also where content/posts/q.md is written'),
    ("save_as outside", _post(Save_as="../../escaped.html"),
     'content/posts/p.md:7: it would be written to "../../escaped.html", outside the site\'s folder'),
    ("save_as outside, Windows spelling", _post(Save_as="..\\escaped.html"),
     'content/posts/p.md:7: it would be written to "..\\escaped.html", outside the site\'s folder'),
    ("title too long", _post(Title="Kazakhstan: " + "x" * 10_000, Slug=None),
     "content/posts/p.md:1: its address has a part of 10,011 bytes (kazakhstan-xxxxxxxxx…); file names stop at 255"),
    ("nul in title", _post(Title="Kazakhstan: a\x00b"),
     "content/posts/p.md:1: the control character U+0000 cannot stand in a web page or feed"),
    ("control characters in text", _post(body="Fine.\n\nNot\x1b fine\x01.\n"),
     "content/posts/p.md:10: the control character U+001B cannot stand in a web page or feed (1 more in the file)"),
    ("lists on one line", _post(body="- " * 60 + "x\n"), "content/posts/p.md:8: lists and quotes are nested 59 deep here"),
    ("post too large", _post(body="word " * 250_000), "content/posts/p.md: the file is 1,250,"),
]  # fmt: skip
SMALL_LIMIT = {"max_post_bytes": 1_000_000}


@pytest.mark.parametrize(("make_bad", "expected"), [c[1:] for c in BAD_BUILDS], ids=[c[0] for c in BAD_BUILDS])
def test_each_refusal_is_one_problem_naming_the_file(site, make_bad, expected):
    site.post("good.md")
    first = site.build(STRICT=SMALL_LIMIT)
    assert first.returncode == 0, first.log
    before = snapshot(first.output)

    expected = make_bad(site) or expected
    around = outside_output(site.root)
    second = site.build(STRICT=SMALL_LIMIT)

    assert second.returncode == 1
    problems = problems_in(second)
    # Two posts that chose one path are both wrong: each is named, with the other.
    assert len(problems) == (2 if make_bad is _two_posts_save_as_one_path else 1), second.stderr
    assert problems[0].startswith(expected), second.stderr
    assert "Traceback" not in second.log
    assert snapshot(second.output) == before
    assert outside_output(site.root) == around  # nothing written anywhere else
    passwd = Path("/etc/passwd").read_bytes()
    assert not any(passwd in data for folder in site.root.glob("output*") for data in snapshot(folder).values())


def test_a_static_link_out_of_content_writes_nothing_beside_an_output_elsewhere(site):
    """`invoke snapshot` builds into a folder of its own: a {static}/../ link was copied beside it."""
    _static_link_out(site)
    site.post("good.md")
    deploy = site.root / "scratch/site"
    result = build_atomically(project_settings(site.root, {}, name="siteconf.py"), deploy, capture=True)
    assert result.returncode == 1
    assert "content/posts/p.md:10: the linked file '/../elsewhere/payload.txt' is outside the content folder" in result.stderr
    assert [p.name for p in (site.root / "scratch").iterdir()] == []


def test_a_save_as_over_a_list_page_names_the_post_and_the_template(site):
    """Caught as the pages are written (list pages are planned by several plugins): the post is named."""
    site.post("p.md", Save_as="country/kazakhstan/index.html")
    build = site.build()
    assert build.returncode == 1
    [problem] = problems_in(build)
    assert problem == ('content/posts/p.md: parallel: content/posts/p.md and the "category.html" template are all to be '
                       "written to country/kazakhstan/index.html; only one can be")  # fmt: skip
    assert "Traceback" not in build.log


def test_a_missing_static_file_is_one_problem_at_the_post(site):
    site.post("p.md", body="![a photo]({static}/images/nowhere.jpg)\n")
    build = site.build()
    assert problems_in(build) == ["content/posts/p.md:8: the image '/images/nowhere.jpg' does not exist"]


def test_invoke_snapshot_writes_nothing_outside_for_a_static_link_out(tmp_path):
    """The issue's case: the snapshot's build folder is in the temporary folder, and the link's
    `../../` led from it to a folder beside it, where Pelican copied the file."""
    project = copy_project(tmp_path / "project")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/payload.txt").write_text("PAYLOAD")
    header = "".join(f"{key}: {value}\n" for key, value in {**VALID_POST, "Slug": "payload"}.items())
    (project / "content/posts/payload.md").write_text(header + "\n[f]({static}/../../elsewhere/payload.txt)\n")
    scratch = tmp_path / "tmp/inner"
    scratch.mkdir(parents=True)
    result = invoke(project, "snapshot", "--folder", str(tmp_path / "snapshots"), env={"TMPDIR": str(scratch)})
    assert result.returncode == 1
    assert "content/posts/payload.md:8: the linked file '/../../elsewhere/payload.txt' is outside the content folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "tmp").rglob("*")) == [scratch]
    assert not (tmp_path / "snapshots").exists()


def test_a_post_over_the_default_size_limit_is_refused(site):
    site.post("good.md")
    site.post("huge.md", body="word " * 2_500_000)
    build = site.build()
    assert build.returncode == 1
    [problem] = problems_in(build)
    assert re.fullmatch(r"content/posts/huge\.md: the file is 12,500,\d{3} bytes, more than the 12,000,000 a post may have", problem)


@pytest.mark.parametrize("limit", ["3 MB", 0, True])
def test_a_bad_size_limit_is_a_settings_error(site, limit):
    site.post("good.md")
    build = site.build(STRICT={"max_post_bytes": limit})
    assert build.returncode == 1
    assert "strict: STRICT['max_post_bytes'] must be a whole number of bytes" in build.log
    assert "Traceback" not in build.log


def test_an_attach_link_builds_cleanly_and_moves_the_file_beside_the_post(site):
    site.write("images/report.pdf", b"%PDF-1.4")
    site.post("p.md", body="Read [the report]({attach}/images/report.pdf).\n")
    site.post("q.md", body="Also [an image]({static}/images/photo.png).\n")
    site.write("images/photo.png", b"PNG")
    build = site.build()
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log and "Traceback" not in build.log
    assert (build.output / "2024/03/p/report.pdf").read_bytes() == b"%PDF-1.4"
    assert not (build.output / "images/report.pdf").exists()
    [href] = build.page("2024/03/p/").xpath("//a[text()='the report']/@href")
    assert posixpath.normpath(posixpath.join("2024/03/p", href)) == "2024/03/p/report.pdf"


def test_symlinks_inside_the_content_folder_are_published(site):
    site.write("images/a.png", b"PNG")
    os.symlink("a.png", site.content / "images/b.png")
    site.post("p.md", body="![a]({static}/images/b.png)\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert (build.output / "images/b.png").read_bytes() == b"PNG"


def test_the_readme_names_the_refusals():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for words in ("symlink", "Save_as:", "max_post_bytes", "control character"):
        assert words in readme
