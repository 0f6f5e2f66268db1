"""Helpers shared by the page views."""

from __future__ import annotations

from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.services import AccountError
from billing.errors import BillingError
from energy.services import EnergyError

# Domain errors carry a translated message (and sometimes field errors).
DOMAIN_ERRORS = (AccountError, EnergyError, BillingError)


def show_error(request, form, error: Exception) -> None:
    """Put a service's refusal on the form (its fields) or in the messages."""
    fields = getattr(error, "fields", None) or {}
    placed = False
    for name, problems in fields.items():
        if form is not None and name == "password" and "new_password" in form.fields:
            name = "new_password"
        if form is not None and name in form.fields:
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(name, str(problem))
            placed = True
    if not placed:
        messages.error(request, str(error))


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
