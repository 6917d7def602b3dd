"""Homonym districts (중구, 서구, 고성군 …) resolved by the 동 names a text writes when it names no
province (issue 21), and the reference file those names come from (fixtures/kr_homonym_dongs.csv,
built by ``build_dong_reference`` from PublicDataReader's copy of the MOIS code tables)."""

from __future__ import annotations

import csv
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.evidence.pipeline.dongs import COLUMNS, FIXTURE, SUFFIXES, fixture_code
from apps.evidence.pipeline.municipality import _alias_index, detect_municipality, governments

REPORT = "는 주민과 함께 복지관을 개관했다고 밝혔다."


def test_a_dong_name_of_one_candidate_resolves_the_homonym():
    assert (
        detect_municipality("중구, 복지관 개관", "중구" + REPORT + " 운서동 주민 200명이 참석했다.")
        == "28110"
    )
    assert detect_municipality("중구, 복지관 개관", "중구" + REPORT + " 신당동에서 열렸다.") == "11140"
    assert detect_municipality("고성군, 복지관 개관", "고성군" + REPORT + " 간성읍 일대") == "51820"
    assert detect_municipality("고성군, 복지관 개관", "고성군" + REPORT + " 대가면 일대") == "48820"


def test_a_dong_name_shared_by_candidates_or_absent_resolves_nothing():
    # 중앙동 is a 동 of 부산 중구 and of 울산 중구: it tells them apart from no one
    assert detect_municipality("중구, 복지관 개관", "중구" + REPORT + " 중앙동에서 열렸다.") is None
    assert detect_municipality("중구, 복지관 개관", "중구" + REPORT) is None
    # a name of each of two candidates: a tie, not a guess
    assert detect_municipality("중구, 복지관 개관", "중구" + REPORT + " 운서동과 신당동에서 열렸다.") is None


def test_a_dong_name_counts_only_as_a_whole_word():
    # 운서 동호회 (a club) glued: not the 동; 가격 변동 (a change) is not 대전 서구 변동
    assert detect_municipality("중구, 복지관 개관", "중구" + REPORT + " 운서동호회 회원이 왔다.") is None
    assert detect_municipality("서구, 복지관 개관", "서구" + REPORT + " 가격 변동 폭이 컸다.") is None
    # a one-syllable name counts right after its district's name
    assert detect_municipality("서구, 복지관 개관", "서구" + REPORT + " 서구 변동 주민이 왔다.") == "30170"


def test_a_named_province_is_not_overridden_by_a_dong_name():
    body = "부산 중구" + REPORT + " 신당동 주민도 왔다."  # 신당동 is 서울 중구's
    assert detect_municipality("부산 중구, 복지관 개관", body) == "26110"


def test_phone_and_dong_name_that_disagree_resolve_nothing():
    body = "중구" + REPORT + " 운서동 주민이 참석했다."
    assert detect_municipality("중구, 복지관 개관", body + " 문의 032-760-7000") == "28110"
    # a Seoul number (02) against 인천 중구's 운서동: before the 동 names this was 서울 중구
    assert detect_municipality("중구, 복지관 개관", body + " 문의 02-3396-4000") is None


def test_a_dong_name_only_in_the_headline_of_a_negative_page_does_not_count():
    title, body = "중구 운서동 축구 경기", "중구청장은 주민과 축구 경기를 관람했다고 밝혔다."
    assert detect_municipality(title, body, topical=False) is None
    assert detect_municipality(title, body, topical=True) == "28110"
    assert detect_municipality(title, body + " 운서동 주민 응원단", topical=False) == "28110"


def _table(rows: list[dict]) -> dict:
    """Rows as pandas ``to_json()`` writes a table (column -> {index -> value}); None -> NaN."""
    columns = list(rows[0])
    return {
        c: {str(i): (float("nan") if r[c] is None else r[c]) for i, r in enumerate(rows)} for c in columns
    }


def _h(sido, sido_name, sgg, sgg_name, code, name, created="19950101", abolished=None):
    return {
        "시도코드": sido,
        "시도명": sido_name,
        "시군구코드": sgg,
        "시군구명": sgg_name,
        "행정동코드": code,
        "읍면동명": name,
        "생성일자": created,
        "말소일자": abolished,
    }


def _b(sido, sido_name, sgg, sgg_name, code, name, ri=None, abolished=None):
    return {
        "시도코드": sido,
        "시도명": sido_name,
        "시군구코드": sgg,
        "시군구명": sgg_name,
        "법정동코드": code,
        "읍면동명": name,
        "동리명": ri,
        "생성일자": "19880423",
        "말소일자": abolished,
    }


