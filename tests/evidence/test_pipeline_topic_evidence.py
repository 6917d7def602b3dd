"""Issue 21: topic and actor/evidence kept apart, and the general cleaning/metadata rules
(goal numbers, organisation names, derivational stems, several goals per term, area codes,
negative pages). Pure pipeline: no database."""

from __future__ import annotations

from apps.evidence.pipeline import analyse, analysis_to_json
from apps.evidence.pipeline.classify import (
    EVIDENCE_NO_ACTOR,
    MARKETING_FACTOR,
    assess_evidence,
    classify,
)
from apps.evidence.pipeline.lexicon import Entry, Lexicon, stem
from apps.evidence.pipeline.municipality import detect_municipality

CLIMATE_TITLE = "탄소중립 추진"
CLIMATE_BODY = "탄소중립 실천을 위해 온실가스 감축 목표를 세우고 재생에너지를 늘린다."


def _scores(goals):
    return {g["goal"]: g["score"] for g in goals}


# --- 1. two questions -----------------------------------------------------------------


def test_topic_score_does_not_depend_on_who_acts():
    """Before, a text naming no public body lost 40 % of its topic score (x0.6)."""
    no_actor = classify(CLIMATE_TITLE, CLIMATE_BODY)
    with_city = classify(CLIMATE_TITLE, "과천시는 " + CLIMATE_BODY, municipality_code="41290")
    assert _scores(no_actor)[13] == _scores(with_city)[13]
    assert no_actor[0]["goal"] == 13 and no_actor[0]["adjustments"] == []


def test_an_english_report_snippet_without_any_actor_gets_its_goals():
    text = (
        "Waste that is recyclable should be recycled; sustainable agriculture supports food security "
        "and smallholder incomes."
    )
    goals = classify("", text)
    assert [g["goal"] for g in goals][:2] == [2, 12]


def test_evidence_score_ranks_a_city_above_public_words_above_no_actor_with_reasons():
    city = assess_evidence(CLIMATE_TITLE, "과천시는 " + CLIMATE_BODY, "41290")
    public = assess_evidence(CLIMATE_TITLE, "환경부는 " + CLIMATE_BODY, None)
    nobody = assess_evidence(CLIMATE_TITLE, CLIMATE_BODY, None)
    assert city["score"] > public["score"] > nobody["score"] > 0
    assert city["reasons"][0] == {"rule": "municipality", "code": "41290"}
    assert any(r["rule"] == "public_actor" and r["match"] == "환경부" for r in public["reasons"])
    assert nobody["reasons"] == [{"rule": "no_public_actor"}]
    # the evidence question never changes the topic answer
    assert _scores(classify(CLIMATE_TITLE, CLIMATE_BODY)) == _scores(
        classify(CLIMATE_TITLE, "환경부는 " + CLIMATE_BODY)
    )


def test_marketing_rule_is_listed_on_every_goal_it_damps_and_in_the_evidence_reasons():
    title = "친환경 신제품 출시 기념 할인"
    body = "재활용 소재로 만든 신제품을 출시했다. 사전판매 고객에게 할인과 프로모션을 제공한다. " * 2
    goals_plain = classify(
        "친환경 소재", "재활용 소재로 만든 가방. 재활용 소재를 쓴다. 재활용 비율을 높였다."
    )
    evidence = assess_evidence(title, body, None)
    for goal in classify(title, body * 4):
        assert goal["adjustments"][0]["rule"] == "marketing"
        assert goal["adjustments"][0]["factor"] == MARKETING_FACTOR
        assert {"출시", "할인"} <= {m["match"] for m in goal["adjustments"][0]["matches"]}
    assert all(g["adjustments"] == [] for g in goals_plain)
    assert any(r["rule"] == "commercial" for r in evidence["reasons"])
    assert evidence["score"] == round(EVIDENCE_NO_ACTOR * MARKETING_FACTOR, 2)


def test_analysis_carries_both_answers_and_the_json_line_shows_them():
    a = analyse(("과천시, 탄소중립 추진\n\n과천시는 " + CLIMATE_BODY + "\n").encode(), filename="a.txt")
    out = analysis_to_json(a, "a.txt")
    assert out["goals"][0]["goal"] == 13
    assert out["evidence"]["score"] == 1.0 and out["municipality_code"] == "41290"


# --- 2. goal numbers --------------------------------------------------------------------


