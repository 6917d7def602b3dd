from django.db import models


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "작성 중 / draft"
    SUBMITTED = "submitted", "제출됨 / submitted"
    CHANGES_REQUESTED = "changes_requested", "수정 요청 / changes requested"
    APPROVED = "approved", "승인됨 / approved"
    PUBLISHED = "published", "공개됨 / published"


class EditionAction(models.TextChoices):
    SUBMIT = "submit", "제출 / submit"
    REQUEST_CHANGES = "request_changes", "수정 요청 / request changes"
    APPROVE = "approve", "승인 / approve"
    PUBLISH = "publish", "공개 / publish"
    REOPEN = "reopen", "다시 작성 / reopen as draft"


# Default outline of a VLR (vlr_structure.md §1): code, 국문, English.
SECTIONS = [
    ("opening", "발간사", "Opening statement"),
    ("highlights", "주요 내용", "Highlights"),
    ("introduction", "서론", "Introduction"),
    ("methodology", "작성 방법 및 과정", "Methodology and process"),
    ("enabling.ownership", "공감대·주인의식 형성", "Ownership of the SDGs and the review"),
    ("enabling.incorporation", "지역 계획에의 SDGs 반영", "SDGs in local plans and frameworks"),
    ("enabling.integration", "경제·사회·환경 통합", "Integration of the three dimensions"),
    ("enabling.lnob", "누구도 소외되지 않는", "Leaving no one behind"),
    ("enabling.institutions", "추진체계", "Institutional mechanisms"),
    ("enabling.structural", "구조적 과제", "Structural issues"),
    ("progress", "목표·세부목표별 이행 현황", "Progress on goals and targets"),
    ("means", "이행수단", "Means of implementation"),
    ("next_steps", "향후 과제", "Next steps"),
    ("conclusion", "결론", "Conclusion"),
    ("annex.statistical", "통계 부록", "Statistical annex"),
    ("annex.metadata", "지표 메타데이터", "Indicator metadata"),
]
SECTION_CODES = [code for code, _, _ in SECTIONS]


class ReportKind(models.TextChoices):
    """The documents a Korean local government owes under the 지속가능발전 기본법 (2022), and the
    voluntary English review (README "The statutory cycle"; apps/vlr/outlines.py)."""

    STRATEGY = "strategy", "지속가능발전 지방기본전략 / local basic strategy"
    PLAN = "plan", "지방추진계획 / local implementation plan"
    CHECK = "check", "추진상황 점검 / progress check"
    ASSESSMENT = "assessment", "지속가능성 평가 / sustainability assessment"
    LOCAL_REPORT = "local_report", "지속가능발전 지방보고서 / local sustainable development report"
    VLR = "vlr", "VLR (자발적 지역 검토) / Voluntary Local Review"


class PanelGroup(models.TextChoices):
    """Who sits on an indicator assessment panel (recorded as a group and a head count only)."""

    CITIZENS = "citizens", "시민 / citizens"
    EXPERTS = "experts", "전문가 / experts"
    DEPARTMENTS = "departments", "부서 / departments"


# Scores of the indicator assessment (1 = poor … 5 = good on every criterion).
SCORE_MIN, SCORE_MAX = 1, 5

# The criteria a new 지속가능성 평가 starts with (당진's panels rated these): code, 국문, English,
# and the mean score below which an indicator is flagged (None: never flags).
DEFAULT_CRITERIA = [
    ("sdg_link", "SDGs 연계성", "Link to the SDGs", None),
    ("difficulty", "달성 난이도 (쉬울수록 높음)", "Difficulty (higher is easier)", None),
    ("target", "목표값 적정성", "Adequacy of the target value", 3.0),
]


class ReviewItemKind(models.TextChoices):
    ORDINANCE = "ordinance", "조례 / ordinance"
    PLAN = "plan", "계획 / plan"


class ReviewStatus(models.TextChoices):
    """Where an item of the Art. 14 review stands."""

    SUBMITTED = "submitted", "검토 요청 / submitted for review"
    REVIEWED = "reviewed", "위원회 의견 제시 / committee gave its opinion"
    REFLECTED = "reflected", "의견 반영 / opinion reflected"
    PARTLY = "partly", "일부 반영 / partly reflected"
    NOT_REFLECTED = "not_reflected", "미반영 / not reflected"


class ParticipationKind(models.TextChoices):
    FORUM = "forum", "포럼·토론회 / forum"
    DELIBERATION = "deliberation", "숙의공론화장 / deliberative forum (Art. 29)"
    WORKSHOP = "workshop", "워크숍 / workshop"
    SURVEY = "survey", "설문 / survey"
