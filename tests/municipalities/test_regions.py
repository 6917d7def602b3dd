"""Region names and codes → municipalities (apps/municipalities/regions.py)."""

from __future__ import annotations

import pytest

from apps.municipalities.regions import RegionError, RegionIndex


@pytest.fixture
def regions(db) -> RegionIndex:
    return RegionIndex()


def code(m) -> str | None:
    return m.code if m is not None else None


def test_names_with_their_province_in_any_spelling(regions):
    assert code(regions.resolve(("서울특별시", "중구"), 2023)) == "11140"
    assert code(regions.resolve(("인천광역시 중구",), 2023)) == "28110"
    assert code(regions.resolve(("서울", "중랑구"), 2023)) == "11260"
    assert code(regions.resolve(("중랑구",), 2023)) == "11260"  # unique name
    assert code(regions.resolve(("서울특별시", "소계"), 2023)) == "11000"
    assert regions.resolve(("전국", "소계"), 2023) is None


def test_homonyms_never_resolve_without_their_province(regions):
    for name in ("중구", "서구", "동구", "남구", "북구"):
        with pytest.raises(RegionError, match="give its province"):
            regions.resolve((name,), 2023)


def test_codes_old_and_new_as_of_the_period(regions):
    assert code(regions.resolve(("1126000000",), 2023)) == "11260"  # 10-digit MOIS code
    assert code(regions.resolve(("47720",), 2022)) == "27720"  # 군위군 before it moved to 대구
    with pytest.raises(RegionError, match="valid until 2023-06-30"):
        regions.resolve(("47720",), 2024)
    assert code(regions.resolve(("42110",), 2022)) == "51110"  # 강원도 → 강원특별자치도 춘천시
    assert code(regions.resolve(("21",), 2023)) == "26000"  # KOSTAT 부산
    with pytest.raises(RegionError, match="non-autonomous district"):
        regions.resolve(("41111",), 2023)  # 수원시 장안구


def test_gunwi_by_its_old_province_only_before_the_move(regions):
    assert code(regions.resolve(("경상북도", "군위군"), 2022)) == "27720"
    with pytest.raises(RegionError, match="no '군위군' in"):
        regions.resolve(("경상북도", "군위군"), 2024)
    assert code(regions.resolve(("대구광역시", "군위군"), 2021)) == "27720"  # today's name, old period
    assert code(regions.resolve(("강원도", "춘천시"), 2022)) == "51110"
    with pytest.raises(RegionError, match="name until 2023-06-10"):
        regions.resolve(("강원도", "춘천시"), 2024)
