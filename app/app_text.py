"""Safe text for the app: Markdown escaping, match highlighting, Graphviz labels.

Report text is untrusted. Streamlit renders Markdown (links, images, colour and
LaTeX directives), so every string from a report goes through ``md()`` before it
reaches ``st.markdown``/``st.caption``/a widget label: each ASCII punctuation
character is backslash-escaped (CommonMark allows that for all of them), and
whitespace is collapsed so indentation can't start a code block. Highlighting
escapes each piece first and only then adds ``**`` around matched words. The app
never uses raw HTML.
"""

from __future__ import annotations

import re
import string

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s+")
_TOKENS = re.compile(r"\w+|\W+")
_WORD = re.compile(r"\w+")
# Words too common to be worth highlighting in an answer.
_STOP_TEXT = (
    "a an and are as at be by can could did do does for from had has have how i in into is it its of on or "
    "our should so than that the their them then there these they this those to was we were what when where "
    "which who why will with would you your about after also any but more most not other some such"
)
STOPWORDS = frozenset(_STOP_TEXT.split())


def md(text: object) -> str:
    """``text`` as Markdown that displays literally: punctuation escaped, whitespace collapsed."""
    collapsed = _SPACE.sub(" ", str(text)).strip()
    return _PUNCT.sub(r"\\\1", collapsed)


def query_terms(query: str) -> set[str]:
    """Lowercased content words of a question, for highlighting."""
    return {w for w in (m.lower() for m in _WORD.findall(query)) if len(w) > 2 and w not in STOPWORDS}


def _matches(word: str, terms: set[str]) -> bool:
    low = word.lower()
    if low in terms:
        return True
    # Plural and -ing forms of a term of at least four letters ("festival" -> "festivals").
    return any(len(t) >= 4 and low.startswith(t) and len(low) - len(t) <= 3 for t in terms)


def highlight(text: str, query: str) -> str:
    """Escaped Markdown of ``text`` with the question's words in bold."""
    terms = query_terms(query)
    collapsed = _SPACE.sub(" ", text).strip()
    out: list[str] = []
    for token in _TOKENS.findall(collapsed):
        escaped = _PUNCT.sub(r"\\\1", token)
        if terms and token[0].isalnum() and _WORD.fullmatch(token) and _matches(token, terms):
            out.append(f"**{escaped}**")
        else:
            out.append(escaped)
    return "".join(out)


def count_matches(text: str, query: str) -> int:
    """How many words of ``text`` would be highlighted for ``query``."""
    terms = query_terms(query)
    return sum(1 for w in _WORD.findall(text) if _matches(w, terms)) if terms else 0


def clip(text: str, limit: int = 60) -> str:
    """Shorten a label for a graph node or a column header."""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def dot_quote(text: object, limit: int = 60) -> str:
    """A Graphviz double-quoted string: backslashes and quotes escaped, one line."""
    clipped = clip(str(text), limit)
    return '"' + clipped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def citation(passage: dict[str, object]) -> str:
    """Plain-text citation of a passage: report id, page when known, character offsets."""
    parts = [str(passage.get("report") or "unknown report")]
    page = passage.get("page")
    if page not in (None, ""):
        parts.append(f"p. {page}")
    start, end = passage.get("start"), passage.get("end")
    if isinstance(start, int) and isinstance(end, int):
        parts.append(f"chars {start}–{end}")
    return ", ".join(parts)
