"""OpenAPI: every operation documents the errors it can answer, with their shapes."""

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from api.serializers.errors import ConflictSerializer, ErrorSerializer, InvalidInputSerializer


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        errors: dict[int, tuple[Any, str]] = {
            404: (ErrorSerializer, "Not found, or outside your scope (never revealed)."),
        }
        if getattr(self.view, "throttle_classes", None):
            errors[429] = (ErrorSerializer, "Too many requests; see Retry-After.")
        if not public:
            errors[401] = (ErrorSerializer, "No credentials, or invalid ones.")
            errors[403] = (ErrorSerializer, "Your role does not allow this.")
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            errors[400] = (InvalidInputSerializer, "Invalid input, or unmet requirements (`unmet`).")
            if not public:
                errors[409] = (ConflictSerializer, "Not allowed in the current state (`state`, `allowed`).")
        elif self._has_query_filters():
            errors[400] = (InvalidInputSerializer, "Invalid query parameters.")
        elif "{code}" in self.path:
            errors[400] = (ErrorSerializer, "Not a valid label code (length, characters or check character).")
        elif "{number}" in self.path:
            errors[400] = (ErrorSerializer, "Not a valid tracking number (length, characters or check character).")
        for status, (serializer, description) in errors.items():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    OpenApiResponse(response=serializer, description=description), str(status)
                )
        return responses

    def _has_query_filters(self) -> bool:
        return bool(getattr(self.view, "filterset_class", None) or getattr(self.view, "filterset_fields", None))
