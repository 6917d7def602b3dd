from apps.indicators.services import indicators_import

from ._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update a municipality's local indicators (unit, direction, baseline, target, "
        "SDG alignment) from a spreadsheet in the indicator-metadata layout of the VLR workbook "
        "(xlsx or csv). All or nothing; --dry-run checks without saving."
    )
    service = staticmethod(indicators_import)
    municipality_required = True