HDONG = [
    _h("11", "서울특별시", "11140", "중구", "1114000000", None),
    _h("11", "서울특별시", "11140", "중구", "1114061500", "신당동", "20130720"),
    _h("11", "서울특별시", "11140", "중구", "1114061000", "신당제1동", "19880423", "20130720"),  # abolished
    _h("28", "인천광역시", "28110", "중구", "2811062800", "운서동", "20120101"),
    _h("11", "서울특별시", "11260", "중랑구", "1126051000", "면목본동"),  # no homonym
    _h("42", "강원도", "42820", "고성군", "4282025000", "간성읍", "19880423"),
    _h("48", "경상남도", "48820", "고성군", "4882035000", "대가면", "19880423"),
    _h("27", "대구광역시", "27110", "중구", "2711000000", None, "19880423"),
    _h("26", "부산광역시", "26110", "중구", "2611000000", None, "19880423", "19950101"),  # abolished row
]
BDONG = [
    _b("28", "인천광역시", "28110", "중구", "2811014700", "운서동"),
    _b("27", "대구광역시", "27110", "중구", "2711011900", "남성로"),  # no 동/읍/면/가 suffix
    _b("48", "경상남도", "48820", "고성군", "4882035000", "대가면"),
    _b("48", "경상남도", "48820", "고성군", "4882035021", "대가면", ri="양화리"),  # a 리
]


def _write_source(folder, hdong=HDONG, bdong=BDONG):
    raw = folder / "PublicDataReader" / "raw"
    raw.mkdir(parents=True)
    (raw / "code_hdong.json").write_text(json.dumps(_table(hdong), ensure_ascii=False), encoding="utf-8")
    (raw / "code_bdong.json").write_text(json.dumps(_table(bdong), ensure_ascii=False), encoding="utf-8")
    return folder


def _read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_build_dong_reference_keeps_the_current_dongs_of_homonyms_only(tmp_path):
    source = _write_source(tmp_path / "pkg")
    out = StringIO()
    call_command("build_dong_reference", str(source), "--output", str(tmp_path / "d.csv"), stdout=out)
    rows = _read(tmp_path / "d.csv")
    assert [tuple(r[c] for c in COLUMNS) for r in rows] == [
        ("11140", "중구", "서울특별시", "11140", "행정동", "1114061500", "신당동", "20130720"),
        ("28110", "중구", "인천광역시", "28110", "행정동", "2811062800", "운서동", "20120101"),
        ("28110", "중구", "인천광역시", "28110", "법정동", "2811014700", "운서동", "19880423"),
        ("48820", "고성군", "경상남도", "48820", "행정동", "4882035000", "대가면", "19880423"),
        ("48820", "고성군", "경상남도", "48820", "법정동", "4882035000", "대가면", "19880423"),
        # 강원도 42820 is 강원특별자치도 51820 in kr_local_governments.csv
        ("51820", "고성군", "강원도", "42820", "행정동", "4282025000", "간성읍", "19880423"),
    ]
    assert "6 rows for 5 homonym" in out.getvalue()
    assert "dropped 1 리 and 1 names" in out.getvalue()


def test_build_dong_reference_reads_the_wheel_itself(tmp_path):
    source = _write_source(tmp_path / "pkg")
    wheel = tmp_path / "PublicDataReader-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name in ("code_hdong.json", "code_bdong.json"):
            zf.write(source / "PublicDataReader" / "raw" / name, f"PublicDataReader/raw/{name}")
    out = StringIO()
    call_command("build_dong_reference", str(wheel), "--output", str(tmp_path / "w.csv"), stdout=out)
    call_command("build_dong_reference", str(source), "--output", str(tmp_path / "d.csv"), stdout=StringIO())
    assert (tmp_path / "w.csv").read_bytes() == (tmp_path / "d.csv").read_bytes()
    assert "sha256" in out.getvalue()


def test_build_dong_reference_refuses_a_district_it_cannot_match(tmp_path):
    # a homonym code our list of governments does not have under that name is never guessed
    hdong = [*HDONG, _h("26", "부산광역시", "26999", "중구", "2699951000", "가상동")]
    source = _write_source(tmp_path / "pkg", hdong=hdong)
    with pytest.raises(CommandError, match="26999 중구"):
        call_command(
            "build_dong_reference", str(source), "--output", str(tmp_path / "d.csv"), stdout=StringIO()
        )
    assert not (tmp_path / "d.csv").exists()
    with pytest.raises(CommandError, match="cannot read"):
        call_command("build_dong_reference", str(tmp_path / "nothing"), stdout=StringIO())


def test_the_shipped_reference_rows_trace_to_the_mois_codes():
    rows = _read(FIXTURE)
    govs = governments()
    homonyms = {code for codes in _alias_index()[0].values() if len(codes) > 1 for code in codes}
    for r in rows:
        assert list(r) == list(COLUMNS)
        assert govs[r["code"]].name == r["sigungu_ko"], r
        assert fixture_code(r["source_sigungu_code"]) == r["code"], r
        assert r["dong_code"].startswith(r["source_sigungu_code"]) and len(r["dong_code"]) == 10, r
        assert r["kind"] in ("행정동", "법정동") and r["dong_ko"].endswith(SUFFIXES), r
        assert r["code"] in homonyms, r
    assert len({(r["kind"], r["dong_code"]) for r in rows}) == len(rows)
    # every 자치구/군 homonym of the resolver has its 동 (광주시 vs 광주광역시 is a city and a province)
    districts = {
        code
        for code in homonyms
        if govs[code].name in ("중구", "동구", "서구", "남구", "북구", "강서구", "고성군")
    }
    assert districts == {r["code"] for r in rows}
    assert len(districts) == 29
