"""A chat turn: start (charge, store, loops, prompt), stream, finish."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from energy import services as energy
from luna import llm
from luna.engine import coach as engine_coach
from luna.engine import costs as engine_costs
from luna.engine import prompt as engine_prompt
from luna.engine import sentiment as engine_sentiment
from luna.engine import vision as engine_vision
from luna.models import AppContext, Conversation, Message, Provider, Role, Status
from luna.services import loops
from luna.services.errors import LunaError, NotFound
from narrative import services as narrative

MESSAGE_MAX = 4000
HISTORY_USER_MESSAGES = 5  # the sentiment loop's history
MEMORY_MESSAGES = 20  # the newest messages offered to the token budget
# (a turn is two messages: the memory holds the history's user messages too)


@dataclass
class Turn:
    """Everything decided before the model runs."""

    user: Any
    conversation: Conversation
    user_message: Message
    reply: Message
    action: str
    cost: int
    balance: int
    language: str
    system: str
    contents: list
    context: Any  # engine PromptContext, for the built-in coach
    loops: dict[str, Any]
    celebration: dict[str, Any] | None = None
    goal_proposal: dict[str, Any] | None = None
    breaker: llm.Breaker | None = None  # read before the charge
    started: float = field(default_factory=time.perf_counter)


@dataclass
class TurnResult:
    turn: Turn
    text: str
    status: str
    provider: str
    balance: int
    tokens_in: int = 0
    tokens_out: int = 0
    refunded: bool = False


def clean_message(text: Any) -> str:
    """1–4000 characters, not blank, no NUL byte (raises a 400 LunaError)."""
    problem = None
    if not isinstance(text, str):
        problem = _("Must be a string.")
    elif "\x00" in text:
        problem = _("NUL characters are not allowed.")
    elif not text.strip():
        problem = _("This field may not be blank.")
    elif len(text) > MESSAGE_MAX:
        problem = _("At most %(n)d characters.") % {"n": MESSAGE_MAX}
    if problem:
        raise LunaError(f"message: {problem}", fields={"message": [problem]})
    return text.strip()


def _conversation(user, conversation_id, app_context: str | None) -> Conversation:
    if conversation_id:
        try:
            return Conversation.objects.owned_by(user).get(pk=conversation_id)
        except (Conversation.DoesNotExist, ValidationError, ValueError, TypeError):
            raise NotFound(_("No such conversation.")) from None
    context = app_context if app_context in AppContext.values else AppContext.GENERAL
    return Conversation(user=user, app_context=context)


def _history(user, conversation: Conversation, memory: list) -> list[str]:
    """The sentiment loop's history: the user's latest messages, oldest first.

    A conversation's own come from its memory (read for the prompt anyway).
    While it has fewer than the boost's window (a new one has none), the
    user's previous conversation fills in, so a mood carries over from one to
    the next: one index range of one conversation, however many messages the
    user has written over time.
    """
    said = [turn.text for turn in memory if turn.role == Role.USER]
    said = said[-HISTORY_USER_MESSAGES:]
    if len(said) >= engine_sentiment.BOOST_WINDOW:
        return said
    previous = Conversation.objects.owned_by(user).order_by("-updated_at")
    if not conversation._state.adding:
        previous = previous.exclude(pk=conversation.pk)
    texts = (
        Message.objects.filter(
            conversation_id=Subquery(previous.values("pk")[:1]), role=Role.USER
        )
        .order_by("-created_at")
        .values_list("content", flat=True)[: HISTORY_USER_MESSAGES - len(said)]
    )
    return list(reversed(texts)) + said


def _memory(conversation: Conversation) -> list:
    """The conversation's latest turns (the prompt keeps what fits its budget)."""
    if conversation._state.adding:
        return []
    rows = (
        conversation.messages.exclude(content="")
        .order_by("-created_at")
        .values_list("role", "content")[:MEMORY_MESSAGES]
    )
    return [engine_prompt.Turn(role, text) for role, text in reversed(rows)]


