from apps.indicators.services import observations_import

from ._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import observations from a spreadsheet in the statistical-annex layout of the VLR "
        "workbook (xlsx or csv). All or nothing; every bad cell is reported as 'row N, column C: "
        "reason'; re-importing the same file changes nothing. --dry-run checks without saving."
    )
    service = staticmethod(observations_import)
