"""Writing the desk's files into the built site: the page, its scripts, Decap's bundle and the configuration."""

import json
import logging
import os
import shutil
from pathlib import Path

from strict.problems import settings_error

from .config import cldr_countries, country_labels, decap_config

logger = logging.getLogger(__name__)

SETTING = "DESK"
DEFAULTS = {
    "enabled": False,
    # The folder of the site the desk is served from.
    "path": "admin",
    # Decap's backend. Locally, `invoke desk` replaces it by its own decap-server; a published desk
    # needs a Git host's, e.g. {"name": "github", "repo": "org/tilmash", "branch": "main",
    # "base_url": "https://auth.example.org"} (the login is that host's; no credential goes here).
    "backend": {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": "main"},
    # Where Decap's npm package is: node_modules of the project, by default.
    "node_modules": str(Path(__file__).resolve().parents[2] / "node_modules"),
}
ADMIN = Path(__file__).with_name("admin")
OUR_FILES = ("index.html", "desk.js", "pelican-format.js", "locale-ar.js", "desk.css")
BUNDLE = "decap-cms/dist"
NEEDS_NPM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tilmash desk</title></head>
<body><main><h1>The desk needs its npm packages</h1>
<p>Run <code>npm ci --ignore-scripts</code> in the project, then <code>invoke desk</code>.</p></main></body></html>
"""


def check_config(pelican):
    config = {**DEFAULTS, **pelican.settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"desk: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    path = str(config["path"]).strip("/")
    if not path or ".." in path.split("/"):
        settings_error(f'desk: {SETTING}["path"] must be a folder inside the site, e.g. "admin"')
    # The local backend answers only on this machine: a build with a public address (a test of a
    # mirror, say) gets no desk unless DESK["backend"] names a Git host's, as a published desk needs.
    public = str(pelican.settings.get("SITEURL", "")).startswith(("http://", "https://"))
    if config["enabled"] and public and config["backend"].get("name") in ("proxy", "test-repo"):
        logger.info("desk: not written: the local backend works only with invoke desk, not at %s",
                    pelican.settings["SITEURL"])  # fmt: skip
        config = {**config, "enabled": False}
    pelican.settings[SETTING] = {**config, "path": path}


def bundle_files(node_modules):
    """Decap's bundle and the chunks it loads from its own folder (no source maps)."""
    folder = Path(node_modules) / BUNDLE
    return sorted(folder.glob("*decap-cms.js")) if (folder / "decap-cms.js").is_file() else []


def _place(source, target):
    """Decap's bundle (about 6 MB) is linked into the site, not copied, where the disk allows: every local build has it."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_desk(pelican):
    desk = pelican.settings[SETTING]
    if not desk["enabled"]:
        return
    target = Path(pelican.output_path) / desk["path"]
    target.mkdir(parents=True, exist_ok=True)
    bundle = bundle_files(desk["node_modules"])
    if not bundle:
        # A site built without npm still builds; its desk says what to install.
        (target / "index.html").write_text(NEEDS_NPM, encoding="utf-8")
        return
    for name in OUR_FILES:
        shutil.copyfile(ADMIN / name, target / name)
    for path in bundle:
        _place(path, target / path.name)
    countries = cldr_countries()
    languages = ["en", *pelican.settings.get("LANGUAGES", {})]
    config = decap_config(pelican.settings, desk, countries)
    (target / "config.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    labels = country_labels(countries, dict.fromkeys(languages))
    (target / "countries.json").write_text(json.dumps(labels, ensure_ascii=False) + "\n", encoding="utf-8")
