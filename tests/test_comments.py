"""Comments: embed markup per provider, privacy by default, and a real Isso in a real browser."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from comments.isso_server import start, write_config
from conftest import REPO, free_port, invoke, require_npm_file

PROVIDERS = {
    "isso": {"provider": "isso", "url": "https://comments.example.net/isso/"},
    "disqus": {"provider": "disqus", "shortname": "tilmash"},
    "giscus": {"provider": "giscus", "repo": "tilmash/comments", "repo_id": "R_1", "category": "Posts",
               "category_id": "DIC_1"},  # fmt: skip
    "remark42": {"provider": "remark42", "url": "https://remark.example.net", "site_id": "tilmash"},
}
EXPECTED_ORIGIN = {
    "isso": "https://comments.example.net",
    "disqus": "https://tilmash.disqus.com",
    "giscus": "https://giscus.app",
    "remark42": "https://remark.example.net",
}


def _letter_site(site, **metadata):
    site.post("letter.md", **metadata)
    site.post("ru/letter.md", Slug="letter", Lang="ru", Translator="Ирина Ким", Title="Казахстан: письмо")


def _thread(page):
    section = page.find(".//section[@data-comments]")
    return section, (json.loads(section.get("data-comments")) if section is not None else None)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_each_provider_gets_its_embed_thread_language_and_csp(site, provider):
    _letter_site(site)
    build = site.build(COMMENTS=PROVIDERS[provider], SITEURL="https://tilmash.example.org", RELATIVE_URLS=False)
    assert build.returncode == 0, build.log
    for path, lang, thread_id in (("2024/03/letter/", "en", "/comments/letter/"),
                                  ("ru/2024/03/letter/", "ru", "/comments/ru/letter/")):  # fmt: skip
        page = build.page(path)
        section, thread = _thread(page)
        assert thread["provider"] == provider and thread["load"] == "click"
        assert thread["script"].startswith(EXPECTED_ORIGIN[provider])
        attributes = {**thread["script_attributes"], **thread["container"], **thread.get("page", {})}
        assert thread_id in attributes.values(), attributes
        assert lang in attributes.values(), attributes
        if provider == "disqus":
            assert thread["page"]["url"] == f"https://tilmash.example.org/{path}"
        csp = page.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
        assert EXPECTED_ORIGIN[provider] in csp
        others = set(EXPECTED_ORIGIN.values()) - {EXPECTED_ORIGIN[provider]}
        assert not [origin for origin in others if origin in csp]
        assert page.find(".//script[@src]").get("src").startswith("https://tilmash.example.org/")
    assert (build.output / "_headers").read_text().startswith("/*\n  Content-Security-Policy: default-src 'self';")


def test_thread_ids_do_not_depend_on_the_host_and_can_be_shared(site):
    _letter_site(site)
    moved = site.build(SITEURL="https://mirror.example.net/sub", RELATIVE_URLS=False)
    assert _thread(moved.page("ru/2024/03/letter/"))[1]["container"]["data-isso-id"] == "/comments/ru/letter/"
    shared = site.build(COMMENTS={"provider": "isso", "url": "http://127.0.0.1:8080/", "shared_thread": True})
    assert _thread(shared.page("ru/2024/03/letter/"))[1]["container"]["data-isso-id"] == "/comments/letter/"


@pytest.mark.parametrize(("mode", "shown", "closed_note"), [("open", True, False), ("closed", True, True), ("off", False, False)])
def test_comments_open_closed_and_off(site, mode, shown, closed_note):
    _letter_site(site, Comments=mode)
    build = site.build()
    assert build.returncode == 0, build.log
    section, thread = _thread(build.page("2024/03/letter/"))
    assert (section is not None) == shown
    if shown:
        assert section.findtext(".//h2") == "Join the conversation"
        assert "moderator" in section.findtext("p")
        assert (section.find(".//p[@class='comments-closed-note']") is not None) == closed_note
        assert ("comments-closed" in section.get("class")) == closed_note
        link = section.find(".//a[@class='comments-link']")
        assert link.get("href") == "http://127.0.0.1:8080/?uri=%2Fcomments%2Fletter%2F", "without JavaScript, the thread"


def test_a_bad_comments_value_fails_the_build(site):
    _letter_site(site, Comments="maybe")
    build = site.build()
    assert build.returncode != 0
    assert 'content/posts/letter.md:7: Comments: "maybe" is not a comments mode' in build.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"provider": "facebook"}, "comments: unknown provider 'facebook'"),
        ({"provider": "disqus"}, "comments: disqus needs ['shortname']"),
        ({"provider": "isso", "url": "http://x/", "colour": "red"}, "comments: unknown key(s) ['colour']"),
    ],
)
def test_bad_comments_settings_are_clear_errors(site, config, message):
    _letter_site(site)
    build = site.build(COMMENTS=config)
    assert build.returncode != 0
    assert message in build.log


def test_the_section_speaks_the_page_language(site):
    _letter_site(site)
    build = site.build()
    section, _ = _thread(build.page("ru/2024/03/letter/"))
    assert section.findtext(".//h2") == "Присоединяйтесь к обсуждению"
    assert section.find(".//button").text == "Показать комментарии"


@pytest.fixture
def isso(tmp_path):
    """A real Isso on 127.0.0.1, moderated, for pages served from `site_origin`."""
    servers = []

    def run(site_origin, trusted_proxies=()):
        port = free_port()
        config = write_config(REPO / "plugins/comments/isso.cfg", tmp_path / "isso.cfg", dbpath=tmp_path / "comments.db",
                              site_origins=[site_origin], port=port, password="test-admin",
                              trusted_proxies=trusted_proxies)  # fmt: skip
        servers.append(start(config, port, stdout=open(tmp_path / "isso.log", "w"), stderr=subprocess_stdout()))
        return f"http://127.0.0.1:{port}", tmp_path / "comments.db"

    yield run
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def subprocess_stdout():
    import subprocess

    return subprocess.STDOUT


def _served_with_isso(site, serve_folder, isso, **comments):
    """The letter site built for a real Isso and served: (site origin, Isso's address, its database, the build)."""
    site_port = free_port()
    site_origin = f"http://127.0.0.1:{site_port}"
    isso_url, database = isso(site_origin)
    _letter_site(site)
    build = site.build(COMMENTS={"provider": "isso", "url": isso_url + "/", **comments})
    assert build.returncode == 0, build.log
    serve_folder(build.output, port=site_port)
    return site_origin, isso_url, database, build


def _approve_all(isso_url, database):
    """Approve held comments through Isso's own moderation endpoint, as a moderator's link does."""
    import urllib.request

    with sqlite3.connect(database) as db:
        key = db.execute("SELECT value FROM preferences WHERE key = 'session-key'").fetchone()[0]
        held = [row[0] for row in db.execute("SELECT id FROM comments WHERE mode = 2")]
    signer = URLSafeTimedSerializer(key)
    for comment_id in held:
        request = urllib.request.Request(f"{isso_url}/id/{comment_id}/activate/{signer.dumps(comment_id)}", method="POST")
        with urllib.request.urlopen(request) as response:
            assert response.status == 200
    return held


def test_isso_in_a_real_browser_loads_only_on_request_and_moderates(site, browser, serve_folder, isso):
    site_origin, isso_url, database, _ = _served_with_isso(site, serve_folder, isso)

    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_origin}/2024/03/letter/")
    page.wait_for_load_state("networkidle")
    assert requests and not [url for url in requests if url.startswith(isso_url)], "no request before consent"

    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.click("button.comments-button")
    page.wait_for_selector("textarea.isso-textarea")
    assert [url for url in requests if url.startswith(isso_url)]
    page.fill("textarea.isso-textarea", "Thank you for linking every source.")
    page.click(".isso-post-action input[type=submit]")
    page.wait_for_selector("#isso-root .isso-comment")
    assert "Comment in queue for moderation" in page.inner_text("#isso-root"), "the author is told it waits"
    assert refused == [], "the page's CSP refused something the thread asked for"
    assert not [url for url in requests if url.startswith(isso_url) and url.endswith(".css")], "Isso's own stylesheet"
    assert _thread_layout(page) == {"avatars": 0, "header": "flex", "textarea_fills_section": True,
                                    "buttons_on_one_line": True, "failed_note_hidden": True}  # fmt: skip
    context.close()

    def visible_comments(path):
        reader = browser.new_context()
        tab = reader.new_page()
        tab.goto(f"{site_origin}/{path}")
        tab.click("button.comments-button")
        tab.wait_for_selector("textarea.isso-textarea")
        tab.wait_for_load_state("networkidle")
        texts = tab.locator("#isso-root .isso-comment .isso-text").all_inner_texts()
        placeholder = tab.get_attribute("textarea.isso-textarea", "placeholder")
        submit = tab.get_attribute(".isso-post-action input[type=submit]", "value")
        reader.close()
        return texts, placeholder, submit

    assert visible_comments("2024/03/letter/")[0] == [], "held for moderation, not shown"
    assert len(_approve_all(isso_url, database)) == 1
    assert visible_comments("2024/03/letter/")[0] == ["Thank you for linking every source."]

    texts, placeholder, submit = visible_comments("ru/2024/03/letter/")
    assert texts == [], "the translation has its own thread"
    assert submit == "Отправить"
    assert placeholder.startswith("Оставить комментарий")


