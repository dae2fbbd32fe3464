"""The public statistics page: every figure as a chart drawn on the server (SVG, no script)
with its table beside it for screen readers and for copying."""

import math
import re

import pygal
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from pygal.style import Style

from certification.statistics import Figure, all_figures, valid_count, valid_counts

# The site's green (web/static), plain system fonts: no font is fetched from anywhere.
CHART_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#5b5b5b",
    colors=("#1d6b45",),
    font_family="system-ui, sans-serif",
)
SCRIPT = re.compile(rb"<script[^>]*>.*?</script>", re.S)
MONTHLY = {"issued", "suspended", "revoked", "expired"}


def draw(figure: Figure) -> bytes:
    """The figure as a standalone SVG image: months as columns left to right, anything else as
    bars top to bottom in the table's order; whole numbers on the axis for counts."""
    monthly = figure.code in MONTHLY
    rows = figure.rows if monthly else figure.rows[::-1]  # pygal draws horizontal bars bottom up
    highest = max([row.value for row in rows] + [1])
    step = max(1, math.ceil(highest / 5))
    chart = (pygal.Bar if monthly else pygal.HorizontalBar)(
        style=CHART_STYLE,
        js=[],  # no script: the chart is an image
        show_legend=False,
        width=640,
        height=320 if monthly else 60 + 28 * len(rows),
        x_label_rotation=45 if monthly else 0,
        print_values=True,
        range=(0, step * math.ceil(highest / step)),
    )
    chart.x_labels = [row.label for row in rows]
    chart.y_labels = list(range(0, step * math.ceil(highest / step) + 1, step))
    chart.add(str(figure.title), [row.value for row in rows])
    svg: bytes = chart.render()
    # pygal writes its configuration as a script even with js=[]: an image needs none.
    return SCRIPT.sub(b"", svg)


def statistics(request: HttpRequest) -> HttpResponse:
    valid = valid_counts()
    return render(request, "web/statistics.html", {"figures": all_figures(valid), "valid_labels": valid_count(valid)})


@cache_control(public=True, max_age=300)
def chart(request: HttpRequest, code: str) -> HttpResponse:
    figure = next((figure for figure in all_figures() if figure.code == code), None)
    if figure is None:
        raise Http404
    response = HttpResponse(draw(figure), content_type="image/svg+xml")
    # An image runs nothing; its own styles are all it needs.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
