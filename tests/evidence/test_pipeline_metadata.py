"""Municipality resolution, datelines, author and codes."""

from __future__ import annotations

import pytest

from apps.evidence.pipeline import analyse, normalise_code, resolve_name
from apps.evidence.pipeline.municipality import detect_municipality


@pytest.mark.parametrize(
    "title, body, code",
    [
        (
            "",
            "대전 서구(구청장 장종태)는 1일 구청 대회의실에서 청렴 서약식을 가졌다.",
            "30170",
        ),
        ("", "부산 서구(구청장 공한수)는 1일 청렴 서약식을 가졌다고 밝혔다.", "26140"),
        ("", "경남 고성군은 31일 바다의 날을 맞아 치어를 방류했다고 밝혔다.", "48820"),
        ("", "강원 고성군은 31일 바다의 날을 맞아 치어를 방류했다고 밝혔다.", "51820"),
        (
            '신계용 과천시장 "탄소중립 도시 만들 것"',
            "신계용 경기 과천시장이 20일 밝혔다.",
            "41290",
        ),
        (
            "세종시, 테크노파크 설립",
            "세종시는 조치원 청사에 테크노파크를 설립한다고 밝혔다.",
            "36000",
        ),
        (
            "",
            "서울시는 훼손 산림 24ha를 복원했다. 복원된 곳은 은평구, 동작구, 성동구의 공원이다.",
            "11000",
        ),
        ("", "수원시 장안구는 주민 대상 교육을 실시한다고 밝혔다.", "41110"),
        ("", "분당구 주민들을 대상으로 성남시가 교육을 실시한다.", "41130"),
        # the "광주" of an ambiguous "광주시" does not outvote an explicit "경기"
        (
            "광주시, 경안천 수질개선 사업 착수",
            "경기 광주시는 생활하수를 줄이기 위해 하수관로를 정비한다고 밝혔다.",
            "41610",
        ),
        (
            "Jeju opens a mental health crisis centre",
            "Jeju Special Self-Governing Province has opened a crisis centre.",
            "50000",
        ),
        (
            "Gimhae signs partnership with a Vietnamese city",
            "Gimhae City signed a memorandum of understanding with Da Nang.",
            "48250",
        ),
    ],
)
def test_it_resolves_the_acting_government(title, body, code):
    assert detect_municipality(title, body) == code


def test_homonym_without_province_is_not_guessed():
    assert detect_municipality("", "중구(구청장 김길성)는 1일 청렴 서약식을 가졌다고 밝혔다.") is None


def test_national_agency_release_has_no_municipality():
    body = "고용노동부는 공공기관 사회적 가치 포럼을 개최한다고 밝혔다. 한국사회적기업진흥원이 주관한다."
    assert detect_municipality("공공기관 사회적 가치 확산", body) is None


def test_photo_caption_place_loses_to_the_subject_of_the_report():
    body = (
        "강원 화천군의 ‘스마트 안심셔틀’. 화천군 제공\n"
        "수요응답형 버스가 확대되고 있다. 경북 구미시는 지난해 10월부터 운행된 행복버스 이용객이 증가했다고 12일 밝혔다."
    )
    assert detect_municipality("", body) == "47190"


@pytest.mark.parametrize(
    "label, code",
    [
        ("과천시", "41290"),
        ("대전광역시 서구", "30170"),
        ("경상남도 고성군", "48820"),
        ("세종특별자치시", "36000"),
        ("서울특별시", "11000"),
        ("", None),
        ("서구", None),
    ],
)
def test_label_names_resolve_like_predictions(label, code):
    assert resolve_name(label) == code


@pytest.mark.parametrize(
    "raw, code",
    [
        ("36110", "36000"),
        ("50110", "50000"),
        ("50130", "50000"),
        ("41117", "41110"),
        ("41287", "41280"),
        ("11260", "11260"),
    ],
)
def test_codes_from_other_schemes_are_normalised(raw, code):
    assert normalise_code(raw) == code


@pytest.mark.parametrize(
    "dateline, iso",
    [
        ("  • 등록 2024-10-24 10:20:01", "2024-10-24"),
        ("  • 기사등록 2024-08-06 07:38:57", "2024-08-06"),
        ("입력 2024.08.06 10:00", "2024-08-06"),
        ("2021.07.02 고용노동부", "2021-07-02"),
        ("2018-10-05     고광섭 기자", "2018-10-05"),
        ("안양똑딱이 2020. 7. 1. 16:31", "2020-07-01"),
        ("2024년 3월 21일", "2024-03-21"),
        ("Published: March 21, 2024", "2024-03-21"),
        # the publication label wins over a revision label
        ("최종수정 2024.03.22 09:00\n입력 2024.03.21 14:31", "2024-03-21"),
        ("수정 2024.03.22 09:00 | 입력 2024.03.21 14:31", "2024-03-21"),
        # a notice-board meta line
        ("작성자 관리자 | 작성일 2024-03-21 | 조회수 120", "2024-03-21"),
    ],
)
def test_datelines_give_the_published_date(dateline, iso):
    page = f"하남시, 청렴협의체 회의 개최\n{dateline}\n하남시(시장 이현재)가 청렴협의체 회의를 열고 공직기강 확립 방안을 논의했다.\n"
    assert analyse(page).published.isoformat() == iso


def test_month_only_or_body_dates_are_not_publication_dates():
    page = (
        "용산구, 2022년 우리동네돌봄단 확대 운영\n\n"
        "서울 용산구(구청장 성장현)가 2022년 4월부터 우리동네돌봄단 확대 운영에 나섰다. "
        "구는 2021년 3월 15일 실태조사 결과를 토대로 위기가구를 선정했다.\n"
    )
    assert analyse(page).published is None


def test_author_publisher_and_permanent_link():
    page = (
        "기사 메일전송\n하남시, 청렴협의체 회의 개최\n  • 김은미\n  • 기사등록 2024-08-06 07:38:57\n"
        "하남시(시장 이현재)가 청렴협의체 회의를 열었다.\n0\n"
        "다른 곳에 퍼가실 때는 아래 고유 링크 주소를 출처로 사용해주세요.\n\nhttp://www.example.kr/news/view.php?idx=1\n"
    )
    a = analyse(page)
    assert a.author == "김은미"
    assert a.source_url == "http://www.example.kr/news/view.php?idx=1"
    assert "example.kr" not in a.body