@pytest.mark.parametrize(
    ("thread", "article_url", "hosted", "expected"),
    [
        ("/comments/letter/", "2024/03/letter/", None, ("comments/letter/index.html", "../../2024/03/letter/")),
        ("/comments/ru/letter/", "ru/2024/03/letter/", None,
         ("comments/ru/letter/index.html", "../../../ru/2024/03/letter/")),
        # A language with a host of its own: its folder is that host's root.
        ("/comments/ru/letter/", "ru/2024/03/letter/", "ru",
         ("ru/comments/ru/letter/index.html", "../../../2024/03/letter/")),
    ],
)
def test_a_thread_id_is_a_page_that_leads_to_its_post(thread, article_url, hosted, expected):
    from comments import redirect_page  # noqa: PLC0415

    path, page = redirect_page(thread, article_url, hosted)
    assert (path, page.split('url=')[1].split('"')[0]) == expected
    assert '<meta name="robots" content="noindex">' in page


def test_the_moderators_link_opens_the_post(site, browser, serve_folder, isso, tmp_path):
    site_origin, *_ = _served_with_isso(site, serve_folder, isso)
    page = browser.new_page()
    for path in ("2024/03/letter/", "ru/2024/03/letter/"):
        page.goto(f"{site_origin}/{path}")
        page.click("button.comments-button")
        page.wait_for_selector("textarea.isso-textarea")
        page.fill("textarea.isso-textarea", "A comment for the moderator.")
        page.click(".isso-post-action input[type=submit]")
        page.wait_for_selector("#isso-root .isso-comment")
    log = (tmp_path / "isso.log").read_text(encoding="utf-8")
    links = [line.split("Link to comment: ", 1)[1].strip() for line in log.splitlines() if "Link to comment: " in line]
    assert [link.split("#")[0] for link in links] == [f"{site_origin}/comments/letter/", f"{site_origin}/comments/ru/letter/"]
    for link, title in zip(links, ("Kazakhstan: A test post", "Казахстан: письмо"), strict=True):
        page.goto(link)
        page.wait_for_url("**/2024/03/letter/")
        assert page.locator("h1").inner_text() == title
    page.close()


