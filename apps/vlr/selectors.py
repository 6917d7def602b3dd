"""Reads of VLR editions shared by the workflow, the UI and the export."""
from __future__ import annotations

from django.utils import timezone

from .models import Edition


def edition_snapshot(edition: Edition) -> dict:
    """The numbers an approval freezes: every local indicator's values and status, the
    initiatives and the confirmed evidence of the municipality at this moment.

    Kept as plain JSON so that later edits to the data do not change what was approved.
    """
    from apps.reports.selectors import municipality_report_data

    data = municipality_report_data(municipality=edition.municipality, year=edition.year)
    return {"frozen_at": timezone.now().isoformat(), **data}
