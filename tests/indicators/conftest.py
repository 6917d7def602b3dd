"""The API clients of tests/api, for checking that the API writes through the same services."""

from tests.api.conftest import api  # noqa: F401
