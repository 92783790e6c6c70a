"""The region a country is in, by CLDR's territory containment (UN M49), and its name."""

from babel import Locale
from country_names import normalised


def region_of(code, containment):
    """The smallest region that contains a country ("KZ" -> "143", Central Asia), or None.
    `containment` maps each region code to the territories and regions it contains."""
    return next((region for region, members in sorted(containment.items())
                 if region.isdigit() and code in members), None)  # fmt: skip


def region_name(region, lang):
    """A region's name in a language, by CLDR ("143", "ru" -> "Центральная Азия")."""
    for locale in (lang, "en"):
        try:
            name = Locale.parse(locale, sep="-").territories.get(region)
        except (ValueError, LookupError):
            continue
        if name:
            return name
    return region


def region_topic(region, topics):
    """The topic (of `topics`, anything with a `name`) that is the region's page: the one
    named as CLDR names the region in English, in any case or spelling `normalised` forgives."""
    wanted = normalised(region_name(region, "en"))
    return next((topic for topic in topics if normalised(topic.name) == wanted), None)
