"""Writes on frameworks: nodes one at a time, crosswalk links, and the spreadsheet import
(all or nothing, ``row N, column C: reason``, re-import updates in place; the contract of
:mod:`apps.core.imports`). The command, ``POST /api/v1/frameworks/import/`` and the import page
all call :func:`framework_import`."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.exceptions import PermissionDeniedError
from apps.core.imports import (
    ImportReport,
    _Bad,
    _code,
    _int,
    _read,
    _RowParser,
    _run,
    _text,
    parse_number,
)
from apps.core.layout import Column
from apps.core.permissions import OUT_OF_SCOPE, Action, require_scope
from apps.core.spreadsheets import clip

from .choices import Kind, Relation
from .models import CrosswalkLink, Framework, FrameworkNode, node_sort_key

NODE_FIELDS = ("title_ko", "title_en", "unit", "source", "target_values", "caveat", "sdg_target_id")
YEARS = range(2020, 2061)
_PERCENT = re.compile(r"^\s*([+-]?[0-9.,]+)\s*%\s*$")


def target_value(text: str) -> dict:
    """A target value as the source words it, and its number when the words are one
    (``"14.3%"`` → 14.3; ``"지속 감소"`` → text only)."""
    text = str(text).strip()
    match = _PERCENT.match(text)
    try:
        value = parse_number(match.group(1) if match else text)
    except _Bad:
        value = None
    return {"text": text, "value": value}


def _require_edit(actor, framework: Framework) -> None:
    """Planners of a local framework's municipality; admins for the shared ones."""
    if actor is None:
        return
    if framework.pk is None:
        require_scope(actor, Action.EDIT, framework.municipality_id)
    elif not Framework.objects.for_user(actor, Action.EDIT).filter(pk=framework.pk).exists():
        raise PermissionDeniedError(OUT_OF_SCOPE)


def node_rows_write(framework: Framework, rows: list[dict]) -> dict[str, str]:
    """Create or update nodes of ``framework`` from dicts (``code``, ``parent`` code or None,
    and any of ``NODE_FIELDS``; an absent field is left as stored), parents before children,
    in a few bulk statements. Returns code → created / updated / unchanged. Nodes not in
    ``rows`` are kept. The caller has checked the rows (codes unique, parents known, no cycle)."""
    existing = {n.code: n for n in FrameworkNode.objects.filter(framework=framework)}
    by_code = {r["code"]: r for r in rows}
    depth: dict[str, int] = {}

    def level_of(code: str) -> int:
        if code not in depth:
            parent = by_code[code]["parent"] if code in by_code else None
            if code not in by_code and code in existing:
                depth[code] = existing[code].level
            else:
                depth[code] = 1 if not parent else level_of(parent) + 1
        return depth[code]

    outcomes: dict[str, str] = {}
    for level in sorted({level_of(r["code"]) for r in rows}):
        to_create, to_update, fields = [], [], set()
        for row in rows:
            if level_of(row["code"]) != level:
                continue
            parent = existing[row["parent"]] if row["parent"] else None
            values = {k: row[k] for k in NODE_FIELDS if k in row}
            values.update(parent_id=parent.pk if parent else None, level=level)
            node = existing.get(row["code"])
            if node is None:
                node = FrameworkNode(
                    framework=framework, code=row["code"], sort_key=node_sort_key(row["code"]), **values
                )
                node.parent = parent  # clean() reads it: no query per node
                node.full_clean(exclude=["parent", "framework"], validate_constraints=False)
                to_create.append(node)
                outcomes[row["code"]] = "created"
                continue
            changed = [k for k, v in values.items() if getattr(node, k) != v]
            for k in changed:
                setattr(node, k, values[k])
            fields.update(changed)
            if changed:
                node.parent = parent
                node.full_clean(exclude=["parent", "framework"], validate_constraints=False)
                to_update.append(node)
            outcomes[row["code"]] = "updated" if changed else "unchanged"
        FrameworkNode.objects.bulk_create(to_create)
        if to_update:
            FrameworkNode.objects.bulk_update(to_update, sorted(fields))
        existing.update({n.code: n for n in FrameworkNode.objects.filter(framework=framework, level=level)})
    return outcomes


# ------------------------------------------------------------------------------ one node


def _node_save(node: FrameworkNode) -> FrameworkNode:
    node.level = node.parent.level + 1 if node.parent_id else 1
    node.sort_key = node_sort_key(node.code)
    node.full_clean()
    node.save()
    return node


@transaction.atomic
def node_create(
    *, framework: Framework, actor, parent: FrameworkNode | None = None, **fields
) -> FrameworkNode:
    """A new node under ``parent`` (or at the top), its level following the parent's."""
    _require_edit(actor, framework)
    return _node_save(FrameworkNode(framework=framework, parent=parent, **fields))


