"""The shared steps of every write: open and lock a wallet, apply an amount
with a conditional UPDATE, append the entry, and keep keys idempotent."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from energy.models import Action, Actor, Kind, LedgerEntry, Plan, Wallet
from energy.services.errors import (
    IdempotencyConflict,
    InsufficientEnergy,
    UnknownAction,
)
from narrative import services as narrative
from narrative.heads import insert_row


@dataclass(frozen=True)
class Receipt:
    entry: LedgerEntry
    balance: int
    replayed: bool = False
    shortfall: int = 0  # clawbacks: what could not be taken back
    event_id: uuid.UUID | None = None  # the narrative event recorded with it
    unlimited: bool = False  # the wallet's plan when it was written (or replayed)


def cache_key(user_id) -> str:
    return f"energy:wallet:{user_id}"


ACTION_CACHE_SECONDS = 300
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def action_cache_key(code: str) -> str:
    return f"energy:action:{code}"


CATALOGUE_CACHE_KEY = "energy:catalogue"
CATALOGUE_CACHE_SECONDS = 60


def forget_action(code: str) -> None:
    """Drop an action and the whole catalogue from the shared cache (on every
    save and delete of an ``Action``): now, and again once the change commits,
    in case a request cached the old rows in between."""
    keys = [action_cache_key(code), CATALOGUE_CACHE_KEY]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def action_catalogue() -> dict[str, tuple[int, str, str]]:
    """The active catalogue for display, code → (cost, French label, English
    label), through the shared cache (consume decides with ``get_action``)."""
    catalogue = cache.get(CATALOGUE_CACHE_KEY)
    if catalogue is None:
        catalogue = {
            code: (cost, label_fr, label_en)
            for code, cost, label_fr, label_en in Action.objects.active().values_list(
                "code", "cost", "label_fr", "label_en"
            )
        }
        cache.set(CATALOGUE_CACHE_KEY, catalogue, CATALOGUE_CACHE_SECONDS)
    return catalogue


def get_action(code: str) -> Action:
    """The active action ``code``, through the shared cache.

    Every consume needs it, and staff change the catalogue rarely: a save or
    delete in the admin (``Action`` signals) drops the cached copy at once;
    the expiry only bounds a change made around the ORM (a bulk ``update``).
    """
    key = action_cache_key(code) if SLUG.fullmatch(code) else None
    cached = cache.get(key) if key else None
    if cached is not None:
        return cached
    try:
        action = Action.objects.active().get(code=code)
    except Action.DoesNotExist:
        valid = list(Action.objects.active().values_list("code", flat=True))
        raise UnknownAction(
            _("Unknown or inactive action: %(code)s.") % {"code": code},
            fields={
                "action": [_("Valid actions: %(codes)s") % {"codes": ", ".join(valid)}]
            },
        ) from None
    if key:
        cache.set(key, action, ACTION_CACHE_SECONDS)
    return action


def invalidate(user_id) -> None:
    transaction.on_commit(lambda: cache.delete(cache_key(user_id)))


def open_wallet(*, user) -> Wallet:
    """The user's wallet, created with its welcome grant on first use."""
    wallet = Wallet.objects.filter(pk=user.pk).first()
    if wallet is not None:
        return wallet
    try:
        with transaction.atomic():
            wallet = Wallet.objects.create(user=user)
            grant = min(settings.ENERGY_WELCOME_GRANT, settings.ENERGY_FREE_CAP)
            append_entry(
                wallet,
                kind=Kind.GRANT,
                amount=grant,
                key=f"welcome:{user.pk}",
                reason="welcome grant",
                actor=Actor.SYSTEM,
            )
            narrative.record(
                user=user,
                type="energy.granted",
                payload={"amount": grant, "reason": "welcome", "balance_after": grant},
            )
    except IntegrityError:  # created concurrently
        wallet = Wallet.objects.get(pk=user.pk)
    return wallet


def lock_wallet(user) -> Wallet:
    """Lock the user's wallet row for this transaction (opening it if new)."""
    wallet = Wallet.objects.select_for_update().filter(pk=user.pk).first()
    if wallet is None:
        open_wallet(user=user)
        wallet = Wallet.objects.select_for_update().get(pk=user.pk)
    return wallet


