"""What each kind of report is: its outline of sections (Korean and English headings), its
recipients, its article of the 지속가능발전 기본법 (2022) and its cycle, and how the sections
of one kind carry over into another (``SECTION_MAP``).

Source: ../shared/docs/research/korea_cycle_frameworks_kosis.md §2 (the Act and its decree,
read from legalize-kr) for the five statutory documents; the VLR keeps the GuideON outline of
vlr_structure.md §1 (``choices.SECTIONS``). The statutory outlines follow the content each
article lists; a city renames, reorders or skips sections as it does in a VLR.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import SECTIONS, ReportKind

K = ReportKind


@dataclass(frozen=True)
class Outline:
    kind: str
    article: str  # where the duty is written (Act, decree)
    cycle_years: int | None  # None: no statutory cycle (the voluntary review)
    rule_ko: str
    rule_en: str
    recipients: tuple[tuple[str, str], ...]  # (국문, English)
    sections: tuple[tuple[str, str, str], ...]  # (code, 국문, English)
    # Workbook narrative sheets: (key, sheet name, 국문, English, code prefixes). A section whose
    # code matches none joins the group of the section before it (or the first group).
    groups: tuple[tuple[str, str, str, str, tuple[str, ...]], ...]
    title_ko: str  # "{name} …" headline of a new edition
    title_en: str


COUNCIL = ("지방의회", "local council")
NATIONAL = ("국가지속가능발전위원회", "National Commission on Sustainable Development")
LOCAL_COMMITTEE = ("지방지속가능발전위원회", "local sustainable development committee")
HEAD = ("지방자치단체의 장", "head of the local government")

_ONE_SHEET = (("body", "본문 Narrative", "본문", "Narrative", ()),)

OUTLINES: dict[str, Outline] = {
    o.kind: o
    for o in [
        Outline(
            K.STRATEGY,
            "법 제8조, 제32조④",
            20,
            "20년 단위로 수립, 5년마다 타당성 검토 (법 제8조)",
            "every 20 years, reviewed every 5 years (Act Art. 8)",
            (LOCAL_COMMITTEE, COUNCIL, NATIONAL),
            (
                ("overview", "개요", "Overview"),
                ("status", "현황 및 전망", "Status and outlook"),
                ("previous", "이전 전략의 평가", "Evaluation of the previous strategy"),
                (
                    "goals",
                    "지방지속가능발전목표와 추진 전략",
                    "Local sustainable development goals and strategies",
                ),
                ("directions", "정책 방향", "Policy directions"),
                ("measures", "분야별 추진 과제", "Sectoral measures"),
                ("indicators", "지방지속가능발전지표", "Local sustainable development indicators"),
                ("deliberation", "지방위원회 심의", "Deliberation by the local committee"),
            ),
            _ONE_SHEET,
            "{name} 지속가능발전 지방기본전략 ({start}–{end})",
            "{name} Local Basic Strategy for Sustainable Development ({start}–{end})",
        ),
        Outline(
            K.PLAN,
            "법 제9조, 제32조④; 시행령 제6조",
            5,
            "5년마다 수립, 누리집 게시 (법 제9조, 시행령 제6조)",
            "every 5 years, posted on the city's homepage (Act Art. 9, Decree Art. 6)",
            (LOCAL_COMMITTEE, COUNCIL, NATIONAL),
            (
                ("overview", "추진 배경 및 전망", "Context and outlook"),
                ("targets", "이행목표 및 이행전략", "Implementation targets and strategies"),
                ("record", "이행경과 및 이행실적", "Implementation history and results"),
                ("actions", "분야별 실행계획", "Sectoral action plans"),
                ("finance", "재원 및 조달방법", "Financing and its sources"),
                (
                    "feedback",
                    "점검·평가·지방보고서 반영 사항",
                    "What the progress check, assessment and local report changed",
                ),
            ),
            _ONE_SHEET,
            "{name} 지속가능발전 지방추진계획 ({start}–{end})",
            "{name} Local Implementation Plan for Sustainable Development ({start}–{end})",
        ),
        Outline(
            K.CHECK,
            "법 제11조, 제12조②, 제32조⑥",
            2,
            "2년마다 지방위원회가 점검, 장은 필요하면 계획 보완 (법 제11조)",
            "every 2 years by the local committee; the head revises the plan as needed (Act Art. 11)",
            (HEAD, COUNCIL, NATIONAL),
            (
                ("overview", "점검 개요", "Overview of the check"),
                ("method", "점검 방법", "Method"),
                ("progress", "지방추진계획 이행 현황", "Progress of the local implementation plan"),
                ("actions", "분야별 점검 결과", "Results by sector"),
                ("opinions", "정책의견 (제12조)", "Policy opinions (Art. 12)"),
                ("revision", "추진계획 보완 사항", "Revisions to the plan"),
            ),
            _ONE_SHEET,
            "{name} 지속가능발전 추진상황 점검 ({start}–{end})",
            "{name} Sustainable Development Progress Check ({start}–{end})",
        ),
        Outline(
            K.ASSESSMENT,
            "법 제15조",
            2,
            "2년마다 지속가능발전지표에 따라 평가, 세부 사항은 조례 (법 제15조)",
            "every 2 years against the local indicators; details by ordinance (Act Art. 15)",
            (),
            (
                ("overview", "평가 개요", "Overview of the assessment"),
                ("method", "평가 방법 및 기준", "Method and criteria"),
                ("indicators", "지속가능발전지표 평가 결과", "Results by indicator"),
                (
                    "panels",
                    "지표 진단 (시민·전문가·부서)",
                    "Indicator review by citizens, experts and departments",
                ),
                ("targets", "목표값 수정 필요 지표", "Indicators whose target value needs revision"),
                ("responses", "부서 의견", "Responses of the departments"),
                ("conclusion", "종합 평가 및 개선 방향", "Conclusions and improvements"),
            ),
            _ONE_SHEET,
            "{name} 지속가능성 평가 ({start}–{end})",
            "{name} Sustainability Assessment ({start}–{end})",
        ),
        Outline(
            K.LOCAL_REPORT,
            "법 제16조②, 제32조⑤",
            2,
            "2년마다 점검·평가를 종합해 작성·공표 (법 제16조)",
            "every 2 years, combining the check and the assessment; published (Act Art. 16)",
            (HEAD, NATIONAL, COUNCIL),
            (
                ("overview", "개요", "Overview"),
                ("check", "추진상황 점검 결과", "Results of the progress check"),
                ("assessment", "지속가능성 평가 결과", "Results of the sustainability assessment"),
                ("reviews", "조례·계획 검토 (제14조)", "Review of ordinances and plans (Art. 14)"),
                ("participation", "참여와 숙의 (제29조)", "Participation and deliberation (Art. 29)"),
                ("next_steps", "향후 과제", "Next steps"),
            ),
            _ONE_SHEET,
            "{name} 지속가능발전 지방보고서 ({start}–{end})",
            "{name} Local Sustainable Development Report ({start}–{end})",
        ),
        Outline(
            K.VLR,
            "–",
            None,
            "자발적: 도시가 정함",
            "voluntary: as the city chooses",
            (
                ("UN 경제사회국 (HLPF)", "UN DESA (HLPF)"),
                ("IGES VLR Lab", "IGES VLR Lab"),
                ("UN-Habitat", "UN-Habitat"),
            ),
            tuple(SECTIONS),
            (
                (
                    "front",
                    "서론 Introduction",
                    "발간사·주요 내용·서론·작성 방법",
                    "Opening, highlights, introduction, methodology",
                    ("opening", "highlights", "introduction", "methodology"),
                ),
                (
                    "enabling",
                    "정책 환경 Enabling environment",
                    "정책 환경 (공감대, 계획 반영, 통합, 포용, 추진체계, 구조적 과제)",
                    "Policy and enabling environment",
                    ("enabling.",),
                ),
                (
                    "progress",
                    "이행 서술 Progress narrative",
                    "목표·세부목표별 이행 현황 서술",
                    "Progress on goals and targets: narrative",
                    ("progress",),
                ),
                (
                    "way_forward",
                    "향후 과제 Way forward",
                    "이행수단·향후 과제·결론",
                    "Means of implementation, next steps, conclusion",
                    ("means", "next_steps", "conclusion"),
                ),
                ("annex", "부록 해설 Annex notes", "부록 해설", "Notes on the annexes", ("annex.",)),
            ),
            "{name} {year} 지속가능발전목표 지역 자발적 검토 보고서",
            "{name} Voluntary Local Review {year}",
        ),
    ]
}

# How sections carry over when an edition starts from an approved edition of another kind
# (source kind, target kind) -> {source code: target code}. Several sources may land in one
# target section (their texts are joined under their old headings); a source code not listed
# goes to the section of the same code if the target has one, else to nothing (and the
# service reports it as not carried over).
SECTION_MAP: dict[tuple[str, str], dict[str, str]] = {
    (K.LOCAL_REPORT, K.VLR): {
        "overview": "introduction",
        "check": "progress",
        "assessment": "progress",
        "reviews": "enabling.incorporation",
        "participation": "enabling.ownership",
        "next_steps": "next_steps",
    },
    (K.CHECK, K.VLR): {
        "overview": "introduction",
        "method": "methodology",
        "progress": "progress",
        "actions": "progress",
        "opinions": "next_steps",
        "revision": "next_steps",
    },
    (K.ASSESSMENT, K.VLR): {
        "overview": "introduction",
        "method": "methodology",
        "indicators": "progress",
        "panels": "enabling.ownership",
        "targets": "next_steps",
        "responses": "enabling.institutions",
        "conclusion": "conclusion",
    },
    (K.CHECK, K.LOCAL_REPORT): {
        "overview": "overview",
        "method": "check",
        "progress": "check",
        "actions": "check",
        "opinions": "check",
        "revision": "next_steps",
    },
    (K.ASSESSMENT, K.LOCAL_REPORT): {
        "overview": "overview",
        "method": "assessment",
        "indicators": "assessment",
        "panels": "assessment",
        "targets": "assessment",
        "responses": "assessment",
        "conclusion": "next_steps",
    },
    (K.VLR, K.LOCAL_REPORT): {
        "introduction": "overview",
        "progress": "check",
        "enabling.ownership": "participation",
        "enabling.incorporation": "reviews",
        "next_steps": "next_steps",
    },
    (K.STRATEGY, K.PLAN): {
        "overview": "overview",
        "status": "overview",
        "goals": "targets",
        "directions": "targets",
        "measures": "actions",
    },
    (K.PLAN, K.CHECK): {"targets": "progress", "record": "progress", "actions": "actions"},
    (K.LOCAL_REPORT, K.PLAN): {"check": "feedback", "assessment": "feedback", "next_steps": "feedback"},
}


def outline_of(kind: str) -> Outline:
    return OUTLINES[kind]


def section_target(source_kind: str, target_kind: str, code: str) -> str | None:
    """The code of the section of ``target_kind`` that receives section ``code`` of
    ``source_kind`` (None: it has no place there)."""
    if source_kind != target_kind:
        mapped = SECTION_MAP.get((source_kind, target_kind), {}).get(code)
        if mapped:
            return mapped
    return code if code in {c for c, _, _ in OUTLINES[target_kind].sections} else None
