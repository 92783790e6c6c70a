"""The search index: Pagefind over each language site's posts, in parts of bounded size.

Pagefind holds all it indexes in memory until it writes the index: about 130 KiB a post of
the benchmark corpus, 1.3 GiB for its 11214 posts in one run. Each language site gets a
bundle of its own (`pagefind/` in its folder, so that a language served at its own host
searches from its own origin), in parts of at most `SEARCH_INDEX["pages_per_part"]` posts,
run one after the other or side by side within that budget. The search page merges a
language's parts (`pagefind/parts.js` lists them; theme/static/js/search.js reads it). A part
holds whole months, packed from the oldest, so that new posts change only the newest part,
which is the one at `pagefind/`; older ones are at `pagefind/<first month>/`. A build that
replaces a site keeps that site's bundle of a part whose months (`pagefind/parts.json`) and
pages are the same, byte for byte.
"""

import errno
import filecmp
import json
import os
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .swapping import swap

DEFAULTS = {"pages": "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html", "pages_per_part": 2500}
PARTS_SCRIPT = "parts.js"
# {part's folder: its months}, beside parts.js: what each bundle indexes, for the builds to come.
PARTS_RECORD = "parts.json"
# Free space below which an incomplete search index is taken for one cut short by a full disk.
LOW_SPACE = 16 * 2**20

# What a result's excerpt should not hold: the names that markers give screen readers, which
# read as "blog [kk](Kazakh)" there (the visible "[kk]" stays). The theme marks bylines, credits
# and notes with data-pagefind-ignore. Kept bundles are compared by their pages' bytes, so a
# change here alone needs `invoke rebuild`.
EXCLUDED = ".source-lang .visually-hidden"


class SearchConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Part:
    lang: str
    site: Path  # the language site's folder: Pagefind's --site
    months: tuple  # folders of posts, relative to `site`
    post_glob: str  # a post's page in one of the months: "*/index.html"
    pages: int
    name: str  # the folder under the language's `pagefind/`; "" for the newest part

    @property
    def glob(self):
        """Pagefind's --glob for the part's pages."""
        months = self.months[0] if len(self.months) == 1 else "{" + ",".join(self.months) + "}"
        return f"{months}/{self.post_glob}"

    def page_files(self, site):
        """The part's pages in `site` (this part's language site, or the one a build replaces), sorted."""
        return sorted(page for month in self.months for page in (site / month).glob(self.post_glob))

    def holds(self, page):
        """Whether the part indexes `page` (an absolute path)."""
        return page.is_relative_to(self.site) and _posts_folder(page, self.site) in self.months


def _posts_folder(page, site):
    """The folder of a post's folder ("2024/03" for 2024/03/slug/index.html): the unit parts are made of."""
    return page.relative_to(site).parent.parent.as_posix()


