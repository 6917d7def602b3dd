"""Forms of the evidence inbox: add a document (upload or paste), link by hand with an excerpt."""

from __future__ import annotations

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.forms import TargetChoiceField

from .services import sentence_spans

#: Characters of a sentence shown in the excerpt picker (the whole sentence is quoted).
EXCERPT_LABEL = 160
NOT_LISTED = "목록에 없는 값입니다. 목록에서 고르세요 / not in the list: choose one from the list"


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


class PickerChoiceField(forms.ModelChoiceField):
    """A local indicator or initiative chosen with the shared searchable picker
    (``templates/includes/target_picker.html``, ``static/js/picker.js``): the option text holds
    the code, if any, and both titles, so Korean and English words find it."""

    def __init__(self, *, titles: tuple[str, str], code: str = "", **kwargs):
        self.code, self.titles = code, titles
        attrs = {"data-picker": "single"} | ({} if code else {"data-picker-plain": ""})
        super().__init__(required=False, widget=forms.Select(attrs=attrs), **kwargs)
        self.error_messages["invalid_choice"] = NOT_LISTED

    def label_from_instance(self, obj) -> str:
        titles = " / ".join(t for t in (getattr(obj, name) for name in self.titles) if t)
        return f"{getattr(obj, self.code)} {titles}" if self.code else titles


class ManualLinkForm(forms.Form):
    """Exactly one of target / local indicator / initiative, and the sentence of the body that
    proves it. Every choice is a native select the shared picker makes searchable, so linking
    works from the keyboard alone and without JavaScript."""

    target = TargetChoiceField(label=_("SDG target"), required=False)
    local_indicator = PickerChoiceField(
        label=_("Local indicator"),
        queryset=LocalIndicator.objects.none(),
        code="code",
        titles=("name_ko", "name_en"),
    )
    initiative = PickerChoiceField(
        label=_("Initiative"), queryset=Initiative.objects.none(), titles=("title_ko", "title_en")
    )
    excerpt = forms.ChoiceField(
        label=_("Excerpt: the sentence that proves it"),
        required=False,
        widget=forms.Select(attrs={"data-picker": "single", "data-picker-plain": ""}),
        error_messages={"invalid_choice": NOT_LISTED},
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, document, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = document.body
        municipality = document.municipality
        indicators = LocalIndicator.objects.filter(municipality=municipality, retired_at__isnull=True)
        initiatives = Initiative.objects.filter(municipality=municipality)
        if user is not None:
            indicators, initiatives = indicators.for_user(user), initiatives.for_user(user)
        self.fields["local_indicator"].queryset = indicators.order_by("code")
        self.fields["initiative"].queryset = initiatives.order_by("title_ko")
        self.fields["excerpt"].widget.attrs["lang"] = document.language  # the sentences' language
        self.fields["excerpt"].choices = [("", "---------")] + [
            (f"{start}-{end}", Truncator(self.body[start:end]).chars(EXCERPT_LABEL))
            for start, end in sentence_spans(self.body)
        ]

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("target", "local_indicator", "initiative") if data.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                "세부목표, 지표, 사업 중 정확히 하나를 고르세요 / choose exactly one of target, local indicator or initiative"
            )
        if not data.get("excerpt"):
            raise forms.ValidationError(
                "본문에서 근거가 되는 문장을 고르세요 / choose the sentence of the text that proves it"
            )
        return data

    def link_arguments(self) -> dict:
        data = self.cleaned_data
        start, end = (int(offset) for offset in data["excerpt"].split("-"))
        return {
            "target": data.get("target"),
            "local_indicator": data.get("local_indicator"),
            "initiative": data.get("initiative"),
            "excerpt_start": start,
            "excerpt_end": end,
            "note": data.get("note", ""),
        }
