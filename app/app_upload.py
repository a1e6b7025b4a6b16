"""Server-side checks of uploaded reports, before anything touches the corpus.

The browser's file-type filter and Streamlit's upload cap are conveniences only: here
the size is checked against ``max_file_mb``, the type is judged from the content by the
readers' ``detect_format``, and the name is reduced to a plain file name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
UPLOAD_TYPES = ["pdf", "docx", "html", "htm", "xhtml", "md", "markdown", "txt"]


class UploadRefused(Exception):
    """An upload failed a check; the message names the file and what to do."""


def safe_name(name: str) -> str:
    """A file name without folders or unusual characters (the uploaded name is not trusted)."""
    base = _SAFE_NAME.sub("-", Path(name.replace("\\", "/")).name).strip(".-")
    return base[:120] or "report"


def check_upload(name: str, data: bytes, max_mb: float, detect: Callable[[str, bytes], str]) -> tuple[str, str]:
    """(safe file name, format) for an acceptable upload; ``UploadRefused`` or the reader's error otherwise."""
    clean = safe_name(name)
    if len(data) > max_mb * (1 << 20):
        raise UploadRefused(
            f"{clean}: {len(data) / (1 << 20):.1f} MiB is over the {max_mb:g} MiB limit. "
            "Split the file, or raise AMICALL_MAX_FILE_MB."
        )
    if not data.strip():
        raise UploadRefused(f"{clean}: the file is empty. Check it is the right file.")
    return clean, detect(clean, data[:4096])
