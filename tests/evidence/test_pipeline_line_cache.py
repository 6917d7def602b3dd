"""The per-line type cache of the cleaner (``clean._typed_line``) answers as typing afresh, and
never shares a :class:`Line` between documents (``_mark_short_runs`` changes lines in place)."""

from __future__ import annotations

from apps.evidence.pipeline import clean

LINES = [
    "홈 > 뉴스 > 지역",
    "Copyright © 2026 City News. All rights reserved.",
    "- 2026.03.04 10:21 | 기자 홍길동",
    "시는 올해 공공자전거 300대를 추가로 배치한다고 밝혔다.",
    "The city opened a new heat-pump program for 2,000 homes.",
    "",
    "관련 뉴스",
]


def test_a_cached_line_is_typed_as_typing_it_afresh():
    clean._typed_line.cache_clear()
    for raw in LINES * 2:  # the second pass is answered from the cache
        assert clean._classify_line(raw) == clean._type_line(raw)
    assert clean._typed_line.cache_info().hits >= len(LINES)


def test_each_call_gets_its_own_line_to_change():
    first = clean._classify_line(LINES[3])
    first.kind = "nav"  # as _mark_short_runs does to a run of short lines
    second = clean._classify_line(LINES[3])
    assert second is not first
    assert second.kind == "text"