@transaction.atomic
def node_update(*, node: FrameworkNode, actor, **fields) -> FrameworkNode:
    """Change a node's code, titles, unit, source or target values (its place stays)."""
    _require_edit(actor, node.framework)
    for name, value in fields.items():
        setattr(node, name, value)
    if node.children.exists() and "parent" in fields:
        raise ValidationError(
            {"parent": "하위 항목이 있는 항목은 옮길 수 없습니다 / a node with children cannot move"}
        )
    return _node_save(node)


@transaction.atomic
def node_delete(*, node: FrameworkNode, actor) -> None:
    """Delete a node with its children and their crosswalk links (indicators and initiatives
    aligned to them keep their other alignments and their direct UN targets)."""
    _require_edit(actor, node.framework)
    node.delete()


# ------------------------------------------------------------------------------ crosswalk


@transaction.atomic
def link_create(
    *,
    from_node: FrameworkNode,
    to_node: FrameworkNode,
    actor,
    relation: str = Relation.CONTRIBUTES_TO,
    note: str = "",
) -> CrosswalkLink:
    """Link a node of a framework one may edit to a node of another framework one may read."""
    _require_edit(actor, from_node.framework)
    if actor is not None and not FrameworkNode.objects.for_user(actor).filter(pk=to_node.pk).exists():
        raise ValidationError({"to_node": "없는 항목입니다 / no such node"})
    link = CrosswalkLink(from_node=from_node, to_node=to_node, relation=relation, note=note, created_by=actor)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def link_delete(*, link: CrosswalkLink, actor) -> None:
    _require_edit(actor, link.from_node.framework)
    link.delete()


# ------------------------------------------------------------------------------ import

FRAMEWORK_COLUMNS: tuple[Column, ...] = (
    Column("code", "코드", "Code", 12, required=True, aliases=("node_code",)),
    Column("parent_code", "상위 코드", "Parent code", 12, aliases=("parent",)),
    Column("level", "단계", "Level", 8, aliases=("depth",)),
    Column(
        "title_ko", "제목(국문)", "Title (Korean)", 40, aliases=("국문", "제목", "title_korean", "name_ko")
    ),
    Column(
        "title_en", "제목(영문)", "Title (English)", 40, aliases=("영문", "title", "title_english", "name_en")
    ),
    Column("unit", "단위", "Unit", 10),
    Column("source", "출처", "Source", 24),
    Column(
        "mapped",
        "연계 코드",
        "Mapped codes",
        20,
        aliases=("mapped_codes", "un_targets", "sdg", "k_sdg", "crosswalk", "연계"),
    ),
    Column("relation", "관계", "Relation", 14),
    *(
        Column(
            f"target_{year}", f"{year} 목표값", f"Target {year}", 12, aliases=(f"목표값 {year}", str(year))
        )
        for year in YEARS
    ),
)
_RELATIONS = {
    "": Relation.CONTRIBUTES_TO,
    **{r.value: r.value for r in Relation},
    **{r.label.split(" / ")[0]: r.value for r in Relation},
    **{r.label.split(" / ")[1]: r.value for r in Relation},
}
_UN = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}(\.\d{1,2})?$")
_KSDG = re.compile(r"^\d{1,2}-\d{1,2}(-\d{1,2})?$")


def _relation(value) -> str:
    text = _code(value).lower().replace(" ", "_")
    if text.replace("_", " ") in _RELATIONS:
        return _RELATIONS[text.replace("_", " ")]
    if text in _RELATIONS:
        return _RELATIONS[text]
    raise _Bad(
        f"관계는 equivalent, part_of, contributes_to 중 하나 / relation must be equivalent, part_of or contributes_to: {clip(str(value))}"
    )


def _mapped_tokens(value) -> list[tuple[str, str]]:
    """``11.6; K-SDG:11-1`` → [("UN-SDG", "11.6"), ("K-SDG", "11-1")]."""
    out = []
    for token in re.split(r"[;,\s]+", _code(value)):
        if not token:
            continue
        if ":" in token:
            framework, code = token.split(":", 1)
            framework = {"UN": "UN-SDG", "KSDG": "K-SDG"}.get(framework.upper(), framework)
        elif _UN.match(token):
            framework, code = "UN-SDG", token
        elif _KSDG.match(token):
            framework, code = "K-SDG", token
        else:
            raise _Bad(
                f"연계 코드를 알 수 없습니다 (예: 11.6, 11-1, K-SDG:11-1) / cannot read the mapped code "
                f"(e.g. 11.6, 11-1, K-SDG:11-1): {clip(token)}"
            )
        out.append((framework, code))
    return out


