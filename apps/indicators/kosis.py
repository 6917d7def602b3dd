"""A small client of the KOSIS Open API's ``statisticsParameterData`` (README "KOSIS").

One GET per request with ``format=json&jsonVD=Y``; the reply is a list of rows (``ORG_ID``,
``TBL_ID``, ``C1``…``C8`` with ``C1_NM``…, ``ITM_ID``, ``UNIT_NM``, ``PRD_SE``, ``PRD_DE``,
``DT`` as text, ``LST_CHN_DE``) or, on an error, an object ``{"err": "…", "errMsg": "…"}`` on
the same URL with status 200 (docs/research/korea_cycle_frameworks_kosis.md §3). Every request
has a timeout (``KOSIS_TIMEOUT_SECONDS``) and a size cap; every failure is a bilingual
:class:`KosisError` that never repeats the API key.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

from django.conf import settings

from apps.core.exceptions import ApplicationError
from apps.core.spreadsheets import clip

MAX_REPLY_BYTES = 20 * 1024 * 1024


class KosisError(ApplicationError):
    """KOSIS did not give rows: no key, no answer in time, an HTTP error, an ``err`` reply."""

    default_code = "kosis_error"


def kosis_rows(
    *,
    org_id: str,
    tbl_id: str,
    itm_id: str,
    classifications: dict[int, str],
    period_kind: str,
    start: str,
    end: str,
) -> list[dict]:
    """The rows of one table for one item, the classifications fixed as given (``{1: "11260"}``
    → ``objL1=11260``; levels not given are empty) and periods ``start``..``end``."""
    key = settings.KOSIS_API_KEY
    if not key:
        raise KosisError(
            "KOSIS_API_KEY가 설정되지 않았습니다 (운영자에게 문의) / KOSIS_API_KEY is not set (ask the operator)",
            code="kosis_no_key",
        )
    params = {
        "method": "getList",
        "apiKey": key,
        "orgId": org_id,
        "tblId": tbl_id,
        "itmId": itm_id,
        "prdSe": period_kind,
        "startPrdDe": start,
        "endPrdDe": end,
        "format": "json",
        "jsonVD": "Y",
    }
    for level in range(1, 9):
        params[f"objL{level}"] = classifications.get(level, "")
    base = settings.KOSIS_BASE_URL
    url = base + ("&" if "?" in base else "?") + urlencode(params)
    timeout = settings.KOSIS_TIMEOUT_SECONDS
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read(MAX_REPLY_BYTES + 1)
    except TimeoutError as exc:
        raise KosisError(
            f"KOSIS가 {timeout:g}초 안에 답하지 않았습니다 / KOSIS did not answer within {timeout:g} s",
            code="kosis_timeout",
        ) from exc
    except urllib.error.HTTPError as exc:
        raise KosisError(
            f"KOSIS가 오류로 답했습니다 (HTTP {exc.code}) / KOSIS answered with an error (HTTP {exc.code})",
            code="kosis_http",
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise KosisError(
                f"KOSIS가 {timeout:g}초 안에 답하지 않았습니다 / KOSIS did not answer within {timeout:g} s",
                code="kosis_timeout",
            ) from exc
        raise KosisError(
            f"KOSIS에 연결할 수 없습니다 / cannot reach KOSIS: {clip(str(reason))}", code="kosis_unreachable"
        ) from exc
    if len(body) > MAX_REPLY_BYTES:
        raise KosisError(
            "KOSIS 응답이 너무 큽니다 (기간이나 분류를 줄이세요) / the KOSIS reply is too large (ask for fewer "
            "periods or classifications)",
            code="kosis_too_large",
        )
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise KosisError(
            "KOSIS 응답이 JSON이 아닙니다 / the KOSIS reply is not JSON", code="kosis_not_json"
        ) from exc
    if isinstance(data, dict) and "err" in data:
        raise KosisError(
            f"KOSIS 오류 {clip(str(data.get('err')))}: {clip(str(data.get('errMsg', '')), 200)} / KOSIS "
            f"refused the request (error {clip(str(data.get('err')))}: {clip(str(data.get('errMsg', '')), 200)})",
            code="kosis_refused",
            extra={"kosis_err": str(data.get("err")), "kosis_message": str(data.get("errMsg", ""))[:500]},
        )
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise KosisError(
            "KOSIS 응답이 행 목록이 아닙니다 / the KOSIS reply is not a list of rows", code="kosis_not_rows"
        )
    return data
