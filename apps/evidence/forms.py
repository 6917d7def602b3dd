"""Forms of the evidence inbox: add a document (upload or paste), link by hand with an excerpt."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.models import Target


class DocumentAddForm(forms.Form):
    file = forms.FileField(
        label=_("File (txt, html, md, pdf, docx, hwpx, hwp)"),
        required=False,
        # Django's own messages are in the active language only; upload refusals are bilingual.
        error_messages={
            "empty": "빈 파일입니다 / the submitted file is empty",
            "invalid": "파일이 아닙니다 / no file was submitted",
            "missing": "파일이 없습니다 / no file was submitted",
            "max_length": "파일 이름이 너무 깁니다 / the file name is too long",
        },
    )
    text = forms.CharField(
        label=_("Or paste the text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("파일을 올리거나 글을 붙여 넣으세요 / upload a file or paste text")
        return data

    def payload(self) -> tuple[bytes, str]:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "pasted.txt"


class ManualLinkForm(forms.Form):
    """Exactly one of target / local indicator / initiative, and the selected excerpt."""

    target = forms.CharField(label=_("SDG target (code)"), max_length=6, required=False)
    local_indicator = forms.ModelChoiceField(
        label=_("Local indicator"), queryset=LocalIndicator.objects.none(), required=False
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative"), queryset=Initiative.objects.none(), required=False
    )
    excerpt_start = forms.IntegerField(label=_("Excerpt start"), min_value=0, widget=forms.HiddenInput)
    excerpt_end = forms.IntegerField(label=_("Excerpt end"), min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, municipality=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipality is not None:
            indicators = LocalIndicator.objects.filter(municipality=municipality)
            initiatives = Initiative.objects.filter(municipality=municipality)
            if user is not None:
                indicators, initiatives = indicators.for_user(user), initiatives.for_user(user)
            self.fields["local_indicator"].queryset = indicators
            self.fields["initiative"].queryset = initiatives

    def clean_target(self):
        code = (self.cleaned_data.get("target") or "").strip()
        if not code:
            return None
        target = Target.objects.filter(code=code).first()
        if target is None:
            raise forms.ValidationError("알 수 없는 세부목표 코드입니다 / unknown SDG target code")
        return target

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("target", "local_indicator", "initiative") if data.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                "세부목표, 지표, 사업 중 정확히 하나를 고르세요 / choose exactly one of target, local indicator or initiative"
            )
        if data.get("excerpt_start") is None or data.get("excerpt_end") is None:
            raise forms.ValidationError("본문에서 인용할 부분을 선택하세요 / select the excerpt in the body")
        return data

    def link_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "target": data.get("target"),
            "local_indicator": data.get("local_indicator"),
            "initiative": data.get("initiative"),
            "excerpt_start": data["excerpt_start"],
            "excerpt_end": data["excerpt_end"],
            "note": data.get("note", ""),
        }
