"""A bounded fuzz of every upload endpoint (hypothesis, deterministic, part of `make test`).

Files that are almost right are the dangerous ones, so most examples start from the real layouts
(the statistical annex as CSV in every encoding a Korean office writes, or as xlsx; news text
and HTML pages) and break a cell, a byte, the encoding, the name or a form field; the rest are
raw bytes. Every answer must pass the floor of ``conftest.check``: no 5xx, the API's one JSON
error shape, bilingual messages in the UI, no error that echoes the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .conftest import ENDPOINTS, check
from .generate import ARTICLE as NEWS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    deadline=None,  # no timing in tests
    database=None,  # write nothing into the clone (.hypothesis/)
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),  # one database and client for all examples, by design
)

ANNEX_HEADERS = [
    "municipality_code",
    "indicator_code",
    "year",
    "quarter",
    "sex",
    "age_group",
    "value",
    "unit",
    "source",
    "provisional",
    "estimated",
    "note",
    "지표 코드",
    "연도",
    "값",
    "Indicator code",
    "bogus",
]
TRICKY = [
    "",
    " ",
    "22,85",
    "1,234",
    "1.234,5",
    "1 234",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-0",
    "0x10",
    "2023",
    "2023.0",
    "１２３",
    "JN-01",
    " JN-01 ",
    "11260",
    "41210",
    "=1+1",
    "@SUM(A1)",
    "\u202eevil",
    "천명",
    "명",
    "%",
    "TRUE",
    "예",
    "Q5",
    "\x00",
    "\ud800",
    "😀" * 3,
    "a" * 400,
]
FILENAMES = [
    "annex.csv",
    "annex.xlsx",
    "annex.CSV",
    "annex",
    "../../etc/passwd",
    "통계 부록.csv",
    ".xlsx",
    "article.txt",
    "page.html",
    "page.htm",
    "note.md",
    "x" * 300 + ".txt",
    "article.exe",
    "image.png",
    "proof.pdf",
    "proof.docx",
    "proof.hwpx",
    "proof.hwp",
]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # what an HWP 5.x file starts with
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp949", "euc-kr", "latin-1"]

cells = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=20),
    st.integers(-(10**15), 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
xlsx_cells = st.one_of(
    cells.map(
        lambda s: ILLEGAL_CHARACTERS_RE.sub("", s).encode("utf-8", "ignore").decode()
    ),  # what a cell can hold
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.booleans(),
    st.none(),
)


# A row the import accepts (중랑구's JN-01, see conftest.annex_indicator); examples spoil some cells.
VALID = {
    "municipality_code": "11260",
    "indicator_code": "JN-01",
    "year": "2023",
    "quarter": "0",
    "sex": "",
    "age_group": "",
    "value": "7.5",
    "unit": "명",
    "source": "주민등록 통계",
    "provisional": "FALSE",
    "estimated": "",
    "note": "메모",
}
REQUIRED = ["indicator_code", "year", "value"]


@st.composite
def annex_rows(draw, cell_strategy):
    if draw(st.integers(0, 3)) < 3:  # mostly the real layout, a few cells spoilt
        optional = draw(
            st.lists(st.sampled_from([k for k in VALID if k not in REQUIRED]), unique=True, max_size=6)
        )
        header = draw(st.permutations(REQUIRED + optional))
        rows = [
            [draw(cell_strategy) if draw(st.integers(0, 5)) == 5 else VALID[key] for key in header]
            for _ in range(draw(st.integers(1, 4)))
        ]
        return [header, *rows]
    header = draw(st.lists(st.sampled_from(ANNEX_HEADERS), max_size=8))  # anything goes
    rows = draw(st.lists(st.lists(cell_strategy, max_size=len(header) + 1), max_size=5))
    return [header, *rows]


@st.composite
def mutated(draw, content: bytes) -> bytes:
    """Truncate, flip or insert bytes: the file a broken transfer or a careless edit leaves.
    Positions are drawn as fractions, so that the draws never depend on the content's length
    (a saved workbook's timestamp changes it from one run to the next)."""
    how = draw(st.sampled_from(["keep"] * 4 + ["truncate", "flip", "insert"]))
    at = draw(st.integers(0, 999_999)) * len(content) // 1_000_000
    if how == "truncate":
        return content[:at]
    if how == "flip" and content:
        return content[:at] + bytes([content[at] ^ draw(st.integers(1, 255))]) + content[at + 1 :]
    if how == "insert":
        return content[:at] + draw(st.binary(min_size=1, max_size=16)) + content[at:]
    return content


FIXED_TIME = (2024, 1, 2, 3, 4, 6)
STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def _stable(zipped: bytes) -> bytes:
    """The same archive with fixed member dates and document timestamps, so that an example is
    the same bytes on every run (a library saves the current time into xlsx and docx files)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(zipped)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(
                zipfile.ZipInfo(item.filename, FIXED_TIME),
                STAMP.sub(b"2024-01-02T03:04:06Z", source.read(item.filename)),
            )
    return out.getvalue()


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf-16") else "replace")


@st.composite
def annex_csv(draw) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"]))).writerows(
        draw(annex_rows(cells))
    )
    return draw(mutated(_encode(out.getvalue(), draw(st.sampled_from(ENCODINGS)))))


@st.composite
def annex_xlsx(draw) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = draw(
        st.sampled_from(["통계 부록 Statistical annex", "Sheet1", "지표 메타 Indicator metadata"])
    )
    for _ in range(draw(st.integers(0, 2))):  # blank or junk rows above the header
        sheet.append(draw(st.lists(xlsx_cells, max_size=3)))
    for row in draw(annex_rows(xlsx_cells)):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return draw(mutated(_stable(out.getvalue())))


ARTICLE = "{title}\n\n기사입력 {date}\n\n{body}\n\n{tail}\n"


@st.composite
def document_text(draw) -> bytes:
    text = ARTICLE.format(
        title=draw(
            st.one_of(
                st.sampled_from(["중랑구, 탄소중립 교육", "\u202e제목", "", "하남시 소식"]),
                st.text(max_size=60),
            )
        ),
        date=draw(
            st.one_of(
                st.sampled_from(["2024.03.21", "2024-13-45", "0000.00.00", "2024년 3월 21일"]),
                st.text(max_size=20),
            )
        ),
        body=draw(
            st.one_of(
                st.sampled_from(["시는 온실가스 감축 계획을 발표했다.", "2024.03.21 " * 50, "광명시 " * 30]),
                st.text(max_size=400),
            )
        ),
        tail=draw(
            st.one_of(
                st.sampled_from(["출처: www.example.kr", "기사원문 http://", "ⓒ 뉴스", ""]),
                st.text(max_size=40),
            )
        ),
    )
    return draw(mutated(_encode(text, draw(st.sampled_from(ENCODINGS)))))


@st.composite
def document_html(draw) -> bytes:
    head = draw(
        st.lists(
            st.sampled_from(
                [
                    '<link rel="canonical" href="/a/b">',
                    '<link rel="canonical" href="">',
                    '<link rel="canonical">',
                    '<meta property="og:url" content="javascript:alert(1)">',
                    '<meta property="og:url" content="//x">',
                    '<meta property="article:published_time" content="not a date">',
                    '<meta charset="euc-kr">',
                    '<meta name="author" content="">',
                    '<base href="ftp://x/">',
                    "<title></title>",
                    "<script>alert(1)</script>",
                ]
            ),
            max_size=4,
        )
    )
    title = draw(st.text(max_size=40))
    body = draw(st.text(max_size=400))
    page = (
        f"<html><head>{''.join(head)}<title>{title}</title></head>"
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )
    return draw(mutated(_encode(page, draw(st.sampled_from(ENCODINGS)))))


@st.composite
def document_docx(draw) -> bytes:
    import docx

    document = docx.Document()
    for text in draw(
        st.lists(
            cells.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s).encode("utf-8", "ignore").decode()),
            max_size=4,
        )
    ):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return draw(mutated(_stable(out.getvalue())))


@st.composite
def document_hwpx(draw) -> bytes:
    text = escape(draw(st.text(max_size=80)).encode("utf-8", "ignore").decode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr(
            "Contents/section0.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
                f'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"><hp:p><hp:run><hp:t>{text}</hp:t></hp:run></hp:p></hs:sec>'
            ),
        )
    return draw(mutated(_stable(out.getvalue())))


@st.composite
def document_pdf(draw) -> bytes:
    text = draw(
        st.text(
            alphabet=st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="()\\"),
            max_size=80,
        )
    )
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
        b"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>> endobj\n"
        + f"4 0 obj <</Length {len(stream)}>> stream\n".encode()
        + stream
        + b"\nendstream endobj\n"
        b"5 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )
    return draw(mutated(pdf))


# What each endpoint accepts, as the first example: the code past the refusals is reached.
VALID_UPLOADS = {
    "annex": ("annex.csv", b"indicator_code,year,value\r\nJN-01,2023,7.5\r\n"),
    "document": (
        "article.txt",
        NEWS.format(title="중랑구, 탄소중립 주민 토론회 열어", city="중랑구").encode(),
    ),
    # An endpoint that reads annex-like files in its own layout names its valid example here.
    "api_framework_import": ("framework.csv", "code,parent_code,title_ko\r\nA,,가\r\nA-1,A,나\r\n".encode()),
    "ui_framework_import": ("framework.csv", "code,parent_code,title_ko\r\nA,,가\r\nA-1,A,나\r\n".encode()),
}


def named(content, *names):
    """(file name, content): mostly a name that fits the content, sometimes any name at all."""
    return st.tuples(st.one_of(st.sampled_from(names), st.sampled_from(FILENAMES)), content)


# one_of picks its branches evenly: mostly near-valid files, some raw bytes.
uploads = {
    "annex": st.one_of(
        named(annex_csv(), "annex.csv"),
        named(annex_csv(), "annex.csv"),
        named(annex_xlsx(), "annex.xlsx"),
        named(annex_xlsx(), "annex.xlsx"),
        named(st.binary(max_size=512), "annex.csv", "annex.xlsx"),
    ),
    "document": st.one_of(
        named(document_text(), "article.txt", "note.md"),
        named(document_html(), "page.html"),
        named(document_docx(), "proof.docx"),
        named(document_pdf(), "proof.pdf"),
        named(document_hwpx(), "proof.hwpx"),
        named(st.binary(max_size=512).map(lambda b: OLE_MAGIC + b), "proof.hwp"),
        named(st.binary(max_size=512), "article.txt", "proof.pdf"),
    ),
}
fields = {
    "api_observations_import": st.fixed_dictionaries(
        {},
        optional={
            "municipality": st.sampled_from(["11260", "11260", "41210", "", "nope", " 11260"]),
            "dry_run": st.sampled_from(["true", "false", "false", "", "maybe"]),
        },
    ),
    "api_documents_ingest": st.one_of(
        st.just({}),
        st.fixed_dictionaries(
            {},
            optional={
                "municipality": st.sampled_from(["11260", "41210", "", "nope"]),
                "kind": st.sampled_from(["news", "press_release", "bogus", ""]),
                "is_html": st.sampled_from(["true", "false", "x"]),
            },
        ),
    ),
    "ui_evidence_add": st.fixed_dictionaries({}, optional={"text": st.text(max_size=200)}),
    "api_local_indicators_import": st.fixed_dictionaries(
        {},
        optional={
            "municipality": st.sampled_from(["11260", "41210", "", "nope"]),
            "dry_run": st.sampled_from(["true", "false", "maybe"]),
            "background": st.sampled_from(["false", "", "maybe"]),
        },
    ),
    "api_observations_import_table": st.fixed_dictionaries(
        {},
        optional={
            "municipality": st.sampled_from(["11260", "41210", "", "nope"]),
            "indicator": st.sampled_from(["JN-01", "", "nope"]),
            "item": st.sampled_from(["", "초미세먼지", "x" * 200]),
            "layout": st.sampled_from(["", "null", "[]", '{"columns": "x"}', "{bad json", '"text"']),
            "preview": st.sampled_from(["true", "false", "maybe"]),
            "dry_run": st.sampled_from(["true", "false"]),
        },
    ),
    "ui_observations_import_table": st.fixed_dictionaries(
        {},
        optional={
            "step": st.sampled_from(["preview", "import", "bogus"]),
            "item": st.sampled_from(["", "x" * 200]),
            "content": st.sampled_from(["", "!!notbase64", "aGVsbG8="]),
            "columns": st.sampled_from(["", "3", "-1", "x", "99999"]),
            "header_first": st.sampled_from(["", "1", "x"]),
            "col-0-role": st.sampled_from(["value", "bogus"]),
        },
    ),
    "ui_observations_import": st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(["observations_import", "indicators_import", "bogus"]),
            "dry_run": st.sampled_from(["on", ""]),
        },
    ),
    "api_framework_import": st.fixed_dictionaries(
        {},
        optional={
            "municipality": st.sampled_from(["11260", "41210", "", "nope"]),
            "framework": st.sampled_from(["local", "", "K-SDG", "x" * 50]),
            "dry_run": st.sampled_from(["true", "false", "maybe"]),
        },
    ),
    "ui_framework_import": st.fixed_dictionaries({}, optional={"dry_run": st.sampled_from(["on", ""])}),
    "api_submissions_create": st.fixed_dictionaries(
        {},
        optional={
            "reference": st.sampled_from(["", "NCSD-1", "x" * 200]),
            "sent_on": st.sampled_from(["2026-12-20", "", "2026-13-01", "어제"]),
        },
    ),
    "ui_submission_add": st.fixed_dictionaries(
        {},
        optional={
            "reference": st.sampled_from(["", "NCSD-1"]),
            "recipient": st.sampled_from(["지방의회", ""]),
        },
    ),
    "ui_panel_import": st.just({}),
}


def _fuzz(endpoint: str, clients, *, bilingual: bool) -> None:
    takes, send, kind = ENDPOINTS[endpoint]

    statuses = []

    @FUZZ
    @given(upload=uploads[takes], extra=fields[endpoint])
    @example(upload=VALID_UPLOADS.get(endpoint, VALID_UPLOADS[takes]), extra={})
    def run(upload, extra):
        answer = send(clients[kind], *upload, extra)
        statuses.append(answer.status)
        check(kind, answer, bilingual=bilingual)

    run()
    # The fuzz reaches the code that stores, not only the refusals at the door (at least the
    # explicit valid example does; the spoilt ones often get that far too).
    assert any(200 <= status < 300 for status in statuses), sorted(set(statuses))


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_fuzz_of_an_upload_endpoint_finds_no_server_error_and_no_malformed_error(endpoint, clients):
    _fuzz(endpoint, clients, bilingual=False)


UI_REFUSALS_IN_ENGLISH = (
    "evidence branch (issue 13): document refusal reasons are English only (apps/evidence/pipeline/decode.py "
    "'unsupported extension .csv …', 'empty file', 'binary file …'; services.document_ingest 'no article text …') "
    "and the inbox shows them as they are, or as a raw dict ({'source_url': ['유효한 URL을 입력하세요.']})"
)


@pytest.mark.parametrize("endpoint", [name for name, (_, _, kind) in ENDPOINTS.items() if kind == "ui"])
def test_fuzz_of_an_upload_form_shows_every_error_in_both_languages(endpoint, clients):
    _fuzz(endpoint, clients, bilingual=True)


def test_every_upload_endpoint_of_the_api_is_in_the_fuzz():
    """Found in the OpenAPI schema: every operation whose multipart body carries a file."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    uploads_found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("multipart/form-data", {})
                .get("schema", {})
            )
            body = components.get(body.get("$ref", "").rsplit("/", 1)[-1], body)
            if any(p.get("format") == "binary" for p in body.get("properties", {}).values()):
                uploads_found.add(f"{method.upper()} {path}")
    assert uploads_found == {
        "POST /api/v1/observations/import/",
        "POST /api/v1/local-indicators/import/",
        "POST /api/v1/documents/ingest/",
        "POST /api/v1/observations/import-table/",
        "POST /api/v1/frameworks/import/",
        "POST /api/v1/submissions/",
    }, "a new upload endpoint: add it to tests/hostile/conftest.py ENDPOINTS"
    assert set(fields) == set(ENDPOINTS)


def test_every_upload_form_of_the_ui_is_in_the_fuzz():
    """Found in the templates: every form that sends files (the evidence inbox, the import page)."""
    from pathlib import Path

    from django.conf import settings as django_settings

    root = Path(django_settings.BASE_DIR)
    forms = {
        str(path.relative_to(root))
        for path in [*root.glob("apps/*/templates/**/*.html"), *root.glob("templates/**/*.html")]
        if "multipart/form-data" in path.read_text(encoding="utf-8")
    }
    assert forms == {
        "apps/evidence/templates/evidence/inbox.html",
        "apps/indicators/templates/indicators/import.html",
        "apps/indicators/templates/indicators/import_table.html",
        "apps/frameworks/templates/frameworks/import.html",
        "apps/vlr/templates/vlr/edition_detail.html",
        "apps/vlr/templates/vlr/panel.html",
    }, "a new upload form: add its endpoint to tests/hostile/conftest.py ENDPOINTS"
    assert [name for name, (_, _, kind) in ENDPOINTS.items() if kind == "ui"] == [
        "ui_evidence_add",
        "ui_observations_import",
        "ui_observations_import_table",
        "ui_framework_import",
        "ui_submission_add",
        "ui_panel_import",
    ]
