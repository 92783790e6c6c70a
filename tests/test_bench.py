"""Builds are reproducible: cold, warm (from the cache), after an edit and its revert, on any number of cores."""

import os
import shutil
import statistics

from bench.bench import Figure, ratio, run, table
from bench.corpus import write_corpus
from bench.run import settings_file as project_settings
from conftest import Site, snapshot
from sitebuild.freshness import RECORD


def _forget_last_build(root):
    """Make the next build run Pelican again, from its reader cache, though nothing changed."""
    (root / ".pelican-cache" / RECORD).unlink()


def test_cold_warm_and_edited_builds_are_identical(tmp_path):
    site = Site.__new__(Site)
    site.root, site.content = tmp_path, tmp_path / "content"
    write_corpus(site.content, 30)
    cold = site.build()
    assert cold.returncode == 0, cold.log
    first = snapshot(cold.output)
    assert (tmp_path / ".pelican-cache").is_dir()

    skipped = site.build()
    assert "Nothing changed since the last build" in skipped.log and snapshot(skipped.output) == first

    _forget_last_build(tmp_path)
    warm = site.build()
    assert warm.returncode == 0 and "Nothing changed" not in warm.log, warm.log
    second = snapshot(warm.output)
    assert [p for p in first if first[p] != second.get(p)] == [] and first.keys() == second.keys()

    post = next(site.content.rglob("post-00003.md"))
    original = post.read_bytes()
    post.write_bytes(original.replace(b"\n\n", b"\n\nAn editor's correction.\n\n", 1))
    edited = site.build()
    assert "An editor&#39;s correction." in (edited.output / "2015/01/post-00003/index.html").read_text() or \
        "An editor's correction." in (edited.output / "2015/01/post-00003/index.html").read_text()
    post.write_bytes(original)
    reverted = site.build()
    assert snapshot(reverted.output) == first

    shutil.rmtree(tmp_path / ".pelican-cache")
    assert snapshot(site.build().output) == first


def test_changed_settings_never_serve_stale_cached_html(site):
    site.post("letter.md", body="She [wrote](https://a.kz/1) [ru].\n")
    first = site.build()
    assert first.returncode == 0, first.log
    marker = ".//span[@class='source-lang']/span[@aria-hidden='true']"
    assert first.page("2024/03/letter/").findtext(marker) == "[ru]"
    again = site.build(SOURCE_LANG={"format": "({code})"})
    assert again.returncode == 0, again.log
    assert again.page("2024/03/letter/").findtext(marker) == "(ru)"


def test_one_process_and_every_core_write_the_same_bytes(tmp_path):
    site = Site.__new__(Site)
    site.root, site.content = tmp_path, tmp_path / "content"
    write_corpus(site.content, 40)
    parallel = site.build(PARALLEL={"workers": 2})
    assert parallel.returncode == 0, parallel.log
    first = snapshot(parallel.output)
    shutil.rmtree(tmp_path / ".pelican-cache")
    serial = site.build(PARALLEL={"workers": 1})
    assert serial.returncode == 0, serial.log
    assert snapshot(serial.output) == first


def test_an_edit_after_a_build_is_never_mistaken_for_nothing_changed(site):
    settings = project_settings(site.root, {}, name="siteconf.py")
    post = site.post("letter.md", body="First version.\n")
    assert site.build(settings).returncode == 0
    assert "Nothing changed" in site.build(settings).log
    post.write_text(post.read_text().replace("First", "Second"))
    again = site.build(settings)
    assert "Second version." in (again.output / "2024/03/letter/index.html").read_text()
    (again.output / "2024/03/letter/index.html").unlink()
    rebuilt = site.build(settings)
    assert "Nothing changed" not in rebuilt.log and (rebuilt.output / "2024/03/letter/index.html").exists()


def test_only_the_latest_reader_caches_are_kept(site):
    site.post("letter.md")
    cache = site.root / ".pelican-cache"
    for age, name in enumerate(["0123456789abcdef", "1123456789abcdef", "2123456789abcdef", "3123456789abcdef"]):
        (cache / name).mkdir(parents=True)
        (cache / name / "ArticlesGenerator-Readers").write_bytes(b"")
        os.utime(cache / name / "ArticlesGenerator-Readers", (1_000_000 - age, 1_000_000 - age))
    assert site.build().returncode == 0
    kept = sorted(p.name for p in cache.iterdir() if p.is_dir())
    assert len(kept) == 4 and "3123456789abcdef" not in kept, "the three last used, and this build's"
    assert (cache / "site-builds.json").is_file()


def test_the_bench_times_every_scenario_in_rounds_and_prints_the_table(tmp_path):
    said = []
    figures = run(12, repeat=2, say=said.append, folder=tmp_path)
    assert list(tmp_path.iterdir()) == [], "the corpus and its builds are removed afterwards"
    assert "bench: output identical cold and warm: True" in said
    scenarios = [(f.scenario, f.build) for f in figures]
    for scenario in ("cold full build", "nothing changed", "one post edited"):
        assert (scenario, "plain Pelican") in scenarios and (scenario, "Tilmash") in scenarios
    assert ("one post edited, livereload", "Tilmash") in scenarios
    assert scenarios[-2:] == [("default language alone", "Tilmash"), ("all languages", "Tilmash")]
    assert all(len(f.runs) == 2 and f.seconds == statistics.median(f.runs) for f in figures)
    rows = {tuple(cell.strip() for cell in line.split("|")[1:3]): line for line in table(figures).splitlines()}
    assert "× plain Pelican" in rows["cold full build", "Tilmash"]
    assert "× its cold build" in rows["one post edited", "Tilmash"]
    assert "× default language alone" in rows["all languages", "Tilmash"]


def test_a_ratio_pairs_the_runs_of_one_round():
    # Tilmash takes half plain Pelican's time in two rounds of three; the medians alone (20 s
    # against 22 s) would set runs of different rounds against each other.
    plain = Figure("cold full build", "plain Pelican", 22.0, 100, 10, runs=[20.0, 40.0, 22.0])
    tilmash = Figure("cold full build", "Tilmash", 20.0, 100, 10, runs=[10.0, 20.0, 44.0])
    assert ratio(tilmash, plain) == 0.5
    row = next(line for line in table([plain, tilmash]).splitlines() if "| Tilmash |" in line)
    assert row.endswith("| 0.50× plain Pelican |")
