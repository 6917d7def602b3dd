"""Issue 21: a TV news script (one short phrase per line) is article text, a menu is not;
an inline related-news line ends the article."""

from __future__ import annotations

from apps.evidence.pipeline import analyse
from apps.evidence.pipeline.clean import clean_text

SCRIPT = """서울시, 탄소중립 버스 도입

2024-05-01 10:00 KBS

서울시가 오늘부터
전기버스 100대를
시내 노선에 투입합니다.
시는 올해 안에
온실가스 배출을
크게 줄일 계획입니다.
시민들의 반응도
좋은 편입니다.
"""


def test_short_line_script_that_forms_sentences_is_kept_as_body():
    a = analyse(SCRIPT.encode(), filename="tv.txt")
    assert a.title == "서울시, 탄소중립 버스 도입"
    assert a.body.splitlines()[0] == "서울시가 오늘부터"
    assert a.body.endswith("좋은 편입니다.")
    assert a.goals[0]["goal"] == 13


def test_a_run_of_menu_words_is_still_navigation():
    page = (
        "홈\n알림마당\n공지사항\n보도자료\n자료실\n채용정보\n\n서울시, 탄소중립 전기버스 100대 시내 노선 투입\n\n"
        + ("서울시는 전기버스 100대를 시내 노선에 투입해 온실가스 배출을 줄인다고 밝혔다.\n")
    )
    c = clean_text(page)
    assert c.title == "서울시, 탄소중립 전기버스 100대 시내 노선 투입"
    assert "공지사항" not in c.body and c.body.startswith("서울시는")


def test_inline_related_news_line_ends_the_article_at_any_length():
    related = "[관련뉴스] 부산시, 수소버스 200대 도입…친환경 교통 확대에 속도를 낸다는 계획이다"
    c = clean_text(
        SCRIPT + "\n" + related + "\n부산시는 수소버스를 늘린다고 밝혔다. 이 문장은 다른 기사의 본문이다.\n"
    )
    assert "부산시" not in c.body and c.body.endswith("좋은 편입니다.")
    c = clean_text(SCRIPT + "\n관련 뉴스\n다른 기사의 제목이 여기에 길게 이어지며 끝나지 않는다고 밝혔다.\n")
    assert "다른 기사" not in c.body
