"""API keys for the satellite back ends."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authentication import API_KEY_PREFIX, hash_api_key
from accounts.models import Scope, ServiceClient
from accounts.services.errors import AccountError


def create_service_client(
    *, name: str, app_source: str, scopes: list[str]
) -> tuple[ServiceClient, str]:
    """Create a service client; return it with its key, shown this once only."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise AccountError(
            _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)},
            fields={"scopes": [", ".join(Scope.values)]},
        )
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        key = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                client = ServiceClient.objects.create(
                    name=name,
                    app_source=app_source,
                    key_prefix=prefix,
                    key_hash=hash_api_key(key),
                    scopes=sorted(set(scopes)),
                )
            return client, key
        except IntegrityError:  # prefix collision: draw again
            continue
    raise RuntimeError("could not draw a unique API key prefix")


def revoke_service_client(*, client: ServiceClient) -> None:
    ServiceClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        active=False, revoked_at=timezone.now()
    )
