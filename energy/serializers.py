import json
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from energy.models import Action, Kind, LedgerEntry
from energy.services import refund_eligible

CONTEXT_MAX_BYTES = 4096
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$")


def user_id_field():
    return serializers.UUIDField(
        required=False,
        help_text=_(
            "Service keys only: the user to act for. A user token acts for itself."
        ),
    )


# --- Inputs ---------------------------------------------------------------------


class ContextField(serializers.DictField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(json.dumps(value, ensure_ascii=False).encode()) > CONTEXT_MAX_BYTES:
            raise serializers.ValidationError(
                _("At most %(n)s bytes of context.") % {"n": CONTEXT_MAX_BYTES}
            )
        return value


class CheckInput(serializers.Serializer):
    action = serializers.CharField(max_length=50)
    user_id = user_id_field()


class ConsumeInput(serializers.Serializer):
    action = serializers.CharField(max_length=50)
    context = ContextField(required=False, default=dict)
    user_id = user_id_field()


class RefundInput(serializers.Serializer):
    entry_id = serializers.UUIDField()
    reason = serializers.CharField(max_length=500)
    user_id = user_id_field()


class EntryFilterInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    action = serializers.CharField(max_length=50, required=False)
    user_id = user_id_field()


class UserQueryInput(serializers.Serializer):
    user_id = user_id_field()


def idempotency_key(raw: str | None) -> str:
    if raw is None or raw == "":
        raise serializers.ValidationError(
            {
                "Idempotency-Key": [
                    _("This header is required (1–128 printable characters).")
                ]
            },
            code="idempotency_key_required",
        )
    if not IDEMPOTENCY_KEY.match(raw):
        raise serializers.ValidationError(
            {"Idempotency-Key": [_("Use 1–128 printable ASCII characters.")]}
        )
    return raw


# --- Outputs --------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Action
        fields = ["code", "label", "app", "cost", "refundable"]
        read_only_fields = fields


class WalletSerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    max = serializers.IntegerField()
    percentage = serializers.IntegerField()
    plan = serializers.CharField()
    unlimited = serializers.BooleanField()
    unlimited_until = serializers.DateTimeField(allow_null=True)


class CheckSerializer(serializers.Serializer):
    action = serializers.CharField()
    cost = serializers.IntegerField()
    balance = serializers.IntegerField()
    can_perform = serializers.BooleanField()
    deficit = serializers.IntegerField()


def _help(name: str):
    return LedgerEntry._meta.get_field(name).help_text


# Declared field by field rather than derived from the model: a
# ModelSerializer rebuilds its fields from the model on every instance, a cost
# paid on each consume's response.
class EntrySerializer(serializers.Serializer):
    """One ledger entry (amounts are signed: debits are negative)."""

    id = serializers.UUIDField(read_only=True)
    seq = serializers.IntegerField(read_only=True, help_text=_help("seq"))
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    amount = serializers.IntegerField(read_only=True, help_text=_help("amount"))
    balance_after = serializers.IntegerField(read_only=True)
    action = serializers.CharField(
        source="action.code", read_only=True, allow_null=True
    )
    nominal_cost = serializers.IntegerField(
        read_only=True, help_text=_help("nominal_cost")
    )
    app_source = serializers.CharField(read_only=True)
    reference = serializers.CharField(read_only=True)
    refund_of = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, pk_field=serializers.UUIDField()
    )
    refund_eligible = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_refund_eligible(self, entry) -> bool:
        refunded = getattr(entry, "refunded", None)
        if refunded is None:
            refunded = entry.refunds.filter(kind=Kind.REFUND).exists()
        return refund_eligible(entry, refunded=refunded)


class ReceiptSerializer(serializers.Serializer):
    entry = EntrySerializer()
    balance = serializers.IntegerField()
