"""The country names file (`names.json`) made from CLDR's JSON, as npm's cldr packages ship it.

Babel gives each territory one name per language; CLDR also has alternative and short names
(`TR-alt-variant` "Turkey", `MM-alt-short` "Myanmar") that people write, so `invoke
cldr-countries` reads them from `cldr-localenames-full` and writes them here for the build.
"""

import json
from pathlib import Path

# Territories CLDR describes but that no post is about: "Unknown Region".
NOT_COUNTRIES = {"ZZ"}


def country_codes(territory_info):
    """The countries of cldr-core's territoryInfo.json: two-letter codes, not regions or unions."""
    entries = territory_info["supplemental"]["territoryInfo"]
    return sorted(code for code in entries if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


def names_in(territories, codes):
    """Each country's names in one language from CLDR's territories.json: the main one first,
    then its alternative and short forms ("TR": ["Türkiye", "Turkey"])."""
    found = {}
    for key, name in sorted(territories.items()):
        code, _, alternative = key.partition("-alt-")
        if code in codes and name:
            found.setdefault(code, [])
            if alternative:
                found[code].append(name)
            else:
                found[code].insert(0, name)
    return found


def names_from_cldr(territory_info, territories_by_lang, version):
    """The whole file: for each country, its names in each language ("TR": {"en": [...], ...})."""
    codes = set(country_codes(territory_info))
    countries = {code: {} for code in sorted(codes)}
    for lang, territories in territories_by_lang.items():
        for code, names in names_in(territories, codes).items():
            countries[code][lang] = names
    return {"source": f"CLDR {version} (npm cldr-localenames-full)", "languages": list(territories_by_lang),
            "countries": countries}  # fmt: skip


def read_cldr(node_modules, languages):
    """names_from_cldr() over the npm packages installed in `node_modules`."""
    root = Path(node_modules)
    package = json.loads((root / "cldr-localenames-full/package.json").read_text(encoding="utf-8"))
    info = json.loads((root / "cldr-core/supplemental/territoryInfo.json").read_text(encoding="utf-8"))
    by_lang = {}
    for lang in languages:
        path = root / f"cldr-localenames-full/main/{lang}/territories.json"
        if not path.exists():
            raise FileNotFoundError(f"CLDR has no territory names for {lang!r} ({path})")
        by_lang[lang] = json.loads(path.read_text(encoding="utf-8"))["main"][lang]["localeDisplayNames"]["territories"]
    return names_from_cldr(info, by_lang, package["version"])


def write_names(node_modules, languages, target):
    """Write the names file for English and `languages`; returns how many countries it names."""
    data = read_cldr(node_modules, ["en", *(lang for lang in languages if lang != "en")])
    # One line per country, so that a new CLDR release reads as a short diff.
    lines = [f"  {json.dumps(code)}: {json.dumps(names, ensure_ascii=False, sort_keys=True)}" for code, names in data["countries"].items()]
    head = {key: value for key, value in data.items() if key != "countries"}
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "countries": {\n' + ",\n".join(lines) + "\n}}\n"
    Path(target).write_text(text, encoding="utf-8")
    return len(data["countries"])
