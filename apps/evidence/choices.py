from django.db import models


class DocumentKind(models.TextChoices):
    NEWS = "news", "기사 / news article"
    PRESS_RELEASE = "press_release", "보도자료 / press release"
    CASE_STUDY = "case_study", "사례 / case study"
    REPORT = "report", "보고서 / report"
    RESOURCE_LIST = "resource_list", "자료 목록 / resource list"
    WEB_PAGE = "web_page", "웹페이지 / web page"
    OTHER = "other", "기타 / other"


class LinkOrigin(models.TextChoices):
    SUGGESTED = "suggested", "자동 제안 / suggested"
    MANUAL = "manual", "직접 연결 / added by a person"


class LinkStatus(models.TextChoices):
    SUGGESTED = "suggested", "제안됨 / suggested"
    CONFIRMED = "confirmed", "확인됨 / confirmed"
    REJECTED = "rejected", "기각됨 / rejected"


# The only moves an evidence link can make (enforced by apps.evidence.services).
LINK_TRANSITIONS = {
    LinkStatus.SUGGESTED: {LinkStatus.CONFIRMED, LinkStatus.REJECTED},
    LinkStatus.CONFIRMED: {LinkStatus.REJECTED},
    LinkStatus.REJECTED: {LinkStatus.CONFIRMED},
}
