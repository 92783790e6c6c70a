"""Push mirrored posts to a partner's WordPress through its REST API, idempotently.

The entries come from the partner's Atom feed in a fresh build. A state file maps each
post (by its site-relative address) to the remote post's id, address and content hash; it
is rewritten after every post that succeeds, and before creating a post the partner's site
is searched for the one that carries our address, so that a run cut short never duplicates.

A remote post carries our address as the first line of its excerpt and nowhere else that
counts: a post that merely links to another of ours holds that address in its content, and
must never be taken for it. The excerpt is a field stock WordPress lets the REST API write
and read back raw; its search finds candidates, the first line decides.
"""

import base64
import hashlib
import html
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class Entry:
    key: str  # the post's address relative to the site root, e.g. "ru/2024/03/slug/"
    url: str
    title: str
    content: str
    summary: str = ""

    @property
    def excerpt(self):
        """The remote post's excerpt: our address alone on the first line, then the summary."""
        return f"{self.url}\n{self.summary}".rstrip("\n")

    @property
    def digest(self):
        return hashlib.sha256(f"{self.title}\n{self.content}\n{self.excerpt}".encode()).hexdigest()


def address_in_excerpt(excerpt):
    """The address a remote post's excerpt carries (its first line), or "" for an excerpt of someone else's."""
    first = excerpt.strip().split("\n", 1)[0].strip()
    return first if first.startswith(("http://", "https://")) and " " not in first else ""


def _text(fragment):
    """The text of an Atom summary (HTML), on one line."""
    if not fragment or not fragment.strip():
        return ""
    return " ".join(lxml_html.fragment_fromstring(fragment, create_parent="div").text_content().split())


def wordpress_fields(entry):
    """The post as WordPress takes it. A WordPress title is HTML, and an editor's account may
    post any HTML there: our title is plain text, so it goes escaped."""
    return {"title": html.escape(entry.title or "", quote=False), "content": entry.content, "excerpt": entry.excerpt}


def read_entries(feed_path, site_root):
    """The posts of a partner feed, oldest first."""
    entries = []
    # Our own feed, so no size limits: a long post is one text node past libxml2's 10 MB default.
    for entry in etree.parse(str(feed_path), etree.XMLParser(huge_tree=True, resolve_entities=False)).getroot().iter(f"{ATOM}entry"):
        url = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        key = url[len(site_root) + 1 :] if url.startswith(site_root + "/") else url
        entries.append(Entry(key, url, entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}content") or "",
                             _text(entry.findtext(f"{ATOM}summary"))))  # fmt: skip
    return list(reversed(entries))


def plan(entries, state):
    """("new" | "changed" | "unchanged", entry) for every entry."""
    for entry in entries:
        known = state.get(entry.key)
        if known is None:
            yield "new", entry
        elif known.get("hash") != entry.digest:
            yield "changed", entry
        else:
            yield "unchanged", entry


class PushError(Exception):
    """A post the partner's site refused or could not be reached for."""


class WordPress:
    """The few calls of the WordPress REST API (/wp-json/wp/v2/posts) a push needs."""

    def __init__(self, api, user, password, timeout=30):
        self.api = api.rstrip("/")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json",
                        "Accept": "application/json"}  # fmt: skip
        self.timeout = timeout

    def _call(self, method, path, body=None, query=None):
        return self._request(method, path, body, query)[0]

    def _request(self, method, path, body=None, query=None):
        """The answer's JSON and headers."""
        url = f"{self.api}/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, headers=self.headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response), response.headers
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300]
            raise PushError(f"{method} {url} answered {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise PushError(f"{method} {url} failed: {getattr(error, 'reason', error)}") from None

    def find(self, url):
        """The id and address of the remote post whose excerpt carries our address, if one exists."""
        query = {"search": url, "status": "publish,pending,draft,future,private", "context": "edit", "per_page": 100}
        page, pages = 1, 1
        while page <= pages:
            found, headers = self._request("GET", "posts", query={**query, "page": page})
            for post in found:
                if address_in_excerpt(post.get("excerpt", {}).get("raw", "")) == url:
                    return post["id"], post.get("link")
            page, pages = page + 1, int(headers.get("X-WP-TotalPages") or 1)
        return None

    def create(self, entry, status):
        post = self._call("POST", "posts", {**wordpress_fields(entry), "status": status})
        return post["id"], post.get("link")

    def update(self, remote_id, entry):
        post = self._call("POST", f"posts/{remote_id}", wordpress_fields(entry))
        return post["id"], post.get("link")


def save_state(path, state):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(state, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")
    os.replace(temporary, path)


def taken_ids(state, key):
    """The remote ids the state records for posts other than `key`."""
    return {known["id"] for other, known in state.items() if other != key}


def push(entries, state, state_file, client, status, say=print):
    """Send new and changed entries; returns the failures as (entry, message)."""
    failures = []
    for action, entry in plan(entries, state):
        if action == "unchanged":
            continue
        try:
            if action == "changed":
                remote_id, link = client.update(state[entry.key]["id"], entry)
            else:
                existing = client.find(entry.url)
                if existing and existing[0] in taken_ids(state, entry.key):
                    raise PushError(f"the partner's post {existing[0]} is recorded for another of our posts; "
                                    "check its excerpt's first line, which names the post it mirrors")  # fmt: skip
                remote_id, link = client.update(existing[0], entry) if existing else client.create(entry, status)
        except PushError as error:
            failures.append((entry, str(error)))
            say(f"mirror: FAILED {entry.key}: {error}")
            continue
        state[entry.key] = {"id": remote_id, "link": link, "hash": entry.digest}
        save_state(state_file, state)
        say(f"mirror: {'updated' if action == 'changed' else 'sent'} {entry.key} -> remote post {remote_id}")
    return failures
