"""The signed-in pages: dashboard, energy, Capital Narratif, Luna."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from energy import services as energy
from energy.models import Kind, LedgerEntry
from narrative import services as narrative
from narrative.models import AppSource, Event
from phoenix.web import forms
from phoenix.web.auth import signed_in
from phoenix.web.views.common import DOMAIN_ERRORS

ONBOARDED_EVENT = "narrative.started"
CELEBRATED_EVENT = "luna.celebrated"


def ledger_of(user):
    refunded = LedgerEntry.objects.filter(refund_of=OuterRef("pk"), kind=Kind.REFUND)
    return (
        LedgerEntry.objects.for_user(user)
        .select_related("action")
        .annotate(refunded=Exists(refunded))
        .order_by("-seq")
    )


@signed_in
def dashboard(request):
    wallet = energy.wallet_view(user=request.user)
    context = {
        "wallet": wallet,
        "entries": ledger_of(request.user)[:5],
        "celebrations": Event.objects.for_user(request.user)
        .filter(type=CELEBRATED_EVENT, redacted_at__isnull=True)
        .newest_first()[:5],
        "low_energy": not wallet.unlimited
        and wallet.balance <= settings.ENERGY_LOW_THRESHOLD,
    }
    return render(request, "web/dashboard.html", context)


@signed_in
def energy_page(request):
    entries = list(ledger_of(request.user)[:200])
    for entry in entries:
        entry.can_refund = energy.refund_eligible(entry, refunded=entry.refunded)
    context = {
        "wallet": energy.wallet_view(user=request.user),
        "entries": entries,
        "refund_days": settings.ENERGY_REFUND_WINDOW_DAYS,
    }
    return render(request, "web/energy.html", context)


@signed_in
@require_POST
def refund(request):
    form = forms.RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This refund request is not valid."))
        return redirect("web:energy")
    try:
        receipt = energy.refund(
            user=request.user,
            entry_id=form.cleaned_data["entry_id"],
            reason=form.cleaned_data["reason"] or _("Satisfaction guarantee"),
        )
    except DOMAIN_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Refunded: %(amount)s energy is back on your gauge.")
            % {"amount": receipt.entry.amount},
        )
    return redirect("web:energy")


@signed_in
def narrative_page(request):
    filters = forms.EventFilterForm(request.GET or None)
    events = Event.objects.for_user(request.user).newest_first()
    if filters.is_valid():
        if filters.cleaned_data["type"]:
            events = events.filter(type__startswith=filters.cleaned_data["type"])
        if filters.cleaned_data["app_source"]:
            events = events.filter(app_source=filters.cleaned_data["app_source"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    types = (
        Event.objects.for_user(request.user)
        .order_by("type")
        .values_list("type", flat=True)
        .distinct()
    )
    context = {
        "capital": narrative.capital(user=request.user),
        "page": page,
        "filters": filters,
        "types": list(types),
        "app_sources": AppSource.choices,
    }
    return render(request, "web/narrative.html", context)


@signed_in
def luna_page(request):
    onboarded = (
        Event.objects.for_user(request.user).filter(type=ONBOARDED_EVENT).exists()
    )
    context = {
        "wallet": energy.wallet_view(user=request.user),
        "needs_onboarding": not onboarded,
    }
    return render(request, "web/luna.html", context)
