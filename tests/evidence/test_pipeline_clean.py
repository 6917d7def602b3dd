"""Cleaning keeps the article and drops page furniture (HTML and text dumps)."""

from __future__ import annotations

from apps.evidence.pipeline import analyse
from apps.evidence.pipeline.clean import clean_text

HTML = """<!doctype html><html><head><title>하남시 청렴 교육 | 예시뉴스</title>
<style>.ad{color:red} /* 태양광 특가 */</style>
<script>var promo = '탄소중립 광고 스크립트';</script></head>
<body><nav><a href='/'>홈</a> <a href='/news'>뉴스</a></nav>
<iframe src='ad.html'>재생에너지 광고 프레임</iframe>
<article><h1>하남시, 전 직원 대상 청렴 교육 실시</h1><p>기사등록 2024-08-06 07:38:57</p>
<p>하남시(시장 이현재)가 전 직원을 대상으로 반부패 청렴 교육을 실시했다고 6일 밝혔다. 이번 교육은 공직기강 확립과 부패 예방을 위해 마련됐다.</p>
<p>이현재 시장은 "청렴은 공직자의 기본"이라며 청렴한 조직문화를 강조했다.</p></article>
<aside><h3>많이 본 뉴스</h3><ul><li>싱가포르항공 특가 프로모션</li></ul></aside>
<footer>Copyright 2024 예시뉴스. All rights reserved.</footer></body></html>"""


def test_html_script_style_and_iframe_are_stripped():
    a = analyse(HTML.encode("utf-8"), filename="page.html")
    assert a.title == "하남시, 전 직원 대상 청렴 교육 실시"
    assert "반부패 청렴 교육을 실시했다고" in a.body
    for leaked in (
        "탄소중립 광고",
        "태양광 특가",
        "재생에너지 광고",
        "싱가포르항공",
        "Copyright",
        "promo",
    ):
        assert leaked not in a.body
    assert a.published.isoformat() == "2024-08-06"
    assert a.municipality_code == "41450"
    assert [g["goal"] for g in a.goals] == [16]


def test_html_is_recognised_without_extension():
    a = analyse(HTML)
    assert "반부패 청렴 교육" in a.body and "<p>" not in a.body


def test_boilerplate_only_page_gives_an_empty_body():
    page = "\n".join(
        [
            "기사 메일전송",
            "본문 바로가기",
            "  • 흐림동두천 24.2℃",
            "기상청 제공",
            "많이 본 뉴스더보기",
            "※ 로그인 후 의견을 등록하시면, 자신의 의견을 관리하실 수 있습니다. 0/1000",
            "저작권자 © 예시뉴스 무단전재 및 재배포 금지",
            "모바일 버전 바로가기",
        ]
    )
    a = analyse(page, filename="furniture.txt")
    assert a.body == ""
    assert a.goals == []


def test_body_stops_at_the_first_end_of_article_marker():
    page = (
        "광명시, 다회용컵 공동 캠페인\n입력 2025.04.22\n"
        "광명시가 관내 16개 기관과 다회용컵 사용 공동 캠페인에 나섰다고 22일 밝혔다.\n"
        "이전 기사 보기\n다음 기사 보기\n"
        "성남시, 산업재해 예방 실행계획 수립 성남시는 산재예방 실행계획을 수립했다고 밝혔다.\n"
    )
    c = clean_text(page)
    assert c.title == "광명시, 다회용컵 공동 캠페인"
    assert c.body == "광명시가 관내 16개 기관과 다회용컵 사용 공동 캠페인에 나섰다고 22일 밝혔다."


def test_comment_policy_is_not_body_text():
    page = (
        "훼손된 산림 복원\n발행일 2005.07.28. 00:00\n"
        "서울시는 시내 훼손 산림 24ha에 자생수목을 심는 도시생태림 조성사업을 완료했다.\n\n"
        "댓글은 자유로운 의견 공유의 장이므로 서울시에 대한 신고, 제안, 건의 등\n"
        "상업성 광고, 저작권 침해, 저속한 표현, 특정인에 대한 비방, 명예훼손, 정치적 목적,\n"
        "유사한 내용의 반복적 글, 개인정보 유출, 그 밖에 공익을 저해하는 댓글은 조례에 의해 통보없이 삭제될 수 있습니다.\n"
    )
    a = analyse(page)
    assert "명예훼손" not in a.body and "조례" not in a.body
    assert 16 not in [g["goal"] for g in a.goals]
    assert a.goals and a.goals[0]["goal"] == 15


