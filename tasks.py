"""Tasks for editors and publishers: `invoke --list` names them all."""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from sitebuild import build_atomically  # noqa: E402
from sitebuild import drafts as draft_rules  # noqa: E402
from sitebuild.swapping import swap  # noqa: E402

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "content_path": "content",
    "posts_path": "content/posts",
    "cache_path": ".pelican-cache",
    # `serve`, `reserve` and `livereload` listen here, never on a public address.
    "host": "127.0.0.1",
    "port": 8000,
    # Where `publish` sends the site: user@host:/path/, kept out of the repo.
    "publish_target": os.environ.get("TILMASH_PUBLISH_TARGET", ""),
    "ssh_port": os.environ.get("TILMASH_PUBLISH_SSH_PORT", "22"),
    # Refuse a site with fewer than this share of the pages last published to the target
    # (recorded at the target: see sitebuild/publishing.py).
    "publish_min_ratio": 0.5,
}


def _build(settings_file):
    result = build_atomically(settings_file, CONFIG["deploy_path"])
    if result.returncode != 0:
        raise Exit(
            f"build failed (see the problems above); {CONFIG['deploy_path']}/ was left as it was",
            code=result.returncode,
        )


def _arguments(name, **required):
    """Check a task's required arguments, and answer `invoke NAME --help`.

    Invoke hands a `--help` written after a task to the task's first positional argument,
    so the task itself shows its help; a required argument left out is named with its flag.
    """
    if any(value in ("--help", "-h") for value in required.values()):
        subprocess.run([sys.executable, "-m", "invoke", "--help", name], cwd=ROOT, check=False)
        raise Exit(code=0)
    missing = [f"--{key.replace('_', '-')}" for key, value in required.items() if value in (None, "")]
    if missing:
        raise Exit(f"{name}: {' and '.join(missing)} required; `invoke {name} --help` says what each is", code=1)


@task
def clean(c):
    """Remove the built site, leftovers of interrupted builds, and the cache."""
    deploy = Path(CONFIG["deploy_path"]).resolve()
    for path in [deploy, Path(CONFIG["cache_path"]), *deploy.parent.glob(f"{deploy.name}.tmp-*"),
                 *deploy.parent.glob(f".{deploy.name}.old-*"), *deploy.parent.glob(f".{deploy.name}.publish-*")]:  # fmt: skip
        shutil.rmtree(path, ignore_errors=True)


@task
def build(c):
    """Build the site for local viewing into output/."""
    _build(CONFIG["settings_base"])


@task
def rebuild(c):
    """Build from scratch, ignoring any cache."""
    shutil.rmtree(CONFIG["cache_path"], ignore_errors=True)
    _build(CONFIG["settings_base"])


def _server(directory, port, handler=None):
    from sitebuild.serving import SiteRequestHandler, site_server  # noqa: PLC0415

    if not Path(directory).is_dir():
        raise Exit(f"serve: {directory}/ does not exist; run `invoke build` first", code=1)
    try:
        return site_server(directory, CONFIG["host"], port, handler or SiteRequestHandler)
    except OSError as error:
        raise Exit(
            f"serve: cannot listen on {CONFIG['host']}:{port} ({error.strerror}); "
            "stop the other server or pass --port",
            code=1,
        ) from None


