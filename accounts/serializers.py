from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Language, Session, User

MODES = (("bearer", "bearer"), ("cookie", "cookie"))


class PasswordField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 128)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(**kwargs)


# --- Inputs (validation only) ------------------------------------------------


class RegisterInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = PasswordField()
    first_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    mode = serializers.ChoiceField(
        choices=MODES,
        default="bearer",
        help_text=_(
            "bearer: tokens in the body (API clients). cookie: tokens in HttpOnly "
            "cookies only (browsers; send X-CSRFToken)."
        ),
    )


class LoginInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = PasswordField()
    mode = serializers.ChoiceField(choices=MODES, default="bearer")


class RefreshInput(serializers.Serializer):
    refresh = serializers.CharField(
        max_length=4096,
        required=False,
        help_text=_("The refresh token; omit it to use the refresh cookie."),
    )


class LogoutInput(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096, required=False)


class ProfileInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)


class PasswordChangeInput(serializers.Serializer):
    old_password = PasswordField()
    new_password = PasswordField()


class PasswordResetInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInput(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = PasswordField()


class AccountDeleteInput(serializers.Serializer):
    password = PasswordField()


# --- Outputs (read-only) -----------------------------------------------------


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "language", "date_joined"]
        read_only_fields = fields


class AuthResultSerializer(serializers.Serializer):
    user = UserSerializer()
    access = serializers.CharField(
        required=False, help_text=_("Bearer mode only: the access token.")
    )
    refresh = serializers.CharField(
        required=False, help_text=_("Bearer mode only: the refresh token.")
    )
    access_expires_at = serializers.DateTimeField()
    refresh_expires_at = serializers.DateTimeField()


class SessionSerializer(serializers.ModelSerializer):
    ip = serializers.CharField(source="ip_display")
    device_label = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "device_label", "ip", "created_at", "last_seen", "current"]
        read_only_fields = fields

    def get_device_label(self, session) -> str:
        return session.device_label or str(_("Unknown device"))

    def get_current(self, session) -> bool:
        return session.pk == self.context.get("current_session_id")


class CountSerializer(serializers.Serializer):
    sessions_revoked = serializers.IntegerField()


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
