"""The predecessor's ``/auth/*`` routes for the Phoenix apps that still call
them: parse the old shape, call the same services, render the old shape.

Security stays new: tokens are checked and bound to sessions, refresh tokens
rotate, and errors answer ``{"detail": ...}`` with the real status.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import registry, services
from accounts.api import PublicView, client_of
from accounts.models import Session
from narrative.models import Event

TAG = "legacy"


def legacy_profile(user) -> dict:
    """The old ``/auth/me`` object; apps above accounts add their fields."""
    profile = {
        "id": str(user.pk),
        "email": user.email,
        "name": user.first_name or None,
        "created_at": user.date_joined.isoformat(),
        "narrative_started": Event.objects.for_user(user)
        .of_types(["narrative.started"])
        .exists(),
        "luna_energy": None,
        "subscription_type": None,
        "subscription_status": None,
        "is_unlimited": False,
    }
    profile.update(registry.legacy_profile_fields(user))
    return profile


def legacy_tokens(signed_in: services.SignedIn) -> dict:
    return {
        "access_token": signed_in.tokens.access,
        "token_type": "bearer",
        "refresh_token": signed_in.tokens.refresh,
        "expires_in": int(settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
        "user_id": str(signed_in.user.pk),
        "email": signed_in.user.email,
        "user": legacy_profile(signed_in.user),
    }


class LegacyCredentials(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class LegacyRefreshInput(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096)


LEGACY_ANY = OpenApiResponse(description="The predecessor's response shape")


@extend_schema(tags=[TAG], request=LegacyCredentials, responses={201: LEGACY_ANY})
class LegacyRegisterView(PublicView):
    def post(self, request: Request) -> Response:
        data = LegacyCredentials(data=request.data)
        data.is_valid(raise_exception=True)
        signed_in = services.register(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            first_name=data.validated_data.get("name", ""),
            client=client_of(request),
        )
        return Response(legacy_tokens(signed_in), status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG], request=LegacyCredentials, responses={200: LEGACY_ANY})
class LegacyLoginView(PublicView):
    def post(self, request: Request) -> Response:
        data = LegacyCredentials(data=request.data)
        data.is_valid(raise_exception=True)
        signed_in = services.login(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            client=client_of(request),
        )
        return Response(legacy_tokens(signed_in))


@extend_schema(tags=[TAG], request=LegacyRefreshInput, responses={200: LEGACY_ANY})
class LegacyRefreshView(PublicView):
    def post(self, request: Request) -> Response:
        data = LegacyRefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        signed_in = services.refresh(raw_refresh=data.validated_data["refresh_token"])
        body = legacy_tokens(signed_in)
        return Response(
            {
                key: body[key]
                for key in ("access_token", "token_type", "refresh_token", "expires_in")
            }
        )


@extend_schema(tags=[TAG], responses={200: LEGACY_ANY})
class LegacyMeView(APIView):
    def get(self, request: Request) -> Response:
        return Response(legacy_profile(request.user))


@extend_schema(tags=[TAG], responses={200: LEGACY_ANY})
class LegacySessionListView(APIView):
    def get(self, request: Request) -> Response:
        sessions = Session.objects.active().for_user(request.user)
        return Response(
            {
                "sessions": [
                    {
                        "id": str(s.pk),
                        "device_label": s.device_label or _("Unknown device"),
                        "ip": s.ip_display,
                        "user_agent": s.user_agent,
                        "created_at": s.created_at.isoformat(),
                        "last_seen": s.last_seen.isoformat(),
                        "geo_location": {},
                        "current": s.pk == request.auth.session_id,
                    }
                    for s in sessions
                ]
            }
        )


@extend_schema(tags=[TAG], responses={200: LEGACY_ANY})
class LegacySessionDetailView(APIView):
    def delete(self, request: Request, session_id) -> Response:
        services.revoke_session(user=request.user, session_id=session_id)
        return Response({"message": "Session revoked successfully"})


@extend_schema(tags=[TAG], request=None, responses={200: LEGACY_ANY})
class LegacyLogoutView(APIView):
    def post(self, request: Request) -> Response:
        services.logout(session_id=request.auth.session_id)
        return Response({"message": "Logged out successfully"})


@extend_schema(tags=[TAG], request=None, responses={200: LEGACY_ANY})
class LegacyLogoutAllView(APIView):
    def post(self, request: Request) -> Response:
        count = services.logout_all(
            user=request.user, keep_session_id=request.auth.session_id
        )
        return Response(
            {
                "message": f"Successfully logged out from {count} sessions",
                "sessions_revoked": count,
            }
        )
