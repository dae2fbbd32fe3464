from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.accounts import (
    ApiTokenRequestSerializer,
    ApiTokenSerializer,
    MeSerializer,
    NewApiTokenSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from api.throttling import PublicRateThrottle
from certification.models import ApiToken
from certification.policies import acting_user
from certification.selectors import api_tokens_of
from certification.services.accounts import SignInRefused, sign_in
from certification.services.tokens import create_api_token, revoke_api_token


class TokenView(APIView):
    """Exchange a username and password for a new API token; DELETE revokes the token you use."""

    throttle_classes = [PublicRateThrottle]

    def get_permissions(self) -> list:  # type: ignore[type-arg]
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        name = body.validated_data.pop("name")
        try:
            user = sign_in(request=request._request, **body.validated_data)
        except SignInRefused as refusal:
            if refusal.retry_after:
                return Response(
                    {"detail": refusal.message},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(refusal.retry_after)},
                )
            return Response({"detail": refusal.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(TokenSerializer(create_api_token(by=user, name=name)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            revoke_api_token(token=request.auth, by=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class ApiTokenListView(APIView):
    """Your own API tokens: list them, or make a new one (its key is in this answer only)."""

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(ApiTokenSerializer(api_tokens_of(user=acting_user(request)), many=True).data)

    @extend_schema(request=ApiTokenRequestSerializer, responses={201: NewApiTokenSerializer})
    def post(self, request: Request) -> Response:
        body = ApiTokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        issued = create_api_token(by=acting_user(request), name=body.validated_data["name"])
        return Response({**ApiTokenSerializer(issued.token).data, "token": issued.key}, status=status.HTTP_201_CREATED)


class ApiTokenView(APIView):
    """One of your API tokens; another user's token is not found (404)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        user = acting_user(request)
        revoke_api_token(token=get_object_or_404(api_tokens_of(user=user), pk=token_id), by=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
