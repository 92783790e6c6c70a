"""Partner sites: "Also posted on", pull feeds for mirrors, and pushes to a real WordPress."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import feedparser
import pytest
from lxml import html as lxml_html

from conftest import free_port, invoke
from partners.push import Entry, address_in_excerpt, push
from wordpress import INSTALL_HINT, LocalWordPress, missing_tools

PARTNER = {"neweurasia": {"name": "neweurasia", "url": "https://neweurasia.example.net"}}


def _mirrored_site(site, **extra):
    site.write("images/photo.png", b"\x89PNG\r\n\x1a\n")
    site.post("letter.md", Mirror="neweurasia", body="She [wrote](https://a.kz/1) [ru] and [more]({filename}other.md).\n\n"
              "![a photo]({static}/images/photo.png)\n", **extra)  # fmt: skip
    site.post("ru/letter.md", Slug="letter", Lang="ru", Translator="Ирина Ким", Mirror="neweurasia",
              Title="Казахстан: письмо", body="Она [написала](https://a.kz/1) [en].\n")  # fmt: skip
    site.post("other.md")
    return site.build(PARTNERS=PARTNER, SITEURL="https://tilmash.example.org", RELATIVE_URLS=False)


def test_partner_feeds_are_full_absolute_and_attributed(site):
    build = _mirrored_site(site)
    assert build.returncode == 0, build.log
    english = feedparser.parse((build.output / "feeds/partners/neweurasia.en.atom.xml").read_bytes())
    assert not english.bozo and english.feed.language == "en"
    (entry,) = english.entries
    assert entry.link == "https://tilmash.example.org/2024/03/letter/"
    body = lxml_html.fragment_fromstring(entry.content[0].value, create_parent="div")
    addresses = [e.get("href") or e.get("src") for e in body.iter("a", "img")]
    assert addresses and all(a.startswith("https://") for a in addresses), addresses
    assert "https://tilmash.example.org/2024/03/other/" in addresses
    assert "https://tilmash.example.org/images/photo.png" in addresses
    marker = body.find(".//abbr[@class='source-lang']")
    assert (marker.text, marker.get("title")) == ("[ru]", "Russian")
    attribution = body.find(".//p[@class='tilmash-attribution']")
    assert attribution is body.findall("p")[-1], "the attribution closes the entry"
    assert attribution.find("a").get("href") == entry.link
    assert 'rel="canonical"' in attribution.text_content() and entry.link in attribution.text_content()

    russian = feedparser.parse((build.output / "feeds/partners/neweurasia.ru.atom.xml").read_bytes())
    assert russian.feed.language == "ru"
    text = russian.entries[0].content[0].value
    assert "Перевод: Ирина Ким." in text and "[en]" in text


def test_posts_say_also_posted_and_link_the_copy_once_known(site):
    build = _mirrored_site(site)
    note = build.page("2024/03/letter/").find(".//p[@class='also-posted']/a")
    # Until the copy's address is known, the note links the partner's site.
    assert (note.text, note.get("href")) == ("Also posted on neweurasia", PARTNER["neweurasia"]["url"])
    state = site.root / "mirrors/neweurasia.json"
    state.parent.mkdir()
    state.write_text(json.dumps({"2024/03/letter/": {"id": 7, "link": "https://neweurasia.example.net/?p=7", "hash": "x"}}))
    build = site.build(PARTNERS=PARTNER)
    link = build.page("2024/03/letter/").find(".//p[@class='also-posted']/a")
    assert link.get("href") == "https://neweurasia.example.net/?p=7"
    assert build.page("ru/2024/03/letter/").find(".//p[@class='also-posted']/a").text == "Также опубликовано на neweurasia"


def test_an_unknown_partner_fails_the_build(site):
    site.post("letter.md", Mirror="neweurasa")
    build = site.build(PARTNERS=PARTNER)
    assert build.returncode != 0
    assert 'content/posts/letter.md:7: Mirror: "neweurasa" is not a partner' in build.stderr


def test_a_partner_without_url_is_a_settings_error(site):
    site.post("letter.md")
    build = site.build(PARTNERS={"neweurasia": {"name": "neweurasia"}})
    assert build.returncode != 0
    assert "Settings error: partners: PARTNERS['neweurasia'] needs a \"url\"" in build.stderr


@pytest.mark.parametrize(
    ("excerpt", "address"),
    [
        ("https://t.example.org/2024/03/a/\nWhat bloggers say.", "https://t.example.org/2024/03/a/"),
        ("  https://t.example.org/2024/03/a/  \r\nWhat bloggers say.", "https://t.example.org/2024/03/a/"),
        ("https://t.example.org/2024/03/a/", "https://t.example.org/2024/03/a/"),
        ("What bloggers say, as https://t.example.org/2024/03/a/ reports.", ""),
        ("See https://t.example.org/2024/03/a/\nhttps://t.example.org/2024/03/b/", ""),
        ("<p>https://t.example.org/2024/03/a/</p>", ""),
        ("", ""),
    ],
)
def test_a_remote_post_is_ours_only_by_its_excerpts_first_line(excerpt, address):
    assert address_in_excerpt(excerpt) == address


@pytest.mark.parametrize("summary", ["", "What bloggers say about the letter."])
def test_the_excerpt_we_send_names_the_post_and_nothing_else_on_its_first_line(summary):
    entry = Entry("2024/03/a/", "https://t.example.org/2024/03/a/", "A", "<p>see https://t.example.org/2024/03/b/</p>",
                  summary)  # fmt: skip
    assert address_in_excerpt(entry.excerpt) == entry.url
    assert entry.excerpt.splitlines()[1:] == ([summary] if summary else [])


class _Partner:
    """A partner site that answers every search with the post it holds, as a loose search would."""

    def __init__(self, found):
        self.found, self.sent = found, []

    def find(self, url):
        return self.found

    def update(self, remote_id, entry):
        self.sent.append((remote_id, entry.key))
        return remote_id, f"https://partner.example.net/?p={remote_id}"


def test_a_remote_post_recorded_for_another_of_ours_is_never_overwritten(tmp_path):
    state = {"2024/03/a/": {"id": 4, "link": "https://partner.example.net/?p=4", "hash": "x"}}
    entries = [Entry("2024/09/b/", "https://t.example.org/2024/09/b/", "B", "<p>B</p>")]
    partner, said = _Partner((4, "https://partner.example.net/?p=4")), []
    failures = push(entries, state, tmp_path / "state.json", partner, "pending", say=said.append)
    assert partner.sent == [] and list(state) == ["2024/03/a/"]
    assert [entry.key for entry, _ in failures] == ["2024/09/b/"]
    assert "recorded for another of our posts" in said[0] and not (tmp_path / "state.json").exists()


@pytest.fixture
def wordpress(tmp_path):
    missing = missing_tools()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} missing on CI: .ci/run must run `{INSTALL_HINT}`")
        pytest.skip(f"needs {missing}: {INSTALL_HINT}")
    site = LocalWordPress(tmp_path / "wordpress", free_port()).start()
    yield site
    site.stop()


def _point_at(project, wordpress):
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write(f'\nPARTNERS = {{"neweurasia": {{"name": "neweurasia", "url": "{wordpress.url}", '
                       f'"api": "{wordpress.api}", "status": "pending"}}}}\n')  # fmt: skip
    return {"TILMASH_PARTNER_NEWEURASIA_USER": wordpress.user, "TILMASH_PARTNER_NEWEURASIA_PASSWORD": wordpress.password}


def _ours(wordpress):
    return [post for post in wordpress.posts() if post[2] != "Hello world!"]


def test_push_to_a_real_wordpress_is_idempotent_and_resumable(project, wordpress):
    credentials = _point_at(project, wordpress)
    state_file = project / "mirrors/neweurasia.json"
    # An older mirrored post that links to a newer one: the newer one's address is in its content.
    older = project / "content/posts/kazakhstan-state-ordered-blogging.md"
    older.write_text(older.read_text(encoding="utf-8") + "\nSee also [the journalists]({filename}kyrgyzstan-women-journalists-organise.md).\n",
                     encoding="utf-8")  # fmt: skip
    newer_url = "https://tilmash.example.org/2024/09/kyrgyzstan-women-journalists-organise/"

    first = invoke(project, "mirror", "neweurasia", env=credentials)
    assert first.returncode == 0, first.stdout + first.stderr
    posts = _ours(wordpress)
    assert len(posts) == 6 and {status for _, status, _ in posts} == {"pending"}
    state = json.loads(state_file.read_text())
    assert len(state) == 6 and len({known["id"] for known in state.values()}) == 6, "each post has a remote post of its own"
    for key, known in state.items():
        assert wordpress.excerpt(known["id"]).splitlines()[0] == f"https://tilmash.example.org/{key}"
    older_id, newer_id = (state[key]["id"] for key in ("2024/03/kazakhstan-state-ordered-blogging/",
                                                        "2024/09/kyrgyzstan-women-journalists-organise/"))  # fmt: skip
    assert newer_url in wordpress.content(older_id), "the older post's link to the newer one was sent"
    assert dict((int(i), title) for i, _, title in posts)[newer_id] == "Kyrgyzstan: Women journalists organise against online harassment"
    some_id = state["2024/03/kazakhstan-state-ordered-blogging/"]["id"]
    assert "https://tilmash.example.org/2024/03/kazakhstan-state-ordered-blogging/" in wordpress.content(some_id)

    second = invoke(project, "mirror", "neweurasia", env=credentials)
    assert second.returncode == 0 and "sent" not in second.stdout and "updated" not in second.stdout
    assert _ours(wordpress) == posts and json.loads(state_file.read_text()) == state

    post = project / "content/posts/kazakhstan-state-ordered-blogging.md"
    post.write_text(post.read_text(encoding="utf-8").replace("new suspicion", "renewed suspicion"), encoding="utf-8")
    edited = invoke(project, "mirror", "neweurasia", env=credentials)
    assert edited.returncode == 0, edited.stderr
    assert f"updated 2024/03/kazakhstan-state-ordered-blogging/ -> remote post {some_id}" in edited.stdout
    assert len(_ours(wordpress)) == 6 and "renewed suspicion" in wordpress.content(some_id)

    # A run that dies after WordPress created posts but before it wrote them down.
    state_file.unlink()
    for path in (project / "content/posts").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "Mirror: neweurasia" in text:
            path.write_text(text.replace("\n\n", "\n\nAn editor's note.\n\n", 1), encoding="utf-8")
    runner = subprocess.Popen([sys.executable, "-m", "invoke", "mirror", "neweurasia"], cwd=project,
                              env={**os.environ, **credentials}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 120
    while not state_file.exists() and runner.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    finished = invoke(project, "mirror", "neweurasia", env=credentials)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert len(_ours(wordpress)) == 6, "no duplicates after a run was killed halfway"
    assert all("An editor's note." in wordpress.content(post_id) for post_id, _, _ in _ours(wordpress))
    assert len(json.loads(state_file.read_text())) == 6


def test_push_failures_are_reported_and_nothing_is_recorded(project, wordpress):
    credentials = {**_point_at(project, wordpress), "TILMASH_PARTNER_NEWEURASIA_PASSWORD": "wrong password"}
    refused = invoke(project, "mirror", "neweurasia", env=credentials)
    assert refused.returncode == 1
    assert re.search(r"mirror: FAILED 2024/03/kazakhstan-state-ordered-blogging/: .* answered 4\d\d", refused.stdout)
    assert "6 post(s) failed" in refused.stderr
    assert not (project / "mirrors/neweurasia.json").exists()
    assert _ours(wordpress) == []


def test_mirror_dry_run_and_missing_credentials(project):
    dry = invoke(project, "mirror", "neweurasia", "--dry-run")
    assert dry.returncode == 0
    assert re.search(r"new  ru/2024/03/kazakhstan-state-ordered-blogging/", dry.stdout)
    missing = invoke(project, "mirror", "neweurasia")
    assert missing.returncode == 1
    assert "set TILMASH_PARTNER_NEWEURASIA_USER and TILMASH_PARTNER_NEWEURASIA_PASSWORD" in missing.stderr
    unknown = invoke(project, "mirror", "globalvoices")
    assert unknown.returncode == 1 and "'globalvoices' is not in PARTNERS" in unknown.stderr


def test_an_unreachable_partner_is_reported_per_post(project):
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write(f'\nPARTNERS = {{"neweurasia": {{"url": "http://127.0.0.1:{free_port()}"}}}}\n')
    result = invoke(project, "mirror", "neweurasia", env={"TILMASH_PARTNER_NEWEURASIA_USER": "u",
                                                           "TILMASH_PARTNER_NEWEURASIA_PASSWORD": "p"})  # fmt: skip
    assert result.returncode == 1
    assert re.search(r"mirror: FAILED ru/2024/03/kazakhstan-state-ordered-blogging/: GET .* failed: .*refused", result.stdout)
    assert not (project / "mirrors/neweurasia.json").exists()


def test_a_title_reaches_wordpress_as_text_not_html(project, wordpress):
    """A WordPress title is HTML, and an editor may post any HTML there: ours goes escaped."""
    credentials = _point_at(project, wordpress)
    title = 'Kazakhstan: <script>alert(1)</script> & "Co"'
    (project / "content/posts/hostile-title.md").write_text(
        f"Title: {title}\nDate: 2024-03-05 09:30\nCategory: Kazakhstan\nTags: Media\nAuthor: Test Author\n"
        "Mirror: neweurasia\n\nText.\n", encoding="utf-8")  # fmt: skip
    result = invoke(project, "mirror", "neweurasia", env=credentials)
    assert result.returncode == 0, result.stdout + result.stderr
    titles = [stored for _, _, stored in _ours(wordpress)]
    assert 'Kazakhstan: &lt;script&gt;alert(1)&lt;/script&gt; &amp; "Co"' in titles, titles
    assert not any("<script" in stored for stored in titles)
