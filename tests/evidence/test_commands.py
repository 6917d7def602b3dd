"""ingest / classify / evaluate_evidence, end to end on real files."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.evidence.models import Document, EvidenceLink
from apps.evidence.pipeline import MAX_BYTES

SEEDS = Path(settings.BASE_DIR) / "seeds"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_ingesting_the_seeds_creates_documents_with_suggestions_and_is_safe_to_rerun():
    first = run("ingest", str(SEEDS))
    assert "Summary: 5 created, 0 duplicate, 0 refused." in first
    jungnang = Document.objects.get(title="중랑구, 구민 및 직원 대상 ESG 역량강화 교육 실시")
    assert jungnang.municipality.code == "11260" and str(jungnang.published_date) == "2024-10-24"
    assert "많이 본 뉴스" not in jungnang.body and "많이 본 뉴스" in jungnang.raw_content
    gwangmyeong = Document.objects.get(municipality__code="41210", parent=None)
    assert gwangmyeong.published_date is None and str(gwangmyeong.page_date) == "2024-07-26"
    assert (
        Document.objects.get(source_url="http://www.gginews.kr/news/view.php?idx=71398").municipality.code
        == "41450"
    )
    ministry = Document.objects.get(title__startswith="공공기관의 연대")
    assert ministry.municipality is None and ministry.publisher == "고용노동부"
    assert ministry.kind == "press_release" and jungnang.kind == "news"
    resource_list = Document.objects.get(kind="resource_list")
    assert resource_list.items.count() == 6 and resource_list.municipality.code == "44270"
    goals = set(
        EvidenceLink.objects.filter(document=gwangmyeong).values_list("target__goal__number", flat=True)
    )
    assert {13, 17, 11} <= goals
    counts = (Document.objects.count(), EvidenceLink.objects.count())

    second = run("ingest", str(SEEDS))
    assert "Summary: 0 created, 5 duplicate, 0 refused." in second
    assert (Document.objects.count(), EvidenceLink.objects.count()) == counts


@pytest.mark.django_db
def test_bad_files_are_refused_one_by_one_and_the_batch_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "huge.txt").write_bytes(b"a" * (MAX_BYTES + 1))
    (tmp_path / "nav.txt").write_text("본문 바로가기\n로그인\n회원가입\n많이 본 뉴스\n", encoding="utf-8")
    (tmp_path / "euckr.txt").write_bytes(
        "광명시, 탄소중립 실천 주민교육\n\n광명시(시장 박승원)가 온실가스 감축을 위한 탄소중립 실천 교육을 "
        "시민 500명을 대상으로 실시했다고 밝혔다. 시는 태양광 설치를 확대하고 재생에너지 비중을 높일 계획이다.\n".encode(
            "cp949"
        )
    )
    (tmp_path / "page.html").write_text(
        "<html><head><title>하남시 청렴 교육</title><script>alert('x')</script><style>p{}</style></head>"
        "<body><nav>홈 | 뉴스</nav><article><h1>하남시, 전 직원 청렴 교육 실시</h1>"
        "<p>하남시(시장 이현재)가 공직자 부패방지와 청렴도 향상을 위해 전 직원을 대상으로 청렴 교육을 실시했다고 밝혔다.</p>"
        "<p>시는 반부패 시책을 강화하고 공익신고 제도를 알리는 등 청렴한 공직문화를 만들어 갈 계획이다.</p>"
        "<iframe src='https://evil.example/'></iframe></article></body></html>",
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="5 of 9 files not stored"):
        call_command(
            "ingest",
            str(tmp_path),
            str(tmp_path / "missing.txt"),
            str(SEEDS / "000_5f3c6734aa171128.txt"),
            str(SEEDS / "000_5f3c6734aa171128.txt"),
            stdout=out,
        )
    output = out.getvalue()
    lines = {
        line.split()[1].rstrip(":"): line for line in output.splitlines() if line[:1] in "rcd" and ":" in line
    }
    assert "empty" in lines[str(tmp_path / "empty.txt")]
    assert "binary" in lines[str(tmp_path / "binary.txt")]
    assert "too large" in lines[str(tmp_path / "huge.txt")]
    assert "boilerplate" in lines[str(tmp_path / "nav.txt")]
    assert "no such file" in lines[str(tmp_path / "missing.txt")]
    assert "Summary: 3 created, 1 duplicate, 5 refused." in output
    euckr = Document.objects.get(filename="euckr.txt")
    assert euckr.encoding.lower() in {"cp949", "euc-kr", "euc_kr"} and euckr.municipality.code == "41210"
    html = Document.objects.get(filename="page.html")
    assert "alert" not in html.body and "evil.example" not in html.body and "청렴 교육" in html.body
    assert html.municipality.code == "41450"


@pytest.mark.django_db
def test_ingest_with_an_explicit_municipality_and_kind(tmp_path):
    (tmp_path / "a.md").write_text(
        "# 주민 참여 예산\n\n마을 주민들이 참여예산 회의에서 지속가능발전 사업을 직접 제안했다.\n",
        encoding="utf-8",
    )
    run("ingest", str(tmp_path / "a.md"), "--municipality", "44270", "--kind", "case_study")
    document = Document.objects.get(filename="a.md")
    assert (document.municipality.code, document.kind) == ("44270", "case_study")
    with pytest.raises(CommandError, match="unknown municipality"):
        run("ingest", str(tmp_path / "a.md"), "--municipality", "99999")


@pytest.mark.django_db
def test_classify_prints_one_json_line_per_file_and_writes_nothing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    output = run("classify", str(SEEDS / "002_aff93fb2e839e82f.txt"), str(tmp_path / "empty.txt"), "--json")
    lines = output.strip().splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert list(record) == [
        "file",
        "title",
        "published",
        "page_date",
        "municipality_code",
        "body",
        "goals",
        "evidence",
    ]
    # the city acts: the evidence score is the municipality's, with its reason first
    assert record["evidence"]["score"] == 1.0
    assert record["evidence"]["reasons"][0] == {"rule": "municipality", "code": "41210"}
    assert record["page_date"] == "2024-07-26" and record["published"] is None
    assert record["municipality_code"] == "41210"
    assert record["goals"][0]["goal"] == 13
    scores = [g["score"] for g in record["goals"]]
    assert scores == sorted(scores, reverse=True)
    reason = record["goals"][0]["reasons"][0]
    text = record["body"] if reason["field"] == "body" else record["title"]
    assert text[reason["start"] : reason["end"]] == reason["match"]
    assert json.loads(lines[1])["error"] == "빈 파일입니다 / empty file"
    assert not Document.objects.exists()


def test_evaluate_evidence_prints_the_metrics_for_the_seeds():
    output = run("evaluate_evidence", str(SEEDS), str(SEEDS / "expected.csv"))
    metrics = dict(line.split(None, 1) for line in output.strip().splitlines())
    assert float(metrics["primary_top1"]) == 1.0
    assert float(metrics["municipality_accuracy"]) == 1.0
    assert float(metrics["date_accuracy"]) == 1.0
    assert float(metrics["goal_recall"]) == 1.0
