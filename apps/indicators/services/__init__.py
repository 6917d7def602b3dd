"""Writes on local indicators and observations: one at a time (the form and the API call the
same functions) and the spreadsheet imports (see ``imports``)."""

from .background import import_in_background, import_start, kosis_refresh_start
from .imports import CellError, ImportReport, SpreadsheetImportError
from .indicators import (
    indicator_create,
    indicator_restore,
    indicator_retire,
    indicator_update,
    indicators_import,
)
from .observations import (
    PlausibilityWarning,
    observation_create,
    observation_delete,
    observation_restore,
    observation_update,
    observation_warnings,
    observations_import,
)
from .progress import progress_refresh

__all__ = [
    "CellError",
    "ImportReport",
    "PlausibilityWarning",
    "SpreadsheetImportError",
    "import_in_background",
    "import_start",
    "indicator_create",
    "indicator_restore",
    "indicator_retire",
    "indicator_update",
    "indicators_import",
    "kosis_refresh_start",
    "observation_create",
    "observation_delete",
    "observation_restore",
    "observation_update",
    "observation_warnings",
    "observations_import",
    "progress_refresh",
]
