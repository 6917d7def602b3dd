"""VLR report documents (PDF, DOCX) against the workbook export, for the large scale-data city.

    .venv/bin/python bench/bench_report.py [--indicators 300] [--years 15] [--series 3]
        [--initiatives 500] [--evidence 2000] [--repeat 2]

Builds a throwaway SQLite database (``BENCH_DATABASE_URL`` selects another one), loads the
reference data and ``generate_scale_data`` for one large municipality (as bench_export.py), then
prints the best-of-``--repeat`` wall and CPU seconds of the workbook export, the PDF (Korean) and
the DOCX (Korean), their ratios to the workbook, the PDF's page count, and the max RSS of a
fresh process making only the PDF and only the DOCX (target < 500 MB).

Benchmarks measure; tests never time anything.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_export import export_once, setup_django  # noqa: E402


def report_once(muni, year: int, fmt: str) -> bytes:
    from apps.vlr.exports.report import report_bytes

    return report_bytes(municipality=muni, year=year, fmt=fmt, lang="ko")


def timed(repeat: int, fn) -> tuple[float, float]:
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        best = [min(best[0], time.perf_counter() - wall), min(best[1], time.process_time() - cpu)]
    return best[0], best[1]


def child_rss(code: str, year: int, fmt: str) -> int:
    """Peak RSS (MB) of a fresh process that makes one document (Django set up included).

    Read from ``VmHWM`` in /proc/self/status, the high-water mark of the process's own memory:
    ``getrusage().ru_maxrss`` would not do, as Linux carries the parent's peak (this bench, a
    few hundred MB after building the data) into a child across fork and exec."""
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import bench.bench_report as b;"
        "b.setup_django(None); from apps.municipalities.models import Municipality;"
        f"b.report_once(Municipality.objects.get(code={code!r}), {year}, {fmt!r});"
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, check=True
    )
    return int(out.stdout.split()[-1]) // 1024


def workbook_pages(muni, year: int, folder: Path) -> dict[str, int]:
    """Pages of the workbook printed as LibreOffice prints it (headless conversion to PDF), per
    sheet (each page's header starts with its sheet's name)."""
    import shutil

    from openpyxl import load_workbook
    from pypdf import PdfReader

    path = folder / "workbook.xlsx"
    path.write_bytes(export_once(muni, year))
    sheets = load_workbook(path, read_only=True).sheetnames
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run(
        [office, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(path)],
        capture_output=True, check=True, timeout=1800, env={**os.environ, "HOME": str(folder)},
    )  # fmt: skip
    counts = dict.fromkeys(sheets, 0)
    for page in PdfReader(folder / "workbook.pdf").pages:
        text = page.extract_text().lstrip()
        sheet = max((s for s in sheets if text.startswith(s)), key=len, default="(no header)")
        counts[sheet] = counts.get(sheet, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--series", type=int, default=3)
    parser.add_argument("--initiatives", type=int, default=500)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--evidence", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--print-pages",
        action="store_true",
        help="only print the workbook through LibreOffice and count its pages per sheet",
    )
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    tmp = Path(tempfile.mkdtemp(prefix="vlr-bench-"))
    db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = db_url
    setup_django(db_url)

    from django.core.management import call_command
    from pypdf import PdfReader

    from apps.municipalities.models import Municipality
    from apps.portal.scale import scale_data_generate

    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=io.StringIO())
    year = 2024
    scale_data_generate(
        indicators=args.indicators,
        years=args.years,
        series=args.series,
        initiatives=args.initiatives,
        documents=args.documents,
        evidence=args.evidence,
        last_year=year,
        code_prefix="BENCH",
        replace=True,
    )
    muni = Municipality.objects.get(code="BENCH001")
    print(
        f"{args.indicators} indicators x {args.years} years x {args.series} series, "
        f"{args.initiatives} initiatives, {args.evidence} evidence links"
    )
    if args.print_pages:
        counts = workbook_pages(muni, year, tmp)
        print(f"workbook printed by LibreOffice: {sum(counts.values())} pages")
        for sheet, n in counts.items():
            print(f"  {n:5} {sheet}")
        return
    pdf = report_once(muni, year, "pdf")  # warm-up: fonts, templates
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    workbook = timed(args.repeat, lambda: export_once(muni, year))
    figures = {"workbook": workbook}
    for fmt in ("pdf", "docx"):
        figures[fmt] = timed(args.repeat, lambda fmt=fmt: report_once(muni, year, fmt))
    for name, (wall, cpu) in figures.items():
        print(
            f"{name:8} {wall:7.2f} s wall {cpu:7.2f} s CPU   ratio to workbook {cpu / workbook[1]:5.1f} (CPU)"
        )
    print(f"PDF pages: {pages}")
    for fmt in ("pdf", "docx"):
        print(f"max RSS making the {fmt.upper()}: {child_rss('BENCH001', year, fmt)} MB (target < 500)")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