@task
def serve(c, port=CONFIG["port"]):
    """Serve output/ at http://127.0.0.1:8000/ until Ctrl-C."""
    server = _server(CONFIG["deploy_path"], port)
    print(f"Serving {CONFIG['deploy_path']}/ at http://{CONFIG['host']}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def reserve(c, port=CONFIG["port"]):
    """`build`, then `serve`."""
    build(c)
    serve(c, port)


@task
def preview(c):
    """Build the site with the publishing settings into output/."""
    _build(CONFIG["settings_publish"])


@task
def livereload(c, port=CONFIG["port"]):
    """Serve the site, bring it up to date whenever content, theme, plugins or settings change, and reload the open page."""
    from sitebuild.reload import preview_handler  # noqa: PLC0415

    _live_preview(port, preview_handler())


def _live_preview(port, handler, serving="updating on every save"):
    # The resident build (sitebuild/live.py) keeps the site in memory: an edit to a post's text
    # is written in about a second; other changes rebuild everything. It runs in a process of
    # its own, free of this one's server thread, since it forks workers.
    live = subprocess.Popen([sys.executable, "-u", "-m", "sitebuild.live", CONFIG["settings_base"], CONFIG["deploy_path"]],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    server = None
    try:
        for line in live.stdout:
            print(line, end="", flush=True)
            if server is None and line.startswith("live: "):
                server = _server(CONFIG["deploy_path"], port, handler)
                threading.Thread(target=server.serve_forever, daemon=True).start()
                print(f"Serving at http://{CONFIG['host']}:{port}/; {serving} (Ctrl-C stops)", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        live.terminate()
        live.wait()
        if server:
            server.server_close()


@task(help={"port": "the port of the preview and the desk (default 8000)",
            "backend_port": "the port of decap-server, the desk's backend (default: a free one)"})  # fmt: skip
def desk(c, port=CONFIG["port"], backend_port=0):
    """The authors' desk at http://127.0.0.1:8000/admin/: write and translate posts in the browser, saved into content/."""
    from sitebuild.desk import desk_handler, free_port, running_backend  # noqa: PLC0415

    backend_port = int(backend_port) or free_port()
    desk_path = "/" + _site_settings().get("DESK", {}).get("path", "admin").strip("/") + "/"
    try:
        with running_backend(ROOT, ROOT / "node_modules", backend_port, f"http://{CONFIG['host']}:{port}") as backend:
            handler = desk_handler(backend, desk_path, ROOT / CONFIG["settings_base"], CONFIG["content_path"])
            _live_preview(port, handler, f"the desk is at http://{CONFIG['host']}:{port}{desk_path}")
    except (ValueError, RuntimeError) as error:
        raise Exit(f"desk: {error}", code=1) from None


@task(
    help={
        "force": "publish even if the site has far fewer pages than the one last published to the target",
        "dry_run": "only show what would be sent and deleted; output/ and the targets stay as they are",
        "target": "send to this target of PUBLISH_TARGETS only (default: every target)",
    }
)
def publish(c, force=False, dry_run=False, target=None):
    """Build with publishconf.py for each target (its own address) and send it there: PUBLISH_TARGETS, or TILMASH_PUBLISH_TARGET."""
    from sitebuild import fanout, mirrors  # noqa: PLC0415

    settings = _publish_settings()
    try:
        targets = mirrors.chosen(mirrors.targets_from(settings.get("PUBLISH_TARGETS", {}), CONFIG["publish_target"],
                                                      settings["SITEURL"]), target)  # fmt: skip
    except mirrors.TargetsError as error:
        raise Exit(f"publish: {CONFIG['settings_publish']}:\n{error}", code=1) from None
    if not targets:
        raise Exit("publish: no target configured; set TILMASH_PUBLISH_TARGET=user@host:/path/ (and TILMASH_PUBLISH_SSH_PORT "
                   "if not 22), or add PUBLISH_TARGETS to publishconf.py (README, \"Publishing\")", code=1)  # fmt: skip
    if any(t.kind == "rsync" for t in targets) and shutil.which("rsync") is None:
        raise Exit("publish: rsync is not installed (on Debian: apt-get install rsync)", code=1)
    deploy = Path(CONFIG["deploy_path"]).resolve()
    deploy.parent.mkdir(parents=True, exist_ok=True)
    # Built beside output/, which changes only once the main site is on its server.
    scratch = Path(tempfile.mkdtemp(prefix=f".{deploy.name}.publish-", dir=deploy.parent))
    try:
        outcomes, sites = fanout.publish_all(CONFIG["settings_publish"], targets, ROOT / CONFIG["content_path"], scratch,
                                             CONFIG["publish_min_ratio"], CONFIG["ssh_port"], force, dry_run)  # fmt: skip
        lines = mirrors.summary(outcomes)
        print("publish:\n" + "\n".join(line for line in lines if "NOT current" not in line))
        if sites and not dry_run:
            (name,) = sites
            swap(sites[name], deploy, remove_later=True)
            print(f"publish: {CONFIG['deploy_path']}/ now holds the site as sent to {name}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    failed = [outcome for outcome in outcomes if outcome.error]
    kept = "" if sites and not dry_run else f"\n{CONFIG['deploy_path']}/ was left as it was"
    if len(outcomes) == 1 and failed:
        raise Exit(f"publish: {failed[0].error}{kept}", code=1)
    if failed:
        raise Exit(f"publish: {len(failed)} of {len(outcomes)} target(s) NOT current:\n"
                   + "\n".join(line for line in lines if "NOT current" in line) + kept, code=1)  # fmt: skip


@task(name="mirrors-check")
def mirrors_check(c):
    """Ask every address of PUBLISH_TARGETS for its home page, sitemap and build stamp: which build each serves."""
    from sitebuild import mirror_check, mirrors  # noqa: PLC0415

    settings = _publish_settings()
    try:
        targets = mirrors.targets_from(settings.get("PUBLISH_TARGETS", {}), CONFIG["publish_target"], settings["SITEURL"])
    except mirrors.TargetsError as error:
        raise Exit(f"mirrors-check: {CONFIG['settings_publish']}:\n{error}", code=1) from None
    if not targets:
        raise Exit("mirrors-check: no target configured; add PUBLISH_TARGETS to publishconf.py", code=1)
    answers = [mirror_check.fetch(url) for url in dict.fromkeys(target.url for target in targets)]
    lines, current = mirror_check.states(answers, mirrors.content_digest(ROOT / CONFIG["content_path"]))
    print("mirrors-check:\n" + "\n".join(lines))
    if not current:
        raise Exit("mirrors-check: some addresses do not serve the newest build (see above)", code=1)


def _publish_settings():
    from pelican.settings import read_settings  # noqa: PLC0415

    try:
        return read_settings(str(ROOT / CONFIG["settings_publish"]))
    except Exception as error:
        raise Exit(f"cannot read {CONFIG['settings_publish']}: {error}", code=1) from None


@task(
    positional=[],
    help={
        "title": 'the post\'s title, "Country: What bloggers say"',
        "country": "the country the post is about, by any of its names (\"Kazakhstan\", \"Turkey\")",
        "tags": "comma-separated topics",
        "author": "the author's name",
    }
)
def new(c, title=None, country=None, tags="", author=""):
    """Scaffold a draft post with today's date and every required metadata field."""
    _arguments("new", title=title, country=country)
    from pelican.settings import DEFAULT_CONFIG  # noqa: PLC0415
    from pelican.utils import slugify  # noqa: PLC0415
    from strict.checks import country_code, country_suggestion  # noqa: PLC0415

    if country_code(country) is None:
        raise Exit(f'new: "{country}" is not a country: {country_suggestion(country)}', code=1)
    slug = slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise Exit("new: the title has no letters or digits to make an address from", code=1)
    path = Path(CONFIG["posts_path"]) / f"{slug}.md"
    if path.exists():
        raise Exit(f"new: {path} already exists; choose another title or edit that file", code=1)
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {title}\n"
        f"Date: {now}\n"
        f"Category: {country}\n"
        f"Tags: {tags}\n"
        f"Author: {author or 'Your Name'}\n"
        f"Slug: {slug}\n"
        "Summary: One sentence that says what bloggers are saying.\n"
        "Status: draft\n"
        "\n"
        "Lead paragraph: who said what, and why it matters. Link every source, and mark\n"
        "a source in another language after its link: [a post](https://example.org/post) [ru].\n"
        "\n"
        "> Quote the blogger here.\n",
        encoding="utf-8",
    )
    print(f"Created {path} as a draft; set Status: published when it is ready.")


_RELATIVE_FOLDER_LINK = re.compile(r'(?P<attr>href|src)="(?P<path>(?![a-z][a-z0-9+.-]*:|/|#)[^"#?]*?/?)(?P<rest>[#?][^"]*)?"')


def disk_links(page):
    """Links to folders ("../ru/", "./") made to name their index.html, which a browser reading
    files from disk will not find by itself; every other link is left as it is."""

    def to_index(match):
        path = match["path"]
        if path in (".", "..") or path.endswith("/"):
            path = path.rstrip("/") + "/index.html"
        return f'{match["attr"]}="{path}{match["rest"] or ""}"'

    return _RELATIVE_FOLDER_LINK.sub(to_index, page)


@task(help={"folder": "where to write the archive (default: snapshots/)"})
def snapshot(c, folder="snapshots"):
    """Write a dated archive of the whole site that works from any host, subpath or disk."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        # A snapshot is handed out: like a published site, it holds no drafts.
        # It lists the addresses the site is published at, in its footer, on mirrors/ and in MIRRORS.txt.
        published = _publish_settings()
        addresses = {"PUBLISH_TARGETS": published.get("PUBLISH_TARGETS", {}), "CANONICAL_SITEURL": published["SITEURL"],
                     "DESK": {**published.get("DESK", {}), "enabled": False}}  # nor the authors' desk  # fmt: skip
        extra = (*draft_rules.no_draft_pages_args(), *(f"{key}={json.dumps(value)}" for key, value in addresses.items()))
        if build_atomically(CONFIG["settings_base"], site, extra_args=extra).returncode != 0:
            raise Exit("snapshot: the build failed; fix the problems above first", code=1)
        from mirror_sites import mirror_addresses  # noqa: PLC0415

        (site / "MIRRORS.txt").write_text("".join(f"{url}/\n" for url in mirror_addresses(addresses)), encoding="utf-8")
        for page in site.rglob("*.html"):
            page.write_text(disk_links(page.read_text(encoding="utf-8")), encoding="utf-8")
        Path(folder).mkdir(parents=True, exist_ok=True)
        name = Path(folder) / f"tilmash-{datetime.date.today().isoformat()}"
        archive = shutil.make_archive(str(name), "zip", root_dir=site)
    print(f"Wrote {os.path.relpath(archive)}: unzip it anywhere and open index.html, or serve it from any host")


@task
def drafts(c):
    """List the drafts: file, title, and the address where `build` and `livereload` preview them."""
    from pelican.settings import read_settings  # noqa: PLC0415

    found = draft_rules.drafts_in(read_settings(str(ROOT / CONFIG["settings_base"])))
    for draft in found:
        address = f"http://{CONFIG['host']}:{CONFIG['port']}/{draft.url}" if draft.url else "(no address: add a Title:)"
        print(f"{draft.path}  {draft.title or '(no title)'}  {address}")
    print(f"{len(found)} draft(s): `invoke build` and `invoke livereload` write them for you to preview (not indexed); "
          "`preview`, `publish`, `mirror` and `snapshot` never do. Set Status: published to publish one.")


@task(name="pygments-css")
def pygments_css(c):
    """Write the Pygments style named by PYGMENTS_STYLE into the theme's CSS."""
    from pelican.settings import get_settings_from_file  # noqa: PLC0415
    from pygments.formatters import HtmlFormatter  # noqa: PLC0415

    style = get_settings_from_file(CONFIG["settings_base"])["PYGMENTS_STYLE"]
    css_path = ROOT / "theme/static/css/main.css"
    css = css_path.read_text(encoding="utf-8")
    head, _, rest = css.partition("/* pygments:start */\n")
    _, _, tail = rest.partition("/* pygments:end */")
    rules = HtmlFormatter(style=style).get_style_defs(".codehilite")
    css_path.write_text(f"{head}/* pygments:start */\n{rules}\n/* pygments:end */{tail}", encoding="utf-8")
    print(f"Wrote the {style} style into {css_path.relative_to(ROOT)}")


TRANSLATIONS_PATH = ROOT / "theme/translations"
TEMPLATE_OPTIONS = {"extensions": "jinja2.ext.i18n,fragment_cache.FragmentCache", "trim_blocks": "true", "lstrip_blocks": "true"}


def _site_settings():
    from pelican.settings import get_settings_from_file  # noqa: PLC0415

    try:
        return get_settings_from_file(str(ROOT / CONFIG["settings_base"]))
    except Exception as error:
        raise Exit(f"cannot read {CONFIG['settings_base']}: {error}", code=1) from None


def _content_metadata():
    """Each Markdown file under content/ with its metadata as a dict of strings."""
    from strict.checks import metadata_values  # noqa: PLC0415

    for path in sorted(Path(CONFIG["content_path"]).rglob("*.md")):
        yield path, metadata_values(path.read_text(encoding="utf-8-sig"))


@task(name="i18n-extract")
def i18n_extract(c):
    """Collect the theme's UI strings and the tagline into messages.pot (topic names are content/topics.toml's)."""
    from babel.messages.catalog import Catalog  # noqa: PLC0415
    from babel.messages.extract import extract_from_dir  # noqa: PLC0415
    from babel.messages.pofile import write_po  # noqa: PLC0415

    catalog = Catalog(project="Tilmash", msgid_bugs_address="editors@tilmash.example.org")
    sources = [
        (ROOT / "theme/templates", [("**.html", "jinja2.ext:babel_extract")], {"**.html": TEMPLATE_OPTIONS}),
        (ROOT / "plugins", [("**.py", "python")], {}),
    ]
    for folder, method_map, options in sources:
        for filename, line, message, comments, context in extract_from_dir(folder, method_map, options):
            location = (os.path.relpath(folder / filename, ROOT), line)
            catalog.add(message, locations=[location], auto_comments=comments, context=context)
    settings = _site_settings()
    if settings.get("SITESUBTITLE"):
        catalog.add(settings["SITESUBTITLE"], locations=[(CONFIG["settings_base"], 0)], auto_comments=["SITESUBTITLE"])
    TRANSLATIONS_PATH.mkdir(parents=True, exist_ok=True)
    with open(TRANSLATIONS_PATH / "messages.pot", "wb") as pot:
        write_po(pot, catalog, width=100, sort_output=True)
    print(f"Wrote {len(catalog)} messages to {(TRANSLATIONS_PATH / 'messages.pot').relative_to(ROOT)}")


def _catalog_path(lang):
    return TRANSLATIONS_PATH / lang / "LC_MESSAGES" / "messages.po"


@task(name="i18n-update", pre=[i18n_extract])
def i18n_update(c):
    """Bring every language's messages.po up to date with messages.pot, creating missing ones."""
    from babel.messages.catalog import Catalog  # noqa: PLC0415
    from babel.messages.pofile import read_po, write_po  # noqa: PLC0415

    with open(TRANSLATIONS_PATH / "messages.pot", "rb") as pot:
        template = read_po(pot)
    for lang in _site_settings().get("LANGUAGES", {}):
        path = _catalog_path(lang)
        if path.exists():
            with open(path, "rb") as po:
                catalog = read_po(po, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="Tilmash")
        catalog.update(template, update_header_comment=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as po:
            write_po(po, catalog, width=100, sort_output=True, ignore_obsolete=True)
        print(f"Updated {path.relative_to(ROOT)}")


@task(name="i18n-compile")
def i18n_compile(c):
    """Check every messages.po and compile it to messages.mo."""
    from babel.messages.mofile import write_mo  # noqa: PLC0415
    from babel.messages.pofile import read_po  # noqa: PLC0415

    failed = False
    for lang in _site_settings().get("LANGUAGES", {}):
        path = _catalog_path(lang)
        if not path.exists():
            print(f"{lang}: no catalog at {path.relative_to(ROOT)}; run `invoke i18n-update`")
            failed = True
            continue
        with open(path, "rb") as po:
            catalog = read_po(po, locale=lang)
        for message, errors in catalog.check():
            for error in errors:
                print(f"{path.relative_to(ROOT)}:{message.lineno}: {error}")
                failed = True
        with open(path.with_suffix(".mo"), "wb") as mo:
            write_mo(mo, catalog)
    if failed:
        raise Exit("i18n-compile: fix the catalogs above", code=1)


@task(name="i18n-status", help={"strict": "exit non-zero when any entry is untranslated or fuzzy"})
def i18n_status(c, strict=False):
    """Report untranslated and fuzzy entries in every language's catalog."""
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with open(TRANSLATIONS_PATH / "messages.pot", "rb") as pot:
        template = read_po(pot)
    missing_total = 0
    for lang in _site_settings().get("LANGUAGES", {}):
        path = _catalog_path(lang)
        catalog = read_po(open(path, "rb"), locale=lang) if path.exists() else None
        missing = [m.id for m in template if m.id and (catalog is None or not _translated(catalog.get(m.id)))]
        missing_total += len(missing)
        print(f"{lang}: {len(template) - len(missing)} of {len(template)} translated")
        for message in missing:
            print(f"    untranslated: {message!r}")
    if strict and missing_total:
        raise Exit(f"i18n-status: {missing_total} untranslated entries", code=1)


def _translated(message):
    if message is None or message.fuzzy:
        return False
    return all(message.string) if isinstance(message.string, tuple) else bool(message.string)


def _post_files():
    """The posts and the settings the translation model needs: (groups, languages, article paths)."""
    from translations.status import grouped, post_files  # noqa: PLC0415

    settings = _site_settings()
    languages = list(settings.get("LANGUAGES", {})) or [settings.get("DEFAULT_LANG", "en")]
    article_paths = settings.get("ARTICLE_PATHS", ["posts"])
    posts = post_files(CONFIG["content_path"], article_paths, settings.get("DEFAULT_LANG", languages[0]))
    return grouped(posts, languages), languages, article_paths


@task(positional=[], help={"slug": "the original post's slug", "lang": "the language to translate into"})
def translate(c, slug=None, lang=None):
    """Scaffold a draft translation of a post, with the original's text to translate over."""
    from translations.status import find_original, translation_target  # noqa: PLC0415

    _arguments("translate", slug=slug, lang=lang)
    groups, languages, article_paths = _post_files()
    if lang not in languages:
        raise Exit(f"translate: {lang!r} is not one of LANGUAGES ({', '.join(languages)})", code=1)
    group = find_original(groups, slug)
    if group is None:
        raise Exit(f"translate: no post has the slug {slug!r}; `invoke translation-status` lists them", code=1)
    original = group.original
    if lang in group.versions:
        raise Exit(f"translate: {group.versions[lang].source_path} already translates {slug!r} into {lang}", code=1)
    target = translation_target(original, lang, CONFIG["content_path"], article_paths)
    if target.exists():
        raise Exit(f"translate: {target} already exists", code=1)
    keep = ("title", "date", "category", "tags", "author", "summary", "mirror")
    header = "".join(f"{key.capitalize()}: {original.metadata[key]}\n" for key in keep if key in original.metadata)
    today = datetime.date.today().isoformat()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f"{header}Slug: {original.slug}\nLang: {lang}\nTranslation-of: {original.slug}\nTranslator: \n"
        f"Translation-date: {today}\nStatus: draft\n\n{original.body}\n",
        encoding="utf-8",
    )
    print(f"Created {target}: translate the title, summary and text, fill in Translator:, then set Status: published.")


@task(name="translation-status", help={"strict": "exit non-zero when any translation is stale"})
def translation_status(c, strict=False):
    """List, per post, its translations: ok, missing, STALE (original changed since), or still a draft."""
    from translations.status import STALE, status_rows  # noqa: PLC0415

    groups, languages, _ = _post_files()
    stale_count = 0
    for original, states in status_rows(groups, languages):
        stale_count += sum(state == STALE for state in states.values())
        draft = " (draft)" if original.is_draft else ""
        print(f"{original.slug}{draft}  " + "  ".join(f"{lang}: {state}" for lang, state in states.items()))
    if strict and stale_count:
        raise Exit(f"translation-status: {stale_count} stale translation(s)", code=1)


@task(help={"port": "the port Isso listens on (COMMENTS['url'] in pelicanconf.py points here)",
            "site_port": "the port the site is served at (`invoke serve --port`), whose pages may use Isso",
            "trusted_proxy": "addresses (comma-separated) of reverse proxies whose X-Forwarded-For Isso believes; "
                             "default: none, the connection's address counts"})  # fmt: skip
def comments(c, port=8080, site_port=CONFIG["port"], trusted_proxy=""):
    """Run Isso on 127.0.0.1 for previews, moderated, with its database in var/isso/."""
    from comments.isso_app import trusted_addresses  # noqa: PLC0415
    from comments.isso_server import run, write_config  # noqa: PLC0415

    password = os.environ.get("ISSO_ADMIN_PASSWORD", "")
    if not password:
        raise Exit("comments: set ISSO_ADMIN_PASSWORD to the password for Isso's admin page", code=1)
    proxies = [proxy.strip() for proxy in trusted_proxy.split(",") if proxy.strip()]
    try:
        trusted_addresses(proxies)
    except ValueError as error:
        raise Exit(f"comments: --trusted-proxy: {error}", code=1) from None
    config = write_config(
        ROOT / "plugins/comments/isso.cfg",
        ROOT / "var/isso/isso.cfg",
        dbpath=ROOT / "var/isso/comments.db",
        site_origins=[f"http://{CONFIG['host']}:{site_port}", f"http://localhost:{site_port}"],
        port=port,
        password=password,
        trusted_proxies=proxies,
    )

    def ready():
        print(f"Isso at http://127.0.0.1:{port}/ (admin: /admin/); comments wait for moderation. Ctrl-C stops.\n"
              f"Its config, with the admin password in plain text, is {config.relative_to(ROOT)} (readable by you only).",
              flush=True)  # fmt: skip

    try:
        run(config, port, ready)
    except RuntimeError as error:
        raise Exit(f"comments: {error}", code=1) from None


@task(positional=["partner"], help={"partner": "a key of PARTNERS in pelicanconf.py, e.g. neweurasia",
            "dry_run": "list what would be sent, send nothing"})  # fmt: skip
def mirror(c, partner=None, dry_run=False):
    """Send new and changed mirrored posts to a partner's WordPress, for its editors to review."""
    _arguments("mirror", partner=partner)
    from partners import FEED, read_state, state_path  # noqa: PLC0415
    from partners.push import WordPress, plan, push, read_entries  # noqa: PLC0415

    settings = _site_settings()
    partners = settings.get("PARTNERS", {})
    if partner not in partners:
        raise Exit(f"mirror: {partner!r} is not in PARTNERS ({', '.join(partners) or 'none configured'})", code=1)
    config = partners[partner]
    state_file = state_path({**settings, "PATH": str(ROOT / settings["PATH"])}, partner)
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build = build_atomically(CONFIG["settings_publish"], site, capture=True)
        if build.returncode != 0:
            raise Exit(f"mirror: the build failed, nothing was sent:\n{build.stderr}", code=1)
        from pelican.settings import read_settings  # noqa: PLC0415

        root = read_settings(str(ROOT / CONFIG["settings_publish"]))["SITEURL"].rstrip("/")
        entries = [e for lang in settings["LANGUAGES"]
                   for e in read_entries(site / FEED.format(partner=partner, lang=lang), root)]  # fmt: skip
    state = read_state(state_file)
    if dry_run:
        for action, entry in plan(entries, state):
            print(f"{action:>9}  {entry.key}  {entry.title}")
        return
    variable = f"TILMASH_PARTNER_{partner.upper().replace('-', '_')}"
    user, password = os.environ.get(f"{variable}_USER"), os.environ.get(f"{variable}_PASSWORD")
    if not user or not password:
        raise Exit(f"mirror: set {variable}_USER and {variable}_PASSWORD (a WordPress application password)", code=1)
    api = config.get("api") or config["url"].rstrip("/") + "/wp-json/wp/v2"
    failures = push(entries, state, state_file, WordPress(api, user, password), config.get("status", "pending"))
    if failures:
        raise Exit(f"mirror: {len(failures)} post(s) failed (see above); run it again to finish the job", code=1)
    print(f"mirror: {partner} is up to date ({len(entries)} posts)")


@task(help={"posts": "how many English posts the generated corpus has", "repeat": "runs per figure (the median is shown)",
            "folder": "where the corpus and its builds go (default: the system's temporary folder); "
                      "a folder in memory, such as /dev/shm, leaves the disk out of the figures"})  # fmt: skip
def bench(c, posts=1000, repeat=3, folder=None):
    """Time Tilmash against plain Pelican on a generated archive: cold, unchanged, one edit, languages."""
    from bench.bench import run, table  # noqa: PLC0415

    if folder is not None and not Path(folder).is_dir():
        raise Exit(f"bench: --folder {folder}: no such folder; give one that exists, or leave it out", code=1)
    try:
        figures = run(int(posts), int(repeat), folder=folder)
    except RuntimeError as error:
        raise Exit(f"bench: {error}", code=1) from None
    print(table(figures))


@task(
    name="import-wordpress",
    positional=["export"],
    help={"export": "the WordPress export file (WXR, from Tools > Export)",
          "folder": "where the posts go (default: content/imported)",
          "language": "the posts' language, e.g. ru for an export of the Russian edition (default: the export's <language>)",
          "comments_for_isso": "also write the export's comments to this file, for `isso import`"},
)  # fmt: skip
def import_wordpress(c, export=None, folder="content/imported", language=None, comments_for_isso=None):
    """Import a WordPress export as Tilmash posts, with markers, countries and languages restored."""
    from html_policy import DEFAULTS as HTML_POLICY_DEFAULTS  # noqa: PLC0415
    from importer.run import import_export  # noqa: PLC0415

    _arguments("import-wordpress", export=export)
    if not Path(export).is_file():
        raise Exit(f"import-wordpress: {export} is not a file; export one from WordPress (Tools > Export)", code=1)
    settings = _site_settings()
    languages = settings.get("LANGUAGES") or {settings["DEFAULT_LANG"]: {}}
    if language and language not in languages:
        raise Exit(f"import-wordpress: --language {language} is not in LANGUAGES ({', '.join(languages)})", code=1)
    try:
        hosts = settings.get("HTML_POLICY", {}).get("embed_hosts", HTML_POLICY_DEFAULTS["embed_hosts"])
        report = import_export(export, folder, default_lang=settings["DEFAULT_LANG"], language=language,
                               isso_export=comments_for_isso, embed_hosts=hosts)  # fmt: skip
    except Exception as error:  # lxml's and our own, about the file's contents
        raise Exit(f"import-wordpress: cannot read {export}: {error}", code=1) from None
    text = report.text()
    report_path = ROOT / "var/import-report.txt"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(text, encoding="utf-8")
    print(text + f"(This report is also in {report_path.relative_to(ROOT)}.)")


@task(name="cldr-regions")
def cldr_regions(c):
    """Regenerate importer/territory_containment.json from CLDR (the cldr-core npm package)."""
    source = ROOT / "node_modules/cldr-core/supplemental/territoryContainment.json"
    if not source.exists():
        raise Exit("cldr-regions: run `npm ci --ignore-scripts` first (it brings cldr-core)", code=1)
    from importer.taxonomy import CONTAINMENT, containment_from_cldr  # noqa: PLC0415

    CONTAINMENT.write_text(json.dumps(containment_from_cldr(json.loads(source.read_text(encoding="utf-8"))),
                                      indent=1, sort_keys=True) + "\n", encoding="utf-8")  # fmt: skip
    print(f"Wrote {CONTAINMENT.relative_to(ROOT)}")


@task(help={"folder": "where the PNGs go (default: var/screenshots)", "langs": "comma-separated languages (default: en,ru,ar)"})
def screenshots(c, folder="var/screenshots", langs="en,ru,ar"):
    """Photograph home, article, country page, search and the comment thread at desktop and phone widths."""
    from sitebuild.screenshots import take  # noqa: PLC0415

    try:
        shots = take(CONFIG["settings_base"], folder, [lang.strip() for lang in langs.split(",") if lang.strip()],
                     default_lang=_site_settings().get("DEFAULT_LANG", "en"))  # fmt: skip
    except (RuntimeError, ImportError) as error:
        raise Exit(f"screenshots: {error}", code=1) from None
    print(f"screenshots: {len(shots.files)} PNGs in {folder}/")
    for problem in shots.problems:
        print(f"    {problem}")


@task(name="cldr-countries")
def cldr_countries(c):
    """Regenerate plugins/country_names/names.json (every CLDR name of each country) from npm's CLDR."""
    if not (ROOT / "node_modules/cldr-localenames-full").exists():
        raise Exit("cldr-countries: run `npm ci --ignore-scripts` first (it brings cldr-localenames-full)", code=1)
    from country_names import NAMES  # noqa: PLC0415
    from country_names.cldr import write_names  # noqa: PLC0415

    try:
        count = write_names(ROOT / "node_modules", list(_site_settings().get("LANGUAGES", {})), NAMES)
    except FileNotFoundError as error:
        raise Exit(f"cldr-countries: {error}", code=1) from None
    print(f"Wrote {NAMES.relative_to(ROOT)} ({count} countries)")


@task(name="bench-import", help={"posts": "how many posts the generated export has",
                                 "folder": "where the export and the imported posts go (default: a temporary folder)"})  # fmt: skip
def bench_import(c, posts=10000, folder=None):
    """Time `import-wordpress` on a generated export, and measure its peak memory."""
    from bench.import_bench import run, table  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as scratch:
        try:
            print(table(run(int(posts), folder or scratch)))
        except RuntimeError as error:
            raise Exit(f"bench-import: {error}", code=1) from None
