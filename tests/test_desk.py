"""The authors' desk: Decap CMS at /admin/ with decap-server, writing posts in our format into content/."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from lxml import html

from conftest import REPO, copy_project, free_port, require_npm_file, require_system_tool, stop_process, wait_for_line
from plugins.desk.config import cldr_countries, country_labels, country_options, decap_config
from plugins.desk.writing import DEFAULTS, bundle_files
from sitebuild.desk import backend_command, backend_environment, check_post
from sitebuild.desk_check import safe_relative


def _settings(**extra):
    return {"PATH": "/site/content", "ARTICLE_PATHS": ["posts", "imported"], "PARTNERS": {"neweurasia": {}}, **extra}


def test_decap_server_listens_on_loopback_only_in_the_project_and_answers_the_preview_alone():
    environment = backend_environment("/site", 8123, "http://127.0.0.1:8000")
    assert environment["BIND_HOST"] == "127.0.0.1" and environment["PORT"] == "8123"
    assert environment["GIT_REPO_DIRECTORY"] == "/site" and environment["ORIGIN"] == "http://127.0.0.1:8000"
    assert environment["MODE"] == "fs"


def test_a_missing_decap_server_says_what_to_install(tmp_path):
    with pytest.raises(ValueError, match=r"npm ci --ignore-scripts"):
        backend_command(tmp_path)


def test_the_desk_writes_our_layout_with_the_fields_of_a_post():
    config = decap_config(_settings(), DEFAULTS, cldr_countries())
    posts = config["collections"][0]
    assert (posts["folder"], posts["format"], posts["extension"]) == ("content/posts", "pelican", "md")
    fields = {field["name"]: field for field in posts["fields"]}
    assert list(fields) == ["title", "date", "category", "tags", "author", "summary", "image", "image-caption",
                            "image-credit", "mirror", "comments", "status", "body"]  # fmt: skip
    # Raw Markdown: the rich-text editor would escape markers ([ru] -> \[ru]).
    assert fields["body"]["modes"] == ["raw"] and "[ru]" in fields["body"]["hint"]
    # Topics stay one string: Decap's list widget drops typed commas.
    assert fields["tags"]["widget"] == "string"
    assert fields["comments"]["options"] == ["open", "closed", "off"]
    assert fields["status"]["options"] == ["draft", "published"] and fields["status"]["default"] == "draft"
    assert fields["mirror"]["options"] == ["neweurasia"] and fields["mirror"]["required"] is False
    assert fields["title"].get("required", True) and fields["category"].get("required", True)
    assert config["media_folder"] == "content/images"


def test_translations_are_written_where_invoke_translate_puts_them_with_their_keys():
    config = decap_config(_settings(LANGUAGES={"en": {}, "ru": {}, "ar": {}}, DEFAULT_LANG="en"), DEFAULTS, cldr_countries())
    ru, ar = config["collections"][1:]
    assert (ru["name"], ru["folder"], ar["folder"]) == ("posts_ru", "content/posts/ru", "content/posts/ar")
    assert ru["label"] == "Translations: русский" and ar["label"] == "Translations: العربية"
    # The file is named by the original's slug, as `invoke translate` names it.
    assert ru["slug"] == "{{fields.translation-of}}" and ru["format"] == "pelican"
    fields = {field["name"]: field for field in ru["fields"]}
    assert fields["lang"] == {"name": "lang", "label": "Language", "widget": "hidden", "default": "ru"}
    assert fields["translation-of"]["collection"] == "posts" and fields["translation-of"]["value_field"] == "{{slug}}"
    assert {"translator", "title", "body", "category", "status"} <= set(fields)


@pytest.mark.parametrize(("english", "lang", "label"),
                         [("Kazakhstan", "ru", "Казахстан"), ("Türkiye", "en", "Türkiye"), ("Kyrgyzstan", "ar", "قيرغيزستان"),
                          ("Myanmar (Burma)", "kk", "Мьянма (Бирма)")])  # fmt: skip
def test_countries_are_cldr_names_valued_in_english_and_labelled_in_the_desks_language(english, lang, label):
    countries = cldr_countries()
    assert {"label": english, "value": english} in country_options(countries)
    assert country_labels(countries, ["en", "ru", "kk", "ar"])[lang][english] == label


def _write_settings(folder, **settings):
    lines = ["import sys", f"sys.path.insert(0, {str(REPO)!r})", "from publishconf import *" if settings.pop("publish", False)
             else "from pelicanconf import *", f"THEME = {str(REPO / 'theme')!r}", f"PLUGIN_PATHS = [{str(REPO / 'plugins')!r}]",
             *(f"{key} = {value!r}" for key, value in settings.items())]  # fmt: skip
    path = folder / "siteconf.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_local_build_has_the_desk_and_decaps_files_from_node_modules(site):
    bundle = require_npm_file("decap-cms/dist/decap-cms.js")
    site.post("kazakhstan-post.md")
    build = site.build(DESK={"enabled": True, "path": "admin"})
    assert build.returncode == 0, build.log
    admin = build.output / "admin"
    assert (admin / "decap-cms.js").read_bytes() == bundle.read_bytes()
    assert {p.name for p in bundle_files(REPO / "node_modules")} <= {p.name for p in admin.iterdir()}
    config = json.loads((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["collections"][0]["format"] == "pelican"
    page = html.parse(str(admin / "index.html")).getroot()
    scripts = [s.get("src") for s in page.iter("script")]
    assert scripts == ["pelican-format.js", "locale-ar.js", "desk.js"], "no CDN: every script is the site's own"
    assert json.loads((admin / "countries.json").read_text(encoding="utf-8"))["ru"]["Kazakhstan"] == "Казахстан"


def test_a_published_build_has_no_desk_unless_configured_with_a_git_hosts_backend(site):
    site.post("kazakhstan-post.md")
    build = site.build(_write_settings(site.root, publish=True, PATH="content"))
    assert build.returncode == 0, build.log
    assert not (build.output / "admin").exists()
    # The local backend answers only on this machine: a build with a public address leaves it out.
    local = site.build(_write_settings(site.root, publish=True, PATH="content", DESK={"enabled": True}))
    assert local.returncode == 0, local.log
    assert not (local.output / "admin").exists()
    github = {"name": "github", "repo": "org/tilmash", "branch": "main"}
    require_npm_file("decap-cms/dist/decap-cms.js")
    published = site.build(_write_settings(site.root, publish=True, PATH="content", DESK={"enabled": True, "backend": github}))
    assert published.returncode == 0, published.log
    assert json.loads((published.output / "admin/config.yml").read_text(encoding="utf-8"))["backend"] == github


def test_an_unknown_desk_setting_is_refused(site):
    site.post("kazakhstan-post.md")
    build = site.build(DESK={"enabled": True, "backnd": {}})
    assert build.returncode == 1 and "desk: unknown key(s) ['backnd']" in build.log


@pytest.mark.parametrize("path", ["../pelicanconf.py", "/etc/passwd.md", "posts/../../x.md", "posts/notes.txt", ""])
def test_the_check_refuses_a_path_outside_content_or_not_markdown(path):
    with pytest.raises(ValueError, match="not a Markdown file inside content/"):
        safe_relative(path)


def test_the_check_is_the_builds_problems_with_lines_and_the_sites_rendering(tmp_path):
    settings = _write_settings(tmp_path, PATH="content")
    post = "Title: Kazakhstan: T\nDate: 2024-03-05 09:30\nCategory: {}\nAuthor: A\n\nSee [a letter](https://example.kz/l) [ru].\n"
    bad = check_post(settings, "content", "content/posts/t.md", post.format("Kazakstan"))
    assert bad["problems"] == [{"line": 3, "message": 'Category "Kazakstan" is not a country (categories are countries)',
                                "fix": 'did you mean "Kazakhstan"?'}]  # fmt: skip
    good = check_post(settings, "content", "content/posts/t.md", post.format("Kazakhstan"))
    assert good["problems"] == []
    link = html.fragment_fromstring(good["html"]).find(".//a[@href='https://example.kz/l']")
    assert link.get("hreflang") == "ru"


def test_a_translation_is_checked_with_its_original(tmp_path):
    settings = _write_settings(tmp_path, PATH=str(REPO / "content"))
    translation = ("Title: Таджикистан: зима\nLang: ru\nTranslation-of: tajikistan-winter-without-light\nTranslator: И. Ким\n"
                   "Date: 2024-01-22 08:15\nCategory: Tajikistan\nAuthor: F. R.\n\nТекст [канал](https://example.tj/c) [tg].\n")  # fmt: skip
    result = check_post(settings, REPO / "content", "content/posts/ru/tajikistan-winter-without-light.md", translation)
    assert result["problems"] == [] and 'hreflang="tg"' in result["html"]
    orphan = translation.replace("tajikistan-winter-without-light", "no-such-post")
    result = check_post(settings, REPO / "content", "content/posts/ru/no-such-post.md", orphan)
    assert [p["line"] for p in result["problems"]] == [3], result


# --- the desk in Chromium, as an author uses it ------------------------------------------------


def _listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def desk(tmp_path):
    """`invoke desk` in a copy of the project: (project folder, desk address, backend port)."""
    require_system_tool("node", "apt-get install nodejs npm")
    require_npm_file("decap-server/dist/index.js")
    require_npm_file("decap-cms/dist/decap-cms.js")
    project = copy_project(tmp_path / "project")
    (project / "node_modules").symlink_to(REPO / "node_modules")
    port, backend_port = free_port(), free_port()
    process = subprocess.Popen([sys.executable, "-m", "invoke", "desk", "--port", str(port), "--backend-port", str(backend_port)],
                               cwd=project, env={**os.environ, "COLUMNS": "1000"}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        _, seen = wait_for_line(process, "Serving at", timeout=180)
        log = "".join(seen)
        assert f"the desk is at http://127.0.0.1:{port}/admin/" in log, log
        assert _listening(backend_port), "decap-server listens"
        # Keep reading what it says, so that a full pipe never stalls it.
        lines = [log]
        threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
        yield project, f"http://127.0.0.1:{port}/admin/", lines
    finally:
        # SIGTERM, as a service manager stops it: decap-server stops with it.
        stop_process(process, signal.SIGTERM)
    assert not _listening(backend_port), "decap-server was left running"


def _loopback_only(page):
    blocked = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            return request_route.continue_()
        blocked.append(url)
        return request_route.abort()

    page.route("**/*", route)
    return blocked


def _choose(page, field_id, text):
    """Pick an option of one of Decap's select widgets (react-select) by typing it."""
    page.locator(f"#{field_id}").fill(text)
    page.keyboard.press("Enter")


