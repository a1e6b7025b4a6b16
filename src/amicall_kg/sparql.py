"""Read-only SPARQL over the built graph (Oxigraph) or a remote SPARQL endpoint.

``run_query`` is the one entry point used by the CLI, the HTTP endpoint and the app:

- the default graph is the union of the named graphs (one per report, plus the ontology);
- the prefixes of ``namespaces.PREFIXES`` are predeclared (a query's own PREFIX wins);
- updates, ``SERVICE``, and ``file:`` IRIs are refused before anything runs, and the
  store is opened read-only anyway;
- each query runs in a worker process killed at the timeout (see ``sparql_worker``);
- at most ``max_rows`` rows (or triples) come back, with ``truncated`` set when more existed.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import NoBuildError, QueryError, QueryRefusedError, QuerySyntaxError, QueryTimeoutError
from .settings import Settings
from .sparql_terms import Term, term_to_json, triple_to_json
from .sparql_worker import WorkerCrashed, WorkerTimeout, execute, shared_pool

KINDS = ("select", "ask", "construct", "describe")
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_MB = 200.0

# Strings, IRIs and comments, so keywords are only looked for in the query's own syntax.
_LEXEMES = re.compile(
    r"""(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
         |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
       |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
       |(?P<comment>\#[^\n\r]*)""",
    re.VERBOSE | re.DOTALL,
)
_WORD = r"(?<![\w?$:.\-]){}(?![\w:\-])"
_UPDATE = re.compile(
    _WORD.format(r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)"),
    re.IGNORECASE,
)
_SERVICE = re.compile(_WORD.format("SERVICE"), re.IGNORECASE)
_KIND = re.compile(_WORD.format("(SELECT|ASK|CONSTRUCT|DESCRIBE)"), re.IGNORECASE)
_PREFIX_DECL = re.compile(r"(?<![\w?$:])PREFIX\s+([A-Za-z][\w.\-]*)?\s*:", re.IGNORECASE)
_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
_MAX_DETAIL = 240
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass
class QueryResult:
    """The answer to one query, engine-independent (terms are SPARQL 1.1 JSON terms)."""

    kind: str  # one of KINDS
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)  # SELECT bindings; unbound = absent
    boolean: bool | None = None  # ASK
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)  # CONSTRUCT / DESCRIBE
    truncated: bool = False  # more rows (or triples) existed than max_rows
    elapsed: float = 0.0  # seconds

    @property
    def is_graph(self) -> bool:
        return self.kind in ("construct", "describe")

    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.rows)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Checked:
    """A query that passed the read-only checks, with what was learnt about it."""

    text: str
    kind: str
    declared_prefixes: frozenset[str]


def _code_only(text: str) -> tuple[str, list[str]]:
    """The query with strings, IRIs and comments blanked out, and the IRIs it contains."""
    iris: list[str] = []

    def blank(match: re.Match[str]) -> str:
        if match.group("iri") is not None:
            iris.append(match.group("iri")[1:-1])
            return "<>"
        return " " * len(match.group(0)) if match.group("string") is not None else " "

    return _LEXEMES.sub(blank, text), iris


def check_query(text: str) -> Checked:
    """Refuse what a read-only endpoint must never run; say what kind of query it is."""
    if not text.strip():
        raise QuerySyntaxError("The query is empty. Give a SELECT, ASK, CONSTRUCT or DESCRIBE query.")
    # SPARQL allows \uXXXX escapes anywhere in the query text: check what the parser would see.
    code, iris = _code_only(_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text))
    update = _UPDATE.search(code)
    if update:
        raise QueryRefusedError(
            f"{update.group(1).upper()} is a SPARQL update; this endpoint is read-only. "
            "Rebuild the graph with `amicall-kg build` to change it."
        )
    if _SERVICE.search(code):
        raise QueryRefusedError("SERVICE (federated query) is not allowed here. Query the remote endpoint directly.")
    for iri in iris:
        if iri.strip().lower().startswith("file:"):
            raise QueryRefusedError(f"file: IRIs are not allowed (<{iri}>). Query the built graph only.")
    kind = _KIND.search(code)
    declared = frozenset((m.group(1) or "") for m in _PREFIX_DECL.finditer(code))
    return Checked(text, kind.group(1).lower() if kind else "select", declared)


