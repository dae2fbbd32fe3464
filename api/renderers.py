import csv
import io
from collections.abc import Iterable
from typing import Any

import orjson
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs: one that starts like a formula gets a
    leading apostrophe, as OWASP recommends (quoting every cell is the writer's part)."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def csv_lines(rows: Iterable[Iterable[object]]) -> str:
    """CSV lines, every cell quoted and neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in rows:  # neutralise_cell, inline: it runs for every cell of a million rows
        texts = (cell if isinstance(cell, str) else "" if cell is None else str(cell) for cell in row)
        writer.writerow([f"'{text}" if text[:1] in FORMULA_STARTS else text for text in texts])
    return out.getvalue()


def csv_line(cells: Iterable[object]) -> str:
    return csv_lines([cells])


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; the view streams the rows itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        # Reached only for errors (throttling, bad filters): the sentence, as one CSV cell.
        detail = data.get("detail", "") if isinstance(data, dict) else ""
        return csv_line([detail]).encode()


class JSONLinesRenderer(BaseRenderer):
    """Lets `?format=jsonl` through content negotiation; the view streams the rows itself."""

    media_type = "application/jsonl"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        # Reached only for errors: the answer, as one line.
        return orjson.dumps(data) + b"\n"


class JSONOnly(BaseContentNegotiation):
    """For a view that answers JSON whatever the client asks: no Accept header to parse on
    every request (a third of DRF's cost on the hottest endpoint)."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type
