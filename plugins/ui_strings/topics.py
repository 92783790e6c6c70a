"""Topic names in each language, from a plain table: `content/topics.toml`.

Topics are content (a post's `Tags:`), so their names are looked up here and never passed
through gettext: new-style gettext returns Markup, which templates do not escape, and reads
a `%` in the name as a format ("100% Free"). A name the table lacks is shown as written;
either way it is text, escaped like any other.

    [ru]
    Media = "СМИ"
    "Human Rights" = "Права человека"
"""

import os
import re
import tomllib
from functools import cache
from types import MappingProxyType

from strict.checks import fragment_line
from strict.problems import report

TABLE = "topics.toml"
FIX = 'write one table per language, e.g. [ru], with lines Topic = "Name in that language"'
_TOML_LINE = re.compile(r"at line (\d+)")


def read_topic_names(text, languages):
    """({language: {topic: name}}, [(line, message)]) from the table's text."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _TOML_LINE.search(str(error))
        return {}, [(int(line[1]) if line else 0, f"{TABLE} cannot be read: {error}")]
    names, problems = {}, []
    for lang, entries in table.items():
        where = fragment_line(text, f"[{lang}]") or fragment_line(text, lang)
        if lang not in languages:
            problems.append((where, f'{TABLE}: "{lang}" is not one of LANGUAGES ({", ".join(languages)})'))
        elif not isinstance(entries, dict):
            problems.append((where, f'{TABLE}: "{lang}" must be a table of topic names, [{lang}]'))
        else:
            wrong = [topic for topic, name in entries.items() if not isinstance(name, str) or not name.strip()]
            problems += [(_line_in_table(text, lang, topic), f'{TABLE}: [{lang}] "{topic}" must be a name in quotes')
                         for topic in wrong]  # fmt: skip
            names[lang] = MappingProxyType({topic: name for topic, name in entries.items() if topic not in wrong})
    return MappingProxyType(names), problems


def _line_in_table(text, lang, topic):
    """The line of a topic's entry in a language's table, or 0 if it cannot be told."""
    start = max(text.find(f"[{lang}]"), 0)
    found = fragment_line(text[start:], topic)
    return text.count("\n", 0, start) + found if found else 0


@cache
def _parsed(path, languages, mtime):
    with open(path, encoding="utf-8-sig") as source:
        return read_topic_names(source.read(), languages)


def topic_names(settings):
    """{language: {topic: name}} for the site; problems with the table fail the build."""
    path = os.path.join(settings["PATH"], TABLE)
    if not os.path.isfile(path):
        return MappingProxyType({})
    languages = tuple(settings.get("LANGUAGES") or [settings["DEFAULT_LANG"]])
    names, problems = _parsed(path, languages, os.stat(path).st_mtime_ns)
    for line, message in problems:
        report(path, line, message, FIX)
    return names
