"""Packs, purchases and Luna Unlimited. Paying happens in the browser
(Stripe.js, static/web/billing.js) against the billing API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing import services as billing
from billing.models import Pack, Purchase
from energy import services as energy
from phoenix.web.auth import signed_in
from phoenix.web.views.common import DOMAIN_ERRORS


@signed_in
def billing_page(request):
    packs = Pack.objects.active()
    context = {
        "billing_enabled": settings.BILLING_ENABLED,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "wallet": energy.wallet_view(user=request.user),
        "packs": [pack for pack in packs if pack.kind == Pack.Kind.ONE_OFF],
        "plans": [pack for pack in packs if pack.kind == Pack.Kind.SUBSCRIPTION],
        "purchases": Purchase.objects.for_user(request.user).select_related("pack")[
            :50
        ],
        "totals": billing.purchase_totals(user=request.user),
        "subscription": billing.subscription_status(user=request.user),
        "deficit": request.GET.get("deficit", ""),
    }
    return render(request, "web/billing.html", context)


@signed_in
@require_POST
def cancel_subscription(request):
    try:
        billing.cancel_subscription(user=request.user)
    except DOMAIN_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Luna Unlimited will end at the close of the paid period.")
        )
    return redirect("web:billing")
