"""A Markdown reader that says which file and line it could not read, and why."""

from pelican.readers import MarkdownReader

from .checks import fragment_line, metadata_block
from .problems import ContentError, Problem, display_path, report


def _line_of_offset(data, offset):
    return data.count(b"\n", 0, offset) + 1


class StrictMarkdownReader(MarkdownReader):
    """Reports every file it cannot read, with the line where it can tell.

    A Markdown extension that finds mistakes raises an exception with `problems`,
    each with a `fragment` of source text, a `message` and a `fix`; this reader
    finds the line of each fragment in the file.
    """

    def read(self, source_path):
        try:
            self._check_encoding(source_path)
            try:
                return super().read(source_path)
            except Exception as error:
                if not hasattr(error, "problems") or isinstance(error, ContentError):
                    raise
                raise self._located(source_path, error.problems) from None
        except ContentError as error:
            for problem in error.problems:
                report(problem.path, problem.line, problem.message, problem.fix)
            raise

    @staticmethod
    def _located(source_path, problems):
        with open(source_path, encoding="utf-8-sig") as source:
            text = source.read()
        path = display_path(source_path)
        return ContentError(*(Problem(path, fragment_line(text, p.fragment), p.message, p.fix) for p in problems))

    def _check_encoding(self, source_path):
        with open(source_path, "rb") as source:
            data = source.read()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ContentError(
                Problem(
                    display_path(source_path),
                    _line_of_offset(data, error.start),
                    f"byte {data[error.start]:#04x} is not valid UTF-8",
                    "save the file as UTF-8 (in most editors: Save with encoding > UTF-8)",
                )
            ) from None

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
            raise ContentError(
                Problem(
                    display_path(path),
                    keys.get(name, 1),
                    f"{name.capitalize()}: {value!r} cannot be read ({error})",
                    fix,
                )
            ) from None
