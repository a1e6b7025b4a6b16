"""HTML reader (stdlib html.parser): the page's main text, without navigation, headers, footers or scripts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import ReaderError
from .readers_base import Limits, ReadResult, check_text_size, finish_metadata
from .readers_text import decode_text

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Never text: code, media, forms, and the page's chrome.
SKIP = {
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "nav", "aside",
    "form", "button", "select", "textarea", "dialog", "head",
}  # fmt: skip
SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog"}
SKIP_CLASSES = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "sidebar", "cookie", "cookies",
    "cookie-banner", "site-header", "site-footer", "skip-link", "share", "social", "pagination",
}  # fmt: skip
BLOCK = {
    "address", "article", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tr", "ul",
    "caption", "details", "summary",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# A start tag that implicitly closes an open element of these names (HTML's optional end tags).
IMPLIED = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
           "th": {"td", "th"}, "option": {"option"}}  # fmt: skip
META_KEYS = {
    "citation_title": "title", "dc.title": "title", "dcterms.title": "title", "og:title": "title",
    "citation_author": "authors", "author": "authors", "dc.creator": "authors", "dcterms.creator": "authors",
    "article:author": "authors", "citation_publication_date": "date", "citation_date": "date", "dc.date": "date",
    "dcterms.issued": "date", "dcterms.date": "date", "article:published_time": "date", "date": "date",
    "citation_language": "language", "dc.language": "language", "dcterms.language": "language",
    "citation_publisher": "publisher", "dc.publisher": "publisher", "og:site_name": "site",
}  # fmt: skip
_RANK = ["citation_", "dc", "og:", ""]


class _Depth(Exception):
    pass


class _MainText(HTMLParser):
    """Collects text blocks, marking those inside <main>/<article>, skipping the page's chrome."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.max_depth = max_depth
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, main)
        self.blocks: list[tuple[str, bool, bool]] = []  # (text, in_main, is_heading)
        self.buffer: list[str] = []
        self.buffer_main = False
        self.title: list[str] = []
        self.in_title = False
        self.meta: dict[str, list[tuple[int, str]]] = {}
        self.lang: str | None = None
        self.pre = 0

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _main(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def _flush(self, heading: bool = False) -> None:
        text = "".join(self.buffer)
        text = text.strip("\n") if self.pre else " ".join(text.split())
        if text:
            self.blocks.append((text, self.buffer_main, heading))
        self.buffer = []

    def _pop_to(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for name, _, _ in self.stack[i:]:
                    if name in BLOCK:
                        self._flush(heading=name in HEADINGS)
                    if name == "pre":
                        self.pre = max(0, self.pre - 1)
                del self.stack[i:]
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"]
        if tag == "meta":
            key = (a.get("name") or a.get("property") or "").lower()
            if key == "" and a.get("http-equiv", "").lower() == "content-language":
                key = "dc.language"
            if key in META_KEYS and a.get("content", "").strip():
                rank = next(i for i, p in enumerate(_RANK) if key.startswith(p))
                self.meta.setdefault(META_KEYS[key], []).append((rank, a["content"].strip()))
            return
        if tag == "title" and not self.title:
            self.in_title = True
            return
        if tag in VOID:
            if tag in ("br", "hr") and not self._skipping():
                if self.pre:
                    self.buffer.append("\n")
                else:
                    self._flush()
            return
        for opener, closes in IMPLIED.items():
            if tag == opener and self.stack and self.stack[-1][0] in closes:
                self._pop_to(self.stack[-1][0])
        if tag in BLOCK and self.stack and self.stack[-1][0] == "p":
            self._pop_to("p")
        classes = set(re.split(r"\s+", (a.get("class", "") + " " + a.get("id", "")).lower()))
        parent_main = self._main()
        skip = (
            self._skipping()
            or tag in SKIP
            or a.get("role", "").lower() in SKIP_ROLES
            or "hidden" in a
            or a.get("aria-hidden", "").lower() == "true"
            or bool(classes & SKIP_CLASSES)
            or (tag in ("header", "footer") and not parent_main)
        )
        main = parent_main or tag in ("main", "article") or a.get("role", "").lower() == "main"
        if tag in BLOCK:
            self._flush()
        elif tag in ("td", "th") and self.buffer and not skip:
            self.buffer.append(" | ")
        self.stack.append((tag, skip, main))
        if len(self.stack) > self.max_depth:
            raise _Depth
        if tag == "pre":
            self.pre += 1
        self.buffer_main = main

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if any(t == tag for t, _, _ in self.stack):
            self._pop_to(tag)
            self.buffer_main = self._main()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self._skipping():
            if not self.buffer:
                self.buffer_main = self._main()
            self.buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _charset(data: bytes) -> str | None:
    match = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.I)
    return match.group(1).decode("ascii") if match else None


def read_html(path: Path, data: bytes, limits: Limits) -> ReadResult:
    """Main text of an HTML page; headings become sections; <title> and <meta> give the metadata."""
    source, encoding, notes = decode_text(path, data, declared=_charset(data))
    parser = _MainText(limits.max_html_depth)
    try:
        parser.feed(source)
        parser.close()
    except _Depth:
        raise ReaderError(
            path,
            f"nests elements more than {limits.max_html_depth:,} deep, which no real page does",
            "Check where the file came from; if it is genuine, raise AMICALL_MAX_HTML_DEPTH",
        ) from None
    blocks = parser.blocks
    if any(in_main for _, in_main, _ in blocks):
        blocks = [b for b in blocks if b[1]]
    parts: list[str] = []
    sections: list[tuple[str, int]] = []
    offset = 0
    for text, _, heading in blocks:
        if heading:
            sections.append((" ".join(text.split()), offset))
        parts.append(text)
        offset += len(text) + 2
        check_text_size(path, offset, limits)
    if not parts:
        raise ReaderError(path, "contains no readable text", "Check it is the right page (not a script-only shell)")
    meta: dict[str, Any] = {"encoding": encoding}
    for key, values in parser.meta.items():
        best = min(r for r, _ in values)
        chosen = [v for r, v in values if r == best]
        meta[key] = chosen if key == "authors" else chosen[0]
    page_title = " ".join("".join(parser.title).split())
    first_h1 = next((t for t, _, h in blocks if h), None)
    if "title" not in meta:
        meta["title"] = first_h1 or page_title
    if "language" not in meta and parser.lang:
        meta["language"] = parser.lang
    meta.pop("site", None)
    return ReadResult(
        text="\n\n".join(parts) + "\n",
        format="html",
        sections=sections,
        metadata=finish_metadata(meta),
        notes=notes,
    )
