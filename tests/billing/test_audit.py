"""Billing's audit checks (``manage.py audit``)."""

import contextlib
import json

import pytest
import stripe
from django.core.management import call_command
from django.test import Client
from djstripe.models import PaymentIntent

from billing import services
from billing.models import Pack, Purchase
from energy import services as energy

pytestmark = pytest.mark.django_db

CHECKS = (
    "check_paid_purchases_credited",
    "check_credited_energy_matches",
    "check_webhooks_processed",
    "check_unlimited_backed",
)


def audit(capsys):
    with contextlib.suppress(SystemExit):  # exit 1 when a check errs
        call_command("audit", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    return {c["id"].rsplit(".", 1)[-1]: c for c in report["checks"]}


def messages(check) -> str:
    return " ".join(m["message"] for m in check["messages"])


@pytest.fixture
def paid(stripe_side, auth_client, buy):
    def make(pack="cafe_luna", *, deliver=True) -> Purchase:
        body = buy(auth_client, pack)
        purchase = Purchase.objects.get(pk=body["purchase_id"])
        stripe_side.pay(purchase.payment_intent_id)
        if deliver:
            (event,) = stripe_side.events(
                "payment_intent.succeeded", purchase.payment_intent_id
            )
            stripe_side.deliver(event)
        purchase.refresh_from_db()
        return purchase

    return make


def test_a_healthy_billing_passes_every_check(capsys, paid):
    paid()
    checks = audit(capsys)
    assert {name: checks[name]["status"] for name in CHECKS} == dict.fromkeys(
        CHECKS, "ok"
    )


def test_a_paid_purchase_without_its_energy_entry_is_an_error(capsys, user):
    pack = Pack.objects.get(code="cafe_luna")
    ghost = Purchase.objects.create(
        user=user,
        pack=pack,
        status="paid",
        amount_cents=299,
        currency="eur",
        energy=100,
        payment_intent_id="pi_ghost",
    )
    check = audit(capsys)["check_paid_purchases_credited"]
    assert check["status"] == "error" and str(ghost.pk) in messages(check)


def test_a_payment_stripe_took_but_never_credited_is_an_error_until_resynced(
    capsys, stripe_side, paid
):
    purchase = paid(deliver=False)
    # dj-stripe learnt of the payment (e.g. djstripe_sync_models), billing not.
    PaymentIntent.sync_from_stripe_data(
        stripe.PaymentIntent.retrieve(purchase.payment_intent_id, **stripe_side.options)
    )
    check = audit(capsys)["check_paid_purchases_credited"]
    assert check["status"] == "error"
    assert purchase.payment_intent_id in messages(check)

    services.resync_purchase(purchase=purchase)

    assert audit(capsys)["check_paid_purchases_credited"]["status"] == "ok"
    purchase.refresh_from_db()
    assert purchase.status == "paid"


def test_energy_that_does_not_match_the_pack_is_an_error(capsys, paid):
    purchase = paid("repas_luna")
    Purchase.objects.filter(pk=purchase.pk).update(energy=500)
    check = audit(capsys)["check_credited_energy_matches"]
    assert check["status"] == "error" and str(purchase.pk) in messages(check)


def test_a_bonus_on_a_purchase_that_was_not_first_is_an_error(capsys, paid):
    purchase = paid()
    Purchase.objects.filter(pk=purchase.pk).update(first_purchase=False)
    assert audit(capsys)["check_credited_energy_matches"]["status"] == "error"


def test_a_held_payment_is_an_error(capsys, paid):
    purchase = paid()
    Purchase.objects.filter(pk=purchase.pk).update(status="needs_review")
    assert audit(capsys)["check_paid_purchases_credited"]["status"] == "error"


def test_a_refund_shortfall_and_a_dispute_are_warnings(capsys, stripe_side, paid, user):
    purchase = paid("repas_luna")
    energy.adjust(user=user, amount=-400, reason="spent", staff_label="t")
    stripe_side.refund(purchase.payment_intent_id)
    charge = stripe_side.charge_of(purchase.payment_intent_id)
    stripe_side.deliver(stripe_side.event("charge.refunded", charge))
    dispute = stripe_side.dispute(purchase.payment_intent_id)
    stripe_side.deliver(stripe_side.event("charge.dispute.created", dispute))

    check = audit(capsys)["check_credited_energy_matches"]
    assert check["status"] == "warning"
    assert {m["id"] for m in check["messages"]} == {"billing.W001", "billing.W002"}


def test_a_failed_webhook_is_an_error_until_a_retry_succeeds(
    capsys, stripe_side, paid, monkeypatch
):
    purchase = paid(deliver=False)
    (event,) = stripe_side.events(
        "payment_intent.succeeded", purchase.payment_intent_id
    )
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    stripe_side.deliver(event, client=Client(raise_request_exception=False))
    monkeypatch.undo()

    check = audit(capsys)["check_webhooks_processed"]
    assert check["status"] == "error"
    assert "payment_intent.succeeded" in messages(check)

    stripe_side.deliver(event)
    assert audit(capsys)["check_webhooks_processed"]["status"] == "ok"


def test_bad_signatures_are_a_warning(capsys, stripe_side, paid):
    purchase = paid(deliver=False)
    (event,) = stripe_side.events(
        "payment_intent.succeeded", purchase.payment_intent_id
    )
    stripe_side.deliver(event, secret="whsec_forged")
    check = audit(capsys)["check_webhooks_processed"]
    assert check["status"] == "warning" and "bad signature" in messages(check)


def test_billing_on_without_a_webhook_endpoint_is_an_error(capsys, stripe_settings):
    check = audit(capsys)["check_webhooks_processed"]
    assert check["status"] == "error"
    assert "register_stripe_webhook" in check["messages"][0]["hint"]


def test_an_unlimited_wallet_without_its_subscription_is_an_error(capsys, user):
    energy.set_unlimited(user=user, until=None, reason="subscription:sub_gone")
    check = audit(capsys)["check_unlimited_backed"]
    assert check["status"] == "error" and "sub_gone" in messages(check)


def test_a_staff_granted_unlimited_plan_passes(capsys, user):
    energy.set_unlimited(user=user, until=None, reason="Founder, granted by ops")
    assert audit(capsys)["check_unlimited_backed"]["status"] == "ok"
