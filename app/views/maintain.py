"""Maintain (only when the app_maintain setting is on): status, upload of reports, re-index."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

import app_core as core
from app_text import md
from app_upload import UPLOAD_TYPES, check_upload
from app_views import show_error

settings = core.get_settings()
st.title("Maintain")
if not settings.app_maintain:
    st.warning("The Maintain page is switched off. Start the app with `amicall-kg app --maintain` to use it.")
    st.stop()


def _plain(value: Any) -> Any:
    """A core result object as plain data (``as_dict`` when it has one)."""
    if hasattr(value, "as_dict"):
        return value.as_dict()
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value


# --- status ----------------------------------------------------------------------------------------
st.subheader("Status")
try:
    status = core.corpus_status()
    st.caption(
        md(f"Corpus {status.corpus}; version in service: {status.version or 'none'}")
        + (" — **a rebuild is due**" if status.stale else "")
    )
    st.dataframe(
        [
            {"report": r.id, "year": r.year, "characters": r.chars, "built": r.built, "title": r.title}
            for r in status.reports
        ],
        hide_index=True,
    )
except Exception as exc:
    show_error(exc)

# --- upload ----------------------------------------------------------------------------------------
st.subheader("Add reports")
limit_mb = float(settings.max_file_mb)
st.caption(f"PDF, DOCX, HTML, Markdown or plain text, at most {limit_mb:g} MiB each. The type is checked by content.")
uploads = st.file_uploader("Report files", type=UPLOAD_TYPES, accept_multiple_files=True, key="maintain-upload")
with st.expander("Metadata for the new reports (optional: what the files say is used otherwise)"):
    c1, c2 = st.columns(2)
    title = c1.text_input("Title (one file only)", key="maintain-title")
    authors = c2.text_input("Authors (separated by ;)", key="maintain-authors")
    year = c1.number_input("Year (0 = from the file)", min_value=0, max_value=2100, value=0, key="maintain-year")
    publisher = c2.text_input("Publisher", key="maintain-publisher")
    source = c1.text_input("Source (address)", key="maintain-source")
    licence = c2.text_input("Licence note", key="maintain-licence")
if uploads and st.button("Check and add to the corpus", key="maintain-ingest"):
    accepted: list[tuple[str, bytes]] = []
    for upload in uploads:
        data = upload.getvalue()
        try:
            name, fmt = check_upload(upload.name, data, limit_mb, core.detect_format)
        except Exception as exc:
            show_error(exc)
            continue
        st.success(md(f"{name}: looks like {fmt}."))
        accepted.append((name, data))
    overrides: dict[str, Any] = {
        "title": title.strip() if len(accepted) == 1 else "",
        "authors": [a.strip() for a in authors.split(";") if a.strip()],
        "year": int(year) or None,
        "publisher": publisher.strip(),
        "source": source.strip(),
        "licence": licence.strip(),
    }
    if accepted:
        with tempfile.TemporaryDirectory(prefix="amicall-upload-") as folder:
            paths = []
            for name, data in accepted:
                path = Path(folder) / name
                path.write_bytes(data)
                paths.append(path)
            try:
                with st.spinner("Reading and adding the reports…"):
                    outcome = core.ingest(paths, {k: v for k, v in overrides.items() if v})
                st.session_state["maintain-ingested"] = _plain(outcome)
            except Exception as exc:
                show_error(exc)
ingested = st.session_state.get("maintain-ingested")
if isinstance(ingested, dict):
    files = ingested.get("files") or []
    st.markdown("**Ingest result**")
    st.dataframe(
        [
            {k: f.get(k) for k in ("path", "status", "id", "format", "chars", "pages", "reason")}
            for f in files
            if isinstance(f, dict)
        ],
        hide_index=True,
    )
    for f in files:
        if isinstance(f, dict) and f.get("status") == "refused":
            st.error(md(f"{Path(str(f.get('path'))).name}: {f.get('reason')}"))
    if any(isinstance(f, dict) and f.get("status") in ("added", "replaced") for f in files):
        st.info("Re-index below to make the new reports searchable.")

# --- re-index --------------------------------------------------------------------------------------
st.subheader("Re-index")
st.caption("Builds a new version beside the one in service and switches to it only when it is complete.")
if st.button("Re-index now", type="primary", key="maintain-build"):
    bar = st.progress(0.0, text="Starting…")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 0.0, text=md(f"{stage}: {done}/{total}"))

    try:
        result = core.build(progress=progress)
        bar.progress(1.0, text="Done")
        st.session_state["maintain-build-result"] = _plain(result)
        core.clear_caches()
    except Exception as exc:
        show_error(exc)

built = st.session_state.get("maintain-build-result")
if isinstance(built, dict):
    if built.get("noop"):
        st.info(md(f"Nothing changed; version {built.get('version')} stays in service."))
    else:
        st.success(md(f"Version {built.get('version')} is in service ({built.get('seconds', 0):.1f} s)."))
    changes = [_plain(c) for c in built.get("changes") or []]
    if changes:
        st.markdown("**Changelog**")
        st.dataframe(
            [{k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in c.items()} for c in changes],
            hide_index=True,
        )
    for warning in built.get("warnings") or []:
        st.warning(md(warning))
    if built.get("counts"):
        st.dataframe([{"what": k, "count": v} for k, v in built["counts"].items()], hide_index=True)
