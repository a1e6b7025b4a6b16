"""Readers: every format read with its metadata and structure; every bad file refused with a clear message.

All files are generated here (fpdf2 and pypdf for PDFs, python-docx and zipfile for DOCX).
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from amicall_kg.errors import ReaderError
from amicall_kg.readers import TEST_HOOK_ENV, Limits, detect_format, read_file

LIMITS = Limits()

# --- generators (also used by test_ingest.py) ---------------------------------------------------


def make_pdf(
    path: Path,
    pages: list[str],
    title: str | None = None,
    author: str | None = None,
    year: int | None = None,
    outline: bool = True,
) -> Path:
    """A text PDF, one string per page; each page's first line is also an outline entry."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if year:
        pdf.set_creation_date(datetime(year, 5, 1, tzinfo=UTC))
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if outline:
            pdf.start_section(text.split("\n", 1)[0])
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def make_image_pdf(path: Path) -> Path:
    """A 'scanned' PDF: two pages with a picture each and no text layer."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    for shade in (80, 160):
        pdf.add_page()
        pdf.image(Image.new("RGB", (60, 40), (shade, shade, shade)), x=20, y=20, w=120)
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path, source: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt("secret", algorithm="RC4-128")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def make_docx(path: Path, title: str = "", author: str = "", year: int = 2020) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.created = datetime(year, 3, 1)
    document.add_heading("Background", 1)
    document.add_paragraph("The council opened a neighbourhood centre for newcomers.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Partner"
    table.cell(0, 1).text = "Library service"
    document.add_heading("Results", 1)
    document.add_paragraph("Attendance grew each month.")
    document.save(str(path))
    return path


def replace_member(source: Path, path: Path, name: str, data: bytes) -> Path:
    """A copy of a zip with one member's content replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == name else old.read(info.filename))
    return path


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n'
        % (i, b"".join(b"&lol%s;" % (str(i - 1).encode() if i > 1 else b"") for _ in range(10)))
        for i in range(1, 10)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def make_zip_bomb(path: Path, megabytes: int = 60) -> Path:
    """A .docx-shaped zip whose document.xml inflates ~1000:1."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (megabytes << 20) + b"</w:document>")
    return path


def make_nested_html(path: Path, depth: int = 10_000) -> Path:
    path.write_text("<html><body>" + "<div>" * depth + "deep" + "</div>" * depth + "</body></html>")
    return path


HTML_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Welcoming towns | Example Site</title>
<meta name="citation_title" content="Welcoming towns: a review">
<meta name="citation_author" content="Ana Lopez"><meta name="citation_author" content="Tom Baker">
<meta name="citation_publication_date" content="2018/06/30">
<script>var tracking = "SCRIPT-TEXT";</script><style>body { color: red }</style></head>
<body><header class="site-header"><a href="/">HEADER-TEXT</a></header>
<nav><ul><li>NAV-HOME<li>NAV-ABOUT</ul></nav>
<main><article><h1>Welcoming towns</h1><p>Small towns set up <b>mentoring</b> schemes.<p>Libraries hosted
language cafés.<h2>Lessons</h2><ul><li>Start small<li>Involve residents</ul></article>
<aside>ASIDE-TEXT</aside></main>
<footer>FOOTER-TEXT &copy; 2018</footer><script>SCRIPT-TWO()</script></body></html>
"""

MARKDOWN = """---
title: "Neighbourhood dialogue in practice"
authors:
  - Priya Shah
  - Lars Berg
date: 2022-09-14
language: en
---
# Introduction

The **district council** ran *listening sessions* with
[residents](https://example.org/residents) and `newcomers`.

## Findings

- Trust improved
- Rumours declined

| Measure | Change |
|---------|--------|
| Trust   | +12%   |
"""


# --- good files ---------------------------------------------------------------------------------