def _prefixes() -> dict[str, str]:
    from .namespaces import PREFIXES

    return dict(PREFIXES)


def with_prefixes(checked: Checked) -> str:
    """The query text with the common prefixes it does not declare itself, on its first line.

    Used for remote endpoints, which do not know our prefixes; the declarations go on the
    same line as the query's start so line numbers in errors stay the user's.
    """
    extra = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in _prefixes().items() if p not in checked.declared_prefixes)
    return f"{extra} {checked.text}" if extra else checked.text


def syntax_error(message: str, text: str) -> QuerySyntaxError:
    """Turn the engine's 'error at L:C: ...' into a message that points at the spot."""
    match = _ERROR_AT.search(message)
    if not match:
        return QuerySyntaxError(f"SPARQL syntax error: {message}")
    line, column = int(match.group(1)), int(match.group(2))
    detail = " ".join(match.group(3).split())
    if len(detail) > _MAX_DETAIL:
        detail = detail[:_MAX_DETAIL].rsplit(",", 1)[0] + ", ..."
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    pointer = " " * max(0, column - 1) + "^"
    return QuerySyntaxError(
        f"SPARQL syntax error at line {line}, column {column}: {detail}\n    {source}\n    {pointer}",
        line=line,
        column=column,
    )


def resolve_store(source: Settings | Path | str) -> Path:
    """The Oxigraph store folder for settings (the version in service), a version or a store folder."""
    from .manifest import serving_version
    from .store import store_path

    if isinstance(source, Settings):
        path = store_path(serving_version(source.indexes))
    else:
        path = Path(source)
        if store_path(path).is_dir():
            path = store_path(path)
    if not (path / "CURRENT").is_file():  # not an Oxigraph (RocksDB) store folder
        raise NoBuildError(path)
    return path


def run_query(
    source: Settings | Path | str | Any | None,
    text: str,
    timeout: float | None = None,
    max_rows: int | None = None,
    *,
    endpoint: str | None = None,
    workers: int | None = None,
) -> QueryResult:
    """Run a read-only query and return its (possibly truncated) result.

    ``source`` is a ``Settings`` (query the version in service), a version or store folder
    (run in a killable worker process), an open ``pyoxigraph.Store`` (run in this process:
    no hard timeout, for tests and small in-memory graphs), or ``None`` with ``endpoint``.
    ``timeout``/``max_rows``/``workers`` default to the settings (or 10 s / 10,000 / 2).
    """
    if isinstance(source, Settings):
        timeout = source.sparql_timeout if timeout is None else timeout
        max_rows = source.sparql_max_rows if max_rows is None else max_rows
        workers = source.sparql_workers if workers is None else workers
    timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    max_rows = DEFAULT_MAX_ROWS if max_rows is None else int(max_rows)
    if timeout <= 0 or max_rows < 0:
        raise QueryError("The timeout must be positive and max rows zero or more.")
    checked = check_query(text)
    started = time.monotonic()
    if endpoint is not None:
        result = query_endpoint(endpoint, checked, timeout, max_rows)
    elif source is None:
        raise QueryError("Nothing to query: give a built version or an endpoint URL.")
    elif isinstance(source, Settings | Path | str):
        memory_mb = source.sparql_memory_mb if isinstance(source, Settings) else DEFAULT_MEMORY_MB
        request = {
            "store": str(resolve_store(source)),
            "query": text,
            "prefixes": _prefixes(),
            "max_rows": max_rows,
            "memory_mb": memory_mb,
        }
        try:
            answer = shared_pool(workers or 2).run(request, timeout)
        except WorkerTimeout:
            raise QueryTimeoutError(
                f"The query ran longer than {timeout:g} s and was stopped. "
                "Narrow it (more patterns, LIMIT) or raise the timeout (--timeout, AMICALL_SPARQL_TIMEOUT)."
            ) from None
        except WorkerCrashed as exc:
            raise QueryError(f"The query engine stopped ({exc}); the query may need too much memory.") from None
        result = _from_answer(answer, checked)
    else:
        result = _from_answer(execute(source, text, _prefixes(), max_rows), checked)
    result.elapsed = time.monotonic() - started
    return result