def test_header_date_beside_weather_is_the_page_date_not_the_published_date():
    page = (
        "2024.07.26 (금)\n  • 흐림동두천 24.2℃\n  • 구름많음서울 25.9℃\n기상청 제공\n\n"
        "광명시, 탄소중립 정책 발표\n\n광명시(시장 박승원)가 국제포럼에서 탄소중립 정책을 소개했다고 밝혔다.\n"
    )
    a = analyse(page)
    assert a.published is None
    assert a.page_date.isoformat() == "2024-07-26"
    assert "동두천" not in a.body and "기상청" not in a.body


def test_dates_without_a_year_are_never_completed():
    page = "충주시, 평생학습센터 운영\n충주시는 지난 9일부터 오는 7월 4일까지 평생학습 프로그램을 운영한다고 19일 밝혔다.\n"
    a = analyse(page)
    assert a.published is None and a.page_date is None


def test_same_body_gives_the_same_content_hash():
    page = "하남시, 청렴 회의\n하남시가 청렴협의체 회의를 열었다고 밝혔다. 공직기강 확립을 논의했다.\n"
    assert analyse(page).content_hash == analyse(page.replace("\n", "\r\n") + "\n\n").content_hash
    assert analyse(page).content_hash != analyse(page.replace("회의를", "총회를")).content_hash


def test_municipal_notice_board_furniture_is_dropped():
    page = (
        "홈 > 알림소식 > 보도자료\n노원구, 폭염 대비 무더위쉼터 120곳 운영\n작성일 2023-07-10 조회수 1,234\n"
        "담당부서 기후환경과\n"
        "노원구(구청장 오승록)는 여름철 폭염에 대비해 경로당 등 120곳을 무더위쉼터로 운영한다고 10일 밝혔다.\n"
        "첨부파일 보도자료.hwp\n목록\n이전글 노원구, 청소년 진로박람회 개최\n다음글 노원구, 주민참여예산 제안 공모\n"
    )
    a = analyse(page)
    assert a.title == "노원구, 폭염 대비 무더위쉼터 120곳 운영"  # not the breadcrumb's section name
    assert a.published.isoformat() == "2023-07-10"
    assert (
        a.body
        == "노원구(구청장 오승록)는 여름철 폭염에 대비해 경로당 등 120곳을 무더위쉼터로 운영한다고 10일 밝혔다."
    )
    assert [g["goal"] for g in a.goals] == [13]


def test_section_menu_line_is_neither_title_nor_body():
    page = (
        "뉴시스\n전체기사\n정치 경제 사회\n"
        "[수원=뉴시스] 김철수 기자 = 경기 수원시가 음식물쓰레기 감량을 위해 종량기 500대를 추가 설치한다고 3일 밝혔다.\n"
        "입력 2024.05.03 10:21:33 | 수정 2024.05.03 11:00:01\nⓒ 뉴시스, 무단전재 및 재배포 금지\n"
    )
    a = analyse(page)
    assert a.title == ""
    assert a.body.startswith("[수원=뉴시스]") and "정치 경제 사회" not in a.body
    assert a.published.isoformat() == "2024-05-03"
    assert a.author == "김철수" and a.municipality_code == "41110"


def test_headline_ending_in_a_plain_verb_and_pipe_menus():
    c = clean_text(
        "Home | News | Local\n"
        "인천 서구, 노후 경유차 조기폐차 지원 확대…미세먼지 줄인다\n"
        "승인 2024.02.19 11:40\n"
        "인천 서구가 미세먼지를 줄이기 위해 노후 경유차 조기폐차 지원 대상을 늘린다고 19일 밝혔다.\n"
    )
    assert c.title == "인천 서구, 노후 경유차 조기폐차 지원 확대…미세먼지 줄인다"
    assert "Home" not in c.body


def test_an_english_headline_with_a_furniture_word_inside_its_words_is_the_title():
    # "to protect" squashed holds "top", "department opens" holds "top" too: a Latin furniture
    # word ("top", "menu", "log in") counts only as whole words, else the headline was dropped
    for headline in (
        "City restores wetland to protect migratory birds",
        "Health department opens free clinics for uninsured residents",
        "Touchdown in final minute sends Eagles to playoffs",
    ):
        c = clean_text(f"{headline}\nThe city said the work will be finished by the end of next year.\n")
        assert c.title == headline
    menu = clean_text(
        "Top\nMenu\nLog in\nCouncil adopts budget\nThe council adopted its budget on Monday night.\n"
    )
    assert menu.title == "Council adopts budget"
