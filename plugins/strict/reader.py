"""A Markdown reader that says which file and line it could not read, and why."""


from markdown import Markdown
from pelican.readers import MarkdownReader

from .checks import deepest_nesting, fragment_line, malformed_metadata, metadata_block
from .limits import check_characters, check_size
from .problems import ContentError, Problem, display_path, report

# The metadata key under which a file's problems found while reading travel to `check_content`,
# which reports them with the rest: through Pelican's reader cache too, so that an unchanged
# file is reported again by the next build. Each is (line, message, fix).
CARRIED = "strict_problems"
_UNREADABLE = object()


def _line_of_offset(data, offset):
    return data.count(b"\n", 0, offset) + 1


class StrictMarkdownReader(MarkdownReader):
    """Reports every file it cannot read, with the line where it can tell.

    A Markdown extension that finds mistakes raises an exception with `problems`,
    each with a `fragment` of source text, a `message` and a `fix`; this reader
    finds the line of each fragment in the file. Those, and metadata values that
    cannot be read, leave the rest of the file to be read and checked: every
    problem of a file is reported in one build (see `CARRIED`). A file that
    cannot be read at all raises ContentError.
    """

    _carried = None  # the problems of the file being read, while one is

    def read(self, source_path):
        self._carried = []
        try:
            check_size(source_path, self.settings)
            text = self._check_encoding(source_path)
            check_characters(source_path, text)
            self._check_shape(source_path, text)
            try:
                content, metadata = self._convert(source_path, text)
            except RecursionError:
                raise ContentError(Problem(display_path(source_path), 0, "the file is nested too deeply to read",
                                           "flatten its lists and quotes")) from None  # fmt: skip
            except Exception as error:
                if not hasattr(error, "problems") or isinstance(error, ContentError):
                    raise
                # The text has mistakes: none of it is shown, but the metadata is still read and checked.
                self._carried += self._located(source_path, error.problems).problems
                content, metadata = "", self._metadata()
            if self._carried:
                metadata[CARRIED] = tuple((p.line, p.message, p.fix) for p in self._carried)
            return content, metadata
        except ContentError as error:
            for problem in error.problems:
                report(problem.path, problem.line, problem.message, problem.fix)
            raise
        finally:
            self._carried = None

    def _convert(self, source_path, text):
        """What Pelican's MarkdownReader.read returns, from the text already read, with reused Markdown instances.

        Setting up Python-Markdown and its extensions costs about a fifth of converting a
        post; `reset()` is how Python-Markdown expects one instance to convert many documents.
        """
        self._source_path = source_path
        if not hasattr(self, "_documents"):
            # Made at the first file: Pelican makes a reader for every generator, most of which read nothing.
            self._documents = Markdown(**self.settings["MARKDOWN"])
            # Metadata fields (Summary:) get an instance of their own, whose "meta" step Pelican
            # takes out before converting them, and which is put back for the next file.
            self._fields = Markdown(**self.settings["MARKDOWN"])
            self._meta_step = self._fields.preprocessors["meta"] if "meta" in self._fields.preprocessors else None
        content = self._documents.reset().convert(text)
        return content, self._metadata()

    def _metadata(self):
        """The metadata the last conversion found (the first step of one that stopped at a mistake found it too)."""
        if not getattr(self._documents, "Meta", None):
            return {}
        self._md = self._fields.reset()
        return self._parse_metadata(self._documents.Meta)

    def _parse_metadata(self, meta):
        """Pelican's, one key at a time: a value with a mistake is reported and left out, and the rest is read."""
        output = {}
        for name, value in meta.items():
            # Pelican takes the "meta" step out of the fields' instance for each call; put it back.
            if self._meta_step is not None and "meta" not in self._fields.preprocessors:
                self._fields.preprocessors.register(self._meta_step, "meta", 0)
            try:
                output.update(super()._parse_metadata({name: value}))
            except Exception as error:  # a marker in the Summary, say
                if self._carried is None or not hasattr(error, "problems") or isinstance(error, ContentError):
                    raise
                self._carried += self._located(self._source_path, error.problems).problems
        return {key: value for key, value in output.items() if value is not _UNREADABLE}

    @staticmethod
    def _located(source_path, problems):
        with open(source_path, encoding="utf-8-sig") as source:
            text = source.read()
        path = display_path(source_path)
        return ContentError(*(Problem(path, fragment_line(text, p.fragment), p.message, p.fix) for p in problems))

    def _check_shape(self, source_path, text):
        bad = malformed_metadata(text)
        if bad:
            number, line = bad
            raise ContentError(Problem(display_path(source_path), number, f"{line.strip()!r} is not a `Key: value` line",
                               "write every metadata line as `Key: value`; leave one blank line before the text"))  # fmt: skip
        limit = self.settings.get("STRICT", {}).get("max_nesting", 40)
        deep = deepest_nesting(text, limit)
        if deep:
            number, depth = deep
            raise ContentError(Problem(display_path(source_path), number, f"lists and quotes are nested {depth} deep here",
                               f"nest at most {limit} levels; flatten the lists or quotes"))  # fmt: skip

    def _check_encoding(self, source_path):
        """The file's text; a clear error if it is not UTF-8 (a BOM is allowed)."""
        with open(source_path, "rb") as source:
            data = source.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ContentError(
                Problem(
                    display_path(source_path),
                    _line_of_offset(data, error.start),
                    f"byte {data[error.start]:#04x} is not valid UTF-8",
                    "save the file as UTF-8 (in most editors: Save with encoding > UTF-8)",
                )
            ) from None
        return text

    def process_metadata(self, name, value):
        try:
            return super().process_metadata(name, value)
        except Exception as error:
            path = self._source_path
            if path is None:  # a DEFAULT_METADATA value: a settings error, not content
                raise
            with open(path, encoding="utf-8-sig") as source:
                keys, _ = metadata_block(source.read())
            fix = {
                "date": "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2024-03-05 09:30",
                "modified": "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2024-03-05 09:30",
            }.get(name, f"correct the {name.capitalize()}: line")
            problem = Problem(display_path(path), keys.get(name, 1), f"{name.capitalize()}: {value!r} cannot be read ({error})", fix)
            if self._carried is None:  # not while a file is read (Pelican's path metadata): it stops here
                raise ContentError(problem) from None
            self._carried.append(problem)
            return _UNREADABLE
