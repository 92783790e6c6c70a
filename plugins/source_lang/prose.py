"""Brackets after a link that are spelt like language codes but are usually prose.

Every entry is a code Babel knows (tests/test_source_lang.py checks it), so each one
changes what a marker-shaped bracket means; a word that is no code needs no entry.
"""

# Lower-case in parentheses, "[the report](…) (or) its summary": English words, so
# text. In brackets, "[it]" stays a marker: that is the documented form.
ENGLISH_WORDS = frozenset(
    "am an as be he hi in is it my no or so to"
    " aka arm cat ewe fin fur hat ice kin lit may nor pan per rum run sag sat sin spa sun ton vie".split()
)

# Upper case, in brackets or parentheses: as often an abbreviation as a language, so
# ambiguous, like a country whose language is another ("AM", Armenia). "UK" is the
# United Kingdom more often than Ukrainian, "EU" the European Union more often than Basque.
ABBREVIATIONS = frozenset(
    "UK EU IT ID IS OR TO HE HI HR"
    " ICE IND LAT MAR MAY PER SAT SUN TEL".split()
)

# Codes for no particular language: undetermined, several, no linguistic content, uncoded.
NO_LANGUAGE = frozenset(("und", "mul", "zxx", "mis"))
