"""Time the readers on generated files: a 50-page PDF, a DOCX, an HTML page and a Markdown file.

For each, prints the median seconds read in-process (the baseline) and isolated in a limited child
process (what ``ingest`` does), and their ratio, so the cost of isolation is visible.

    .venv/bin/python benchmarks/bench_readers.py [--pages 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from amicall_kg.readers import Limits, read_file

PARAGRAPH = (
    "The municipality set up a welcome desk with volunteers, the local library and two migrant associations. "
    "Residents met newcomers at monthly dialogue evenings, and the council published what it learned. "
)


def make_files(folder: Path, pages: int) -> dict[str, Path]:
    import docx
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    for n in range(pages):
        pdf.add_page()
        pdf.start_section(f"Section {n + 1}")
        pdf.multi_cell(0, 5, f"Section {n + 1}\n" + PARAGRAPH * 12)
    pdf.output(str(folder / "report.pdf"))
    document = docx.Document()
    for n in range(pages):
        document.add_heading(f"Section {n + 1}", 1)
        document.add_paragraph(PARAGRAPH * 12)
    document.save(str(folder / "report.docx"))
    body = "".join(f"<h2>Section {n + 1}</h2><p>{PARAGRAPH * 12}</p>" for n in range(pages))
    (folder / "report.html").write_text(f"<html><body><nav>menu</nav><main>{body}</main></body></html>")
    (folder / "report.md").write_text("".join(f"## Section {n + 1}\n\n{PARAGRAPH * 12}\n\n" for n in range(pages)))
    return {p.suffix[1:]: p for p in folder.iterdir()}


def median_seconds(path: Path, isolated: bool, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read_file(path, Limits(), isolated=isolated)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp), args.pages)
        print(f"{'format':<8} {'chars':>9} {'in-process s':>13} {'isolated s':>11} {'ratio':>6}")
        for fmt, path in sorted(files.items()):
            chars = len(read_file(path, Limits(), isolated=False).text)
            base = median_seconds(path, False, args.repeat)
            isolated = median_seconds(path, True, args.repeat)
            print(f"{fmt:<8} {chars:>9,} {base:>13.3f} {isolated:>11.3f} {isolated / base:>6.1f}")


if __name__ == "__main__":
    main()
