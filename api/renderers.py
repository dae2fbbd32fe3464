from typing import Any

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; the view streams the rows itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        # Reached only for errors (throttling, bad filters): the sentence, as one CSV cell.
        detail = data.get("detail", "") if isinstance(data, dict) else ""
        return f'"{str(detail).replace(chr(34), chr(34) * 2)}"\n'.encode()
