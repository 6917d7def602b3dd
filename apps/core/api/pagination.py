"""Page-number pagination for every list endpoint: ``?page=`` and ``?page_size=`` (max 200)."""
from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """50 rows by default; clients may ask for 1-200 with ``page_size``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
