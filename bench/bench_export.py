"""VLR workbook export and annex import at scale.

    .venv/bin/python bench/bench_export.py [--indicators 300] [--years 15] [--series 3]
        [--initiatives 500] [--evidence 2000] [--import-rows 100000] [--repeat 3]

Builds a throwaway SQLite database in a temporary directory (``BENCH_DATABASE_URL`` selects
another database, e.g. a scratch PostgreSQL one — it is migrated and written to), loads the
reference data and ``generate_scale_data`` for one large municipality, then prints:

- export: seconds for ``vlr_workbook_build`` + save, the seconds of a bare openpyxl write-only
  loop writing the same cell values into the same sheets (the floor, values read back from the
  export), medians of ``--repeat`` rounds taken alternately, as wall-clock and as CPU time (CPU
  time is the steadier figure on a shared machine), their ratio (target <= 1.2), database
  queries used, peak memory (tracemalloc peak of Python allocations, and the export's own peak
  RSS: a fresh process resets its high-water mark (``/proc/self/clear_refs``) after Django and
  the municipality are loaded, exports once, and reads ``VmHWM``, which includes lxml's C
  buffers; target < 500 MB);
- import: seconds of ``observations_import`` of that workbook's annex into the same
  indicators with no observations (every row created, with history rows) and again (every row
  unchanged), against the floor of reading the same file: ``openpyxl.load_workbook(read_only=True)``
  iterating every cell of the annex sheet (the only sheet the import reads); the three run
  alternately, ``--repeat`` rounds, medians; ratio (target <= 1.5);
- the same import figures for a second municipality with ``--import-rows`` annex rows
  (0 to skip).

Benchmarks measure; tests never time anything.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(db_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
    if db_url:
        os.environ["DATABASE_URL"] = db_url
    import django

    django.setup()


def alternated(rounds: int, steps) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each ``(name, fn, setup)`` of ``steps``, run one after the
    other in each of ``rounds`` rounds, so that load from other processes on a shared machine
    hits them alike. ``setup`` (or None) runs untimed before its step."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _fn, _setup in steps}
    for _ in range(rounds):
        for name, fn, setup in steps:
            if setup is not None:
                setup()
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return {
        name: (statistics.median(w for w, _c in pairs), statistics.median(c for _w, c in pairs))
        for name, pairs in times.items()
    }


def export_once(muni, year) -> bytes:
    from apps.vlr.exports.vlr_workbook import vlr_workbook_build

    buffer = io.BytesIO()
    vlr_workbook_build(municipality=muni, year=year).save(buffer)
    return buffer.getvalue()


def read_values(content: bytes) -> list[tuple[str, list[tuple]]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    sheets = [(ws.title, [tuple(row) for row in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    wb.close()
    return sheets


def bare_write(sheets) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _status_kb(key: str) -> int:
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(key))


def export_peak_rss(code: str, year: int) -> tuple[int, int]:
    """(peak RSS during one export, RSS just before it), in kB, of a fresh process.

    ``getrusage().ru_maxrss`` would give this bench's own peak (Linux carries it into a child
    across fork and exec) or the start-up; so the child loads Django and the municipality,
    resets its high-water mark (writing 5 to ``/proc/self/clear_refs``), exports once and reads
    ``VmHWM``: the export's own peak, lxml's C buffers included."""
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import bench.bench_export as b;"
        "b.setup_django(None); from apps.municipalities.models import Municipality;"
        f"m = Municipality.objects.get(code={code!r}); before = b._status_kb('VmRSS');"
        "open('/proc/self/clear_refs', 'w').write('5');"
        f"b.export_once(m, {year}); print(b._status_kb('VmHWM'), before)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, check=True
    )
    peak, before = map(int, out.stdout.split()[-2:])
    return peak, before


def read_only_iteration(path: Path, sheet: str) -> int:
    """The floor of an import: openpyxl's read-only reader visiting every cell of the sheet."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for row in wb[sheet].iter_rows(values_only=True):
        for _value in row:
            cells += 1
    wb.close()
    return cells


