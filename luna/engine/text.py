"""Text helpers shared by the loops: accent folding and word-boundary matching.

Everything is matched on *folded* text split into word tokens, so a keyword
is found only as whole words: "dur" is not in "durable", "go" is not in
"booked". Apostrophes and hyphens separate tokens ("m'expliquer" →
``m expliquer``, "mots-clés" → ``mots cles``); patterns are folded and split
the same way, so "qu'est-ce qui" matches "Qu’est-ce qui" too.

A pattern token ending in ``*`` matches any word starting with it
("motive*" → motivé, motivée, motivés).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_APOSTROPHES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'", "…": "..."}
)
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, strip accents, normalise apostrophes and ellipses."""
    text = text.translate(_APOSTROPHES).lower()
    for ligature, plain in _LIGATURES.items():
        text = text.replace(ligature, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The word tokens of ``text``, folded (apostrophes and hyphens split)."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Pattern:
    """A keyword or phrase, as folded tokens; ``text`` is how it was written."""

    text: str
    tokens: tuple[str, ...]

    def matches_at(self, tokens: Sequence[str], start: int) -> bool:
        if start + len(self.tokens) > len(tokens):
            return False
        for offset, expected in enumerate(self.tokens):
            actual = tokens[start + offset]
            if expected.endswith("*"):
                if not actual.startswith(expected[:-1]):
                    return False
            elif actual != expected:
                return False
        return True


def pattern(text: str) -> Pattern:
    tokens = tuple(re.findall(r"[a-z0-9]+\*?", fold(text)))
    if not tokens:
        raise ValueError(f"empty pattern: {text!r}")
    return Pattern(text=text, tokens=tokens)


def patterns(texts: Iterable[str]) -> tuple[Pattern, ...]:
    return tuple(pattern(t) for t in texts)


@dataclass(frozen=True)
class Match:
    pattern: Pattern
    start: int  # index of the first token
    end: int  # index after the last token


def find(tokens: Sequence[str], candidates: Iterable[Pattern]) -> list[Match]:
    """Every occurrence of every candidate in ``tokens``, in token order."""
    # Try a candidate only where its first token stands (the vocabularies
    # hold hundreds of patterns; a message has a few dozen words).
    positions: dict[str, list[int]] = {}
    for index, token in enumerate(tokens):
        positions.setdefault(token, []).append(index)
    found = []
    for candidate in candidates:
        size = len(candidate.tokens)
        first = candidate.tokens[0]
        if first.endswith("*"):
            stem = first[:-1]
            starts = [i for i, token in enumerate(tokens) if token.startswith(stem)]
        else:
            starts = positions.get(first, [])
        for start in starts:
            if candidate.matches_at(tokens, start):
                found.append(Match(candidate, start, start + size))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    return found


def contains(text: str | Sequence[str], candidates: Iterable[Pattern]) -> bool:
    """Whether any candidate occurs as whole words in ``text`` (or tokens)."""
    tokens = words(text) if isinstance(text, str) else text
    return any(
        candidate.matches_at(tokens, start)
        for candidate in candidates
        for start in range(len(tokens) - len(candidate.tokens) + 1)
    )


def first_match(
    text: str | Sequence[str], candidates: Iterable[Pattern]
) -> Pattern | None:
    tokens = words(text) if isinstance(text, str) else text
    for candidate in candidates:
        if contains(tokens, (candidate,)):
            return candidate
    return None
