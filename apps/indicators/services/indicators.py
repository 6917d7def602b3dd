"""Writes on local indicators: one indicator at a time (create, update, retire, restore; the
web form and the API both call these) and the import in the indicator metadata layout (see
:mod:`.imports` for its contract)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.exceptions import ApplicationError
from apps.core.layout import METADATA_COLUMNS, METADATA_SHEET
from apps.sdg.models import Indicator, Target

from ..choices import Alignment
from ..models import IndicatorAlignment, LocalIndicator, Observation
from ..units import unit_change_refusal
from .imports import (
    BATCH_SIZE,
    ImportReport,
    _Bad,
    _bool,
    _code,
    _direction,
    _float,
    _int,
    _municipality_for_row,
    _no_progress,
    _read,
    _require_edit,
    _RowParser,
    _run,
    _text,
)
from .progress import progress_refresh

# ------------------------------------------------------------------------------ indicators

_INDICATOR_TEXT = {  # column key → (model field, max length)
    "name_ko": ("name_ko", 300),
    "name_en": ("name_en", 300),
    "unit": ("unit", 50),
    "target_note": ("target_note", 300),
    "data_source": ("data_source", 300),
    "department": ("department", 200),
    "definition": ("definition", None),
}
_KIND_ALIASES = {
    "exact": Alignment.EXACT,
    "동일": Alignment.EXACT,
    "proxy": Alignment.PROXY,
    "대리": Alignment.PROXY,
}


def _parse_alignments(value, targets: dict[str, Target], globals_: dict[str, Indicator]):
    """``11.6.2 exact; 3.9 proxy`` → sorted [(target_id, indicator_id|None, kind)]."""
    text = _code(value)
    if not text:
        return []
    out: dict[int, tuple[int, int | None, str]] = {}
    for entry in text.replace("\n", ";").replace(",", ";").split(";"):
        parts = entry.split()
        if not parts:
            continue
        code, kind = parts[0].strip(), Alignment.PROXY
        if len(parts) > 1:
            kind = _KIND_ALIASES.get(parts[1].strip("()").lower())
            if kind is None or len(parts) > 2:
                raise _Bad(
                    f"'{entry.strip()}': 연계는 '코드 exact|proxy' 형식 / write each alignment as 'CODE exact|proxy'"
                )
        if code.count(".") == 2:
            gi = globals_.get(code)
            if gi is None:
                raise _Bad(f"알 수 없는 SDG 지표 / unknown SDG indicator: {code}")
            target_id, indicator_id = gi.target_id, gi.pk
        else:
            target = targets.get(code)
            if target is None:
                raise _Bad(f"알 수 없는 SDG 세부목표 / unknown SDG target: {code}")
            target_id, indicator_id = target.pk, None
        if target_id in out:
            raise _Bad(f"같은 세부목표가 두 번 있습니다 / target listed twice: {code}")
        out[target_id] = (target_id, indicator_id, str(kind))
    return sorted(out.values())


def indicators_import(
    *, file, municipality, actor=None, dry_run: bool = False, progress=_no_progress
) -> ImportReport:
    """Create or update the local indicators of ``municipality`` from an indicator-metadata
    spreadsheet (xlsx or csv): unit, direction, baseline, target and SDG alignment.

    Only the columns present in the file are written (a city's own sheet may have just code,
    name and unit); a blank cell in a present column clears that field. The unit of an indicator
    that has observations is not changed (a row error): its values were measured in the old one. When the alignment
    column is present, an indicator's alignments become exactly those listed.
    """
    if municipality is None:
        raise ApplicationError(
            "지자체를 지정하세요 / give the municipality to import into", code="municipality_required"
        )
    _require_edit(actor, municipality)
    table, report, rows = _read(
        file, METADATA_COLUMNS, METADATA_SHEET, kind="indicators", dry_run=dry_run, progress=progress
    )

    def write():
        municipalities = {municipality.code: municipality}
        existing_qs = LocalIndicator.objects.filter(municipality=municipality)
        existing = {ind.code: ind for ind in existing_qs}
        alignments: dict[int, list] = {}
        for ind_id, target_id, indicator_id, kind in IndicatorAlignment.objects.filter(
            local_indicator__municipality=municipality
        ).values_list("local_indicator_id", "target_id", "indicator_id", "alignment"):
            alignments.setdefault(ind_id, []).append((target_id, indicator_id, kind))
        c = table.columns
        observation_counts = {}
        if "unit" in c:
            observation_counts = dict(
                Observation.objects.filter(local_indicator__municipality=municipality)
                .values_list("local_indicator_id")
                .annotate(n=Count("id"))
                .values_list("local_indicator_id", "n")
            )
        targets = globals_ = None
        if "alignments" in c:
            targets = {t.code: t for t in Target.objects.all()}
            globals_ = {i.code: i for i in Indicator.objects.all()}

        seen: dict[str, int] = {}
        to_create, to_update, changed_fields = [], [], set()
        new_alignments: dict[str, list] = {}
        for row_number, values in rows:
            errors_before = report.error_count
            parse = _RowParser(report, table, row_number, values)

            _municipality_for_row(values, table, municipality, municipalities, report, row_number)
            code = parse("indicator_code", _code, 40)
            if code == "":
                report.error(
                    row_number,
                    table.where("indicator_code"),
                    "지표 코드가 없습니다 / indicator code is missing",
                )
            elif code and code in seen:
                report.error(
                    row_number,
                    table.where("indicator_code"),
                    f"{seen[code]}행과 같은 지표 코드 / duplicate of row {seen[code]}: {code}",
                )
            elif code:
                seen[code] = row_number
            fields = {}
            for key, (attr, max_length) in _INDICATOR_TEXT.items():
                if key in c:
                    fields[attr] = parse(key, _text, max_length)
            if "direction" in c:
                fields["direction"] = parse("direction", _direction)
            for key, attr in (("binary", "is_binary"), ("public", "is_public")):
                if key in c:
                    fields[attr] = parse(key, _bool)
            for key in ("baseline_year", "target_year"):
                if key in c:
                    fields[key] = parse(key, _int, low=1900, high=2100, blank=None)
            for key in ("baseline_value", "target_value"):
                if key in c:
                    fields[key] = parse(key, _float, required=False)
            wanted_alignments = (
                parse("alignments", _parse_alignments, targets, globals_) if "alignments" in c else None
            )
            if report.error_count != errors_before or not code:
                continue

            indicator = existing.get(code)
            is_new = indicator is None
            if is_new:
                indicator = LocalIndicator(municipality=municipality, code=code)
            changed = [attr for attr, value in fields.items() if getattr(indicator, attr) != value]
            stored = observation_counts.get(indicator.pk, 0)
            refusal = (
                unit_change_refusal(indicator.unit, fields["unit"], stored) if "unit" in changed else None
            )
            if refusal:
                report.error(row_number, table.where("unit"), refusal)
                continue
            for attr in changed:
                setattr(indicator, attr, fields[attr])
            if not (indicator.name_ko or indicator.name_en):
                report.error(
                    row_number,
                    table.where("name_ko" if "name_ko" in c else "name_en"),
                    "국문 또는 영문 지표명이 필요합니다 / a Korean or English name is required",
                )
                continue
            try:
                indicator.clean_fields(exclude=["municipality"])
                indicator.clean()
            except ValidationError as exc:  # map model fields back to columns
                for attr, messages in exc.message_dict.items():
                    column = {"is_binary": "binary", "is_public": "public", "code": "indicator_code"}.get(
                        attr, attr
                    )
                    report.error(row_number, table.where(column), " ".join(messages))
                continue
            if wanted_alignments is not None and (
                is_new or wanted_alignments != sorted(alignments.get(indicator.pk, []))
            ):
                new_alignments[code] = wanted_alignments
            if is_new:
                to_create.append(indicator)
            elif changed:
                to_update.append(indicator)
                changed_fields.update(changed)
            elif code in new_alignments:
                report.updated += 1
            else:
                report.unchanged += 1
        if report.error_count:
            return
        reason = f"import {report.file}"[:100]
        if to_create:
            bulk_create_with_history(
                to_create,
                LocalIndicator,
                batch_size=BATCH_SIZE,
                default_user=actor,
                default_change_reason=reason,
            )
        if to_update:
            now = timezone.now()
            for indicator in to_update:
                indicator.updated_at = now
            bulk_update_with_history(
                to_update,
                LocalIndicator,
                sorted(changed_fields | {"updated_at"}),
                batch_size=BATCH_SIZE,
                default_user=actor,
                default_change_reason=reason,
            )
        if new_alignments:
            ids = {
                ind.code: ind.pk
                for ind in LocalIndicator.objects.filter(
                    municipality=municipality, code__in=list(new_alignments)
                )
            }
            # Queryset delete sends post_delete per row, so history records the removed alignments.
            IndicatorAlignment.objects.filter(local_indicator_id__in=list(ids.values())).delete()
            bulk_create_with_history(
                [
                    IndicatorAlignment(
                        local_indicator_id=ids[code], target_id=t, indicator_id=i, alignment=kind
                    )
                    for code, wanted in new_alignments.items()
                    for t, i, kind in wanted
                ],
                IndicatorAlignment,
                batch_size=BATCH_SIZE,
                default_user=actor,
                default_change_reason=reason,
            )
        if to_create or to_update:
            progress_refresh(
                indicator_ids=LocalIndicator.objects.filter(
                    municipality=municipality, code__in=[ind.code for ind in to_create + to_update]
                ).values_list("pk", flat=True)
            )
        report.created += len(to_create)
        report.updated += len(to_update)

    return _run(report, dry_run, write, progress)


# ------------------------------------------------------------------------------ one indicator
# The one write path for a single indicator: the web form and the API serializer both call these.


def _require_writable(indicator: LocalIndicator) -> None:
    if indicator.is_retired:
        raise ApplicationError(
            "폐지된 지표는 바꿀 수 없습니다 (먼저 복원하세요) / a retired indicator cannot be changed (reinstate it first)",
            code="indicator_retired",
        )


def _alignments_set(indicator: LocalIndicator, alignments: list[dict], actor) -> None:
    """Make the indicator's alignments exactly ``alignments``: dicts with ``target`` and,
    optionally, ``indicator`` (global) and ``alignment`` (exact/proxy). A key left out keeps
    what the target's current alignment says (proxy, no global indicator for a new target).
    Unchanged rows are not written, so history shows only real changes."""
    wanted = [item["target"].pk for item in alignments]
    if len(set(wanted)) != len(wanted):
        raise ValidationError(
            {"alignments": "같은 세부목표가 두 번 있습니다 / the same target is listed twice"}
        )
    current = {row.target_id: row for row in IndicatorAlignment.objects.filter(local_indicator=indicator)}
    for item in alignments:
        row = current.get(item["target"].pk) or IndicatorAlignment(
            local_indicator=indicator, target=item["target"]
        )
        kind = item.get("alignment") or row.alignment or Alignment.PROXY
        global_indicator = item.get("indicator", row.indicator)
        if row.pk and row.alignment == kind and row.indicator_id == getattr(global_indicator, "pk", None):
            continue
        row.alignment, row.indicator = kind, global_indicator
        row.full_clean(validate_unique=False)
        row._history_user = actor
        row.save()
    for target_id, row in current.items():
        if target_id not in wanted:
            row._history_user = actor
            row.delete()


def _indicator_save(indicator: LocalIndicator, alignments: list[dict] | None, actor) -> LocalIndicator:
    old_unit = LocalIndicator.objects.filter(pk=indicator.pk).values_list("unit", flat=True).first()
    if old_unit is not None and old_unit != indicator.unit:
        refusal = unit_change_refusal(old_unit, indicator.unit, indicator.observations.count())
        if refusal:
            raise ValidationError({"unit": refusal})
    indicator.full_clean()
    indicator._history_user = actor
    indicator.save()
    if alignments is not None:
        _alignments_set(indicator, alignments, actor)
    progress_refresh(indicator_ids=[indicator.pk])
    return indicator


@transaction.atomic
def indicator_create(
    *, municipality, fields: dict, alignments: list[dict] | None = None, actor
) -> LocalIndicator:
    """A new local indicator of ``municipality`` (``fields``: any of ``LocalIndicator.EDITABLE_FIELDS``)
    with its SDG alignments; planners of the municipality only."""
    _require_edit(actor, municipality)
    indicator = LocalIndicator(municipality=municipality)
    for name, value in fields.items():
        if name in LocalIndicator.EDITABLE_FIELDS:
            setattr(indicator, name, value)
    return _indicator_save(indicator, alignments, actor)


@transaction.atomic
def indicator_update(
    *, indicator: LocalIndicator, fields: dict, alignments: list[dict] | None = None, actor, municipality=None
) -> LocalIndicator:
    """Change the given fields (and, when ``alignments`` is not None, the alignments) of an
    indicator. ``municipality`` moves it (the API allows that); the actor must edit both."""
    _require_edit(actor, indicator.municipality)
    _require_writable(indicator)
    if municipality is not None and municipality.pk != indicator.municipality_id:
        _require_edit(actor, municipality)
        indicator.municipality = municipality
    for name, value in fields.items():
        if name in LocalIndicator.EDITABLE_FIELDS:
            setattr(indicator, name, value)
    return _indicator_save(indicator, alignments, actor)


@transaction.atomic
def indicator_retire(*, indicator: LocalIndicator, actor, reinstate: bool = False) -> LocalIndicator:
    """Retire an indicator (or, with ``reinstate``, bring it back). Soft: its values, alignments
    and history stay; a retired indicator leaves the dashboards' and goals' summaries, takes no
    new values and can no longer be edited until reinstated."""
    _require_edit(actor, indicator.municipality)
    if reinstate == (indicator.retired_at is None):
        return indicator  # already so: nothing to write, no history row
    indicator.retired_at = None if reinstate else timezone.now()
    indicator._history_user = actor
    indicator._change_reason = "reinstated" if reinstate else "retired"
    indicator.save(update_fields=["retired_at", "updated_at"])
    return indicator


@transaction.atomic
def indicator_restore(*, indicator: LocalIndicator, history_id: int, actor) -> LocalIndicator:
    """Put back the fields an earlier version of the indicator had (its own history row)."""
    record = indicator.history.filter(history_id=history_id).first()
    if record is None:
        raise ApplicationError(
            "이 지표의 이력이 아닙니다 / not a version of this indicator", code="not_found"
        )
    return indicator_update(
        indicator=indicator,
        fields={name: getattr(record, name) for name in LocalIndicator.EDITABLE_FIELDS},
        actor=actor,
    )
