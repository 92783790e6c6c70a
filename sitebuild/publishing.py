"""Publishing a built site with `rsync --delete`, and the guard that refuses a site that would wipe the server.

What was last published is recorded at the target itself, in a manifest that every publish
reads first and writes last: whichever clone publishes, and however the target is spelled
(`/srv/x` or `/srv/x/`, `host:path` or `host:path/`), the same record is found. rsync is
told to leave the manifest alone, so `--delete` never removes it.
"""

import datetime
import json
import os
import posixpath
import re
import subprocess
import tempfile
from pathlib import Path

from . import drafts

MANIFEST = ".tilmash-manifest.json"
# A file the target lacks, sent to a remote (<) or copied locally (>), in rsync's itemized list.
_NEW_FILE = re.compile(r"^[<>]f\+{9}")
# rsync takes "host:path" and "user@host:path" for ssh, "rsync://" and "host::module" for its daemon;
# a colon after the first slash is part of a local path.
_REMOTE = re.compile(r"^(?P<url>rsync://[^/]+)(?P<url_path>/.*)?$|^(?P<host>[^/:]+)::?(?P<path>.*)$", re.DOTALL)


class PublishError(Exception):
    """A publish that cannot go on; the message says why and what to do."""


def split_target(target):
    """(host part with its colons or "" for a local path, the folder) of an rsync destination."""
    match = _REMOTE.match(target)
    if match is None:
        return "", target
    if match["url"]:
        return match["url"], match["url_path"] or "/"
    return target[: len(target) - len(match["path"])], match["path"]


def normalise_target(target):
    """The target spelled one way: its folder with one trailing slash, so rsync fills that folder.

    `rsync site/ /srv/x` and `rsync site/ /srv/x/` send the same files to the same place, and so
    must find the same manifest.
    """
    host, folder = split_target(target.strip())
    folder = posixpath.normpath(folder) if folder else "."
    if folder.startswith("//"):  # normpath keeps a leading "//"; rsync does not care
        folder = "/" + folder.lstrip("/")
    return f"{host}{folder.rstrip('/')}/"


def is_remote(target):
    return bool(split_target(target)[0])


def page_count(folder):
    return sum(1 for _ in Path(folder).rglob("*.html"))


def refusal_reasons(site, target, last, min_ratio, force=False, present=None, deleter="rsync --delete"):
    """Every reason not to send `site` (a built folder) to `target`.

    `last` is the manifest found at the target (None before the first publish), `present` the
    number of pages the target holds now (None if unknown), `deleter` what would remove the rest.
    Each reason says what is wrong and how to go on; a new check adds its message here, and
    publishing refuses when any is given.
    """
    reasons = []
    pages = page_count(site)
    if not (Path(site) / "index.html").is_file():
        reasons.append(f"the built site has no index.html ({pages} pages); check the build")
    # Embargoed drafts must never reach a public host: --force does not override this.
    if draft := drafts.refusal(site):
        reasons.append(draft)
    if split_target(target)[1] == "/":
        reasons.append(f"the target {target} is the root folder of its machine; publish to a folder of its own")
    shrink = _shrink(pages, target, last, present, min_ratio)
    if shrink and not force:
        reasons.append(f"the site has {pages} pages, far fewer than {shrink}; {deleter} would remove the rest. "
                       "Check the build, or pass --force if this is intended")  # fmt: skip
    return reasons


def _shrink(pages, target, last, present, min_ratio):
    """What the site is far smaller than (the last publish, or what the target holds), or ""."""
    last_pages = (last or {}).get("pages")
    if isinstance(last_pages, int) and pages < last_pages * min_ratio:
        return f"the {last_pages} published to {target} on {last.get('published', 'an unknown date')}"
    if present is not None and pages < present * min_ratio:
        return f"the {present} that {target} holds now"
    return ""


def pages_at_target(site, itemized):
    """How many pages the target holds, from an `rsync --itemize-changes` run sending `site` there:
    the site's pages, less those new to the target, plus those it would delete."""
    new = sum(1 for line in itemized.splitlines() if _NEW_FILE.match(line) and line.endswith(".html"))
    deleted = sum(1 for path in deletions(itemized) if path.endswith(".html"))
    return page_count(site) - new + deleted


