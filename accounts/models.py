import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", "Français"
    ENGLISH = "en", "English"


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """Emails are logins; compare them without regard to case or spaces."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser.")
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A Phoenix user. The email is the login; the UUID is the public id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique"
            ),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def get_full_name(self):
        return self.first_name or self.email

    def get_short_name(self):
        return self.first_name or self.email


class SessionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_user(self, user):
        return self.filter(user=user)


class Session(models.Model):
    """One login, carried by its refresh-token family (claim ``sid``)."""

    class RevokedReason(models.TextChoices):
        LOGOUT = "logout", _("logged out")
        USER = "user", _("revoked by the user")
        LOGOUT_ALL = "logout_all", _("logged out everywhere")
        PASSWORD = "password", _("password changed")
        REUSE = "reuse", _("refresh token reused (possible theft)")
        STAFF = "staff", _("revoked by staff")
        ERASURE = "erasure", _("account erased")
        DEACTIVATED = "deactivated", _("account deactivated")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="auth_sessions"
    )
    device_label = models.CharField(max_length=80, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    # Only a truncated address is kept for display (GDPR minimisation); the
    # keyed hash of the full address recognises a known IP for throttling.
    ip_display = models.CharField(max_length=64, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(
        max_length=20, choices=RevokedReason.choices, blank=True
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.device_label or 'session'} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Scope(models.TextChoices):
    ENERGY_READ = "energy:read", _("read a user's energy")
    ENERGY_WRITE = "energy:write", _("spend a user's energy")
    NARRATIVE_READ = "narrative:read", _("read a user's narrative")
    NARRATIVE_WRITE = "narrative:write", _("record events for a user")
    LUNA_CHAT = "luna:chat", _("chat with Luna for a user")
    BILLING_READ = "billing:read", _("read a user's purchases")
    BILLING_WRITE = "billing:write", _("start purchases for a user")
    ACCOUNTS_READ = "accounts:read", _("read a user's profile")


class AppSource(models.TextChoices):
    CV = "cv", "Phoenix CV"
    LETTERS = "letters", "Phoenix Letters"
    WEBSITE = "website", _("Phoenix website")
    AUBE = "aube", "Phoenix Aube"


class ServiceClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, revoked_at__isnull=True)


class ServiceClient(models.Model):
    """A satellite back end calling the hub with an API key.

    Only a SHA-256 digest of the key is stored; the key is shown once, when
    it is created. Rotation = create a new client, revoke the old one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=80)
    app_source = models.CharField(max_length=20, choices=AppSource.choices)
    key_prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ServiceClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