def test_sdg_number_credits_that_goal_not_goal_17():
    goals = classify("Progress on SDG 4", "The report reviews SDG 4 and SDG 11.6 in schools.")
    by_goal = {g["goal"]: g for g in goals}
    assert goals[0]["goal"] == 4 and 17 not in by_goal
    assert by_goal[4]["reasons"][0]["match"] == "SDG 4"


def test_sdg_number_with_target_and_lists():
    goals = {g["goal"]: g for g in classify("SDGs 6 and 14 and SDG 11.6", "")}
    assert {6, 14, 11} <= set(goals)
    assert goals[11]["targets"] == ["11.6"]


def test_goal_and_mokpyo_numbers_count_only_where_the_sdgs_are_named():
    assert [g["goal"] for g in classify("Goal 13 reached", "Our striker scored; goal 13 minutes in.")] == []
    assert classify("목표 3개 달성", "올해 목표 3개를 세웠다") == []
    named = classify("지속가능발전목표 목표 3 이행", "지속가능발전목표(SDGs) 중 목표 3을 점검했다.")
    assert named[0]["goal"] == 3


# --- 2. organisation names ---------------------------------------------------------------


def test_goal_words_inside_organisation_and_department_names_do_not_count():
    lex = Lexicon(
        [
            Entry("주민자치", "ko", "16.7", 3, ()),
            Entry("보육", "ko", "4.2", 3, ()),
            Entry("education", "en", "4.1", 3, ()),
        ]
    )
    venue = classify(
        "주민자치위원회 회의실에서 설명회",
        "창업보육센터 입주 기업 설명회가 주민자치위원회 회의실에서 열렸다.",
        lexicon=lex,
    )
    assert venue == []
    dept = classify("", "Department of Education officials met. The Education Committee agreed.", lexicon=lex)
    assert dept == []
    # the same words outside a name count
    assert classify("주민자치 강화", "주민자치 활동과 보육 지원을 늘린다.", lexicon=lex)[0]["goal"] in (4, 16)
    assert classify("Quality education", "Quality education for all children.", lexicon=lex)[0]["goal"] == 4


# --- 2. stems and several goals per term ------------------------------------------------


def test_stemmer_covers_common_derivational_suffixes():
    assert stem("recyclable") == stem("recycle") == stem("recycling")
    assert stem("agricultural") == stem("agriculture")
    assert stem("sustainability") == stem("sustainable") == stem("sustainably")
    assert stem("renewables") == stem("renewable") == stem("renew")
    assert stem("equality") == stem("equal") and stem("national") == stem("nation")
    assert stem("hospitality") != stem("hospital")  # one derivational step only


def test_a_term_may_serve_several_goals():
    lex = Lexicon([Entry("food waste", "en", "12.3", 3, ()), Entry("food waste", "en", "2.1", 3, ())])
    goals = classify("Food waste", "Food waste collection grows.", lexicon=lex)
    assert {g["goal"] for g in goals} == {2, 12}


# --- 2. municipality ----------------------------------------------------------------------


def test_homonym_district_is_resolved_by_telephone_area_code_when_no_province_is_named():
    title = "중구, 쓰레기 줄이기 나선다"
    assert detect_municipality(title, "중구는 재활용 정책을 추진한다고 밝혔다. 문의 032-760-7000") == "28110"
    assert detect_municipality(title, "중구는 재활용 정책을 추진한다고 밝혔다. 문의 02-3396-4000") == "11140"
    assert detect_municipality(title, "중구는 재활용 정책을 추진한다고 밝혔다.") is None
    # a named province wins over a phone number
    assert (
        detect_municipality("대전 중구, 쓰레기 줄이기", "대전 중구는 정책을 밝혔다. 문의 032-760-7000")
        == "30140"
    )


def test_negative_page_takes_no_municipality_from_one_headline_mention():
    page = "서울시, 프로야구 개막전\n\n프로야구 개막전이 열렸고 관중이 경기장을 가득 채웠다. 선수들이 승리했다.\n"
    a = analyse(page.encode(), filename="sport.txt")
    assert a.goals == [] and a.municipality_code is None
    assert (
        detect_municipality("서울시, 프로야구 개막전", "프로야구 개막전이 열렸다.", topical=True) == "11000"
    )


def test_evaluation_reports_the_evidence_question_apart_from_the_topic():
    from pathlib import Path

    from apps.evidence.pipeline.evaluation import evaluate

    holdout = Path(__file__).parent / "holdout"
    result = evaluate(holdout, holdout / "labels.csv")
    assert result["evidence_mean_positives"] > 0.9
    assert result["evidence_mean_negatives"] < 0.3
    assert all(isinstance(d["evidence"], float) for d in result["details"])
