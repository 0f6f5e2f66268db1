"""Luna's use cases: chat turns, conversations, goals, progress and journal.

A chat turn runs in three steps so the websocket consumer can stream between
them: ``start_turn`` (classify, consume the energy once keyed by the reply's
id, store the user's message, run the three loops, build the prompt: all
database work, no network), ``luna.llm.generate`` (the only network I/O, with
no lock held), and ``finish_turn`` (store the reply, refund a failed one,
record ``luna.replied``). ``chat`` runs all three for the REST endpoint.
"""

from luna.services.chat import Turn, TurnResult, chat, finish_turn, start_turn, stream
from luna.services.conversations import (
    delete_conversation,
    erase_luna,
    export_luna,
    get_conversation,
)
from luna.services.errors import AlreadyOnboarded, LunaError, NotFound
from luna.services.goals import (
    create_goal,
    delete_goal,
    get_goal,
    start_onboarding,
    update_goal,
)
from luna.services.loops import journal, progress_view

__all__ = [
    "AlreadyOnboarded",
    "LunaError",
    "NotFound",
    "Turn",
    "TurnResult",
    "chat",
    "create_goal",
    "delete_conversation",
    "delete_goal",
    "erase_luna",
    "export_luna",
    "finish_turn",
    "get_conversation",
    "get_goal",
    "journal",
    "progress_view",
    "start_onboarding",
    "start_turn",
    "stream",
    "update_goal",
]