@pytest.mark.parametrize(("lang", "asked", "submit"), [("ru", "ru", None), ("en", "en", None), ("ar", "en", "إرسال"),
                                                    ("kk", "en", "Жіберу"), ("kk-Cyrl", "en", "Жіберу")])  # fmt: skip
def test_isso_is_asked_for_its_own_catalogue_or_given_ours(lang, asked, submit):
    from comments.providers import isso_language  # noqa: PLC0415

    attributes = isso_language(lang)
    assert attributes["data-isso-lang"] == asked
    assert attributes.get("data-isso-postbox-submit-text-en") == submit


def test_isso_speaks_the_languages_its_own_script_lacks(site, browser, serve_folder, isso):
    site.post("ar/letter.md", Slug="letter", Lang="ar", Translator="ليلى حداد", Title="كازاخستان: رسالة")
    site.post("kk/letter.md", Slug="letter", Lang="kk", Translator="Айгерім", Title="Қазақстан: хат")
    site_origin, *_ = _served_with_isso(site, serve_folder, isso)
    page = browser.new_page(locale="ru-RU")  # a reader whose browser prefers a language Isso has
    for lang, submit, placeholder in (("ar", "إرسال", "اكتب تعليقك"), ("kk", "Жіберу", "Пікіріңізді")):
        page.goto(f"{site_origin}/{lang}/2024/03/letter/")
        page.click("button.comments-button")
        page.wait_for_selector("textarea.isso-textarea")
        assert page.get_attribute(".isso-post-action input[type=submit]", "value") == submit
        assert page.get_attribute("textarea.isso-textarea", "placeholder").startswith(placeholder)
    page.close()