def manifest_for(site, now=None):
    """What a publish of `site` records at the target."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    files = sum(1 for path in Path(site).rglob("*") if path.is_file())
    return {"pages": page_count(site), "files": files, "published": now.isoformat(timespec="seconds")}


def _ssh(ssh_port):
    if not str(ssh_port).isdigit():
        raise PublishError(f"the ssh port {ssh_port!r} is not a number; set TILMASH_PUBLISH_SSH_PORT to one, e.g. 22")
    return ["-e", f"ssh -p {int(ssh_port)}"]


def read_manifest(target, ssh_port=22):
    """The manifest the last publish left at `target` (normalised), or None if there is none yet."""
    if not is_remote(target):
        path = Path(target) / MANIFEST
        return parsed_manifest(path.read_text(encoding="utf-8"), target) if path.is_file() else None
    with tempfile.TemporaryDirectory() as scratch:
        local = Path(scratch) / MANIFEST
        fetch = subprocess.run(["rsync", *_ssh(ssh_port), f"{target}{MANIFEST}", str(local)], capture_output=True,
                               text=True, check=False)  # fmt: skip
        if fetch.returncode == 23 and "No such file or directory" in fetch.stderr:
            return None
        if fetch.returncode != 0:
            raise PublishError(f"rsync could not read {target}{MANIFEST}: {fetch.stderr.strip()}")
        return parsed_manifest(local.read_text(encoding="utf-8"), target)


def parsed_manifest(text, target):
    try:
        manifest = json.loads(text)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict):
        raise PublishError(f"{target}{MANIFEST} is not a manifest Tilmash wrote; remove it, or restore it from a backup")
    return manifest


def write_manifest(target, manifest, ssh_port=22):
    """Leave `manifest` at `target`, whole or not at all."""
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    if not is_remote(target):
        temporary = Path(target) / f"{MANIFEST}.tmp"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, Path(target) / MANIFEST)
        return
    with tempfile.TemporaryDirectory() as scratch:
        local = Path(scratch) / MANIFEST
        local.write_text(text, encoding="utf-8")
        # rsync writes into a temporary file beside the manifest and renames it into place.
        sent = subprocess.run(["rsync", "-pt", *_ssh(ssh_port), str(local), f"{target}{MANIFEST}"],
                              capture_output=True, text=True, check=False)  # fmt: skip
        if sent.returncode != 0:
            raise PublishError(f"the site was sent, but rsync could not write {target}{MANIFEST}: {sent.stderr.strip()}")


def rsync_command(site, target, ssh_port=22, dry_run=False):
    """rsync sending `site`'s files to `target`, deleting what the site no longer has but the manifest."""
    preview = ["--dry-run", "--itemize-changes"] if dry_run else []
    return ["rsync", *preview, "--delete", "--exclude", ".DS_Store", "--exclude", f"/{MANIFEST}", "-pthrz", "-c",
            *_ssh(ssh_port), f"{str(site).rstrip('/')}/", target]  # fmt: skip


def deletions(itemized):
    """The paths an `rsync --itemize-changes` run lists as deleted."""
    return [line.split(None, 1)[1] for line in itemized.splitlines() if line.startswith("*deleting")]


def publish(site, target, ssh_port, min_ratio, force=False, dry_run=False, say=print):
    """Send `site` to `target` (normalised) unless refused: the number of pages sent, or None for a dry run.

    Refused, it raises PublishError and sends nothing: first for what is known without asking
    rsync, then, once rsync has listed what it would send and delete, for the pages the target
    holds now (the guard where no manifest is there yet).
    """
    last = read_manifest(target, ssh_port)
    refuse(refusal_reasons(site, target, last, min_ratio, force), target)
    preview = subprocess.run(rsync_command(site, target, ssh_port, dry_run=True), capture_output=True, text=True,
                             check=False)  # fmt: skip
    if preview.returncode != 0:
        raise PublishError(f"rsync could not reach {target}: {preview.stderr.strip()}")
    changes, deleted = preview.stdout.splitlines(), deletions(preview.stdout)
    say(f"publish: {len(changes) - len(deleted)} files to send, {len(deleted)} to delete on {target}")
    for path in deleted:
        say(f"    would delete: {path}")
    refuse(refusal_reasons(site, target, last, min_ratio, force, present=pages_at_target(site, preview.stdout)), target)
    if dry_run:
        return None
    if subprocess.run(rsync_command(site, target, ssh_port), check=False).returncode != 0:
        raise PublishError("rsync failed; run it again to finish (rsync sends only what is missing)")
    manifest = manifest_for(site)
    write_manifest(target, manifest, ssh_port)
    return manifest["pages"]


def refuse(reasons, target):
    if reasons:
        raise PublishError(f"nothing was sent to {target}:\n" + "\n".join(f"  - {reason}" for reason in reasons))
