from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from certification.registry import DEFAULT_ORDERING, KeysetPage, keyset_page


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


class RegistryPagination(pagination.BasePagination):
    """Keyset pages of the registry: `next` and `previous` are links with a cursor (the row a
    page starts after), so a deep page costs what the first does, and no page counts every
    match. A label inserted meanwhile never shifts a page: none is repeated or skipped."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 25
    max_page_size = 100

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        self.request = request
        ordering = request.query_params.get("ordering") or DEFAULT_ORDERING  # already validated by the filters
        self.page = keyset_page(
            queryset,
            ordering=ordering,
            cursor=request.query_params.get(self.cursor_query_param),
            size=self.get_page_size(request),
        )
        return self.page.labels

    def get_page_size(self, request: Request) -> int:
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not asked.isdigit() or not 1 <= int(asked) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}}
            )
        return int(asked)

    def link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        page: KeysetPage = self.page
        return Response(
            {"next": self.link(page.next_cursor), "previous": self.link(page.previous_cursor), "results": data}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where a page starts: take it from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Labels per page (1 to {self.max_page_size}; {self.page_size} by default).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