def test_pdf_page_map_sections_and_metadata(tmp_path: Path) -> None:
    pages = [
        f"Section {n}\nPage {n} says the town council {word}." for n, word in enumerate(["met", "acted", "won"], 1)
    ]
    path = make_pdf(tmp_path / "r.pdf", pages, title="Town councils at work", author="Jane Roe; John Poe", year=2017)
    result = read_file(path, LIMITS)
    assert result.format == "pdf"
    assert result.pages is not None and len(result.pages) == 3
    start, end = result.pages[1]
    assert "Page 2 says the town council acted" in result.text[start:end]
    assert "Page 1" not in result.text[start:end] and "Page 3" not in result.text[start:end]
    assert [t for t, _ in result.sections] == ["Section 1", "Section 2", "Section 3"]
    assert result.text[result.sections[2][1] :].startswith("Section 3")
    assert result.metadata["title"] == "Town councils at work"
    assert result.metadata["authors"] == ["Jane Roe", "John Poe"]
    assert result.metadata["year"] == 2017


def test_pdf_running_headers_and_page_numbers_are_removed_and_lines_joined(tmp_path: Path) -> None:
    words = ["green", "quiet", "busy", "open"]
    pages = [
        f"Welcoming Towns Review\nBody {n}: the {w} council supported inte-\n"
        f"gration of newcomers and\n{w} residents.\n{n}"
        for n, w in enumerate(words, 1)
    ]
    result = read_file(make_pdf(tmp_path / "running.pdf", pages, outline=False), LIMITS)
    assert "Welcoming Towns Review" not in result.text and not result.text.rstrip().endswith("4")
    assert result.pages is not None
    start, end = result.pages[2]
    assert result.text[start:end] == "Body 3: the busy council supported integration of newcomers and busy residents."
    assert any("running header" in note for note in result.notes)


def test_docx_text_headings_table_and_core_properties(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "r.docx", title="Centres for newcomers", author="Mia Wong", year=2019)
    result = read_file(path, LIMITS)
    assert result.format == "docx" and result.pages is None
    assert "neighbourhood centre for newcomers" in result.text
    assert "Partner | Library service" in result.text
    assert [t for t, _ in result.sections] == ["Background", "Results"]
    assert result.text[result.sections[1][1] :].startswith("Results")
    assert result.metadata["title"] == "Centres for newcomers"
    assert result.metadata["authors"] == ["Mia Wong"]
    assert result.metadata["year"] == 2019


