"""Reads of VLR editions.

- :mod:`.report`: the one data source of a municipality's VLR (``municipality_report_data``,
  ``export_data``), shared by the edition pages, the approval snapshot and the workbook
  (:mod:`apps.vlr.exports.vlr_workbook`);
- :mod:`.editions`: what the workflow and the edition page derive from it (the snapshot, the
  checklist, the section facts, the changes since the last approved edition);
- :mod:`.cycle`: the statutory calendar of each city (due dates, standing, submissions).
"""

from .cycle import calendar_items, city_calendar, due_date_for, network_calendar, previous_approved_of_kind
from .editions import (
    change_basis,
    edition_changes,
    edition_checklist,
    edition_snapshot,
    public_page_of,
    public_summary,
    review_queue,
    section_facts,
)
from .report import SCHEMA_VERSION, export_data, municipality_report_data, public_page_data, public_view

__all__ = [
    "SCHEMA_VERSION",
    "calendar_items",
    "change_basis",
    "city_calendar",
    "due_date_for",
    "edition_changes",
    "edition_checklist",
    "edition_snapshot",
    "export_data",
    "municipality_report_data",
    "network_calendar",
    "previous_approved_of_kind",
    "public_page_data",
    "public_page_of",
    "public_summary",
    "public_view",
    "review_queue",
    "section_facts",
]
