"""A deterministic corpus shaped like a citizen-media archive, for the benchmark.

N English posts of about 600 words, each with 6-10 links of which about half carry
a language marker, a blockquote or two, one of 40 countries and some of 20 topics;
about 30% translated into Russian and 10% into Kazakh.
"""

import datetime
import random
from pathlib import Path

COUNTRIES = [
    "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Turkmenistan", "Afghanistan", "Azerbaijan",
    "Armenia", "Georgia", "Mongolia", "Russia", "Ukraine", "Belarus", "Moldova", "Türkiye", "Iran", "Iraq",
    "Syria", "Lebanon", "Jordan", "Egypt", "Tunisia", "Morocco", "Algeria", "Libya", "Sudan", "Ethiopia",
    "Kenya", "Nigeria", "Ghana", "Pakistan", "India", "Bangladesh", "Nepal", "Sri Lanka", "Thailand",
    "Cambodia", "Vietnam", "Philippines", "Indonesia",
]  # fmt: skip
TOPICS = [
    "Media", "Freedom of Speech", "Human Rights", "Politics", "Elections", "Economy", "Energy", "Labour",
    "Women", "Youth", "Environment", "Health", "Education", "Technology", "Censorship", "Migration",
    "Language", "Religion", "Protest", "Law",
]  # fmt: skip
MARKERS = ["ru", "kk", "uz", "tg", "ky", "ar", "fr", "tr", "fa", "uk"]
WORDS = (
    "blogger wrote that the city council had again postponed the vote on the new road while residents "
    "posted photos of the river after the storm and asked why nobody answered their letters a journalist "
    "said the ministry published figures that do not match what people see in the market every morning "
    "young activists organised a clean-up and shared a map of the places where the water is unsafe "
    "officials replied in the comments that the budget for repairs was already approved last spring"
).split()
RU_WORDS = (
    "блогер написал что городской совет снова отложил голосование по новой дороге а жители выложили "
    "фотографии реки после бури и спросили почему никто не ответил на их письма выборы выборов выборам"
).split()
KK_WORDS = (
    "блогер қалалық кеңес жаңа жол туралы дауыс беруді тағы да кейінге қалдырғанын жазды ал тұрғындар "
    "дауылдан кейінгі өзеннің суретін жариялап хаттарына неге ешкім жауап бермегенін сұрады"
).split()


def _sentence(rng, words, length):
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng, words, sentences=4):
    return " ".join(_sentence(rng, words, rng.randint(10, 18)) for _ in range(sentences))


def _link(rng, index, words):
    text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
    link = f"[{text}](https://example.org/source/{index}/{rng.randint(1, 99999)})"
    return f"{link} [{rng.choice(MARKERS)}]" if rng.random() < 0.5 else link


def _body(rng, words):
    paragraphs = []
    for index in range(rng.randint(6, 10)):
        paragraphs.append(f"{_paragraph(rng, words, 3)} {_link(rng, index, words)} {_paragraph(rng, words, 2)}")
        if index in (2, 6):
            paragraphs.append("> " + _paragraph(rng, words, 2))
    return "\n\n".join(paragraphs)


def write_corpus(folder, posts, seed=1, languages=("en", "ru", "kk")):
    """Write the corpus under `folder`/posts and return the number of files written."""
    rng = random.Random(seed)
    root = Path(folder) / "posts"
    start = datetime.datetime(2015, 1, 1, 9, 0)
    written = 0
    for number in range(posts):
        country = COUNTRIES[number % len(COUNTRIES)]
        tags = ", ".join(rng.sample(TOPICS, rng.randint(1, 3)))
        date = start + datetime.timedelta(hours=7 * number)
        slug = f"post-{number:05d}"
        header = (f"Date: {date:%Y-%m-%d %H:%M}\nCategory: {country}\nTags: {tags}\n"
                  f"Author: Author {number % 50}\nSlug: {slug}\n")  # fmt: skip
        files = [(root / f"{number // 1000:02d}" / f"{slug}.md",
                  f"Title: {country}: {_sentence(rng, WORDS, 6)[:-1]}\n{header}Summary: {_sentence(rng, WORDS, 20)}\n\n"
                  f"{_body(rng, WORDS)}\n")]  # fmt: skip
        draw = rng.random()
        if "ru" in languages and draw < 0.3:
            files.append((root / "ru" / f"{slug}.md", f"Title: {country}: {_sentence(rng, RU_WORDS, 6)[:-1]}\n{header}"
                          f"Lang: ru\nTranslator: Переводчик {number % 20}\n\n{_body(rng, RU_WORDS)}\n"))  # fmt: skip
        if "kk" in languages and draw < 0.1:
            files.append((root / "kk" / f"{slug}.md", f"Title: {country}: {_sentence(rng, KK_WORDS, 6)[:-1]}\n{header}"
                          f"Lang: kk\nTranslator: Аудармашы {number % 20}\n\n{_body(rng, KK_WORDS)}\n"))  # fmt: skip
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    return written