def _field_id(page, label):
    name = re.compile(rf"^{re.escape(label)}( \(optional\))?$", re.IGNORECASE)
    return page.locator("label").filter(has_text=name).first.get_attribute("for")


def _write(page, fields, text):
    """Fill the form's fields {label: value} (a select's by typing "select:" before the value) and type the text."""
    for label, value in fields.items():
        if value.startswith("select:"):
            _choose(page, _field_id(page, label), value.removeprefix("select:"))
        else:
            page.locator(f"#{_field_id(page, label)}").fill(value)
    page.locator("[contenteditable='true']").click()
    page.keyboard.type(text)


def _wait_for_file(path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").endswith("\n"):
            return path.read_text(encoding="utf-8")
        time.sleep(0.2)
    raise AssertionError(f"{path} was not written")


def test_an_author_writes_a_post_with_a_marker_and_a_country_and_it_builds(desk, browser):
    from playwright.sync_api import expect  # noqa: PLC0415

    project, address, log = desk
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    blocked = _loopback_only(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(address)
    page.get_by_role("button", name="Login").click(timeout=60_000)
    assert page.locator("script[src='/_live/reload.js']").count() == 0, "the desk never reloads itself"
    # The demo's posts, read in our format: titles with colons.
    expect(page.get_by_text("Kazakhstan: State-ordered blogging")).to_be_visible(timeout=60_000)
    page.get_by_text("＋ Post").click()
    _write(page, {"Title": "Kazakhstan: Bloggers read the new media law", "Date": "2024-05-02T10:00",
                  "Country": "select:Kazakhstan", "Topics": "Media, Law", "Author": "Aigerim Sadykova",
                  "Summary": "Bloggers read the law: who must register?", "Status": "select:published"},
           "Bloggers quote [the draft law](https://example.kz/law) [ru] line by line.")  # fmt: skip
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    # Once saved, Decap opens the entry at its file's name.
    expect(page).to_have_url(re.compile(r"entries/kazakhstan-bloggers-read-the-new-media-law$"), timeout=60_000)
    post = project / "content/posts/kazakhstan-bloggers-read-the-new-media-law.md"
    text = _wait_for_file(post)
    assert text == (
        "Title: Kazakhstan: Bloggers read the new media law\nDate: 2024-05-02 10:00\nCategory: Kazakhstan\n"
        "Tags: Media, Law\nAuthor: Aigerim Sadykova\nSummary: Bloggers read the law: who must register?\n"
        "Status: published\n\nBloggers quote [the draft law](https://example.kz/law) [ru] line by line.\n"
    ), text
    # The live preview builds it strictly; the page has the marker's hreflang.
    built = project / "output/2024/05/kazakhstan-bloggers-read-the-new-media-law/index.html"
    deadline = time.monotonic() + 120
    while not built.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert built.exists(), "the saved post was not built"
    link = html.parse(str(built)).getroot().find(".//a[@href='https://example.kz/law']")
    assert link is not None and link.get("hreflang") == "ru"
    # The preview pane shows the site's rendering: the marker is a link with its hreflang.
    preview = page.frame_locator("iframe").first
    expect(preview.locator(".post-body a[hreflang='ru']")).to_have_count(1, timeout=60_000)

    # A post written by hand with a misspelt country: saved from the desk as a draft, its problem shown with its line.
    typo = project / "content/posts/kazakstan-typo.md"
    typo.write_text("Title: Kazakstan: A typo\nDate: 2024-05-03 09:00\nCategory: Kazakstan\nAuthor: A. Author\n"
                    "Status: published\n\nText.\n", encoding="utf-8")  # fmt: skip
    page.goto(address + "#/collections/posts/entries/kazakstan-typo")
    page.reload()
    expect(page.locator(f"#{_field_id(page, 'Title')}")).to_have_value("Kazakstan: A typo", timeout=60_000)
    page.locator(f"#{_field_id(page, 'Summary')}").fill("What the typo says.")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    problems = page.locator(".desk-problems")
    expect(problems).to_contain_text("line 3: Category \"Kazakstan\" is not a country", timeout=60_000)
    expect(problems).to_contain_text('did you mean "Kazakhstan"?')
    deadline = time.monotonic() + 60
    while "Summary: What the typo says." not in typo.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert typo.read_text(encoding="utf-8") == (
        "Title: Kazakstan: A typo\nDate: 2024-05-03 09:00\nCategory: Kazakstan\nAuthor: A. Author\n"
        "Status: draft\nSummary: What the typo says.\n\nText.\n"
    ), "saved, as a draft, with nothing else changed"
    assert blocked == [] and errors == [], (blocked, errors)
    context.close()


@pytest.mark.parametrize(("lang", "direction", "login", "contents", "country"),
                         [("ru", "ltr", "Войти", "Записи", "Казахстан"), ("ar", "rtl", "تسجيل الدخول", "المحتوى", "كازاخستان")])  # fmt: skip
def test_the_desk_speaks_russian_and_arabic_right_to_left(desk, browser, lang, direction, login, contents, country):
    from playwright.sync_api import expect  # noqa: PLC0415

    _, address, _ = desk
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = _loopback_only(page)
    page.goto(f"{address}?lang={lang}")
    page.get_by_role("button", name=login).click(timeout=60_000)
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.get_by_text(contents).first).to_be_visible(timeout=60_000)
    # Country names in the desk's language; the file keeps CLDR's English name.
    page.locator("a[href*='/collections/posts/entries/kazakhstan-state-ordered-blogging']").click()
    expect(page.get_by_text(country, exact=True)).to_be_visible(timeout=60_000)
    expect(page.locator("label", has_text={"ru": "Страна", "ar": "البلد"}[lang])).to_be_visible()
    assert blocked == []
    context.close()


def test_a_translator_writes_a_russian_translation_where_invoke_translate_would(desk, browser):
    from playwright.sync_api import expect  # noqa: PLC0415

    project, address, _ = desk
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    blocked = _loopback_only(page)
    page.goto(address)
    page.get_by_role("button", name="Login").click(timeout=60_000)
    page.get_by_text("Translations: русский").click(timeout=60_000)
    page.get_by_text("＋ Translation (ru)").click()
    page.locator(f"#{_field_id(page, 'Title')}").fill("Таджикистан: зима без света в пригородах Душанбе")
    page.locator(f"#{_field_id(page, 'Translation of')}").fill("Winter without light")
    page.get_by_text("Tajikistan: Winter without light in the suburbs of Dushanbe", exact=True).click(timeout=30_000)
    _write(page, {"Translator": "Ирина Ким", "Date": "2024-01-22T08:15", "Country": "select:Tajikistan",
                  "Author": "Firuza Rahimova", "Status": "select:published"},
           "Жители делятся графиками отключений [в канале](https://example.tj/ch) [tg].")  # fmt: skip
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    expect(page).to_have_url(re.compile(r"posts_ru/entries/tajikistan-winter-without-light$"), timeout=60_000)
    translation = project / "content/posts/ru/tajikistan-winter-without-light.md"
    assert _wait_for_file(translation) == (
        "Title: Таджикистан: зима без света в пригородах Душанбе\nLang: ru\nTranslation-of: tajikistan-winter-without-light\n"
        "Translator: Ирина Ким\nDate: 2024-01-22 08:15\nCategory: Tajikistan\nAuthor: Firuza Rahimova\nStatus: published\n"
        "Slug: tajikistan-winter-without-light\n\n"
        "Жители делятся графиками отключений [в канале](https://example.tj/ch) [tg].\n"
    )
    built = project / "output/ru/2024/01/tajikistan-winter-without-light/index.html"
    deadline = time.monotonic() + 120
    while not built.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert built.exists(), "the translation was not built"
    assert "Ирина Ким" in html.parse(str(built)).getroot().text_content()
    assert blocked == []
    context.close()
