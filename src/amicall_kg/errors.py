"""The toolkit's own exceptions.

Each message says what went wrong *and what to do next* (Flask's ``NoAppException``
habit). The core raises these; the edges (CLI, app, endpoint) show the message.
"""

from __future__ import annotations


class AmicallError(Exception):
    """Base class: every error the toolkit raises on purpose."""

    exit_code = 1


class SettingsError(AmicallError):
    """A setting has a bad value or name."""

    exit_code = 2


class CorpusError(AmicallError):
    """The corpus folder or its metadata file is missing or malformed."""


class MetadataError(CorpusError):
    """One report's metadata is missing a field or has a bad value."""

    def __init__(self, path: object, field: str, problem: str) -> None:
        self.path = str(path)
        self.field = field
        super().__init__(f"{self.path}: field {field!r} {problem}")


class ReaderError(AmicallError):
    """A report file could not be read; the message names the file and the fix."""

    def __init__(self, path: object, problem: str, fix: str) -> None:
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        super().__init__(f"{self.path}: {problem}. {fix}")


class BuildError(AmicallError):
    """A build could not finish; the version in service is unchanged."""


class BuildLockedError(BuildError):
    """Another build holds the lock."""


class ValidationError(BuildError):
    """The built graph broke a SHACL shape; nothing was published."""


class NoBuildError(AmicallError):
    """No built version exists yet."""

    def __init__(self, indexes: object) -> None:
        super().__init__(f"No build found in {indexes}. Run `amicall-kg build` first.")


class IndexMismatchError(AmicallError):
    """A saved index does not match the current settings or graph."""


class IntegrityError(AmicallError):
    """A saved file's checksum does not match its config.json."""


class ModelNotFoundError(AmicallError):
    """A configured model package is not installed."""


class SentenceModelError(AmicallError):
    """The practice-sentence model is missing, damaged or made for another encoder."""


class QueryError(AmicallError):
    """A query (SPARQL or search) is malformed or not allowed."""


class OntologyError(AmicallError):
    """An ontology, vocabulary or shapes file is missing or malformed."""

    def __init__(self, path: object, problem: str, fix: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {problem}. {fix}")


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse; ``line`` and ``column`` (1-based) say where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        super().__init__(message)


class QueryRefusedError(QueryError):
    """A SPARQL request asks for something a read-only endpoint never does (update, SERVICE, files)."""


class QueryTimeoutError(QueryError):
    """A SPARQL query ran past its time limit and was stopped."""


class EvaluationError(AmicallError):
    """A gold file is missing or malformed, or does not fit the corpus being scored."""


class ExportError(AmicallError):
    """A graph export or a push to an external store failed."""
