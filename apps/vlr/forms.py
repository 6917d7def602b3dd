"""Forms of the VLR edition page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.models import Goal

from .models import Comment, Edition, EditionSection


class EditionCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Reporting year"), min_value=2015, max_value=2100)
    title_ko = forms.CharField(label=_("Title (Korean)"), required=False, max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=300)


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
