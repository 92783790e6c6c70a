"""A host per language: a language site served at an address of its own (https://ru.example.org).

The pages stay where every build puts them (output/ru/); that folder becomes the language
host's document root. After writing, every absolute address into a hosted language's folder
is moved to its host, on every page and feed; a hosted site gets its own copies of the shared
files (theme, images; each language site has its own search index anyway), so that its pages load
nothing from another origin.
"""

import os
import shutil


def language_hosts(settings):
    """{language: host address} for the languages that have a host of their own."""
    return {lang: options["host"].rstrip("/") for lang, options in settings.get("LANGUAGES", {}).items()
            if options.get("host")}  # fmt: skip


def shared_folders(settings):
    """The top-level folders of files that pages load: the theme's and the static paths'.

    Each language site has a search index of its own, in its own folder.
    """
    return [settings["THEME_STATIC_DIR"], *(p.strip("/").split("/")[0] for p in settings["STATIC_PATHS"])]


def moved_to_hosts(text, siteurl, hosts, own=None, shared=()):
    """The text with addresses into hosted language folders moved to their hosts; for a page of
    the hosted language `own`, addresses of shared files moved to its host's copies as well."""
    for lang, host in hosts.items():
        text = text.replace(f"{siteurl}/{lang}/", f"{host}/")
    for folder in shared if own else ():
        text = text.replace(f"{siteurl}/{folder}/", f"{hosts[own]}/{folder}/")
    return text


def move_to_language_hosts(pelican):
    settings = pelican.settings
    hosts, output = language_hosts(settings), pelican.output_path
    if not hosts:
        return
    siteurl, shared = settings["SITEURL"].rstrip("/"), shared_folders(settings)
    for lang in hosts:
        for folder in shared:
            if os.path.isdir(os.path.join(output, folder)):
                shutil.copytree(os.path.join(output, folder), os.path.join(output, lang, folder), dirs_exist_ok=True)
    for directory, _, files in os.walk(output):
        top = os.path.relpath(directory, output).split(os.sep)[0]
        for name in files:
            if name.endswith((".html", ".xml")):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as source:
                    text = source.read()
                moved = moved_to_hosts(text, siteurl, hosts, top if top in hosts else None, shared)
                if moved != text:
                    with open(path, "w", encoding="utf-8") as out:
                        out.write(moved)