def _thread_layout(page):
    """What the thread looks like, measured: the site's styles, not Isso's own or none at all."""
    return page.evaluate("""() => {
        const section = document.querySelector("section.comments").getBoundingClientRect();
        const area = document.querySelector("textarea.isso-textarea").getBoundingClientRect();
        const buttons = [...document.querySelectorAll(".isso-post-action input")]
            .filter(b => b.offsetParent !== null).map(b => b.getBoundingClientRect().top);
        return {
            avatars: document.querySelectorAll(".isso-avatar").length,
            header: getComputedStyle(document.querySelector(".isso-comment-header")).display,
            textarea_fills_section: Math.abs(area.width - section.width) < 2,
            buttons_on_one_line: buttons.length === 2 && buttons[0] === buttons[1],
            failed_note_hidden: document.querySelector(".comments-failed").hidden,
        };
    }""")


@pytest.mark.parametrize("path", ["2024/03/letter/", "ru/2024/03/letter/"])
def test_an_open_thread_passes_axe(site, browser, serve_folder, isso, path):
    from test_readers import AXE, _axe  # noqa: PLC0415

    require_npm_file(AXE.relative_to(REPO / "node_modules"))
    site_origin, *_ = _served_with_isso(site, serve_folder, isso)

    def open_thread_and_comment(page):
        page.click("button.comments-button")
        page.wait_for_selector("textarea.isso-textarea")
        page.fill("textarea.isso-textarea", "A comment waiting for the moderator.")
        page.click(".isso-post-action input[type=submit]")
        page.wait_for_selector("#isso-root .isso-comment")

    assert _axe(browser, f"{site_origin}/{path}", open_thread_and_comment) == []


def test_a_comment_host_that_does_not_answer_is_named_to_the_reader(site, browser, serve_folder):
    site_port, dead_port = free_port(), free_port()
    _letter_site(site)
    build = site.build(COMMENTS={"provider": "isso", "url": f"http://127.0.0.1:{dead_port}/"})
    assert build.returncode == 0, build.log
    serve_folder(build.output, port=site_port)
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{site_port}/ru/2024/03/letter/")
    page.click("button.comments-button")
    page.wait_for_selector(".comments-failed", state="visible", timeout=15000)
    assert page.inner_text(".comments-failed").startswith("Не удалось загрузить комментарии")
    assert page.is_visible("button.comments-button"), "the reader can try again"
    assert page.is_visible("a.comments-link")
    page.close()


def test_a_setting_loads_the_thread_with_the_page(site, browser, serve_folder, isso):
    site_origin, _, _, build = _served_with_isso(site, serve_folder, isso, load="page")
    section, thread = _thread(build.page("2024/03/letter/"))
    assert thread["load"] == "page" and section.find(".//p[@class='comments-privacy']") is None
    page = browser.new_page()
    page.goto(f"{site_origin}/2024/03/letter/")
    page.wait_for_selector("textarea.isso-textarea")
    assert page.is_hidden("button.comments-button")
    page.close()