query = run_query


def _from_answer(answer: dict[str, Any], checked: Checked) -> QueryResult:
    if not answer.get("ok"):
        message = str(answer.get("message", "unknown error"))
        if answer.get("error") == "syntax":
            raise syntax_error(message, checked.text)
        raise QueryError(f"The query failed: {message}")
    if answer["kind"] == "ask":
        return QueryResult("ask", boolean=bool(answer["boolean"]))
    if answer["kind"] == "select":
        return QueryResult("select", variables=answer["variables"], rows=answer["rows"], truncated=answer["truncated"])
    kind = checked.kind if checked.kind in ("construct", "describe") else "construct"
    triples = [(s, p, o) for s, p, o in answer["triples"]]
    return QueryResult(kind, triples=triples, truncated=answer["truncated"])


# --- remote endpoints ------------------------------------------------------------------

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def query_endpoint(endpoint: str, checked: Checked, timeout: float, max_rows: int) -> QueryResult:
    """Run the query on a SPARQL 1.1 Protocol endpoint (POST, urlencoded) with the same checks."""
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise QueryError(f"Endpoint {endpoint!r} is not an http(s) URL. Give e.g. http://127.0.0.1:7878/query.")
    body = urllib.parse.urlencode({"query": with_prefixes(checked)}).encode("utf-8")
    request = urllib.request.Request(
        endpoint,
        data=body,
        method="POST",
        headers={"Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            media = response.headers.get_content_type()
            payload = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(4000).decode("utf-8", "replace").strip()
        if exc.code == 400:
            raise QuerySyntaxError(f"The endpoint refused the query (400): {detail}") from None
        raise QueryError(f"The endpoint {endpoint} answered {exc.code} {exc.reason}: {detail}") from None
    except TimeoutError:
        raise QueryTimeoutError(f"The endpoint {endpoint} did not answer within {timeout:g} s.") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise QueryTimeoutError(f"The endpoint {endpoint} did not answer within {timeout:g} s.") from None
        raise QueryError(f"Cannot reach {endpoint}: {reason}. Is the endpoint running?") from None
    return parse_response(media, payload, checked, max_rows)


def parse_response(media: str, payload: bytes, checked: Checked, max_rows: int) -> QueryResult:
    """A protocol response (SPARQL JSON results, or an RDF graph) as a ``QueryResult``."""
    if media in ("application/sparql-results+json", "application/json"):
        data = json.loads(payload)
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        bindings = data.get("results", {}).get("bindings", [])
        truncated = len(bindings) > max_rows or bool(data.get("truncated"))
        return QueryResult(
            "select",
            variables=list(data.get("head", {}).get("vars", [])),
            rows=bindings[:max_rows],
            truncated=truncated,
        )
    import pyoxigraph as ox

    try:
        fmt = ox.RdfFormat.from_media_type(media)
    except ValueError:
        fmt = None
    if fmt is None:
        raise QueryError(f"The endpoint answered with an unsupported media type {media!r}.")
    triples: list[tuple[Term, Term, Term]] = []
    truncated = False
    for quad in ox.parse(payload, format=fmt):
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple_to_json(ox.Triple(quad.subject, quad.predicate, quad.object)))
    kind = checked.kind if checked.kind in ("construct", "describe") else "construct"
    return QueryResult(kind, triples=triples, truncated=truncated)


__all__ = ["KINDS", "QueryResult", "check_query", "query", "run_query", "term_to_json"]
