"""A page listing several resources is split into items linked to the page."""

from __future__ import annotations

from pathlib import Path

from apps.evidence.pipeline import analyse

SEED = Path(__file__).resolve().parents[2] / "seeds" / "001_1b0367395e3750cb.txt"


def test_seed_001_is_split_into_its_six_resources():
    a = analyse(SEED.read_bytes(), filename=SEED.name)
    assert a.kind == "list"
    assert len(a.items) == 6
    assert a.items[0].title == "[사례연구] No.16 - 당진시 지속가능발전을 위한 시민실천사업(영문)"
    assert a.items[0].body.startswith("ICLEI Korea Office Case Study Series No.16 Dangin City")
    assert a.items[0].language == "en" and a.items[1].language == "ko"
    assert a.items[5].title == "2023 이클레이 한국회원 지방정부 정기회의 자료집"
    assert all(it.kind == "item" and it.parent_hash == a.content_hash for it in a.items)
    assert a.items[0].municipality_code == "44270" and a.items[1].municipality_code == "44270"
    assert a.items[0].goals and a.items[0].goals[0]["goal"] == 17
    assert a.title == "[사례연구] No.16 - 당진시 지속가능발전을 위한 시민실천사업"
    assert a.municipality_code == "44270"


def test_an_article_with_sub_headline_bullets_is_not_a_list():
    a = analyse((SEED.parent / "000_5f3c6734aa171128.txt").read_bytes())
    assert a.kind == "document" and a.items == []


def test_a_short_bulleted_menu_is_not_a_list():
    page = "• 홈\n• 뉴스\n• 포토\n• 문의\n광명시가 탄소중립 정책을 발표했다고 밝혔다. 시민 참여를 강조했다.\n"
    assert analyse(page).items == []
