"""The status watch by e-mail (double opt-in): subscribe, confirm, unsubscribe. No account."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.watch import ConfirmedSerializer, DetailSerializer, SubscribeSerializer, SubscriptionKeySerializer
from api.views.public import PublicView
from config.clients import client_address
from watch.services import confirm_subscription, find_target, request_subscription, unsubscribe


class SubscribeView(PublicView):
    """Ask to be mailed at each public status change of a label or of an enterprise's labels."""

    @extend_schema(operation_id="watch_subscribe", request=SubscribeSerializer, responses={202: DetailSerializer})
    def post(self, request: Request) -> Response:
        asked = SubscribeSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data: dict[str, Any] = asked.validated_data
        target = find_target(label_code=data.get("label", ""), enterprise_number=data.get("enterprise_number", ""))
        request_subscription(
            email=data["email"],
            target=target,
            language=data.get("language") or request.LANGUAGE_CODE,
            client=client_address(request.META),
            trap=data.get("website", ""),
        )
        detail = _("Check your mailbox: open the link we sent you to confirm. Nothing else is sent to you before.")
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class ConfirmView(PublicView):
    """Confirm with the token of the confirmation link: from then on, each change is mailed."""

    @extend_schema(
        operation_id="watch_confirm", request=SubscriptionKeySerializer, responses={200: ConfirmedSerializer}
    )
    def post(self, request: Request) -> Response:
        asked = SubscriptionKeySerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        subscription = confirm_subscription(key=asked.validated_data["token"])
        following = {
            "label": subscription.label.code if subscription.label else None,
            "enterprise_number": subscription.enterprise.enterprise_number if subscription.enterprise else None,
        }
        detail = _("Confirmed: you will receive a mail at each change of the status.")
        return Response({"detail": detail, "following": following})


class UnsubscribeView(PublicView):
    """Stop the mails, with the token of any link of the subscription; also when it was stopped already."""

    @extend_schema(
        operation_id="watch_unsubscribe", request=SubscriptionKeySerializer, responses={200: DetailSerializer}
    )
    def post(self, request: Request) -> Response:
        asked = SubscriptionKeySerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        unsubscribe(key=asked.validated_data["token"])
        detail = _("You will receive no more mails about this: your address was deleted from the list.")
        return Response({"detail": detail})
