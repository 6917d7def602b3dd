"""Errors raised by services; interfaces turn them into messages or HTTP responses."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule of the domain refused the request (HTTP 400 unless a subclass says otherwise)."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403
    default_code = "permission_denied"


class ConflictError(ApplicationError):
    """The object changed under us (e.g. two coordinators approved at once): HTTP 409."""

    status_code = 409
    default_code = "conflict"
