"""OpenAPI: the error shape, attached to every operation so generated clients know it."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer (``apps.core.api.exceptions``)."""

    detail = serializers.CharField(help_text="국문 / English sentence for people")
    code = serializers.CharField(
        help_text="machine-readable code, e.g. invalid, not_authenticated, permission_denied, not_found, "
        "conflict, invalid_transition, concurrent_change, comment_required, edition_locked, throttled"
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='field → messages; "non_field_errors" for the whole object; nested fields use dots '
        '("alignments.0.target"); empty when the error is not about fields',
    )


ERROR_DESCRIPTIONS = {
    "400": "입력 오류 / invalid input (field errors in `errors`)",
    "401": "로그인 필요 / not authenticated or bad token",
    "403": "권한 없음 / outside your municipalities or role",
    "404": "없음 / not found or not visible to you",
    "405": "허용되지 않는 메서드 / method not allowed",
    "409": "충돌 / conflict: invalid or concurrent workflow transition, duplicate",
    "413": "너무 큼 / request too large",
    "429": "요청 과다 / throttled",
}


class VLRAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses each operation can give."""

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        codes.extend(getattr(self.view, "extra_error_codes", {}).get(getattr(self.view, "action", None), []))
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses
