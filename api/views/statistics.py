"""The public statistics (DESIGN §13): the same figures as the statistics page, as JSON or CSV."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.renderers import CSVRenderer, csv_lines
from api.views.public import PublicView
from certification.statistics import Figure, all_figures, valid_count, valid_counts

ROWS = inline_serializer(
    "StatisticsRow",
    {"key": serializers.CharField(), "label": serializers.CharField(), "value": serializers.FloatField()},
    many=True,
)
FIGURES = inline_serializer(
    "StatisticsFigure",
    {"code": serializers.CharField(), "title": serializers.CharField(), "rows": ROWS},
    many=True,
)


def figure_data(figure: Figure) -> dict[str, Any]:
    return {
        "code": figure.code,
        "title": str(figure.title),
        "rows": [{"key": row.key, "label": row.label, "value": row.value} for row in figure.rows],
    }


class StatisticsView(PublicView):
    """Valid labels per level, category, recognition type, province and share; labels issued,
    suspended, revoked and expired per month; median days to a decision. `?format=csv` for a
    table of every figure."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        responses=inline_serializer("Statistics", {"valid_labels": serializers.IntegerField(), "figures": FIGURES})
    )
    def get(self, request: Request) -> Response | HttpResponse:
        valid = valid_counts()
        figures = all_figures(valid)
        if request.accepted_renderer.format == "csv":
            rows = [[figure.code, row.key, row.label, row.value] for figure in figures for row in figure.rows]
            response = HttpResponse(
                csv_lines([["figure", "key", "label", "value"], *rows]), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
            return response
        return Response({"valid_labels": valid_count(valid), "figures": [figure_data(f) for f in figures]})