def framework_import(
    *,
    file,
    municipality=None,
    framework_code: str = "",
    name_ko: str = "",
    name_en: str = "",
    level_names: list[dict] | None = None,
    dry_run: bool = False,
    actor=None,
) -> ImportReport:
    """Create or update the nodes (and their crosswalk links) of a framework from a
    spreadsheet: a municipality's local framework (``framework_code`` defaults to ``local``,
    created on first import) or, for an admin or operator, a shared framework by code.
    Columns: code, parent code, level, titles ko/en, unit, source, target values by year
    (``Target 2030`` …) and mapped UN / K-SDG codes with their relation. A row's links are
    replaced by what its mapped cell lists when that column is in the file."""
    code = framework_code.strip() or ("local" if municipality is not None else "")
    if municipality is not None:
        framework = Framework.objects.filter(municipality=municipality, code=code).first()
        if framework is None:
            framework = Framework(
                kind=Kind.LOCAL,
                municipality=municipality,
                code=code,
                name_ko=name_ko or f"{municipality.name_ko} 지속가능발전목표",
                name_en=name_en or (f"{municipality.name_en} SDGs" if municipality.name_en else ""),
                level_names=level_names or [],
            )
    else:
        framework = Framework.objects.filter(municipality__isnull=True, code=code).first()
        if framework is None:
            if not code:
                raise ValidationError(
                    "지자체 또는 프레임워크 코드가 필요합니다 / give a municipality or a framework code"
                )
            framework = Framework(
                kind=Kind.NETWORK,
                code=code,
                name_ko=name_ko,
                name_en=name_en or code,
                level_names=level_names or [],
            )
    _require_edit(actor, framework)
    table, report, rows = _read(file, FRAMEWORK_COLUMNS, "", kind="framework nodes", dry_run=dry_run)
    report.kind = f"framework {framework.code}"
    has = table.columns.__contains__
    stored = (
        {n.code: n for n in FrameworkNode.objects.filter(framework_id=framework.pk)} if framework.pk else {}
    )

    parsed: dict[str, dict] = {}
    line_of: dict[str, int] = {}
    for row_number, values in rows:
        cell = _RowParser(report, table, row_number, values)
        node_code = cell("code", _code, 60)
        if not node_code:
            if node_code == "":
                report.error(row_number, table.where("code"), "코드가 없습니다 / code is missing")
            continue
        if node_code in line_of:
            report.error(
                row_number,
                table.where("code"),
                f"코드가 {line_of[node_code]}행과 겹칩니다 / code repeats row {line_of[node_code]}: {clip(node_code)}",
            )
            continue
        line_of[node_code] = row_number
        row = {"code": node_code, "parent": cell("parent_code", _code, 60) or None, "_row": row_number}
        if has("level"):
            row["_level"] = cell("level", _int, low=1, high=10, blank=None)
        for key, limit in (("title_ko", 2000), ("title_en", 2000), ("unit", 60), ("source", 500)):
            if has(key):
                row[key] = (cell(key, _text, limit) or "").strip()
        years = {y for y in YEARS if has(f"target_{y}")}
        if years:
            row["target_values"] = {
                str(y): target_value(text)
                for y in sorted(years)
                if (text := (cell(f"target_{y}", _text, 300) or "").strip())
            }
        if has("mapped"):
            row["_mapped"] = cell("mapped", _mapped_tokens) or []
            row["_relation"] = cell("relation", _relation) if has("relation") else Relation.CONTRIBUTES_TO
        if stored.get(node_code) is None and not (row.get("title_ko") or row.get("title_en")):
            report.error(
                row_number,
                table.where("title_ko"),
                "국문 또는 영문 제목이 필요합니다 / a Korean or English title is required",
            )
        parsed[node_code] = row

    # Parents: in the file or already stored; levels follow them, and must match a level cell.
    depth: dict[str, int | None] = {}

    def level_of(node_code: str, seen=()) -> int | None:
        if node_code in depth:
            return depth[node_code]
        if node_code not in parsed:
            return stored[node_code].level if node_code in stored else None
        if node_code in seen:
            return None
        parent = parsed[node_code]["parent"]
        depth[node_code] = 1 if not parent else ((level_of(parent, (*seen, node_code)) or 0) + 1 or None)
        return depth[node_code]

    for node_code, row in parsed.items():
        parent = row["parent"]
        where = table.where("parent_code")
        if parent and parent not in parsed and parent not in stored:
            report.error(
                row["_row"],
                where,
                f"상위 코드가 파일과 프레임워크에 없습니다 / unknown parent code: {clip(parent)}",
            )
            continue
        chain, cursor = {node_code}, parent
        while cursor and cursor in parsed:
            if cursor in chain:
                report.error(
                    row["_row"],
                    where,
                    f"상위 코드가 순환합니다 / the parent codes form a cycle: {clip(parent)}",
                )
                break
            chain.add(cursor)
            cursor = parsed[cursor]["parent"]
        else:
            level = level_of(node_code)
            if row.get("_level") and level and row["_level"] != level:
                report.error(
                    row["_row"],
                    table.where("level"),
                    f"단계가 상위 코드와 맞지 않습니다 ({row['_level']}, 상위에 따르면 {level}) / the level does not "
                    f"follow the parent code ({row['_level']}; by the parent {level})",
                )
            if level and level > 10:
                report.error(row["_row"], where, "10단계까지 / at most 10 levels")

    # Mapped codes: nodes of the other frameworks, looked up in one query per framework.
    wanted: dict[str, set[str]] = {}
    for row in parsed.values():
        for fw, node_code in row.get("_mapped", []):
            wanted.setdefault(fw, set()).add(node_code)
    targets: dict[tuple[str, str], FrameworkNode] = {}
    for fw, codes in wanted.items():
        visible = FrameworkNode.objects.filter(framework__code=fw, code__in=codes)
        visible = (
            visible.filter(framework__municipality__isnull=True)
            | visible.filter(framework__municipality_id=framework.municipality_id)
            if framework.municipality_id
            else visible.filter(framework__municipality__isnull=True)
        )
        for node in visible.select_related("framework"):
            targets[(fw, node.code)] = node
    for row in parsed.values():
        for fw, node_code in row.get("_mapped", []):
            if (fw, node_code) not in targets:
                report.error(
                    row["_row"],
                    table.where("mapped"),
                    f"{fw} 프레임워크에 없는 코드입니다 / no node {clip(node_code)} in framework {clip(fw)}",
                )
            elif fw == framework.code and targets[(fw, node_code)].framework_id == framework.pk:
                report.error(
                    row["_row"],
                    table.where("mapped"),
                    "같은 프레임워크와는 연결할 수 없습니다 / cannot map to the same framework",
                )

    def write():
        if report.error_count:
            return
        if framework.pk is None:
            framework.full_clean()
            framework.save()
        rows_in = [{k: v for k, v in r.items() if not k.startswith("_")} for r in parsed.values()]
        try:
            outcomes = node_rows_write(framework, rows_in)
        except ValidationError as exc:
            report.error(0, "-", "; ".join(exc.messages))
            return
        nodes = {n.code: n for n in FrameworkNode.objects.filter(framework=framework, code__in=list(parsed))}
        mapped_rows = {c: r for c, r in parsed.items() if "_mapped" in r}
        current: dict[int, dict[int, CrosswalkLink]] = {}
        for link in CrosswalkLink.objects.filter(from_node__in=[nodes[c] for c in mapped_rows]):
            current.setdefault(link.from_node_id, {})[link.to_node_id] = link
        to_create, to_update, to_delete = [], [], []
        for node_code, row in mapped_rows.items():
            node = nodes[node_code]
            have = current.get(node.pk, {})
            want = {targets[key].pk for key in row["_mapped"]}
            changed = False
            for to_id in want:
                link = have.get(to_id)
                if link is None:
                    to_create.append(
                        CrosswalkLink(
                            from_node=node,
                            to_node_id=to_id,
                            relation=row["_relation"],
                            note=f"import {report.file}",
                            created_by=actor,
                        )
                    )
                    changed = True
                elif link.relation != row["_relation"]:
                    link.relation = row["_relation"]
                    to_update.append(link)
                    changed = True
            stale = [link.pk for to_id, link in have.items() if to_id not in want]
            to_delete += stale
            if (changed or stale) and outcomes[node_code] == "unchanged":
                outcomes[node_code] = "updated"
        CrosswalkLink.objects.filter(pk__in=to_delete).delete()
        CrosswalkLink.objects.bulk_create(to_create)
        CrosswalkLink.objects.bulk_update(to_update, ["relation"])
        for outcome in outcomes.values():
            setattr(report, outcome, getattr(report, outcome) + 1)

    return _run(report, dry_run, write)


def alignment_nodes_check(municipality_id: int, nodes) -> None:
    """Nodes a city's indicator or initiative may align to: its own frameworks' or a shared
    framework's (K-SDG, UN SDG, a network's), never another city's."""
    if any(n.framework.municipality_id not in (None, municipality_id) for n in nodes):
        raise ValidationError(
            {
                "framework_nodes": "다른 지자체의 프레임워크 항목입니다 / a node of another municipality's framework"
            }
        )
