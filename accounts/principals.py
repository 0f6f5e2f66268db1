"""Who is calling: a user (token) or a satellite service (API key).

DRF puts a ``Principal`` in ``request.auth``. Every view that may act for a
user other than the caller resolves the target with ``act_for``; that is the
only way a ``user_id`` from a request is trusted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _
from rest_framework import exceptions

if TYPE_CHECKING:
    from accounts.models import ServiceClient, User


class ServiceIdentity:
    """``request.user`` for a service key: authenticated, but not a user.

    It has no primary key, so it can never be mistaken for a row owner; views
    that admit services get their user from ``request.auth.act_for``.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, service: ServiceClient):
        self.service = service

    def __str__(self):
        return f"service:{self.service.name}"


@dataclass(frozen=True)
class Principal:
    kind: Literal["user", "service"]
    user: User | None = None
    service: ServiceClient | None = None
    session_id: uuid.UUID | None = None
    via: Literal["header", "cookie", "api_key", "websocket"] = "header"

    @property
    def actor(self) -> str:
        if self.kind == "service":
            return f"service:{self.service.name}"
        return f"user:{self.user.pk}"

    @property
    def app_source(self) -> str:
        return self.service.app_source if self.kind == "service" else "hub"

    def has_scope(self, scope: str) -> bool:
        return self.kind == "service" and self.service.has_scope(scope)

    def act_for(self, user_id: object, *, scope: str) -> User:
        """Return the user this request may act for, or raise 400/403/404.

        A user token acts only for its own user (naming another is 403). A
        service key needs ``scope`` and must name an existing, active user.
        """
        from accounts.models import User

        if user_id in (None, ""):
            target = None
        else:
            try:
                target = uuid.UUID(str(user_id))
            except (ValueError, TypeError, AttributeError):
                raise exceptions.ValidationError(
                    {"user_id": [_("Must be a valid UUID.")]}
                ) from None
        if self.kind == "user":
            if target is not None and target != self.user.pk:
                raise exceptions.PermissionDenied(
                    _("A user token can only act for its own user."),
                    code="foreign_user",
                )
            return self.user
        if not self.service.has_scope(scope):
            raise exceptions.PermissionDenied(
                _("This API key lacks the scope %(scope)s.") % {"scope": scope},
                code="missing_scope",
            )
        if target is None:
            raise exceptions.ValidationError(
                {"user_id": [_("Required when calling with an API key.")]}
            )
        user = User.objects.filter(pk=target, is_active=True).first()
        if user is None:
            raise exceptions.NotFound(_("No such user."), code="unknown_user")
        return user
