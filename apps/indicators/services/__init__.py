"""Writes on local indicators and observations: the spreadsheet imports (see ``imports``)."""
from .imports import CellError, ImportReport, SpreadsheetImportError
from .indicators import indicators_import
from .observations import observations_import

__all__ = ["CellError", "ImportReport", "SpreadsheetImportError", "indicators_import", "observations_import"]
