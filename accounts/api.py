"""Accounts API: one small view per operation (validate → service → render)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.authentication import (
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    cookie_settings,
    enforce_csrf,
    session_for_access_token,
)
from accounts.models import Session
from accounts.network import client_ip
from accounts.serializers import (
    AccountDeleteInput,
    AuthResultSerializer,
    CountSerializer,
    CsrfSerializer,
    DetailSerializer,
    LoginInput,
    LogoutInput,
    PasswordChangeInput,
    PasswordResetConfirmInput,
    PasswordResetInput,
    ProfileInput,
    RefreshInput,
    RegisterInput,
    SessionSerializer,
    UserSerializer,
)
from accounts.tokens import InvalidToken

TAG = "auth"
REFRESH_COOKIE_PATH = "/api/auth/"


def client_of(request: Request) -> services.Client:
    return services.Client(
        ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )


def set_auth_cookies(response: Response, signed_in: services.SignedIn) -> None:
    tokens = signed_in.tokens
    response.set_cookie(
        ACCESS_COOKIE,
        tokens.access,
        max_age=int(settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
        path="/",
        **cookie_settings(),
    )
    response.set_cookie(
        REFRESH_COOKIE,
        tokens.refresh,
        max_age=int(settings.REFRESH_TOKEN_LIFETIME.total_seconds()),
        path=REFRESH_COOKIE_PATH,
        **cookie_settings(),
    )


def clear_auth_cookies(response: HttpResponse) -> None:
    response.delete_cookie(ACCESS_COOKIE, path="/", samesite="Lax")
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, samesite="Lax")


def auth_result(
    signed_in: services.SignedIn, *, mode: str, status_code: int = status.HTTP_200_OK
) -> Response:
    """Tokens in the body (bearer) or only in HttpOnly cookies (cookie)."""
    body = {
        "user": UserSerializer(signed_in.user).data,
        "access_expires_at": signed_in.tokens.access_expires_at,
        "refresh_expires_at": signed_in.tokens.refresh_expires_at,
    }
    if mode == "bearer":
        body["access"] = signed_in.tokens.access
        body["refresh"] = signed_in.tokens.refresh
    response = Response(AuthResultSerializer(body).data, status=status_code)
    if mode == "cookie":
        set_auth_cookies(response, signed_in)
    return response


class PublicView(APIView):
    """No authentication: these views must work with an expired token around."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


@extend_schema(
    tags=[TAG],
    request=RegisterInput,
    responses={201: AuthResultSerializer},
    summary="Create an account and sign in",
)
class RegisterView(PublicView):
    def post(self, request: Request) -> Response:
        data = RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["mode"] == "cookie":
            enforce_csrf(request)
        signed_in = services.register(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            first_name=data.validated_data["first_name"],
            language=data.validated_data.get("language", ""),
            client=client_of(request),
        )
        return auth_result(signed_in, mode=data.validated_data["mode"], status_code=201)


@extend_schema(
    tags=[TAG],
    request=LoginInput,
    responses={200: AuthResultSerializer},
    summary="Sign in (bearer tokens, or HttpOnly cookies for browsers)",
)
class LoginView(PublicView):
    def post(self, request: Request) -> Response:
        data = LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["mode"] == "cookie":
            enforce_csrf(request)  # no login CSRF into someone else's account
        signed_in = services.login(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            client=client_of(request),
        )
        return auth_result(signed_in, mode=data.validated_data["mode"])


@extend_schema(
    tags=[TAG],
    request=RefreshInput,
    responses={200: AuthResultSerializer},
    summary="Rotate the refresh token (body or cookie) for a new pair",
    description=(
        "The old refresh token is blacklisted. Presenting an already-rotated "
        "refresh token answers 401 `token_reused` and ends the whole session."
    ),
)
class RefreshView(PublicView):
    def post(self, request: Request) -> Response:
        data = RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        raw = data.validated_data.get("refresh")
        mode = "bearer"
        if not raw:
            raw = request.COOKIES.get(REFRESH_COOKIE, "")
            mode = "cookie"
            enforce_csrf(request)
        if not raw:
            raise InvalidToken(_("No refresh token was sent."))
        signed_in = services.refresh(raw_refresh=raw)
        return auth_result(signed_in, mode=mode)


