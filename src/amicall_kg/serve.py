"""A read-only SPARQL 1.1 Protocol endpoint over the version in service.

``GET /sparql?query=...``, ``POST`` with ``application/x-www-form-urlencoded`` (``query=``) or
``application/sparql-query``; results negotiated by ``Accept``. Every update form is refused
(403) before anything runs and the store is opened read-only; queries run in killable
workers (timeout -> 503); a row cap sets ``X-Amicall-Truncated: true``. It follows
``indexes/CURRENT`` per request, so a new build is served without a restart.
"""

from __future__ import annotations

import html
import logging
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import AmicallError, NoBuildError, QueryError, QueryRefusedError, QuerySyntaxError, QueryTimeoutError
from .settings import Settings
from .sparql import check_query, run_query
from .sparql_format import MEDIA_OF, negotiate, render
from .sparql_worker import shared_pool

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes of a POSTed query or form
QUERY_PATHS = ("/", "/sparql", "/query")
_EXAMPLE = """SELECT ?practice ?label ?country WHERE {
  ?practice a amc:Practice ; rdfs:label ?label .
  OPTIONAL { ?practice amc:country/rdfs:label ?country }
} ORDER BY ?label LIMIT 20"""


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server, holding the settings and the (optional) pinned version."""

    daemon_threads = True

    def __init__(self, settings: Settings, version: Path | None) -> None:
        self.settings = settings
        self.version = version
        super().__init__((settings.host, settings.port), SparqlHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/sparql"


class _Reply(Exception):
    """Stop handling a request and answer with this status and plain-text message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "amicall-kg-sparql"
    timeout = 60  # seconds a client may take to send its request

    # --- methods -----------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_OPTIONS(self) -> None:
        if not self.server.settings.cors:
            self._not_allowed()
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_allowed(self) -> None:
        allow = "GET, POST, OPTIONS" if self.server.settings.cors else "GET, POST"
        self._text(HTTPStatus.METHOD_NOT_ALLOWED, f"Method {self.command} not allowed; use {allow}.", {"Allow": allow})

    do_PUT = do_DELETE = do_PATCH = do_HEAD = _not_allowed

    # --- the protocol ------------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        try:
            self._handle(method)
        except _Reply as reply:
            self._text(reply.status, reply.message)
        except NoBuildError as exc:
            self._text(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
        except AmicallError as exc:  # pragma: no cover - every known error is mapped above
            self._text(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))

    def _params(self, method: str) -> tuple[str, dict[str, list[str]]]:
        split = urllib.parse.urlsplit(self.path)
        if split.path not in QUERY_PATHS:
            raise _Reply(HTTPStatus.NOT_FOUND, f"No such path {split.path!r}; the endpoint is /sparql.")
        params = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        if method == "POST":
            media = self.headers.get_content_type()
            body = self._body()
            if media == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                if "query" in params:
                    raise _Reply(HTTPStatus.BAD_REQUEST, "Give the query either in the body or as query=, not both.")
                params["query"] = [body.decode("utf-8", "replace")]
            elif media == "application/sparql-update":
                raise _Reply(HTTPStatus.FORBIDDEN, "This endpoint is read-only: SPARQL updates are refused.")
            else:
                raise _Reply(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    f"Unsupported Content-Type {media!r}; use application/x-www-form-urlencoded "
                    "or application/sparql-query.",
                )
        return split.path, params

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise _Reply(HTTPStatus.BAD_REQUEST, "Bad Content-Length header.") from None
        if length < 0 or length > MAX_BODY:
            raise _Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"The request body is limited to {MAX_BODY} bytes.")
        return self.rfile.read(length)

    def _handle(self, method: str) -> None:
        path, params = self._params(method)
        if "update" in params:
            raise _Reply(HTTPStatus.FORBIDDEN, "This endpoint is read-only: SPARQL updates are refused.")
        queries = params.get("query", [])
        if len(queries) > 1:
            raise _Reply(HTTPStatus.BAD_REQUEST, "Give exactly one query parameter (got several).")
        if not queries:
            if method == "GET" and path == "/":
                self._send(HTTPStatus.OK, self._form_page().encode("utf-8"), "text/html; charset=utf-8")
                return
            raise _Reply(HTTPStatus.BAD_REQUEST, "Missing the query parameter: give ?query=... or POST a query.")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            raise _Reply(
                HTTPStatus.BAD_REQUEST,
                "default-graph-uri and named-graph-uri are not supported; use GRAPH in the query "
                "(the default graph is the union of all graphs).",
            )
        text = queries[0]
        try:
            checked = check_query(text)
            graph = checked.kind in ("construct", "describe")
            fmt = negotiate(self.headers.get("Accept"), graph)
            if fmt is None:
                kinds = (
                    "text/turtle, application/n-triples, application/ld+json"
                    if graph
                    else (
                        "application/sparql-results+json, application/sparql-results+xml, text/csv, "
                        "text/tab-separated-values"
                    )
                )
                raise _Reply(HTTPStatus.NOT_ACCEPTABLE, f"No acceptable media type; this query can give: {kinds}.")
            settings = self.server.settings
            result = run_query(self.server.version or settings, text, settings.sparql_timeout, settings.sparql_max_rows)
            if result.is_graph != graph:
                fmt = negotiate(self.headers.get("Accept"), result.is_graph) or ("ttl" if result.is_graph else "json")
            body = render(result, fmt).encode("utf-8")
        except QueryRefusedError as exc:
            raise _Reply(HTTPStatus.FORBIDDEN, str(exc)) from None
        except QuerySyntaxError as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, str(exc)) from None
        except QueryTimeoutError as exc:
            raise _Reply(HTTPStatus.SERVICE_UNAVAILABLE, str(exc)) from None
        except NoBuildError:
            raise
        except QueryError as exc:
            raise _Reply(HTTPStatus.BAD_REQUEST, str(exc)) from None
        extra = {"X-Amicall-Truncated": "true" if result.truncated else "false"}
        self._send(HTTPStatus.OK, body, f"{MEDIA_OF[fmt]}; charset=utf-8", extra)

    # --- responses ---------------------------------------------------------------------

    def _cors(self) -> None:
        if self.server.settings.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-Amicall-Truncated")

    def _send(self, status: HTTPStatus, body: bytes, media: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self._cors()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: HTTPStatus, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra)

    def _form_page(self) -> str:
        version = self.server.version.name if self.server.version else "the version in service"
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>amicall-kg SPARQL</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'">
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}textarea{{width:100%;height:14em}}</style>
</head><body>
<h1>amicall-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over {html.escape(version)}. The default graph is the union of all graphs;
prefixes {html.escape(", ".join(_prefix_names()))} are predeclared.</p>
<form method="get" action="/sparql">
<textarea name="query">{html.escape(_EXAMPLE)}</textarea>
<p><button type="submit">Run</button></p>
</form></body></html>
"""

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s - %s", self.address_string(), format % args)


def _prefix_names() -> list[str]:
    from .namespaces import PREFIXES

    return sorted(PREFIXES)


def make_server(settings: Settings, version: Path | None = None) -> SparqlServer:
    """A ready-to-run endpoint (port 0 picks a free port); workers are pre-started.

    With ``version`` the endpoint serves that version; otherwise the one in service, followed
    per request.
    """
    shared_pool(settings.sparql_workers).start()
    return SparqlServer(settings, version)


def serve(settings: Settings, version: Path | None = None) -> None:
    """Run the endpoint until interrupted."""
    server = make_server(settings, version)
    try:
        server.serve_forever()
    finally:
        server.server_close()