def test_docx_footnotes_are_kept_as_notes(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    footnotes = (
        b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>SEPARATOR</w:t></w:r></w:p></w:footnote>'
        b'<w:footnote w:id="1"><w:p><w:r><w:t>Survey of 40 centres, 2019.</w:t></w:r></w:p></w:footnote>'
        b"</w:footnotes>"
    )
    with zipfile.ZipFile(good, "a") as z:
        z.writestr("word/footnotes.xml", footnotes)
    result = read_file(good, LIMITS)
    assert result.text.endswith("Notes\n\n[1] Survey of 40 centres, 2019.\n")
    assert "SEPARATOR" not in result.text and result.sections[-1][0] == "Notes"


def test_html_main_text_only_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    result = read_file(path, LIMITS)
    assert "Small towns set up mentoring schemes." in result.text
    assert "language cafés" in result.text
    assert "Involve residents" in result.text
    for chrome in ("HEADER-TEXT", "NAV-HOME", "FOOTER-TEXT", "SCRIPT", "ASIDE-TEXT", "color: red"):
        assert chrome not in result.text
    assert [t for t, _ in result.sections] == ["Welcoming towns", "Lessons"]
    assert result.metadata["title"] == "Welcoming towns: a review"
    assert result.metadata["authors"] == ["Ana Lopez", "Tom Baker"]
    assert result.metadata["date"] == "2018-06-30" and result.metadata["year"] == 2018
    assert result.metadata["language"] == "en-GB"


def test_html_without_main_keeps_body_but_not_chrome(tmp_path: Path) -> None:
    path = tmp_path / "plain.htm"
    path.write_text(
        "<html><body><nav>Menu</nav><p>Body text here.</p><table><tr><td>Town</td><td>Ghent</td></tr></table>"
        "<footer>Foot</footer></body></html>"
    )
    result = read_file(path, LIMITS, isolated=False)
    assert result.text == "Body text here.\n\nTown | Ghent\n"


def test_markdown_front_matter_and_stripped_markup(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    result = read_file(path, LIMITS)
    assert result.metadata["title"] == "Neighbourhood dialogue in practice"
    assert result.metadata["authors"] == ["Priya Shah", "Lars Berg"]
    assert result.metadata["year"] == 2022 and result.metadata["language"] == "en"
    assert "The district council ran listening sessions with residents and newcomers." in result.text
    for markup in ("**", "](", "`", "---", "title:", "|---"):
        assert markup not in result.text
    assert [t for t, _ in result.sections] == ["Introduction", "Findings"]
    assert result.text[result.sections[1][1] :].startswith("Findings\n\nTrust improved")


@pytest.mark.parametrize(
    ("encoding", "bom", "noted"),
    [("utf-8", b"", False), ("utf-8", b"\xef\xbb\xbf", False), ("utf-16-le", b"\xff\xfe", False),
     ("utf-16-be", b"\xfe\xff", False), ("cp1252", b"", True)],
)  # fmt: skip
def test_text_encodings(tmp_path: Path, encoding: str, bom: bytes, noted: bool) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(bom + "Café Zürich – naïve\r\nsecond line".encode(encoding))
    result = read_file(path, LIMITS, isolated=False)
    assert result.text == "Café Zürich – naïve\nsecond line\n"
    assert bool(result.notes) is noted
    if noted:
        assert "cp1252" in result.notes[0]


def test_type_is_detected_from_content_not_name(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", ["Real PDF text"])
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(pdf.read_bytes())
    assert read_file(disguised, LIMITS).format == "pdf"
    html = tmp_path / "page.txt"
    html.write_text("<!DOCTYPE html><html><body><p>Hello</p></body></html>")
    assert read_file(html, LIMITS, isolated=False).format == "html"
    assert detect_format(Path("x.bin"), b"plain words") == "text"


# --- refusals -----------------------------------------------------------------------------------


def refusal(path: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(ReaderError) as caught:
        read_file(path, limits)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert caught.value.fix, message
    return message


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "open.pdf", ["Secret plans"])
    assert "encrypted" in refusal(make_encrypted_pdf(tmp_path / "locked.pdf", source))


def test_image_only_pdf_suggests_ocr(tmp_path: Path) -> None:
    message = refusal(make_image_pdf(tmp_path / "scan.pdf"))
    assert "no text" in message and "OCR" in message


def test_truncated_and_garbage_pdfs_are_refused(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "full.pdf", ["Complete text"] * 3).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    assert "truncated" in refusal(cut)
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(bytes(range(256)) * 40)
    assert "not a PDF" in refusal(noise)


def test_damaged_pdf_is_refused_or_repaired_with_a_note(tmp_path: Path) -> None:
    import random

    data = bytearray(make_pdf(tmp_path / "ok.pdf", ["Text of page one", "Text of page two"]).read_bytes())
    noise = random.Random(7)
    start = len(data) * 3 // 10
    data[start : start + 300] = bytes(noise.randrange(256) for _ in range(300))
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(bytes(data))
    try:
        result = read_file(damaged, LIMITS)
    except ReaderError as exc:
        assert "damaged" in str(exc) or "corrupted" in str(exc)
    else:
        assert any("repairs" in note for note in result.notes)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(make_pdf(tmp_path / "open.pdf", ["Readable words"])))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "owner-only.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    result = read_file(path, LIMITS)
    assert result.text.startswith("Readable words") and "empty password" in result.notes[0]


def test_empty_and_blank_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert "is empty" in refusal(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n ")
    assert "is empty" in refusal(blank)


def test_zip_bomb_docx_is_refused_before_inflating(tmp_path: Path) -> None:
    message = refusal(make_zip_bomb(tmp_path / "bomb.docx"))
    assert "zip bomb" in message and "compressed" in message
    small = Limits(max_unzipped_mb=0.01)
    assert "would unpack to" in refusal(make_docx(tmp_path / "ok.docx"), small)


def test_docx_with_entity_expansion_is_refused(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    bad = replace_member(good, tmp_path / "laughs.docx", "word/document.xml", BILLION_LAUGHS)
    message = refusal(bad)
    assert "DTD" in message and "entity" in message
    external = replace_member(
        good,
        tmp_path / "xxe.docx",
        "word/document.xml",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    )
    assert "DTD" in refusal(external)


def test_zip_member_larger_than_declared_is_refused(tmp_path: Path) -> None:
    """A bomb can under-declare its size in the central directory; inflation stops at the declared size."""
    import struct

    data = bytearray(make_docx(tmp_path / "ok.docx").read_bytes())
    name = b"word/document.xml"
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_len = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_len] == name:
            struct.pack_into("<I", data, entry + 24, 100)  # declared uncompressed size
            break
        entry = data.find(b"PK\x01\x02", entry + 4)
    assert entry >= 0
    lying = tmp_path / "lying.docx"
    lying.write_bytes(bytes(data))
    message = refusal(lying)
    assert "beyond its declared size" in message or "corrupted" in message


def test_truncated_docx_and_zip_without_document_are_refused(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "good.docx").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    assert "corrupted" in refusal(cut)
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("content.xml", "<x/>")
    assert "word/document.xml" in refusal(other)


def test_deeply_nested_html_is_refused(tmp_path: Path) -> None:
    assert "nests elements more than 512 deep" in refusal(make_nested_html(tmp_path / "deep.html"))


def test_too_large_and_too_many_pages(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("words " * 400)
    assert "more than the limit" in refusal(big, Limits(max_file_mb=0.001))
    assert "longer than the limit" in refusal(big, Limits(max_text_chars=100))
    pdf = make_pdf(tmp_path / "long.pdf", [f"Page {n}" for n in range(5)])
    assert "5 pages, more than the limit of 4" in refusal(pdf, Limits(max_pages=4))


def test_unsupported_types_are_refused(tmp_path: Path) -> None:
    png = tmp_path / "figure.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert "PNG image" in refusal(png)
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert ".docx" in refusal(doc)
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x00\x01\x02\x03binary" * 50)
    assert "binary" in refusal(binary)


def test_timeout_kills_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "slow.txt"
    path.write_text("fine text")
    monkeypatch.setenv(TEST_HOOK_ENV, "sleep:30")
    started = datetime.now(UTC)
    message = refusal(path, Limits(read_timeout=1.0))
    assert (datetime.now(UTC) - started).total_seconds() < 10
    assert "took longer than 1 s" in message and "AMICALL_READ_TIMEOUT" in message


def test_memory_limit_stops_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "hungry.txt"
    path.write_text("fine text")
    monkeypatch.setenv(TEST_HOOK_ENV, "alloc:800")
    message = refusal(path, Limits(read_memory_mb=300))
    assert "more than 300 MiB of memory" in message and "AMICALL_READ_MEMORY_MB" in message
    monkeypatch.setenv(TEST_HOOK_ENV, "alloc:50")  # within the limit: the same file reads fine
    assert read_file(path, Limits(read_memory_mb=300)).text == "fine text\n"


def test_limits_come_from_settings() -> None:
    from amicall_kg.settings import load_settings

    settings = load_settings(env={"AMICALL_MAX_HTML_DEPTH": "40", "AMICALL_READ_TIMEOUT": "7"})
    limits = Limits.from_settings(settings)
    assert limits.max_html_depth == 40 and limits.read_timeout == 7.0
