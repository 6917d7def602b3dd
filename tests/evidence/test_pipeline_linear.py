"""Hostile input, one test per pipeline step: every regex and loop is linear in the input.

Each input is sized so that a linear step reads it in well under a second while a quadratic
one (the bugs these tests were written against) would run for minutes: they assert on what
comes out, never on the clock. Inputs are generated here, not stored.
"""

from __future__ import annotations

import codecs
import datetime as dt

from apps.evidence.pipeline import analyse
from apps.evidence.pipeline.classify import classify
from apps.evidence.pipeline.clean import EMAIL_RE, clean_text, is_dateline
from apps.evidence.pipeline.dates import find_dates, first_date, strip_dates
from apps.evidence.pipeline.decode import decode_bytes
from apps.evidence.pipeline.lexicon import load_lexicon
from apps.evidence.pipeline.listpage import split_list_page
from apps.evidence.pipeline.metadata import extract_metadata
from apps.evidence.pipeline.municipality import detect_municipality
from apps.evidence.pipeline.text import is_sentence, normalise_line
from apps.evidence.pipeline.trie import compile_phrases

N_DATES = 100_000  # 1.1 MB on one line: cutting each date out of the line copied it 100,000 times


def dates_line(n: int = N_DATES) -> str:
    return " ".join(f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}" for i in range(n))


def test_decode_reads_a_5_mb_utf16_file_without_bom_in_one_pass():
    text = "하남시 탄소중립 Hanam carbon neutral 2024-05-02\n" * 110_000
    data = text.encode("utf-16-le")[: 5 * 1024 * 1024 - 2]
    decoded = decode_bytes(data, "big.txt")
    assert decoded.encoding == "utf-16-le" and decoded.text.startswith("하남시 탄소중립")
    assert decode_bytes(codecs.BOM_UTF8 + text[:100_000].encode(), "a.txt").text == text[:100_000]


def test_dates_strips_100k_dates_from_one_line():
    line = "입력 " + dates_line()
    assert len(find_dates(line)) == N_DATES
    assert first_date(line) == dt.date(2024, 1, 1)
    assert strip_dates(line) == "입력"


def test_text_collapses_every_kind_of_space_so_sentence_endings_do_not_backtrack():
    # "다" + 30,000 en spaces + "x": the three \s* of the sentence-ending pattern tried every
    # split of the run (cubic) before; NBSP, en space, U+2028 ... are now one space.
    line = "탄소중립 정책을 추진한다" + "\u2000" * 30_000 + "x"
    assert normalise_line(line) == "탄소중립 정책을 추진한다 x"
    assert is_sentence(normalise_line(line)) is False
    ending = normalise_line(
        "중랑구는 올해부터 탄소중립 실천 정책을 구민과 함께 본격적으로 추진한다\u2000\u3000\u2028"
    )
    assert is_sentence(ending) is True


def test_clean_types_a_megabyte_word_and_a_line_full_of_dates():
    word = "a" * 1_000_000  # EMAIL_RE rescanned the word from every position
    assert EMAIL_RE.search("2024-01-01 " + word) is None
    assert EMAIL_RE.search(word + " reporter@example.org").group() == "reporter@example.org"
    assert not is_dateline("2024-01-01 " + word)
    c = clean_text("탄소중립 실천 주간 운영 안내\n" + "2024-01-01 " + word + "\n" + dates_line())
    assert c.title == "탄소중립 실천 주간 운영 안내"
    assert [ln.has_date for ln in c.lines] == [False, True, True]


def test_metadata_reads_a_labelled_date_before_100k_more():
    c = clean_text(
        "하남시 탄소중립 숲 조성 안내문\n입력 2024-05-02 " + dates_line() + "\n"
        "하남시는 미사호수공원 일대에 탄소중립 숲을 조성한다고 밝혔다. 나무 3만 그루를 심을 계획이다."
    )
    meta = extract_metadata(c)
    assert meta.published == dt.date(2024, 5, 2)


def test_municipality_scores_50k_mentions_on_one_line():
    # every "경기 광주시는" is a homonym (광주광역시 / 경기 광주시) resolved by the prefix:
    # each prefix was tested against every homonym mention, and each mention searched the
    # rest of the text for a line break
    body = "경기 광주시는 탄소중립 사업을 추진한다고 밝혔다. " * 50_000
    assert detect_municipality("경기 광주시, 탄소중립 선언", body) == "41610"


def test_municipality_reads_dong_names_once_for_50k_homonym_mentions():
    # 50k 중구 with no province: the 동 names of the text are read once per homonym, not per mention
    body = "중구는 운서동에서 탄소중립 사업을 추진한다고 밝혔다. " * 50_000
    assert detect_municipality("중구, 탄소중립 선언", body) == "28110"


def test_lexicon_trie_scans_near_misses_and_hits():
    rx = compile_phrases(["탄소중립기본법"], flexible_space=True)
    near_misses = "탄 소 중 립 기 본 " * 100_000  # every 탄 starts a partial match that fails late
    assert rx.search(near_misses) is None
    assert len(rx.findall(near_misses + "탄소 중립 기본법")) == 1
    hits = load_lexicon().find("온실가스 감축 recycling 2024 " * 20_000)
    assert len(hits) == 40_000 and hits[-1].end > 450_000


def test_classify_90k_hits_gives_one_bounded_suggestion():
    goals = classify("탄소중립 선언", "온실가스 감축 기후변화 대응. " * 30_000, municipality_code="41450")
    assert goals[0]["goal"] == 13
    assert all(len(goal["reasons"]) <= 25 for goal in goals)


def test_listpage_splits_10k_items():
    page = "\n".join(
        f"• 사례 {i}\n마을 주민이 함께 만든 지속가능발전 사례 설명입니다 {i}" for i in range(10_000)
    )
    c = clean_text("자료실 사례 목록 페이지\n" + page)
    assert len(split_list_page(c)) >= 9_900


def test_the_whole_analysis_of_200k_dates_on_one_line_finishes():
    # the reported case, at half the size: 4.4 MB with 400k dates kept `ingest` busy > 300 s
    data = ("하남시, 탄소중립 숲 조성\n" + dates_line(200_000)).encode()
    analysis = analyse(data, filename="dates.txt")
    assert analysis.title == "하남시, 탄소중립 숲 조성"
    assert analysis.body.startswith("2024-01-01 2024-02-02")
