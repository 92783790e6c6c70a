"""Builds are reproducible: cold, warm (from the cache) and after an edit and its revert."""

import shutil

from bench.corpus import write_corpus
from conftest import Site, snapshot


def test_cold_warm_and_edited_builds_are_identical(tmp_path):
    site = Site.__new__(Site)
    site.root, site.content = tmp_path, tmp_path / "content"
    write_corpus(site.content, 30)
    cold = site.build()
    assert cold.returncode == 0, cold.log
    first = snapshot(cold.output)
    assert (tmp_path / ".pelican-cache").is_dir()

    warm = site.build()
    assert warm.returncode == 0, warm.log
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
