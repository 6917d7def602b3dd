"""Writes on local indicators and observations: the spreadsheet imports (see ``imports``)."""
from .background import import_in_background, import_start
from .imports import CellError, ImportReport, SpreadsheetImportError
from .indicators import indicators_import
from .observations import observations_import

__all__ = ["CellError", "ImportReport", "SpreadsheetImportError", "import_in_background", "import_start",
           "indicators_import", "observations_import"]