def append_entry(wallet: Wallet, *, amount: int, **fields) -> LedgerEntry:
    """Apply ``amount`` to a locked wallet and append its entry (``fields``
    as for ``write_entry``)."""
    guard = Q(pk=wallet.pk)
    if amount < 0:
        guard &= Q(balance__gte=-amount)
    updated = Wallet.objects.filter(guard).update(
        balance=F("balance") + amount,
        entry_count=F("entry_count") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise InsufficientEnergy(required=-amount, available=wallet.balance)
    wallet.balance += amount
    wallet.entry_count += 1
    return write_entry(
        wallet.pk,
        seq=wallet.entry_count,
        balance_after=wallet.balance,
        amount=amount,
        **fields,
    )


# One statement takes a standard wallet's cost and locks its row: the common
# consume needs no SELECT … FOR UPDATE first. The CHECK (balance >= 0) still
# stands behind the WHERE. (Column names: tests/energy check them.)
TAKE = """
    UPDATE energy_wallet
    SET balance = balance - %s, entry_count = entry_count + 1, updated_at = %s
    WHERE user_id = %s AND balance >= %s
      AND NOT (plan = %s AND (unlimited_until IS NULL OR unlimited_until > %s))
    RETURNING balance, entry_count
"""


def take(user_id, cost: int) -> tuple[int, int] | None:
    """Debit ``cost`` from a standard wallet that holds it, locking the row
    until commit: ``(balance after, entry seq)``. None when the wallet is
    missing, short or on an active Unlimited plan (the caller then locks the
    row and decides)."""
    now = timezone.now()
    at = Wallet._meta.get_field("updated_at").get_db_prep_save(now, connection)
    owner = Wallet._meta.pk.get_db_prep_save(user_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(TAKE, [cost, at, owner, cost, Plan.UNLIMITED, at])
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


# Columns in the order of the model's concrete fields (``insert_row``).
INSERT_ENTRY = """
    INSERT INTO energy_ledgerentry (id, wallet_id, seq, kind, amount,
        balance_after, action_id, nominal_cost, app_source, reference,
        idempotency_key, refund_of_id, reason, actor, actor_label, created_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""


def write_entry(
    wallet_id,
    *,
    seq: int,
    balance_after: int,
    kind: str,
    amount: int,
    key: str,
    action: Action | None = None,
    nominal_cost: int = 0,
    app_source: str = "hub",
    reference: str = "",
    refund_of: LedgerEntry | None = None,
    reason: str = "",
    actor: str = Actor.SYSTEM,
    actor_label: str = "",
) -> LedgerEntry:
    """Append the entry of an amount already applied to the wallet's row."""
    entry = LedgerEntry(
        wallet_id=wallet_id,
        seq=seq,
        kind=kind,
        amount=amount,
        balance_after=balance_after,
        action=action,
        nominal_cost=nominal_cost,
        app_source=app_source,
        reference=reference[:255],
        idempotency_key=key,
        refund_of=refund_of,
        reason=reason[:500],
        actor=actor,
        actor_label=actor_label[:120],
    )
    insert_row(entry, INSERT_ENTRY)
    entry.refunded = False  # a new entry has no refund yet (saves a query)
    invalidate(wallet_id)
    return entry


def replay(existing: LedgerEntry, wallet: Wallet, *, kind: str, action=None) -> Receipt:
    if (
        existing.wallet_id != wallet.pk
        or existing.kind != kind
        or (action is not None and existing.action_id != action.pk)
    ):
        raise IdempotencyConflict(
            _("This idempotency key was already used for another request.")
        )
    return Receipt(
        entry=existing,
        balance=existing.balance_after,
        replayed=True,
        unlimited=wallet.is_unlimited(),
    )


def existing_entry(key: str) -> LedgerEntry | None:
    try:
        return LedgerEntry.objects.get(idempotency_key=key)
    except LedgerEntry.DoesNotExist:
        return None


def idempotent(fn):
    """Run a keyed write; if a concurrent twin won the key, replay or conflict."""

    def run(*, key: str, replay_kind: str, user, action=None, **kwargs) -> Receipt:
        try:
            return fn(key=key, user=user, action=action, **kwargs)
        except IntegrityError:
            existing = existing_entry(key)
            if existing is None:
                raise
            wallet = Wallet.objects.get(pk=user.pk)
            return replay(existing, wallet, kind=replay_kind, action=action)

    return run


def free_credit(wallet: Wallet, amount: int) -> int:
    """Free energy (grants, bonuses) stops at the cap; purchases never do."""
    return max(0, min(amount, settings.ENERGY_FREE_CAP - wallet.balance))


def low_balance_signals(user, before: int, after: int, app_source: str) -> None:
    threshold = settings.ENERGY_LOW_THRESHOLD
    if before > threshold >= after > 0:
        narrative.record(
            user=user,
            type="energy.low",
            payload={"balance": after, "threshold": threshold},
            app_source=app_source,
        )
    if before > 0 and after == 0:
        narrative.record(
            user=user,
            type="energy.depleted",
            payload={"balance": 0},
            app_source=app_source,
        )
