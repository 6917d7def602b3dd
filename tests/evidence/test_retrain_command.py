"""`manage.py retrain_evidence`: the deployment's own confirm/reject decisions plus a labelled
folder, weights written where the engine reads them (settings.EVIDENCE_MODEL_PATH). A small
corpus built here keeps the test fast; the shipped corpus is trained the same way."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.evidence.choices import LinkStatus
from apps.evidence.management.commands.retrain_evidence import decided_examples
from apps.evidence.pipeline.classify import classify
from apps.evidence.pipeline.model import configure, load_model
from tests.factories import make_document, make_suggestion

WATER = [
    "노후 상수도관을 교체해 수돗물 누수율을 낮췄다. 정수장 수질 검사 결과도 공개한다.",
    "하수처리장 증설로 하천 수질이 좋아졌다. 방류수 기준을 지킨다.",
    "섬 마을에 해수담수화 시설을 지어 식수를 공급한다.",
    "상수원 녹조를 막기 위해 가축분뇨 처리시설을 늘린다.",
]
FOREST = [
    "산불 피해지에 나무를 심어 숲을 복원한다. 산림 생태계를 되살린다.",
    "멸종위기 야생동물 서식지를 보호하고 불법 올무를 수거한다.",
    "소나무재선충병 감염목을 제거하고 숲가꾸기를 한다.",
    "습지를 복원해 철새 서식지를 지킨다. 생물다양성 보전 사업이다.",
]
OTHER = ["프로야구 개막전에서 홈팀이 이겼다.", "새 스마트폰이 출시됐다. 할인 행사를 한다."]


@pytest.fixture
def small_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    rows = []
    for n, (body, goals) in enumerate(
        [(b, "6") for b in WATER] + [(b, "15") for b in FOREST] + [(b, "") for b in OTHER]
    ):
        (folder / f"t{n}.txt").write_text(f"제목 {n}\n{body}\n", encoding="utf-8")
        rows.append({"file": f"t{n}.txt", "sdg_goals": goals})
    with open(folder / "labels.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["file", "sdg_goals"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture
def decisions(muni_a):
    water = make_document(
        muni_a, "중랑구는 빗물 저류시설을 설치해 하천 수질을 지킨다.", title="빗물 저류시설"
    )
    make_suggestion(water, "6.3", "수질", status=LinkStatus.CONFIRMED)
    make_suggestion(water, "11.6", "빗물", status=LinkStatus.REJECTED)
    forest = make_document(muni_a, "중랑구는 봉화산 숲길에 나무를 심었다.", title="봉화산 숲")
    make_suggestion(forest, "15.2", "나무", status=LinkStatus.CONFIRMED)
    undecided = make_document(muni_a, "중랑구 미세먼지 저감 전기버스.", title="전기버스")
    make_suggestion(undecided, "11.6", "미세먼지")  # still only suggested: teaches nothing
    return water, forest


@pytest.mark.django_db
def test_decisions_become_partial_labels(decisions):
    water, forest = decisions
    examples = {e["source"]: e for e in decided_examples()}
    assert set(examples) == {f"document {water.pk}", f"document {forest.pk}"}
    assert examples[f"document {water.pk}"]["labels"] == {6: 1, 11: 0}
    assert examples[f"document {forest.pk}"]["labels"] == {15: 1}
    assert examples[f"document {water.pk}"]["body"] == water.body


@pytest.mark.django_db
def test_retrain_writes_weights_where_the_engine_reads_them(small_corpus, decisions, settings, tmp_path):
    settings.EVIDENCE_MODEL_PATH = str(tmp_path / "weights" / "model.json")
    out = StringIO()
    call_command("retrain_evidence", "--corpus", str(small_corpus), stdout=out)
    assert "Trained on 10 corpus texts and 2 decided documents" in out.getvalue()
    data = json.loads((tmp_path / "weights" / "model.json").read_text(encoding="utf-8"))
    assert data["n_examples"] == 12 and data["sources"][-1] == "2 decided documents"
    assert set(data["bias"]) == {"6", "15"}  # the goals with at least two known positives
    assert data["threshold"] in [round(0.2 + 0.05 * i, 2) for i in range(16)]
    configure(settings.EVIDENCE_MODEL_PATH)
    try:
        assert load_model().data["trained_at"] == data["trained_at"]
        goals = classify("상수도", "노후 상수도관 교체로 누수율을 낮추고 수돗물 수질을 지킨다.")
        assert goals[0]["goal"] == 6 and goals[0]["features"]
    finally:
        configure(None)


@pytest.mark.django_db
def test_retrain_refuses_a_folder_without_labels(tmp_path):
    with pytest.raises(CommandError, match=r"no labels\.csv"):
        call_command("retrain_evidence", "--corpus", str(tmp_path), "--output", str(tmp_path / "m.json"))
    assert not (tmp_path / "m.json").exists()
