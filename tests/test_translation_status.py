"""The translation model as the tasks read it from files: states of a translation, and where one goes."""

from pathlib import Path

import pytest
from translations.status import (
    DRAFT,
    MISSING,
    OK,
    STALE,
    UNTRANSLATED,
    grouped,
    read_post,
    status_rows,
    translation_target,
)

LANGUAGES = ["en", "ru", "kk"]
ORIGINAL = "Title: T\nDate: 2024-03-05\nSlug: s\n{extra}\nThe original text.\n"
TRANSLATION = "Title: Т\nDate: 2024-03-06\nSlug: s\nLang: ru\nTranslator: Irina\n{extra}\n{body}\n"


def post(path, text):
    return read_post(Path(path), text, "en")


@pytest.mark.parametrize(
    ("original_extra", "translation_extra", "body", "state"),
    [
        ("", "", "Русский текст.", OK),
        ("", "Status: draft", "Русский текст.", DRAFT),
        # What `invoke translate` scaffolds: a draft holding the original's text.
        ("", "Status: draft", "The original text.", UNTRANSLATED),
        ("Modified: 2024-04-01", "", "Русский текст.", STALE),
        ("Modified: 2024-04-01", "Translation-date: 2024-04-02", "Русский текст.", OK),
    ],
)
def test_a_translation_is_ok_stale_or_a_draft(original_extra, translation_extra, body, state):
    posts = [post("content/posts/s.md", ORIGINAL.format(extra=original_extra)),
             post("content/posts/ru/s.md", TRANSLATION.format(extra=translation_extra, body=body))]  # fmt: skip
    ((original, states),) = status_rows(grouped(posts, LANGUAGES), LANGUAGES)
    assert original.source_path == "content/posts/s.md"
    assert states == {"ru": state, "kk": MISSING}


def test_a_draft_original_says_so_and_an_original_in_another_language_lists_the_default():
    posts = [post("content/imported/k.md", "Title: K\nDate: 2024-01-01\nLang: kk\nStatus: draft\n\nМәтін.\n")]
    ((original, states),) = status_rows(grouped(posts, LANGUAGES), LANGUAGES)
    assert original.is_draft and original.slug == "k"
    assert states == {"en": MISSING, "ru": MISSING}


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("content/posts/s.md", "content/posts/ru/s.md"),
        ("content/posts/2012/s.md", "content/posts/ru/s.md"),
        ("content/imported/s.md", "content/imported/ru/s.md"),
    ],
)
def test_a_translation_goes_into_the_language_folder_of_the_original_article_path(source, target):
    original = post(source, ORIGINAL.format(extra=""))
    assert translation_target(original, "ru", "content", ["posts", "imported"]) == Path(target)
