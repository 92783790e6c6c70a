"""The benchmark: a generated archive-scale corpus and the builds that are timed on it."""
