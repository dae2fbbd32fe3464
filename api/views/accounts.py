from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import token_expires_at
from api.serializers.accounts import MeSerializer, TokenRequestSerializer, TokenSerializer
from api.throttling import PublicRateThrottle
from certification.services.accounts import SignInRefused, sign_in


class TokenView(APIView):
    """Exchange a username and password for an API token; DELETE revokes the token you use."""

    throttle_classes = [PublicRateThrottle]

    def get_permissions(self) -> list:  # type: ignore[type-arg]
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
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
        token, _ = Token.objects.get_or_create(user=user)
        if token_expires_at(token) <= timezone.now():
            token.delete()
            token = Token.objects.create(user=user)
        return Response(TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
