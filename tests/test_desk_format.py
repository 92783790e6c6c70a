"""The desk's metadata format: the JavaScript that Decap uses to read and write our posts, run with node."""

import json
import shutil
import subprocess

import pytest

from conftest import REPO, require_system_tool

SCRIPT = REPO / "tests/js/desk_format.js"


def run_format(cases):
    """[(text or None, {field: value}, sorted keys)] -> [{"data": …, "written": …}] from the desk's JS."""
    require_system_tool("node", "apt-get install nodejs")
    payload = [{"text": text, "set": changes, "sortedKeys": keys} for text, changes, keys in cases]
    result = subprocess.run([shutil.which("node"), str(SCRIPT)], input=json.dumps(payload), capture_output=True,
                            text=True, encoding="utf-8", check=True)  # fmt: skip
    return json.loads(result.stdout)


def test_every_file_in_content_is_written_back_byte_for_byte():
    files = sorted(p for p in (REPO / "content").rglob("*.md"))
    assert len(files) > 10
    texts = [p.read_bytes().decode("utf-8") for p in files]
    results = run_format([(text, {}, []) for text in texts])
    assert [p for p, text, r in zip(files, texts, results, strict=True) if r["written"] != text] == []
    # And what the desk shows is what Pelican reads: the title, and the body below the blank line.
    first = results[files.index(REPO / "content/posts/kazakhstan-state-ordered-blogging.md")]["data"]
    assert first["title"] == "Kazakhstan: State-ordered blogging"
    assert first["category"] == "Kazakhstan" and first["body"].startswith("A spreadsheet that appeared")


@pytest.mark.parametrize(
    "text",
    ["Title: Kazakhstan: A title: with colons\nDate: 2024-03-05\n\nBody [ru].\n",
     "Title: CRLF\r\nSummary: a\r\n\r\nBody\r\nline two\r\n",
     "\ufeffTitle: With a byte-order mark\n\nBody\n",
     "Title: Continued\nSummary: first line\n    second line\nTags: A, B\n\nBody\n",
     "Title: Header only\n",
     "Title: No newline at the end",
     "Title: No blank line\nBody straight after\n",
     "Translator: \nTitle:  two spaces\n\n\n\nBody after blank lines\n",
     "No metadata at all\n",
     "",
     "  Title: indented key\n\nBody\n"],
)  # fmt: skip
def test_unusual_files_are_written_back_as_they_were(text):
    [result] = run_format([(text, {}, [])])
    assert result["written"] == text


@pytest.mark.parametrize(
    ("text", "changes", "expected"),
    [
        # An edited value stays where it was, in the file's spelling; a new key follows, spelt as Pelican's.
        ("Title: Old\nDate: 2024-03-05\n\nBody\n", {"title": "Kazakhstan: New: colon", "image-caption": "A road"},
         "Title: Kazakhstan: New: colon\nDate: 2024-03-05\nImage-caption: A road\n\nBody\n"),
        # A cleared field that the file had stays, empty; a new empty field is not written.
        ("Title: T\nTranslator: Irina Kim\n\nBody\n", {"translator": "", "summary": ""},
         "Title: T\nTranslator: \n\nBody\n"),
        # A new post: the fields in the collection's order, a blank line, the body.
        (None, {"body": "Text [a letter](https://example.kz/letter) [ru].\n", "title": "Kazakhstan: A: B",
                "category": "Kazakhstan", "date": "2024-03-05 09:30", "status": "draft"},
         "Title: Kazakhstan: A: B\nDate: 2024-03-05 09:30\nCategory: Kazakhstan\nStatus: draft\n\n"
         "Text [a letter](https://example.kz/letter) [ru].\n"),
        # The editor's text has no last line break: the file keeps its own.
        ("Title: T\n\nBody\n", {"body": "New body"}, "Title: T\n\nNew body\n"),
        ("Title: T\n\nNo newline", {"body": "New body"}, "Title: T\n\nNew body"),
        # A typed line break cannot end the metadata: the next line continues the value.
        (None, {"title": "T", "summary": "one\ntwo", "body": "B\n"}, "Title: T\nSummary: one\n    two\n\nB\n"),
        # A key the desk has no field for is kept; translation keys get Pelican's spelling.
        ("Title: T\nX-custom: kept\n\nB\n", {"translation-of": "original", "lang": "ru"},
         "Title: T\nX-custom: kept\nTranslation-of: original\nLang: ru\n\nB\n"),
    ],
)  # fmt: skip
def test_edits_are_written_in_pelicans_format(text, changes, expected):
    [result] = run_format([(text, changes, ["title", "date", "category", "translation-of", "lang", "status"])])
    assert result["written"] == expected
