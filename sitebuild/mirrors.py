"""Where the site is published: the main host and its mirrors, each a target of its own.

`PUBLISH_TARGETS` (publishconf.py) names each target: an rclone destination (`remote:path`,
or a local folder) or an rsync one, and the public address its copy is served at. This module
is pure: it checks the setting, plans which files go out with which headers, stamps a build and
words the summary; `sitebuild/rclone.py` runs rclone.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mirror_sites import is_public_address

# Written into every published site: what mirrors-check reads back from each host.
STAMP = "build.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
# An rclone connection string (":s3,access_key_id=…:bucket") may carry a secret in the repository.
_SECRET_OPTION = re.compile(r"(key|secret|pass|token|auth)", re.IGNORECASE)


class TargetsError(Exception):
    """PUBLISH_TARGETS is wrong; the message lists every problem and how to fix it."""


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "rclone" or "rsync"
    destination: str
    url: str
    compress: bool = False  # text files stored gzip-compressed, with Content-Encoding: gzip


def targets_from(setting, rsync_target="", main_url=""):
    """The targets of `PUBLISH_TARGETS` (a dict name -> {"remote" or "rsync", "url"}), checked.

    `rsync_target` (TILMASH_PUBLISH_TARGET) adds the target "rsync" at `main_url`, as publishing
    worked before there were mirrors. Every problem is listed together.
    """
    problems, targets = [], []
    if not isinstance(setting, dict):
        raise TargetsError("PUBLISH_TARGETS must be a dict of name -> {\"remote\": \"name:path\", \"url\": \"https://…\"}")
    entries = dict(setting)
    if rsync_target:
        entries.setdefault("rsync", {"rsync": rsync_target, "url": main_url})
    for name, options in entries.items():
        where = f"PUBLISH_TARGETS[{name!r}]"
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(f"{where}: a target's name is lower-case letters, digits and '-', e.g. \"mirror-eu\"")
            continue
        if not isinstance(options, dict):
            problems.append(f"{where} must be a dict with \"remote\" (or \"rsync\") and \"url\"")
            continue
        unknown = set(options) - {"remote", "rsync", "url", "compress"}
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; a target has \"remote\" or \"rsync\", "
                            "\"url\", and optionally \"compress\"")  # fmt: skip
        compress = options.get("compress", False)
        if compress not in (True, False):
            problems.append(f"{where}: \"compress\" is True or False (got {compress!r})")
        elif compress and not options.get("remote"):
            problems.append(f"{where}: \"compress\" is for rclone targets (object storage serves files as stored); "
                            "a web server behind rsync compresses as it serves")  # fmt: skip
        kinds = [kind for kind in ("remote", "rsync") if options.get(kind)]
        if len(kinds) != 1:
            problems.append(f"{where}: give one of \"remote\" (rclone's remote:path) or \"rsync\" (user@host:/path/)")
            continue
        destination = str(options[kinds[0]]).strip()
        problems.extend(f"{where}: {problem}" for problem in destination_problems(destination))
        url = str(options.get("url") or "").rstrip("/")
        if not is_public_address(url):
            problems.append(f"{where}: \"url\" must be the address readers use, http(s)://host[/path], not {url!r}")
        targets.append(Target(name, "rclone" if kinds[0] == "remote" else "rsync", destination, url, compress is True))
    if problems:
        raise TargetsError("\n".join(f"  - {problem}" for problem in problems))
    return targets


def destination_problems(destination):
    """Why a destination cannot be handed to rclone or rsync as it is."""
    if not destination:
        return ["the destination is empty"]
    if destination.startswith("-") or any(ord(c) < 32 for c in destination):
        return [f"{destination!r} is not a destination (it starts with '-' or holds a control character)"]
    if destination.startswith(":") and _SECRET_OPTION.search(destination.split(":")[1]):
        return ["a connection string with credentials does not belong in the repository; name a remote and set "
                "RCLONE_CONFIG_<NAME>_TYPE and its keys in the environment (or in rclone's own config)"]
    return []


def chosen(targets, name=None):
    """The targets one publish sends to: all, or the one named."""
    if name is None:
        return list(targets)
    found = [target for target in targets if target.name == name]
    if not found:
        raise TargetsError(f"--target {name}: no such target; PUBLISH_TARGETS has {', '.join(t.name for t in targets)}")
    return found


# What each kind of file is sent with, the first rule that matches a file applying (rclone filter
# patterns: "*.css" matches at any depth; a pattern naming a folder is anchored, "/{**/,}" standing
# for any depth, since rclone would not look for "pagefind/index/*" in ar/). Pagefind's chunks are named
# by their content's hash, so a copy never goes stale; the theme's files and Pagefind's scripts
# keep their names across versions, so they are kept a day; pages, feeds and the indexes that
# name the chunks change with every post.
_YEAR, _DAY, _SHORT = "public, max-age=31536000, immutable", "public, max-age=86400", "public, max-age=300"


@dataclass(frozen=True)
class Rule:
    name: str
    patterns: tuple
    content_type: str
    cache_control: str


RULES = (
    Rule("search chunks", ("/{**/,}pagefind/fragment/*", "/{**/,}pagefind/index/*", "/{**/,}pagefind/filter/*",
                           "/{**/,}pagefind/*.pf_meta"), "application/octet-stream", _YEAR),
    Rule("styles", ("*.css",), "text/css; charset=utf-8", _DAY),
    Rule("scripts", ("*.js",), "text/javascript; charset=utf-8", _DAY),
    Rule("images", ("*.svg",), "image/svg+xml", _DAY),
    Rule("search program", ("/{**/,}pagefind/*.pagefind",), "application/wasm", _DAY),
    Rule("data", ("*.json",), "application/json", _SHORT),
    Rule("feeds", ("*.atom.xml",), "application/atom+xml; charset=utf-8", _SHORT),
    Rule("sitemap", ("*.xml",), "application/xml; charset=utf-8", _SHORT),
    Rule("pages", ("*.html",), "text/html; charset=utf-8", _SHORT),
)  # fmt: skip
# Everything else (images of posts, _headers for hosts that read it): rclone names its type.
OTHER = Rule("other files", ("**",), "", "public, max-age=3600")


# The kinds of file a "compress" target stores gzip-compressed. Object storage serves an object as
# it is stored, to every client alike: gzip is the one encoding every browser, feed reader and
# crawler accepts (brotli is not, and a store cannot choose per request). Pagefind's chunks and
# program are compressed by Pagefind already; images are compressed by their format.
COMPRESSED_KINDS = frozenset({"styles", "scripts", "images", "data", "feeds", "sitemap", "pages"})
COMPRESSED_SUFFIXES = (".css", ".js", ".svg", ".json", ".xml", ".html")


def compressible(path):
    """Whether a "compress" target stores this site-relative file gzip-compressed (the rules'
    kinds above, by name: a file of those kinds and no other ends so)."""
    return path.endswith(COMPRESSED_SUFFIXES) and not path.rsplit("/", 1)[-1].startswith("_")


@dataclass(frozen=True)
class Run:
    """One `rclone copy` of the files of one rule, with the headers they are stored with."""

    rule: Rule
    filters: tuple

    def headers(self, compressed=False):
        headers = [f"Cache-Control: {self.rule.cache_control}"]
        if compressed and self.rule.name in COMPRESSED_KINDS:
            headers.append("Content-Encoding: gzip")
        return headers + ([f"Content-Type: {self.rule.content_type}"] if self.rule.content_type else [])


def runs(excluded, rules=RULES):
    """The copy runs that send every file once, each with its rule's headers: a file is claimed by
    the first rule that matches it, so each run leaves out what the rules before it took."""
    planned, taken = [], [f"- {pattern}" for pattern in excluded]
    for rule in (*rules, OTHER):
        own = [f"+ {pattern}" for pattern in rule.patterns]
        planned.append(Run(rule, (*taken, *own, "- **")))
        taken += [f"- {pattern}" for pattern in rule.patterns]
    return planned


def content_digest(folder):
    """One digest of every file below `folder` (names and bytes): equal for equal sources."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def stamp(content, target, now=None):
    """What `build.json` says: the content it was built from, for which address, and when."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return {"content": content_digest(content), "url": target.url, "built": now.isoformat(timespec="seconds")}


def write_stamp(site, stamp_data):
    (Path(site) / STAMP).write_text(json.dumps(stamp_data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Outcome:
    target: Target
    sent: tuple = ()
    deleted: tuple = ()
    error: str = ""
    dry_run: bool = False
    pages: int = 0  # an rsync target says how many pages it sent, not which files


def summary(outcomes):
    """Lines saying which targets are current and which are not, failures last."""
    lines = []
    for outcome in sorted(outcomes, key=lambda o: bool(o.error)):
        where = f"{outcome.target.name} ({outcome.target.url})"
        if outcome.error:
            lines.append(f"  NOT current: {where}: {outcome.error}")
        elif outcome.target.kind == "rsync":
            lines.append(f"  dry run, nothing sent: {where}" if outcome.dry_run else
                         f"  current: {where}: {outcome.pages} pages, sent with rsync")  # fmt: skip
        elif outcome.dry_run:
            lines.append(f"  dry run, nothing sent: {where}: would send {len(outcome.sent)} and delete "
                         f"{len(outcome.deleted)} file(s)")  # fmt: skip
        else:
            lines.append(f"  current: {where}: {len(outcome.sent)} file(s) sent, {len(outcome.deleted)} deleted")
    return lines
