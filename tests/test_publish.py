"""Publishing: the guard against a shrunken site is kept at the target, whatever clone publishes and however
the target is spelled; a dry run or a refused publish leaves output/ and the server as they were."""

import json
import os
import shutil

import pytest

from conftest import copy_project, invoke, keep_one_post, require_system_tool, snapshot
from sitebuild import publishing


@pytest.mark.parametrize(
    ("target", "normal"),
    [
        ("/srv/x", "/srv/x/"),
        ("/srv/x/", "/srv/x/"),
        ("/srv/x//", "/srv/x/"),
        ("//srv//x/.", "/srv/x/"),
        ("/srv/www/../x", "/srv/x/"),
        ("relative/site", "relative/site/"),
        ("/srv/a:b", "/srv/a:b/"),
        ("user@host:/srv/x", "user@host:/srv/x/"),
        ("user@host:/srv/x/", "user@host:/srv/x/"),
        ("host:www", "host:www/"),
        ("host:", "host:./"),
        ("host::module/x", "host::module/x/"),
        ("rsync://host/module", "rsync://host/module/"),
        ("  /srv/x/ ", "/srv/x/"),
        ("/", "/"),
    ],
)
def test_targets_are_spelled_one_way(target, normal):
    assert publishing.normalise_target(target) == normal
    assert publishing.normalise_target(normal) == normal


@pytest.mark.parametrize(
    ("target", "remote"),
    [("/srv/x/", False), ("relative/x:y/", False), ("host:/srv/x/", True), ("user@host:x/", True),
     ("host::module/", True), ("rsync://host/m/", True)],
)  # fmt: skip
def test_remote_targets_are_told_from_local_paths(target, remote):
    assert publishing.is_remote(target) is remote


def _site(folder, pages):
    """A built site of `pages` pages, one of them the home page."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>home</p>")
    for number in range(1, pages):
        (folder / f"p{number}").mkdir()
        (folder / f"p{number}/index.html").write_text(f"<p>page {number}</p>")
    (folder / "feed.xml").write_text("<feed/>")
    return folder


@pytest.mark.parametrize(
    ("pages", "last", "force", "refused"),
    [
        (10, None, False, False),  # a first publish
        (10, {"pages": 10}, False, False),
        (5, {"pages": 10}, False, False),  # half is still allowed
        (4, {"pages": 10}, False, True),
        (4, {"pages": 10}, True, False),
        (47, {"pages": 134, "published": "2026-12-01T10:00:00+00:00"}, False, True),
        (3, {"pages": "134"}, False, False),  # not a count: nothing to compare with
    ],
)
def test_a_site_that_shrank_past_the_threshold_is_refused(tmp_path, pages, last, force, refused):
    reasons = publishing.refusal_reasons(_site(tmp_path / "site", pages), "/srv/x/", last, 0.5, force)
    assert bool(reasons) is refused
    if refused:
        (reason,) = reasons
        assert f"the site has {pages} pages, far fewer than the {last['pages']} published to /srv/x/" in reason
        assert "--force" in reason


@pytest.mark.parametrize(("pages", "present", "refused"), [(10, None, False), (10, 20, False), (9, 20, True), (9, 0, False)])
def test_without_a_manifest_the_pages_the_target_holds_guard_it(tmp_path, pages, present, refused):
    reasons = publishing.refusal_reasons(_site(tmp_path / "site", pages), "h:/x/", None, 0.5, present=present)
    assert reasons == ([f"the site has {pages} pages, far fewer than the {present} that h:/x/ holds now; rsync --delete "
                        "would remove the rest. Check the build, or pass --force if this is intended"] if refused else [])  # fmt: skip


def test_pages_at_the_target_are_counted_from_rsyncs_list(tmp_path):
    site = _site(tmp_path / "site", 3)  # index.html, p1/, p2/
    itemized = ("<f+++++++++ p2/index.html\n<fc........ index.html\n>f+++++++++ feed.xml\n"
                "*deleting   old/index.html\n*deleting   old/\n*deleting   old.html\n*deleting   notes.txt\n")  # fmt: skip
    assert publishing.pages_at_target(site, itemized) == 3 - 1 + 2


def test_every_reason_is_given_together(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "only.html").write_text("<p>one page</p>")
    reasons = publishing.refusal_reasons(site, "host:/", {"pages": 100}, 0.5)
    assert len(reasons) == 3, reasons
    assert "no index.html" in reasons[0] and "root folder" in reasons[1] and "far fewer" in reasons[2]


def test_deletions_are_read_from_rsyncs_itemized_list():
    itemized = ".d..t...... ./\n>f+++++++++ new/index.html\n*deleting   old page.html\n*deleting   gone/\n"
    assert publishing.deletions(itemized) == ["old page.html", "gone/"]


@pytest.fixture
def rsync():
    require_system_tool("rsync", "apt-get install rsync")


def test_the_record_is_kept_at_the_target_whatever_its_spelling(tmp_path, rsync):
    server = tmp_path / "server"
    said = []
    big, small = _site(tmp_path / "big", 134), _site(tmp_path / "small", 47)
    assert publishing.publish(big, publishing.normalise_target(f"{server}/"), 22, 0.5, say=said.append) == 134
    manifest = json.loads((server / publishing.MANIFEST).read_text())
    assert manifest["pages"] == 134 and manifest["files"] == 135
    published = snapshot(server)

    with pytest.raises(publishing.PublishError, match="far fewer than the 134"):
        publishing.publish(small, publishing.normalise_target(str(server)), 22, 0.5, say=said.append)
    assert snapshot(server) == published, "nothing was sent"

    said.clear()
    assert publishing.publish(small, publishing.normalise_target(str(server)), 22, 0.5, dry_run=True, force=True,
                              say=said.append) is None  # fmt: skip
    assert snapshot(server) == published
    deleted = {line.removeprefix("    would delete: ") for line in said[1:]}
    assert said[0].startswith("publish: ") and said[0].endswith(f"{2 * 87} to delete on {server}/")
    assert deleted == {f"p{n}{end}" for n in range(47, 134) for end in ("/", "/index.html")}, "not the manifest"

    assert publishing.publish(small, publishing.normalise_target(str(server)), 22, 0.5, force=True) == 47
    assert publishing.page_count(server) == 47
    assert json.loads((server / publishing.MANIFEST).read_text())["pages"] == 47, "--delete kept the manifest"


def test_a_target_published_before_manifests_is_guarded_by_what_it_holds(tmp_path, rsync):
    server = tmp_path / "server"
    shutil.copytree(_site(tmp_path / "old", 134), server)
    with pytest.raises(publishing.PublishError, match="far fewer than the 134 that .* holds now"):
        publishing.publish(_site(tmp_path / "small", 47), f"{server}/", 22, 0.5, say=lambda line: None)
    assert publishing.page_count(server) == 134 and not (server / publishing.MANIFEST).exists()


def _ssh(tmp_path, monkeypatch, script):
    """An `ssh` first on PATH, running `script` (given `-p PORT HOST COMMAND...`)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "ssh").write_text(f"#!/bin/sh\n{script}")
    (tools / "ssh").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")