def import_figures(muni, path: Path, sheet: str, repeat: int) -> dict:
    from apps.indicators.models import Observation
    from apps.indicators.services import observations_import

    def clear():
        # Bench only: remove the municipality's observations without history rows.
        qs = Observation.objects.filter(local_indicator__municipality=muni)
        qs._raw_delete(qs.db)

    reports = {}

    def created():
        reports["created"] = report = observations_import(file=path, municipality=muni)
        assert report.created == report.rows and report.error_count == 0, report.summary()

    def unchanged():
        report = observations_import(file=path, municipality=muni)
        assert report.unchanged == reports["created"].rows, report.summary()

    read_only_iteration(path, sheet)  # warm-up
    medians = alternated(
        repeat,
        [
            ("floor", lambda: read_only_iteration(path, sheet), None),
            ("created", created, clear),
            ("unchanged", unchanged, None),
        ],
    )
    return {"rows": reports["created"].rows, **medians}


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
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="vlr-bench-"))
    db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    setup_django(db_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.core.layout import ANNEX_SHEET
    from apps.municipalities.models import Municipality
    from apps.portal.scale import scale_data_generate

    print(f"database: {connection.vendor} ({db_url.split('@')[-1]})")
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=io.StringIO())
    last_year = 2024
    t = time.perf_counter()
    scale_data_generate(
        indicators=args.indicators,
        years=args.years,
        series=args.series,
        initiatives=args.initiatives,
        documents=args.documents,
        evidence=args.evidence,
        last_year=last_year,
        code_prefix="BENCH",
        replace=True,
    )
    print(
        f"generated {args.indicators} indicators x {args.years} years x {args.series} series, "
        f"{args.initiatives} initiatives, {args.evidence} evidence links in {time.perf_counter() - t:.1f} s"
    )
    muni = Municipality.objects.get(code="BENCH001")

    # ---------------------------------------------------------------- export
    content = export_once(muni, last_year)  # warm-up (imports, caches)
    sheets = read_values(content)
    cells = sum(1 for _t, rows in sheets for row in rows for v in row if v is not None)
    bare_write(sheets)  # warm-up
    medians = alternated(
        args.repeat,
        [("export", lambda: export_once(muni, last_year), None), ("floor", lambda: bare_write(sheets), None)],
    )
    (export_s, export_cpu), (floor_s, floor_cpu) = medians["export"], medians["floor"]
    with CaptureQueriesContext(connection) as ctx:
        export_once(muni, last_year)
    tracemalloc.start()
    export_once(muni, last_year)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak, rss_before = export_peak_rss(muni.code, last_year)
    path = tmp / "large.xlsx"
    path.write_bytes(content)

    print("\n== export (large municipality) ==")
    print(f"workbook: {len(content) / 1e6:.1f} MB, {len(sheets)} sheets, {cells:,} non-empty cells")
    print(
        f"export seconds:            {export_s:.3f} wall, {export_cpu:.3f} CPU (queries, progress, workbook, save)"
    )
    print(
        f"bare write-only floor:     {floor_s:.3f} wall, {floor_cpu:.3f} CPU (same values, plain append + save)"
    )
    print(
        f"ratio export / floor:      {export_s / floor_s:.2f} wall, {export_cpu / floor_cpu:.2f} CPU  (target <= 1.2; "
        f"medians of {args.repeat} alternated rounds)"
    )
    print(f"database queries:          {len(ctx.captured_queries)}")
    print(f"peak Python memory:        {peak / 1e6:.1f} MB (tracemalloc)")
    print(
        f"export's peak RSS:         {rss_peak / 1024:.0f} MB, {(rss_peak - rss_before) / 1024:.0f} MB above the "
        f"process before it ({rss_before / 1024:.0f} MB: Django loaded; target < 500 MB)"
    )

    fig = import_figures(muni, path, ANNEX_SHEET, args.repeat)
    print("\n== import of the annex (large municipality) ==")
    _print_import(fig)

    if args.import_rows:
        per_indicator = args.years * args.series
        n_ind = math.ceil(args.import_rows / per_indicator)
        scale_data_generate(
            indicators=n_ind,
            years=args.years,
            series=args.series,
            initiatives=0,
            documents=0,
            evidence=0,
            last_year=last_year,
            code_prefix="BIGIMP",
            replace=True,
        )
        big = Municipality.objects.get(code="BIGIMP001")
        t = time.perf_counter()
        big_content = export_once(big, last_year)
        big_export = time.perf_counter() - t
        big_path = tmp / "annex_big.xlsx"
        big_path.write_bytes(big_content)
        print(
            f"\n== import of {n_ind * per_indicator:,} annex rows ({n_ind} indicators; export of that workbook "
            f"{big_export:.1f} s, {len(big_content) / 1e6:.1f} MB) =="
        )
        _print_import(import_figures(big, big_path, ANNEX_SHEET, max(1, min(args.repeat, 3))))
    print(f"\n(files and database in {tmp})")


def _print_import(fig: dict) -> None:
    (floor, floor_cpu), (created, created_cpu) = fig["floor"], fig["created"]
    unchanged, unchanged_cpu = fig["unchanged"]
    print(f"rows:                          {fig['rows']:,} (medians of alternated rounds)")
    print(f"openpyxl read-only, all cells: {floor:.3f} s wall, {floor_cpu:.3f} s CPU (the floor)")
    print(
        f"import, all rows created:      {created:.3f} s wall, {created_cpu:.3f} s CPU  ratio "
        f"{created / floor:.2f} wall, {created_cpu / floor_cpu:.2f} CPU (target <= 1.5, history rows included)"
    )
    print(
        f"import again, all unchanged:   {unchanged:.3f} s wall, {unchanged_cpu:.3f} s CPU  ratio "
        f"{unchanged / floor:.2f} wall, {unchanged_cpu / floor_cpu:.2f} CPU"
    )


if __name__ == "__main__":
    main()
