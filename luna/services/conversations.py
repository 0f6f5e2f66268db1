"""Conversations: reading and deleting one's own; GDPR export and erasure."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luna.models import Celebration, Conversation, Goal, Message
from luna.services.errors import NotFound


def get_conversation(*, user, conversation_id) -> Conversation:
    """The user's conversation (someone else's, or none: 404)."""
    try:
        return Conversation.objects.owned_by(user).get(pk=conversation_id)
    except (Conversation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound(_("No such conversation.")) from None


def delete_conversation(*, user, conversation_id) -> None:
    """Delete a conversation and its messages (the ledger keeps the costs)."""
    with transaction.atomic():
        conversation = get_conversation(user=user, conversation_id=conversation_id)
        Celebration.objects.filter(message__conversation=conversation).update(
            message=None
        )
        conversation.delete()


def export_luna(*, user) -> dict[str, Any]:
    """GDPR export: conversations with their messages, goals, celebrations."""
    conversations = Conversation.objects.owned_by(user).order_by("created_at")
    messages = Message.objects.filter(conversation__user=user).order_by("created_at")
    by_conversation: dict = {}
    for message in messages:
        by_conversation.setdefault(message.conversation_id, []).append(
            {
                "id": str(message.pk),
                "role": message.role,
                "content": message.content,
                "status": message.status,
                "provider": message.provider,
                "cost": message.cost,
                "created_at": message.created_at.isoformat(),
            }
        )
    return {
        "conversations": [
            {
                "id": str(c.pk),
                "app_context": c.app_context,
                "title": c.title,
                "created_at": c.created_at.isoformat(),
                "messages": by_conversation.get(c.pk, []),
            }
            for c in conversations
        ],
        "goals": [
            {
                "id": str(g.pk),
                "title": g.title,
                "category": g.category,
                "timeline": g.timeline,
                "why": g.why,
                "success_metrics": g.success_metrics,
                "progress": g.progress,
                "status": g.status,
                "is_primary": g.is_primary,
                "created_at": g.created_at.isoformat(),
            }
            for g in Goal.objects.owned_by(user).order_by("created_at")
        ],
        "celebrations": [
            {
                "metric": c.metric,
                "level": c.level,
                "period": c.period,
                "bonus": c.bonus,
                "created_at": c.created_at.isoformat(),
            }
            for c in Celebration.objects.filter(user=user).order_by("created_at")
        ],
    }


def erase_luna(*, user) -> None:
    """GDPR erasure: conversations, messages and goals go.

    Celebrations stay (metric, level, period: no personal content), so an
    erased account's bonuses still cannot be earned twice.
    """
    Celebration.objects.filter(user=user).update(message=None)
    Message.objects.filter(conversation__user=user).delete()
    Conversation.objects.filter(user=user).delete()
    Goal.objects.filter(user=user).delete()