def test_a_remote_target_keeps_its_record_too(tmp_path, rsync, monkeypatch):
    # An ssh that runs the command here, as sshd would run it on the host: rsync speaks its real
    # protocol through it, and the remote paths of publishing (fetching and sending the manifest) run.
    _ssh(tmp_path, monkeypatch, '[ "$1" = -p ] && shift 2\nshift\nexec sh -c "$*"\n')
    server = tmp_path / "server"
    assert publishing.read_manifest(f"localhost:{server}/") is None
    assert publishing.publish(_site(tmp_path / "big", 20), f"localhost:{server}/", 22, 0.5, say=lambda line: None) == 20
    assert publishing.read_manifest(publishing.normalise_target(f"localhost:{server}"))["pages"] == 20
    with pytest.raises(publishing.PublishError, match=f"far fewer than the 20 published to localhost:{server}/"):
        publishing.publish(_site(tmp_path / "small", 5), publishing.normalise_target(f"localhost:{server}"), 22, 0.5,
                           say=lambda line: None)  # fmt: skip
    assert publishing.page_count(server) == 20


def test_a_manifest_tilmash_did_not_write_stops_the_publish(tmp_path, rsync):
    server = tmp_path / "server"
    server.mkdir()
    (server / publishing.MANIFEST).write_text("<html>a page of someone else's</html>")
    with pytest.raises(publishing.PublishError, match="is not a manifest Tilmash wrote"):
        publishing.publish(_site(tmp_path / "site", 3), f"{server}/", 22, 0.5)
    assert snapshot(server) == {publishing.MANIFEST: b"<html>a page of someone else's</html>"}


def test_an_unreachable_remote_target_is_refused_before_anything_is_sent(tmp_path, rsync, monkeypatch):
    _ssh(tmp_path, monkeypatch, 'echo "ssh: connect to host $3 port $2: Connection refused" >&2\nexit 255\n')
    with pytest.raises(publishing.PublishError, match="rsync could not read .*Connection refused"):
        publishing.read_manifest("nobody@127.0.0.1:/srv/x/", ssh_port=1)
    with pytest.raises(publishing.PublishError, match="is not a number"):
        publishing.read_manifest("nobody@127.0.0.1:/srv/x/", ssh_port="22 -o ProxyCommand=touch%20/tmp/x")


def test_a_fresh_clone_cannot_wipe_the_server_and_output_stays_as_it_was(tmp_path, rsync):
    server = tmp_path / "server"
    first = copy_project(tmp_path / "first")
    sent = invoke(first, "publish", env={"TILMASH_PUBLISH_TARGET": f"{server}/"})
    assert sent.returncode == 0, sent.stdout + sent.stderr
    published = snapshot(server)
    assert {k: v for k, v in published.items() if k != publishing.MANIFEST} == snapshot(first / "output")

    # Another editor's clone, with no record of any publish, and a site that lost most of its posts.
    fresh = copy_project(tmp_path / "fresh")
    keep_one_post(fresh)
    assert invoke(fresh, "build").returncode == 0
    before = snapshot(fresh / "output")
    refused = invoke(fresh, "publish", env={"TILMASH_PUBLISH_TARGET": str(server)})
    assert refused.returncode == 1
    assert "far fewer than the" in refused.stderr and f"published to {server}/" in refused.stderr
    assert "output/ was left as it was" in refused.stderr
    assert snapshot(server) == published and snapshot(fresh / "output") == before

    dry = invoke(fresh, "publish", "--force", "--dry-run", env={"TILMASH_PUBLISH_TARGET": str(server)})
    assert dry.returncode == 0, dry.stderr
    assert "would delete: " in dry.stdout
    assert snapshot(server) == published and snapshot(fresh / "output") == before, "a dry run changes nothing"
    assert not list(fresh.glob(".output.publish-*")), "no leftovers"
    shutil.rmtree(first)