@extend_schema(
    tags=[TAG],
    request=LogoutInput,
    responses={204: None},
    summary="End the current session and clear the cookies",
)
class LogoutView(PublicView):
    def post(self, request: Request) -> Response:
        data = LogoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        session_id = self.current_session_id(
            request, data.validated_data.get("refresh")
        )
        if session_id is None:
            raise InvalidToken(_("Send an access or refresh token to log out."))
        services.logout(session_id=session_id)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_auth_cookies(response)
        return response

    @staticmethod
    def current_session_id(request: Request, body_refresh: str | None):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, raw_access = header.partition(" ")
        used_cookie = False
        if scheme.lower() != "bearer":
            raw_access = request.COOKIES.get(ACCESS_COOKIE, "")
            used_cookie = bool(raw_access)
        session_id = None
        if raw_access:
            try:
                session_id = session_for_access_token(raw_access.strip()).pk
            except InvalidToken:
                session_id = None
        if session_id is None:
            raw_refresh = body_refresh or request.COOKIES.get(REFRESH_COOKIE, "")
            used_cookie = used_cookie or (not body_refresh and bool(raw_refresh))
            if raw_refresh:
                session_id = services.session_id_from_refresh(raw_refresh)
        if used_cookie:
            enforce_csrf(request)
        return session_id


@extend_schema(
    tags=[TAG],
    request=None,
    responses={200: CountSerializer},
    summary="End every other session of this account",
)
class LogoutAllView(APIView):
    def post(self, request: Request) -> Response:
        count = services.logout_all(
            user=request.user, keep_session_id=request.auth.session_id
        )
        return Response({"sessions_revoked": count})


class MeView(APIView):
    @extend_schema(tags=[TAG], responses={200: UserSerializer}, summary="My profile")
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)

    @extend_schema(
        tags=[TAG],
        request=ProfileInput,
        responses={200: UserSerializer},
        summary="Change my first name or language",
    )
    def patch(self, request: Request) -> Response:
        data = ProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.update_profile(user=request.user, **data.validated_data)
        return Response(UserSerializer(user).data)


@extend_schema(
    tags=[TAG],
    responses={200: SessionSerializer(many=True)},
    summary="My active sessions",
)
class SessionListView(APIView):
    def get(self, request: Request) -> Response:
        sessions = Session.objects.active().for_user(request.user)
        context = {"current_session_id": request.auth.session_id}
        return Response(SessionSerializer(sessions, many=True, context=context).data)


@extend_schema(tags=[TAG], responses={204: None}, summary="Revoke one of my sessions")
class SessionDetailView(APIView):
    def delete(self, request: Request, session_id) -> Response:
        services.revoke_session(user=request.user, session_id=session_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=[TAG],
    request=PasswordChangeInput,
    responses={200: CountSerializer},
    summary="Change my password (ends my other sessions)",
)
class PasswordChangeView(APIView):
    def post(self, request: Request) -> Response:
        data = PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.change_password(
            user=request.user,
            old_password=data.validated_data["old_password"],
            new_password=data.validated_data["new_password"],
            keep_session_id=request.auth.session_id,
        )
        return Response({"sessions_revoked": count})


@extend_schema(
    tags=[TAG],
    request=PasswordResetInput,
    responses={202: DetailSerializer},
    summary="Mail a password-reset link (always 202)",
)
class PasswordResetView(PublicView):
    def post(self, request: Request) -> Response:
        data = PasswordResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_password_reset(
            email=data.validated_data["email"], client=client_of(request)
        )
        detail = _("If an account exists for this address, a reset link is on its way.")
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=[TAG],
    request=PasswordResetConfirmInput,
    responses={204: None},
    summary="Set a new password from a reset link (ends every session)",
)
class PasswordResetConfirmView(PublicView):
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.confirm_password_reset(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=[TAG],
    responses={200: CsrfSerializer},
    summary="Get a CSRF token (and its cookie) for cookie-authenticated calls",
)
class CsrfView(PublicView):
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request)})


class AccountExportView(APIView):
    @extend_schema(
        tags=["account"],
        responses={200: OpenApiResponse(description="Everything held about me")},
        summary="Export my data (GDPR)",
    )
    def get(self, request: Request) -> Response:
        document = services.export_account(user=request.user)
        response = Response(document)
        response["Content-Disposition"] = 'attachment; filename="phoenix-export.json"'
        return response


class AccountView(APIView):
    @extend_schema(
        tags=["account"],
        request=AccountDeleteInput,
        responses={204: None},
        summary="Erase my account (GDPR); password required",
    )
    def delete(self, request: Request) -> Response:
        data = AccountDeleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.erase_account(
            user=request.user, password=data.validated_data["password"]
        )
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_auth_cookies(response)
        return response
