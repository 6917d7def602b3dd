"""Every cell of ``permission_table.TABLE`` as one test: resource × action × actor → status.

Besides the status, each test checks what the status promises: a list shows the object exactly
when the actor may retrieve it (no cross-tenant reads of drafts), and a refused write leaves
every tenant table exactly as it was (no cross-tenant writes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import Job
from apps.datacalls.models import DataCall
from apps.evidence.models import Document, EvidenceLink
from apps.frameworks.models import CrosswalkLink, Framework, FrameworkNode
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate
from apps.municipalities.models import Municipality
from apps.sdg.models import Goal, Indicator, Target
from apps.vlr.choices import PanelGroup, ReportKind
from apps.vlr.models import (
    AssessmentPanel,
    Comment,
    CycleDate,
    CycleSettings,
    Edition,
    EditionSection,
    EditionTransition,
    OrdinanceReview,
    ParticipationRecord,
    Submission,
)
from tests.factories import make_data_call, make_local_framework

from . import factories as f
from .permission_table import ACTOR_FIXTURES, ROWS, can_see

API = "/api/v1"
TENANT_MODELS = [
    Framework,
    FrameworkNode,
    CrosswalkLink,
    LocalIndicator,
    IndicatorAlignment,
    Observation,
    Initiative,
    InitiativeTarget,
    ProgressUpdate,
    Document,
    EvidenceLink,
    Edition,
    EditionSection,
    Comment,
    EditionTransition,
    Job,
    OrdinanceReview,
    ParticipationRecord,
    CycleDate,
    CycleSettings,
    Submission,
    AssessmentPanel,
    LocalIndicator.framework_nodes.through,
    Initiative.framework_nodes.through,
    DataCall,
]


def db_state() -> dict[str, list[dict]]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in TENANT_MODELS}


@dataclass
class Act:
    """A workflow verb: HTTP method, URL segment, body (muni, obj) → dict, on the object or the list."""

    segment: str
    body: Callable[[Any, Any], dict] = lambda muni, obj: {}
    method: str = "post"
    detail: bool = True
    multipart: bool = False
    url: Callable[[Any, Any], str] | None = None  # a PATCH of (muni, obj) → this URL, not the object's


def _csv(muni, obj):
    content = f"indicator_code,year,value\n{obj.local_indicator.code},2023,7.5\n".encode()
    return {
        "file": SimpleUploadedFile("annex.csv", content, content_type="text/csv"),
        "municipality": muni.code,
    }


@dataclass
class Spec:
    """How to exercise one resource over HTTP."""

    path: str  # list URL below /api/v1/
    make: Callable[[Any], Any]  # muni → the object the row is about
    key: Callable[[Any], Any] = lambda obj: obj.pk  # object → URL lookup value
    create: Callable[[Any, Any], dict] = lambda muni, obj: {}  # (muni, obj) → POST body
    update: dict = field(default_factory=dict)  # PATCH body
    actions: dict = field(default_factory=dict)  # verb → Act


def _closed_call(muni):
    call = make_data_call(muni, 2024)
    call.closed_at = call.created_at
    call.save()
    return call


def _section(muni, state="draft"):
    return f.edition(muni, state=state).sections.get(code="opening")


SPECS: dict[str, Spec] = {
    "goal": Spec(
        "goals", lambda m: Goal.objects.get(number=11), key=lambda o: o.number, update={"short_en": "x"}
    ),
    "target": Spec(
        "targets", lambda m: Target.objects.get(code="11.6"), key=lambda o: o.code, update={"title_en": "x"}
    ),
    "indicator": Spec(
        "indicators",
        lambda m: Indicator.objects.get(code="11.6.2"),
        key=lambda o: o.code,
        update={"title_en": "x"},
    ),
    "municipality": Spec("municipalities", lambda m: m, key=lambda o: o.code, update={"name_en": "x"}),
    "local-indicator": Spec(
        "local-indicators",
        lambda m: f.local_indicator(m),
        create=lambda m, o: {
            "municipality": m.code,
            "code": "NEW-1",
            "name_ko": "새 지표",
            "alignments": [{"target": "11.6", "indicator": "11.6.2", "alignment": "exact"}],
        },
        update={"name_en": "Changed"},
    ),
    "local-indicator:public": Spec(
        "local-indicators", lambda m: f.local_indicator(m, public=True), update={"name_en": "Changed"}
    ),
    "observation": Spec(
        "observations",
        lambda m: f.observation(m),
        create=lambda m, o: {"local_indicator": o.local_indicator_id, "year": 2021, "value": 2.5},
        update={"value": 9.0},
        actions={
            "import": Act("import", _csv, detail=False, multipart=True),
            "import_background": Act(
                "import", lambda m, o: {**_csv(m, o), "background": "true"}, detail=False, multipart=True
            ),
        },
    ),
    "observation:public": Spec(
        "observations",
        lambda m: f.observation(m, public=True),
        create=lambda m, o: {"local_indicator": o.local_indicator_id, "year": 2021, "value": 2.5},
        update={"value": 9.0},
    ),
    "initiative": Spec(
        "initiatives",
        lambda m: f.initiative(m),
        create=lambda m, o: {
            "municipality": m.code,
            "title_ko": "새 사업",
            "targets": [{"target": "13.2", "is_primary": True}],
            "groups_served": ["women"],
        },
        update={"title_en": "Changed"},
    ),
    "initiative:public": Spec(
        "initiatives", lambda m: f.initiative(m, public=True), update={"title_en": "Changed"}
    ),
    "progress-update": Spec(
        "progress-updates",
        lambda m: f.progress_update(m),
        create=lambda m, o: {"initiative": o.initiative_id, "date": "2024-06-01", "text": "완료 단계"},
        update={"text": "Changed"},
    ),
    "document": Spec(
        "documents",
        lambda m: f.document(m),
        update={"title": "Changed"},
        actions={
            "ingest": Act(
                "ingest",
                lambda m, o: {
                    "text": "중랑구, 탄소중립 실천 주간 운영\n\n중랑구는 온실가스 감축을 위해 주민과 함께 에너지 절약 캠페인을 "
                    "벌이고, 재생에너지 보급과 기후변화 적응 교육을 확대한다고 밝혔다.",
                    "municipality": m.code,
                },
                detail=False,
            )
        },
    ),
    "document:public": Spec("documents", lambda m: f.document(m, public=True), update={"title": "Changed"}),
    "evidence-link": Spec(
        "evidence-links",
        lambda m: f.evidence_link(m),
        update={"note": "x"},
        create=lambda m, o: {
            "document": o.document_id,
            "target": "13.2",
            "excerpt_start": 0,
            "excerpt_end": 5,
            "note": "직접 연결",
        },
        actions={
            "confirm": Act("confirm", lambda m, o: {"note": "맞습니다"}),
            "reject": Act("reject", lambda m, o: {"note": "관련 없음"}),
        },
    ),
    "edition": Spec(
        "editions",
        lambda m: f.edition(m),
        create=lambda m, o: {"municipality": m.code, "year": 2024, "focus_goals": [11, 13]},
        update={"participation": "주민참여단 30명"},
        actions={"workbook": Act("workbook", method="get")},
    ),
    "edition:published": Spec(
        "editions",
        lambda m: f.edition(m, state="published"),
        update={"participation": "x"},
        actions={"workbook": Act("workbook", method="get")},
    ),
    "edition-section": Spec("edition-sections", lambda m: _section(m), update={"body_ko": "구청장 인사말"}),
    "edition-section@submitted": Spec(
        "edition-sections", lambda m: _section(m, "submitted"), update={"body_ko": "변경"}
    ),
    "job": Spec("jobs", lambda m: f.job(m)),
    "job:started_elsewhere": Spec(
        "jobs",
        lambda m: f.job(
            m,
            started_by=get_user_model().objects.get_or_create(username="planner_b")[0],
            with_municipality=False,
        ),
    ),
    "data-call": Spec(
        "data-calls",
        lambda m: _closed_call(m),
        create=lambda m, o: {
            "municipality": m.code,
            "year": 2026,
            "due_date": "2027-03-31",
            "message": "입력",
        },
        actions={"completeness": Act("completeness", method="get")},
    ),
    "data-call@open": Spec("data-calls", lambda m: make_data_call(m, 2025), actions={"close": Act("close")}),
    "comment": Spec(
        "comments",
        lambda m: f.comment(m),
        create=lambda m, o: {"edition": o.edition_id, "body": "확인 부탁드립니다"},
        update={"body": "x"},
    ),
}


def _submission(muni):
    from datetime import date

    from django.core.files.base import ContentFile

    edition = f.edition(muni, state="approved")
    submission = Submission(
        edition=edition, recipient="국가지속가능발전위원회", sent_on=date(2026, 1, 5), file_sha256="0" * 64
    )
    submission.file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return submission


def _panel(muni):
    edition = f.edition(muni, kind=ReportKind.ASSESSMENT)
    return AssessmentPanel.objects.create(edition=edition, group=PanelGroup.EXPERTS, participants=5)


SPECS.update(
    {
        "ordinance-review": Spec(
            "ordinance-reviews",
            lambda m: OrdinanceReview.objects.create(
                municipality=m, item_kind="plan", title="기후 계획", submitted_on="2025-02-01"
            ),
            create=lambda m, o: {
                "municipality": m.code,
                "item_kind": "ordinance",
                "title": "조례 개정안",
                "submitted_on": "2025-03-01",
                "targets": ["13.2"],
            },
            update={"title": "x"},
        ),
        "participation-record": Spec(
            "participation-records",
            lambda m: ParticipationRecord.objects.create(
                municipality=m, kind="forum", title="포럼", held_on="2025-04-01", participants={"시민": 20}
            ),
            create=lambda m, o: {
                "municipality": m.code,
                "kind": "deliberation",
                "title": "숙의공론화장",
                "held_on": "2025-05-01",
                "participants": {"시민": 40, "전문가": 5},
            },
            update={"title": "x"},
        ),
        "cycle-date": Spec(
            "cycle-dates",
            lambda m: CycleDate.objects.create(
                municipality=m, year=2026, due="2026-06-30", title_ko="조례상 기한"
            ),
            create=lambda m, o: {
                "municipality": m.code,
                "kind": "local_report",
                "year": 2026,
                "due": "2026-09-30",
            },
            update={"title_ko": "x"},
        ),
        "cycle-settings": Spec(
            "cycle-settings",
            lambda m: CycleSettings.objects.create(municipality=m, strategy_start=2022),
            update={"biennial_first": 2023},
            actions={"calendar": Act("calendar", method="get")},
        ),
        "submission": Spec("submissions", _submission, actions={"file": Act("file", method="get")}),
        "assessment-panel": Spec(
            "assessment-panels",
            _panel,
            create=lambda m, o: {"edition": o.edition_id, "group": "citizens", "participants": 30},
            actions={"ratings": Act("ratings", lambda m, o: {"rows": []})},
        ),
    }
)


def _edition_in(state: str):
    return lambda muni: f.edition(muni, state=state)


for _state in ("draft", "submitted", "approved"):
    SPECS[f"edition@{_state}"] = Spec(
        "editions",
        _edition_in(_state),
        actions={
            "submit": Act("submit"),
            "request_changes": Act("request-changes", lambda m, o: {"comment": "지표 출처를 보완해 주세요"}),
            "approve": Act("approve"),
            "publish": Act("publish"),
            "reopen": Act("reopen", lambda m, o: {"comment": "오류 수정"}),
        },
    )


def _local_node(muni, code="G1-S1"):
    framework = Framework.objects.filter(municipality=muni).first() or make_local_framework(
        muni, goals=1, per_goal=2, links={"G1-S1": ("11.6",)}
    )
    return framework.nodes.get(code=code)


def _with_frameworks(muni, obj):
    """``obj``, with 중랑구's local framework and 광명시's (and an indicator B-1 of 광명시) beside it."""
    _local_node(muni)
    other = Municipality.objects.get(code="41210")
    if not Framework.objects.filter(municipality=other).exists():
        make_local_framework(other, goals=1, per_goal=1)
        f.local_indicator(other, code="B-1")
    return obj


def _align_actions(path: str) -> dict:
    def node(m, code):
        return FrameworkNode.objects.get(framework__municipality=m, code=code).pk

    return {
        "align": Act("", lambda m, o: {"framework_nodes": [_local_node(m).pk]}, method="patch"),
        "align_elsewhere": Act(
            "",
            lambda m, o: {"framework_nodes": [node(Municipality.objects.get(code="41210"), "G1")]},
            method="patch",
        ),
    }


def _framework_csv(muni, obj):
    content = "code,parent_code,title_ko\nA,,가\nA-1,A,나\n".encode()
    return {
        "file": SimpleUploadedFile("framework.csv", content, content_type="text/csv"),
        "municipality": muni.code,
    }


SPECS.update(
    {
        "framework": Spec(
            "frameworks",
            lambda m: _local_node(m).framework,
            create=lambda m, o: {
                "kind": "local",
                "municipality": m.code,
                "code": "second",
                "name_ko": "둘째",
            },
            update={"name_en": "Changed"},
            actions={"import": Act("import", _framework_csv, detail=False, multipart=True)},
        ),
        "framework:shared": Spec(
            "frameworks", lambda m: Framework.objects.get(code="K-SDG"), update={"name_en": "Changed"}
        ),
        "framework-node": Spec(
            "framework-nodes",
            lambda m: _local_node(m),
            create=lambda m, o: {
                "framework": o.framework_id,
                "parent": o.pk,
                "code": "G1-S1-I9",
                "title_ko": "새 지표",
            },
            update={"title_en": "Changed"},
        ),
        "framework-node:shared": Spec(
            "framework-nodes",
            lambda m: FrameworkNode.objects.get(framework__code="K-SDG", code="11-1"),
            create=lambda m, o: {
                "framework": o.framework_id,
                "parent": o.pk,
                "code": "11-1-99",
                "title_ko": "새 지표",
            },
            update={"title_en": "Changed"},
        ),
        # An indicator or initiative of 중랑구 aligned to a node of its own framework, or of 광명시's;
        # and 광명시's indicator aligned to a node of 중랑구's framework (``obj``).
        "local-indicator:aligned": Spec(
            "local-indicators",
            lambda m: _with_frameworks(m, f.local_indicator(m)),
            actions=_align_actions("local-indicators"),
        ),
        "initiative:aligned": Spec(
            "initiatives",
            lambda m: _with_frameworks(m, f.initiative(m)),
            actions=_align_actions("initiatives"),
        ),
        "framework-node:elsewhere": Spec(
            "framework-nodes",
            lambda m: _with_frameworks(m, _local_node(m)),
            actions={
                "align": Act(
                    "",
                    lambda m, o: {"framework_nodes": [o.pk]},
                    method="patch",
                    url=lambda m, o: (
                        f"{API}/local-indicators/"
                        f"{LocalIndicator.objects.get(municipality__code='41210', code='B-1').pk}/"
                    ),
                )
            },
        ),
        "crosswalk": Spec(
            "crosswalk",
            lambda m: CrosswalkLink.objects.get(from_node=_local_node(m)),
            create=lambda m, o: {
                "from_node": _local_node(m, "G1-S2").pk,
                "to_node": FrameworkNode.objects.get(framework__code="UN-SDG", code="11.2").pk,
                "relation": "part_of",
            },
            update={"note": "x"},
        ),
    }
)


def _request(client, row, spec: Spec, obj, muni):
    detail = f"{API}/{spec.path}/{spec.key(obj)}/"
    if row.action == "list":
        return client.get(f"{API}/{spec.path}/", {"page_size": 200})
    if row.action == "retrieve":
        return client.get(detail)
    if row.action == "create":
        return client.post(f"{API}/{spec.path}/", spec.create(muni, obj), format="json")
    if row.action == "update":
        return client.patch(detail, spec.update, format="json")
    if row.action == "delete":
        return client.delete(detail)
    act = spec.actions[row.action]
    url = f"{detail if act.detail else f'{API}/{spec.path}/'}{act.segment}/"
    if act.method == "patch":  # a write of one field of the object (or of ``act.url``'s)
        return client.patch(act.url(muni, obj) if act.url else detail, act.body(muni, obj), format="json")
    if act.method == "get":
        return client.get(url)
    return client.post(url, act.body(muni, obj), format="multipart" if act.multipart else "json")


def _me(client, row):
    return client.get(f"{API}/me/")


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_permission_matrix(row, request, muni_a, api):
    user = request.getfixturevalue(ACTOR_FIXTURES[row.actor])
    client = api(user)
    if row.resource == "me":
        response = _me(client, row)
        assert response.status_code == row.status, response.content
        return

    spec = SPECS[row.resource]
    obj = spec.make(muni_a)
    before = db_state()
    response = _request(client, row, spec, obj, muni_a)
    assert response.status_code == row.status, response.content.decode()[:500]

    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"detail", "code", "errors"}, body  # the one error shape
    if row.action == "list":
        ids = [item.get("id") for item in response.json()["results"]]
        assert (obj.pk in ids) == can_see(row.resource, row.actor), ids
    elif row.action != "retrieve" and response.status_code >= 400:
        assert db_state() == before, "a refused write changed the database"
