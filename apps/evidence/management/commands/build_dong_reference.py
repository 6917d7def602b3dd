import hashlib
import json
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.evidence.pipeline.dongs import FIXTURE, build_rows, write_rows
from apps.evidence.pipeline.municipality import governments

#: where PublicDataReader keeps the MOIS tables, inside its wheel or an unpacked copy
MEMBERS = ("PublicDataReader/raw/code_hdong.json", "PublicDataReader/raw/code_bdong.json")


def _read_source(source: Path) -> tuple[dict, dict, str]:
    """(행정동 table, 법정동 table, description) from a PublicDataReader wheel or a folder holding
    the package's ``PublicDataReader/raw/`` files."""
    try:
        if source.is_file():
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            with zipfile.ZipFile(source) as wheel:
                tables = [json.loads(wheel.read(m)) for m in MEMBERS]
            return tables[0], tables[1], f"{source.name} (sha256 {digest})"
        tables = [json.loads((source / m).read_text(encoding="utf-8")) for m in MEMBERS]
        return tables[0], tables[1], str(source)
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise CommandError(f"cannot read {' and '.join(MEMBERS)} from {source}: {error}") from error


class Command(BaseCommand):
    help = (
        "Write fixtures/kr_homonym_dongs.csv (the 동 names that tell 중구/서구/동구/남구/북구/강서구/고성군 "
        "apart) from PublicDataReader's copy of the MOIS 행정동 and 법정동 code tables: give the wheel "
        "(pip download --no-deps PublicDataReader==1.1.1.post2) or a folder holding its "
        "PublicDataReader/raw/ files. Nothing is downloaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="PublicDataReader wheel (.whl) or unpacked folder")
        parser.add_argument("--output", default=str(FIXTURE), help=f"CSV to write (default {FIXTURE})")

    def handle(self, *args, source, output, **options):
        hdong, bdong, described = _read_source(Path(source))
        names = {code: gov.name for code, gov in governments().items()}
        try:
            rows, stats = build_rows(hdong, bdong, names)
        except (KeyError, ValueError) as error:
            raise CommandError(f"{source}: {error}") from error
        write_rows(rows, Path(output))
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {stats['rows']} rows for {stats['homonym_sigungu']} homonym 시군구 from {described}; "
                f"dropped {stats['dropped_ri']} 리 and {stats['dropped_suffix']} names not ending in 동/읍/면/가."
            )
        )
