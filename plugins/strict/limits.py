"""Limits on what one source file may hold: its size, and characters no feed can carry.

A post of tens of megabytes takes the build past its memory budget (Markdown holds several
copies of it), and a control character in a title makes every feed that lists the post
impossible to write: both are refused before the file is converted.
"""

import os
import re

from .problems import ContentError, Problem, display_path

# A 10 MB post builds within the memory budget; one of 20 MB (650 MiB at its peak) does not.
DEFAULT_MAX_POST_BYTES = 12_000_000

# Characters XML 1.0 cannot hold in any form, escaped or not (feeds, the sitemap are XML).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def oversize(size, limit):
    """What is wrong with a file of `size` bytes under a limit of `limit`, or None."""
    if size <= limit:
        return None
    return f"the file is {size:,} bytes, more than the {limit:,} a post may have"


def control_character(text):
    """(line, character, how many there are in all) for the first character XML cannot hold, or None."""
    found = _NOT_IN_XML.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, found.group(), len(_NOT_IN_XML.findall(text))


def check_size(source_path, settings):
    """Raise ContentError for a file larger than STRICT["max_post_bytes"], before it is read."""
    limit = settings.get("STRICT", {}).get("max_post_bytes", DEFAULT_MAX_POST_BYTES)
    wrong = oversize(os.path.getsize(source_path), limit)
    if wrong:
        raise ContentError(Problem(display_path(source_path), 0, wrong,
                                   'split it into several posts, or raise STRICT["max_post_bytes"] in pelicanconf.py'))  # fmt: skip


def check_characters(source_path, text):
    """Raise ContentError for a file with a character that no feed can hold (NUL, other control characters)."""
    found = control_character(text)
    if found:
        line, character, count = found
        more = f" ({count - 1} more in the file)" if count > 1 else ""
        raise ContentError(Problem(display_path(source_path), line, f"the control character U+{ord(character):04X} cannot stand in a web page or feed{more}",
                                   "delete it (most editors do not show it; retyping the line removes it)"))  # fmt: skip