def search_config(settings):
    """SEARCH_INDEX with its defaults, checked."""
    config = {**DEFAULTS, **settings.get("SEARCH_INDEX", {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise SearchConfigError(f"SEARCH_INDEX has unknown keys {unknown}: it takes {sorted(DEFAULTS)}.")
    pattern = config["pages"]
    if not isinstance(pattern, str) or len(Path(pattern).parts) < 3 or "{" in pattern:
        raise SearchConfigError(
            f'SEARCH_INDEX["pages"] = {pattern!r}: give a glob without braces whose last two parts are a '
            'post\'s folder and file, such as "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html".')  # fmt: skip
    limit = config["pages_per_part"]
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise SearchConfigError(f'SEARCH_INDEX["pages_per_part"] = {limit!r}: give a whole number of 1 or more.')
    return config


def packed(counts, limit):
    """Folders (sorted, oldest first) packed into runs of at most `limit` pages; a folder is never split."""
    parts, current, size = [], [], 0
    for folder, count in sorted(counts.items()):
        if current and size + count > limit:
            parts.append(current)
            current, size = [], 0
        current.append(folder)
        size += count
    return [*parts, current] if current else parts


def search_parts(site, settings):
    """The Pagefind runs that index a built site: per language, its posts in parts."""
    config = search_config(settings)
    pattern = Path(config["pages"])
    post_glob = "/".join(pattern.parts[-2:])
    parts = []
    for lang in settings.get("LANGUAGES") or {settings["DEFAULT_LANG"]: {}}:
        folder = Path(site) if lang == settings["DEFAULT_LANG"] else Path(site) / lang
        counts = {}
        for page in folder.glob(config["pages"]):
            months = _posts_folder(page, folder)
            counts[months] = counts.get(months, 0) + 1
        runs = packed(counts, config["pages_per_part"])
        for number, months in enumerate(runs):
            name = "" if number == len(runs) - 1 else months[0].replace("/", "-")
            parts.append(Part(lang, folder, tuple(months), post_glob, sum(counts[m] for m in months), name))
    return parts


def index_for_search(site, settings, capture=True, pages=None, previous=None, pass_fds=()):
    """Index a built site for search; each new bundle replaces its old one whole.

    With `pages` (paths relative to `site`), only the parts that hold them are indexed again,
    if the parts are the ones already there (a preview after a text edit). With `previous`
    (the site this one is to replace), a part whose pages it has unchanged gets its bundle
    from there. `pass_fds` are kept open in Pagefind (a lock on `site`). Returns the
    CompletedProcess of the first Pagefind run that failed, else of the last.
    """
    from pagefind.service import get_executable  # noqa: PLC0415 - only builds that index pay for it

    site = Path(site).resolve()
    parts = search_parts(site, settings)
    wanted = parts
    sites = {part.lang: part.site for part in parts}
    if pages is not None and all(_parts_record(parts, lang) == _recorded(folder) for lang, folder in sites.items()):
        changed = [site / page for page in pages]
        wanted = [part for part in parts if any(part.holds(page) for page in changed)]
    fresh = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))
    made = {part: fresh / str(number) for number, part in enumerate(parts)}  # where each part's new bundle goes
    try:
        budget = _PageBudget(search_config(settings)["pages_per_part"])
        executable = str(get_executable())
        kept = _unchanged_bundles(wanted, site, Path(previous).resolve(), executable) if previous else {}

        def run(part):
            with budget.spend(part.pages):
                command = [executable, "--site", str(part.site), "--glob", part.glob, "--silent",
                           "--exclude-selectors", EXCLUDED, "--output-path", str(made[part])]  # fmt: skip
                return subprocess.run(command, capture_output=capture, text=True, check=False, pass_fds=pass_fds)

        with ThreadPoolExecutor(max_workers=len(os.sched_getaffinity(0))) as pool:
            # Largest first: the small parts left at the end can then run side by side.
            to_run = sorted((part for part in wanted if part not in kept), key=lambda part: -part.pages)
            results = list(pool.map(run, to_run))
        failed = [result for result in results if result.returncode != 0]
        if failed:
            return failed[0]
        for part in to_run:
            _check_written(made[part])
        for part, bundle in kept.items():
            shutil.copytree(bundle, made[part], ignore=_other_bundles)
        if wanted:
            _put_in_place(parts, {part: made[part] for part in wanted})
        return results[-1] if results else subprocess.CompletedProcess([executable], 0, "", "")
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _check_written(bundle):
    """Raise if Pagefind left `bundle` incomplete: on a full disk it writes empty files and exits with status 0."""
    try:
        json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        whole = all(path.stat().st_size for path in bundle.rglob("*") if path.is_file())
    except (OSError, ValueError):
        whole = False
    if not whole:
        full = shutil.disk_usage(bundle).free < LOW_SPACE
        raise OSError(errno.ENOSPC if full else errno.EIO, "Pagefind wrote an incomplete search index", str(bundle))


def _unchanged_bundles(parts, site, previous, executable):
    """{part: its bundle in `previous`} for the parts whose pages `previous` has the same, indexed by this Pagefind."""
    # "pagefind 1.5.2" -> ["1.5.2"]; [] (matching no bundle) if it says nothing.
    version = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False).stdout.split()[-1:]
    kept = {}
    for part in parts:
        old_site = previous / part.site.relative_to(site)
        bundle = old_site / "pagefind" / part.name
        try:
            if json.loads(_recorded(old_site) or "{}").get(part.name) != list(part.months):
                continue
            if [json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")).get("version")] != version:
                continue
        except (OSError, ValueError):
            continue
        new, old = part.page_files(part.site), part.page_files(old_site)
        if [p.relative_to(part.site) for p in new] == [p.relative_to(old_site) for p in old] and all(
            filecmp.cmp(a, b, shallow=False) for a, b in zip(new, old)
        ):
            kept[part] = bundle
    return kept


def _other_bundles(folder, names):
    """The older parts inside a language's main bundle, left out when it is copied (`shutil.copytree`'s ignore)."""
    return {name for name in names if (Path(folder) / name / "pagefind-entry.json").exists()}


def _put_in_place(parts, bundles):
    """Put each new bundle (`bundles`: {part: folder}) in its place; the parts not in it stay as they are."""
    for bundle in bundles.values():
        normalise_search_index(bundle)
    for lang in _langs(bundles):
        *older, newest = [part for part in parts if part.lang == lang]
        target = newest.site / "pagefind"
        if newest not in bundles:
            for part in older:
                if part in bundles:
                    swap(bundles[part], target / part.name)
            continue
        main = bundles[newest]
        for part in older:
            (bundles[part] if part in bundles else target / part.name).rename(main / part.name)
        (main / PARTS_SCRIPT).write_text(_parts_script(parts, lang), encoding="utf-8")
        (main / PARTS_RECORD).write_text(_parts_record(parts, lang), encoding="utf-8")
        swap(main, target)


def _langs(parts):
    return list(dict.fromkeys(part.lang for part in parts))


def _parts_script(parts, lang):
    """`pagefind/parts.js`: the folders of a language's older parts, newest first, for the search page."""
    older = [part.name + "/" for part in parts if part.lang == lang][:-1]
    return f"/* The other parts of this site's search index, newest first. */\nwindow.searchParts = {json.dumps(older[::-1])};\n"


def _parts_record(parts, lang):
    """`pagefind/parts.json`: the months that each of a language's parts indexes."""
    return json.dumps({part.name: list(part.months) for part in parts if part.lang == lang}, sort_keys=True) + "\n"


def _recorded(site):
    """The parts record of a language site's search index; "" if it has none."""
    try:
        return (site / "pagefind" / PARTS_RECORD).read_text(encoding="utf-8")
    except OSError:
        return ""


def normalise_search_index(bundle):
    """Pagefind lists the languages in another order on each run: keep builds byte-identical."""
    entry = Path(bundle) / "pagefind-entry.json"
    if entry.exists():
        entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True), encoding="utf-8")


class _PageBudget:
    """At most `limit` pages indexed at once (one run may exceed it alone): Pagefind's memory follows them."""

    def __init__(self, limit):
        self.limit, self.in_use, self.changed = limit, 0, threading.Condition()

    @contextmanager
    def spend(self, pages):
        with self.changed:
            self.changed.wait_for(lambda: self.in_use == 0 or self.in_use + pages <= self.limit)
            self.in_use += pages
        try:
            yield
        finally:
            with self.changed:
                self.in_use -= pages
                self.changed.notify_all()
