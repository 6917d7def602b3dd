"""The throughput bench's fresh pages are what it says: no line occurs twice, within a round
or across rounds, so the per-line type cache cannot help (issue 21). No timing here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_evidence.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_evidence", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fresh_pages_share_no_line_across_rounds_while_the_bench_corpus_repeats_its_lines():
    bench = _bench()
    fresh = bench.FreshPages(seed=7)
    pages = fresh.make(150) + fresh.make(150)  # two rounds
    lines, repeated = bench.seen_before(pages)
    assert lines > 150 * 15 and repeated == 0
    assert 3.0 < sum(map(len, pages)) / len(pages) / 1024 < 4.5  # ~3.6 KB, like the bench corpus
    lines, repeated = bench.seen_before(bench.build_corpus(150))
    assert repeated / lines > 0.8
