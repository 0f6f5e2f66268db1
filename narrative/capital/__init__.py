"""The Capital Narratif projection: a fold over a user's events and its view."""

from narrative.capital.fold import VERSION, apply, empty_state, fold
from narrative.capital.view import render

__all__ = ["VERSION", "apply", "empty_state", "fold", "render"]