def _comment(isso_url, thread, forwarded_for=None):
    """Post a comment to Isso as a browser's script does; the HTTP status it answers."""
    headers = {"Content-Type": "application/json", **({"X-Forwarded-For": forwarded_for} if forwarded_for else {})}
    body = json.dumps({"text": "A comment long enough to pass.", "title": thread}).encode()
    request = urllib.request.Request(f"{isso_url}/new?uri=/{thread}/", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _remote_addresses(database):
    with sqlite3.connect(database) as db:
        return [row[0] for row in db.execute("SELECT remote_addr FROM comments ORDER BY id")]


def test_a_spoofed_forwarded_for_does_not_reset_issos_rate_limit(isso):
    isso_url, database = isso("http://127.0.0.1:1")
    assert [_comment(isso_url, f"t{n}") for n in range(2)] == [202, 202], "two a minute, held for moderation"
    assert _comment(isso_url, "t2") == 403, "the third is over the limit"
    spoofed = [_comment(isso_url, f"s{n}", forwarded_for=f"10.0.{n}.1") for n in range(5)]
    assert spoofed == [403] * 5, "a header anyone can send is not a new commenter"
    assert _remote_addresses(database) == ["127.0.0.0", "127.0.0.0"]


def test_behind_a_configured_proxy_the_client_is_the_last_address_it_forwarded(isso):
    isso_url, database = isso("http://127.0.0.1:1", trusted_proxies=["127.0.0.1"])
    assert [_comment(isso_url, f"t{n}", forwarded_for="10.0.7.1") for n in range(2)] == [202, 202]
    # The reader writes a header of their own; the proxy appends the address it saw.
    assert _comment(isso_url, "t2", forwarded_for="10.0.9.1, 10.0.7.1") == 403, "still the same reader"
    assert _comment(isso_url, "t3", forwarded_for="10.0.8.1") == 202, "another reader behind the proxy"
    assert _remote_addresses(database) == ["10.0.7.0", "10.0.7.0", "10.0.8.0"]


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "proxies", "client"),
    [
        ("203.0.113.5", None, [], "203.0.113.5"),
        ("203.0.113.5", "10.0.0.1", [], "203.0.113.5"),
        ("203.0.113.5", "10.0.0.1", ["127.0.0.1"], "203.0.113.5"),
        ("127.0.0.1", "10.0.0.1", ["127.0.0.1"], "10.0.0.1"),
        ("127.0.0.1", "6.6.6.6, 10.0.0.1", ["127.0.0.1"], "10.0.0.1"),
        ("127.0.0.1", "10.0.0.1, 192.0.2.9", ["127.0.0.1", "192.0.2.9"], "10.0.0.1"),
        ("::1", "2001:db8::7", ["0:0::1"], "2001:db8::7"),
        ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", "10.0.0.1, not-an-address", ["127.0.0.1"], "127.0.0.1"),
    ],
)
def test_the_client_address_believes_only_configured_proxies(peer, forwarded_for, proxies, client):
    from comments.isso_app import client_address, trusted_addresses

    assert client_address(peer, forwarded_for, trusted_addresses(proxies)) == client


def test_a_proxy_that_is_not_an_address_is_refused():
    from comments.isso_app import trusted_addresses

    with pytest.raises(ValueError, match="proxy.example.net is not an IP address"):
        trusted_addresses(["127.0.0.1", "proxy.example.net"])


def test_the_config_with_the_admin_password_is_readable_by_its_owner_only(tmp_path):
    target = tmp_path / "isso" / "isso.cfg"
    target.parent.mkdir()
    target.write_text("an older config")
    target.chmod(0o644)
    write_config(REPO / "plugins/comments/isso.cfg", target, dbpath=tmp_path / "db" / "comments.db",
                 site_origins=["http://127.0.0.1:8000"], port=8080, password="s3cret")  # fmt: skip
    assert target.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "db").stat().st_mode & 0o777 == 0o700
    assert "password = s3cret" in target.read_text()


def _answers(url):
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _children(pid):
    """The processes whose parent is `pid`, from /proc: (pid, state)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append((int(stat.parent.name), fields[0]))
    return found


def _running(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_to_invoke_comments_stops_isso_too(project, tmp_path):
    port, log, isso_pid = free_port(), tmp_path / "comments.log", None
    with open(log, "w") as out:  # a file, not a pipe: a stray Isso would hold a pipe open
        runner = subprocess.Popen([sys.executable, "-m", "invoke", "comments", "--port", str(port)], cwd=project,
                                  env={**os.environ, "ISSO_ADMIN_PASSWORD": "s3cret"}, stdout=out,
                                  stderr=subprocess.STDOUT)  # fmt: skip
    try:
        _wait_for(lambda: "readable by you only" in log.read_text() or runner.poll() is not None)
        assert runner.poll() is None and _answers(f"http://127.0.0.1:{port}/config"), log.read_text()
        ((isso_pid, _),) = _children(runner.pid)
        config = project / "var/isso/isso.cfg"
        assert config.stat().st_mode & 0o777 == 0o600 and "password = s3cret" in config.read_text()
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=30)
        assert "var/isso/isso.cfg (readable by you only)" in log.read_text()
        assert not _running(isso_pid), "Isso stopped with invoke"
        assert not _answers(f"http://127.0.0.1:{port}/config"), "nothing listens on Isso's port"
    finally:
        runner.kill()
        if isso_pid and _running(isso_pid):
            os.kill(isso_pid, signal.SIGKILL)


def test_invoke_comments_refuses_a_proxy_that_is_not_an_address(project):
    result = invoke(project, "comments", "--trusted-proxy", "proxy.example.net", env={"ISSO_ADMIN_PASSWORD": "x"})
    assert result.returncode == 1
    assert "comments: --trusted-proxy: [server] trusted-proxies: proxy.example.net is not an IP address" in result.stderr
