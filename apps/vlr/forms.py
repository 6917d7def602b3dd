"""Forms of the VLR edition page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.models import Goal

from .choices import PanelGroup, ReportKind
from .models import Comment, Edition, EditionSection


class EditionCreateForm(forms.Form):
    # Optional: a form posted without it (as before kinds existed) makes a VLR.
    kind = forms.ChoiceField(
        label=_("Kind of report"), choices=ReportKind.choices, initial=ReportKind.VLR, required=False
    )
    year = forms.IntegerField(label=_("Reporting year"), min_value=2015, max_value=2100)
    period_start = forms.IntegerField(
        label=_("Period from (year)"), min_value=1990, max_value=2100, required=False
    )
    period_end = forms.IntegerField(
        label=_("Period to (year)"), min_value=1990, max_value=2100, required=False
    )
    title_ko = forms.CharField(label=_("Title (Korean)"), required=False, max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=300)

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or ReportKind.VLR


class EditionStartFromForm(forms.Form):
    """Start a new edition from this approved one (apps.vlr.services.edition_start_from)."""

    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices, initial=ReportKind.VLR)
    year = forms.IntegerField(label=_("Reporting year"), min_value=2015, max_value=2100)
    period_start = forms.IntegerField(
        label=_("Period from (year)"), min_value=1990, max_value=2100, required=False
    )
    period_end = forms.IntegerField(
        label=_("Period to (year)"), min_value=1990, max_value=2100, required=False
    )


class SubmissionForm(forms.Form):
    """Record that this approved edition was sent (apps.vlr.services.submission_create)."""

    recipient = forms.CharField(
        label=_("Sent to"),
        max_length=200,
        error_messages={
            "required": "받는 곳을 입력하세요 / say to whom it was sent",
            "max_length": "받는 곳은 200자까지 / at most 200 characters for the recipient",
        },
    )
    sent_on = forms.DateField(
        label=_("Sent on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "보낸 날을 입력하세요 / give the date it was sent",
            "invalid": "날짜는 YYYY-MM-DD / give the date as YYYY-MM-DD",
        },
    )
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=100,
        required=False,
        error_messages={"max_length": "문서 번호는 100자까지 / at most 100 characters for the reference"},
    )
    file = forms.FileField(
        label=_("The file sent"),
        error_messages={
            "required": "보낸 파일을 고르세요 / choose the file that was sent",
            "missing": "보낸 파일을 고르세요 / choose the file that was sent",
            "empty": "빈 파일입니다 / the file is empty",
            "invalid": "파일이 아닙니다 / not a file",
        },
    )


class PanelForm(forms.Form):
    """A panel of the indicator assessment: a group and a head count, no names of people."""

    group = forms.ChoiceField(label=_("Group"), choices=PanelGroup.choices)
    name = forms.CharField(label=_("Panel name"), max_length=100, required=False)
    participants = forms.IntegerField(label=_("Number of participants"), min_value=1, max_value=100000)


class SectionForm(forms.ModelForm):
    class Meta:
        model = EditionSection
        fields = ["title_ko", "title_en", "included", "body_ko", "body_en"]
        labels = {
            "title_ko": _("Section title (Korean)"),
            "title_en": _("Section title (English)"),
            "included": _("Include this section"),
            "body_ko": _("Narrative (Korean)"),
            "body_en": _("Narrative (English)"),
        }
        widgets = {"body_ko": forms.Textarea(attrs={"rows": 5}), "body_en": forms.Textarea(attrs={"rows": 5})}


class EditionChecklistForm(forms.ModelForm):
    """The checklist's inputs the planner writes: participation and focus goals."""

    class Meta:
        model = Edition
        fields = ["participation", "focus_goals"]
        labels = {
            "participation": _("Participation (who took part in preparing the review, and how)"),
            "focus_goals": _("Focus goals"),
        }
        help_texts = {"participation": "", "focus_goals": _("The goals this review concentrates on.")}
        widgets = {
            "participation": forms.Textarea(attrs={"rows": 3}),
            "focus_goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_goals"].queryset = Goal.objects.order_by("number")


class GoalNarrativesForm(forms.Form):
    """The city's narrative per goal (Korean and English), two text areas per goal; cleaned into
    the edition's ``goal_narratives`` for ``edition_update``. ``goals``: the report data's goal
    dicts (number, short titles), so the form costs no query."""

    def __init__(self, *args, edition, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            current = edition.goal_narrative(goal["number"])
            for lang, label in (("ko", _("Narrative (Korean)")), ("en", _("Narrative (English)"))):
                self.fields[f"goal_{goal['number']}_{lang}"] = forms.CharField(
                    label=f"SDG {goal['number']} · {label}",
                    required=False,
                    initial=current[lang],
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def rows(self):
        """(goal, Korean field, English field) for the template."""
        return [(g, self[f"goal_{g['number']}_ko"], self[f"goal_{g['number']}_en"]) for g in self.goals]

    def clean(self):
        data = super().clean()
        return {
            "goal_narratives": {
                str(g["number"]): {lang: data.get(f"goal_{g['number']}_{lang}", "") for lang in ("ko", "en")}
                for g in self.goals
            }
        }


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment / reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.ModelChoiceField(queryset=Comment.objects.none(), required=False, widget=forms.HiddenInput)
    local_indicator = forms.ModelChoiceField(
        label=_("About the indicator"), queryset=LocalIndicator.objects.none(), required=False
    )
    initiative = forms.ModelChoiceField(
        label=_("About the initiative"), queryset=Initiative.objects.none(), required=False
    )

    def __init__(self, *args, edition, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Comment.objects.for_user(user).filter(edition=edition)
        self.fields["local_indicator"].queryset = LocalIndicator.objects.for_user(user).filter(
            municipality=edition.municipality_id
        )
        self.fields["initiative"].queryset = Initiative.objects.for_user(user).filter(
            municipality=edition.municipality_id
        )
