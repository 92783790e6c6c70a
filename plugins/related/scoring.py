"""Which stories are related to a post: pure functions over plain values, no Pelican objects."""

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

# Past this many countries and topics on one post, counting shared terms is quicker than
# intersecting every combination of them.
MAX_COMBINED_TERMS = 8


@dataclass(frozen=True)
class Story:
    key: object  # whatever identifies the post to the caller; unique
    countries: frozenset
    topics: frozenset
    date: object  # anything ordered: a datetime


def related_stories(stories, count=3):
    """For each story (by key), up to `count` other stories of the list sharing a country or a
    topic with it: one point per shared country and per shared topic, the most points first,
    then the newest (one date: by key, backwards, so that the input's order never matters).

    Stories are numbered newest first and found through an index of country and topic to the
    set of those numbers: the stories sharing all of a post's terms are one set intersection,
    those sharing all but one the next, and so on until `count` are found. An archive of
    thousands of posts is not compared pair by pair."""
    ranked = sorted(stories, key=lambda s: (s.date, str(s.key)), reverse=True)
    postings = defaultdict(set)
    for number, story in enumerate(ranked):
        for term in _terms(story):
            postings[term].add(number)
    # Stories with the same countries and topics have the same candidates: one search for them
    # all, for one more than `count`, since each leaves itself out.
    best_by_terms = {}
    found = {}
    for number, story in enumerate(ranked):
        terms = tuple(sorted(_terms(story)))
        if terms not in best_by_terms:
            sets = [postings[term] for term in terms]
            search = _by_counting if len(sets) > MAX_COMBINED_TERMS else _by_levels
            best_by_terms[terms] = search(sets, count + 1)
        found[story.key] = [ranked[n].key for n in best_by_terms[terms] if n != number][:count]
    return found


def _by_levels(sets, count):
    chosen, seen = [], set()
    for shared in range(len(sets), 0, -1):
        if len(chosen) >= count:
            break
        level = set().union(*(set.intersection(*group) for group in combinations(sets, shared))) - seen
        chosen += heapq.nsmallest(count - len(chosen), level)
        seen |= level
    return chosen


def _by_counting(sets, count):
    shared = Counter()
    for members in sets:
        shared.update(members)
    return heapq.nsmallest(count, shared, key=lambda n: (-shared[n], n))


def _terms(story):
    return [("country", c) for c in story.countries] + [("topic", t) for t in story.topics]