def start_turn(
    *,
    user,
    text: str,
    conversation_id=None,
    app_context: str | None = None,
) -> Turn:
    """Charge once, store the user's message, run the loops, build the prompt.

    Not enough energy raises ``InsufficientEnergy`` (402, with the packs that
    cover the deficit) before anything is stored or any model is called.
    """
    text = clean_message(text)
    conversation = _conversation(user, conversation_id, app_context)
    language = getattr(user, "language", "") or "fr"
    action = engine_costs.classify(text)
    memory = _memory(conversation)
    sentiment = engine_sentiment.analyze(text, _history(user, conversation, memory))
    breaker = llm.read_breaker()  # before the charge: it cannot fail after it
    reply_id = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        receipt = energy.consume(
            user=user,
            action=action,
            key=f"luna:message:{reply_id}",
            app_source="luna",
            context={"message_id": str(reply_id), "feature": "luna_chat"},
        )
        conversation.updated_at = now
        if conversation._state.adding:
            conversation.title = text[:80]
            conversation.created_at = now
            conversation.save()
        else:
            conversation.save(update_fields=["updated_at"])
        user_message = Message(
            conversation=conversation,
            role=Role.USER,
            content=text,
            sentiment=sentiment.label,
            created_at=now,
        )
        reply = Message(
            id=reply_id,
            conversation=conversation,
            role=Role.LUNA,
            status=Status.PENDING,
            action=action,
            cost=-receipt.entry.amount,
            energy_entry=receipt.entry,
            created_at=now + timedelta(microseconds=1),
        )
        Message.objects.bulk_create([user_message, reply])  # one INSERT
    balance = receipt.balance

    events = loops.facts(user)
    progress = loops.progress_for(user, events=events)
    celebration = loops.award_celebration(user=user, progress=progress, message=reply)
    if celebration and celebration["balance"] is not None:
        balance = celebration["balance"]
    vision = loops.vision_for(user, text, events=events, language=language)
    context = engine_prompt.PromptContext(
        language=language,
        first_name=user.first_name,
        app_context=conversation.app_context,
        message=text,
        sentiment=sentiment,
        action_code=action,
        cost=reply.cost,
        is_unlimited=receipt.unlimited,
        memory=memory,
        progress=progress,
        phase=vision["phase"],
        goal_title=vision["goal_title"],
        story=vision["story_connection"],
        celebration=celebration["achievement"] if celebration else None,
        next_actions=loops.next_actions(
            engine_vision.suggest_actions(vision["intent"], progress), language
        ),
        memory_budget_tokens=settings.LUNA_MEMORY_TOKENS,
    )
    prompt = engine_prompt.build(context)
    if celebration:
        celebration = {k: v for k, v in celebration.items() if k != "achievement"}
    proposal = vision["proposal"] if vision["goal"] is None else None
    return Turn(
        user=user,
        conversation=conversation,
        user_message=user_message,
        reply=reply,
        action=action,
        cost=reply.cost,
        balance=balance,
        language=language,
        system=prompt.system,
        contents=list(prompt.contents),
        context=context,
        loops={
            "sentiment": {
                "label": sentiment.label,
                "confidence": round(float(sentiment.confidence), 2),
            },
            "progress": {
                "trend": progress.trend,
                "momentum": progress.momentum,
            },
            "vision": {
                "phase": vision["phase"],
                "goal": vision["goal_title"],
                "story_connection": vision["story_connection"],
            },
        },
        celebration=celebration,
        goal_proposal=loops.proposal_body(proposal),
        breaker=breaker,
    )


def stream(turn: Turn) -> AsyncIterator[str | llm.Outcome]:
    """The reply's deltas, then one ``llm.Outcome`` (network I/O, no lock)."""
    return llm.generate(
        system=turn.system,
        contents=turn.contents,
        fallback=lambda: list(engine_coach.reply(turn.context)),
        breaker=turn.breaker,
    )


def finish_turn(
    turn: Turn,
    *,
    text: str,
    outcome: llm.Outcome | None,
    cancelled: bool = False,
) -> TurnResult:
    """Store the reply and how it ended; refund a reply that failed.

    A provider failure after the first token keeps the partial text (status
    ``partial``) and refunds; with no text at all the status is ``error``. A
    cancelled reply keeps its text and is refunded only if nothing was sent.
    """
    if outcome is None:  # cancelled, or our own failure, before an outcome
        status = Status.CANCELLED if cancelled else Status.ERROR
        provider = ""
    elif cancelled:
        status, provider = Status.CANCELLED, outcome.provider
    elif outcome.interrupted:
        status = Status.PARTIAL if text else Status.ERROR
        provider = outcome.provider
    else:
        status, provider = Status.COMPLETE, outcome.provider
    refund = status in (Status.PARTIAL, Status.ERROR) or (
        status == Status.CANCELLED and not text
    )
    reply = turn.reply
    reply.content = text
    reply.status = status
    reply.provider = provider
    reply.model = outcome.model if outcome else ""
    reply.tokens_in = outcome.tokens_in if outcome else 0
    reply.tokens_out = outcome.tokens_out if outcome else 0
    reply.latency_ms = int((time.perf_counter() - turn.started) * 1000)
    balance = turn.balance
    refunded = False
    with transaction.atomic():
        if refund and reply.energy_entry is not None and reply.energy_entry.amount:
            receipt = energy.refund_failed(
                entry=reply.energy_entry, reason=f"luna reply {status}"
            )
            balance = receipt.balance
            refunded = True
        reply.save(
            update_fields=[
                "content",
                "status",
                "provider",
                "model",
                "tokens_in",
                "tokens_out",
                "latency_ms",
            ]
        )
        narrative.record(
            user=turn.user,
            type="luna.replied",
            payload={
                "conversation_id": str(turn.conversation.pk),
                "message_id": str(reply.pk),
                "action": turn.action,
                "cost": 0 if refunded else turn.cost,
                "provider": provider or "none",
                "status": status,
                "sentiment": turn.loops["sentiment"]["label"],
            },
            app_source="luna",
        )
    return TurnResult(
        turn=turn,
        text=text,
        status=status,
        provider=provider or Provider.BUILTIN,
        balance=balance,
        tokens_in=reply.tokens_in,
        tokens_out=reply.tokens_out,
        refunded=refunded,
    )


async def collect(turn: Turn) -> tuple[str, llm.Outcome | None]:
    parts: list[str] = []
    outcome = None
    async for item in stream(turn):
        if isinstance(item, llm.Outcome):
            outcome = item
        else:
            parts.append(item)
    return "".join(parts), outcome


def chat(
    *, user, text: str, conversation_id=None, app_context: str | None = None
) -> TurnResult:
    """One whole turn, for the REST endpoint."""
    turn = start_turn(
        user=user, text=text, conversation_id=conversation_id, app_context=app_context
    )
    try:
        reply, outcome = async_to_sync(collect)(turn)
    except Exception:
        finish_turn(turn, text="", outcome=None)
        raise
    return finish_turn(turn, text=reply, outcome=outcome)
