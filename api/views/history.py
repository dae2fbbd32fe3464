"""The history's signed checkpoint: public, so that anyone can keep one and later prove that
the history was not rewritten since (`manage.py verify_history --checkpoint`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.views.public import PublicView
from certification.checkpoints import signed_checkpoint


class CheckpointSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many rows the history holds.")
    head_hash = serializers.CharField(help_text="SHA-256 (hex) of the last row, which chains every row before it.")
    time = serializers.DateTimeField(help_text="When this checkpoint was signed.")
    signature = serializers.CharField(
        help_text=(
            "Compact JWS (EdDSA, key id in the header, key in /api/v1/keys/) whose claims repeat count, "
            "head_hash and the time (iat), with sub 'history-checkpoint'."
        )
    )


class CheckpointView(PublicView):
    @extend_schema(operation_id="history_checkpoint", responses=CheckpointSerializer)
    def get(self, request: Request) -> Response:
        response = Response(CheckpointSerializer(signed_checkpoint()).data)
        response["Cache-Control"] = "no-cache"
        return response
