"""Loop 1 — the message's mood, and the tone Luna answers in.

The predecessor's analyser (motivé, anxieux, factuel, curieux, neutre) with
its scores: +2 per "strong" keyword, +1 per "medium" one; the highest score
wins (ties in the order motivated, anxious, factual, curious); confidence is
the winner's share of all points; no keyword → neutral at 0.3. Its defects
are fixed: keywords match whole words on accent-folded text (not substrings,
so "c'est durable" is not anxious and "I booked a call" is not motivated),
English has its own lists, a negated keyword ("pas motivé", "not excited")
does not count for its label, and the history boost works because the caller
passes the user's previous messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from luna.engine.text import Match, Pattern, find, patterns, words

LABELS = ("motivated", "anxious", "factual", "curious", "neutral")
# The predecessor's vocabulary, for the prompt and the admin.
FRENCH_LABELS = {
    "motivated": "motivé",
    "anxious": "anxieux",
    "factual": "factuel",
    "curious": "curieux",
    "neutral": "neutre",
}
STRONG, MEDIUM = 2, 1
NEUTRAL_CONFIDENCE = 0.3
HISTORY_BOOST = 0.2
BOOST_WINDOW = 3  # the boost reads the last three previous messages
MAX_KEYWORDS = 5

_KEYWORDS: dict[str, dict[int, tuple[str, ...]]] = {
    "motivated": {
        STRONG: (
            # French (the predecessor's list)
            "let's go",
            "c'est parti",
            "go",
            "fonce",
            "foncer",
            "foncons",
            "on y va",
            "motive",
            "motivee",
            "motives",
            "motivees",
            "j'ai hate",
            "super",
            "genial",
            "geniale",
            "parfait",
            "parfaite",
            "excellent",
            "excellente",
            "je veux absolument",
            "pret",
            "prete",
            "prets",
            "pretes",
            "determine*",
            "ambitieux",
            "ambitieuse*",
            # English
            "motivated",
            "excited",
            "can't wait",
            "let's do it",
            "go for it",
            "awesome",
            "great",
            "perfect",
            "ready",
            "determined",
            "ambitious",
            "eager",
            "pumped",
            "i really want",
        ),
        MEDIUM: (
            "bien",
            "d'accord",
            "ok",
            "okay",
            "oui",
            "volontiers",
            "pourquoi pas",
            "interessant",
            "interessante",
            "ca me plait",
            "bonne idee",
            "je suis partant",
            "je suis partante",
            "good",
            "yes",
            "sure",
            "sounds good",
            "why not",
            "interesting",
            "i like it",
            "good idea",
            "i'm in",
            "count me in",
        ),
    },
    "anxious": {
        STRONG: (
            "j'ai peur",
            "peur",
            "anxieux",
            "anxieuse*",
            "stresse*",
            "inquiet*",
            "nerveux",
            "nerveuse*",
            "angoisse*",
            "je ne sais pas",
            "je sais pas",
            "perdu",
            "perdue",
            "perdus",
            "complique*",
            "difficile*",
            "dur",
            "dure",
            "impossible",
            "je n'y arrive pas",
            "je n'arrive pas",
            "trop dur pour moi",
            "pas capable",
            "decourage*",
            "scared",
            "afraid",
            "anxious",
            "stressed",
            "worried",
            "nervous",
            "i don't know",
            "lost",
            "overwhelmed",
            "complicated",
            "difficult",
            "too hard",
            "so hard",
            "impossible",
            "i can't do it",
            "i can't",
            "not capable",
        ),
        MEDIUM: (
            "pas sur",
            "pas sure",
            "incertain*",
            "doute*",
            "hesitant*",
            "peut-etre",
            "si tu penses",
            "j'espere que",
            "pourvu que",
            "j'ai besoin d'aide",
            "accompagne-moi",
            "not sure",
            "unsure",
            "uncertain",
            "doubt*",
            "hesitant",
            "maybe",
            "perhaps",
            "i hope",
            "i need help",
            "help me",
        ),
    },
    "factual": {
        STRONG: (
            "exactement",
            "precisement",
            "concretement",
            "factuellement",
            "donnees",
            "statistique*",
            "mesure*",
            "quantifie*",
            "analyse*",
            "detaille*",
            "specifiquement",
            "techniquement",
            "methodologie",
            "exactly",
            "precisely",
            "concretely",
            "specifically",
            "data",
            "statistics",
            "stats",
            "metrics",
            "measure*",
            "quantify",
            "analyse*",
            "analyze*",
            "detailed",
            "technically",
            "methodology",
            "step by step",
        ),
        MEDIUM: (
            "comment",
            "pourquoi",
            "quand",
            "combien",
            "quel",
            "quelle",
            "quels",
            "quelles",
            "explique-moi",
            "expliquer",
            "details",
            "procedure",
            "etapes",
            "methode",
            "how",
            "why",
            "when",
            "how much",
            "how many",
            "which",
            "explain",
            "details",
            "procedure",
            "steps",
            "method",
        ),
    },
    "curious": {
        STRONG: (
            "decouvrir",
            "explorer",
            "apprendre",
            "comprendre",
            "m'interesse",
            "fascinant",
            "fascinante",
            "curieux",
            "curieuse",
            "surprise",
            "inattendu*",
            "nouveau",
            "nouvelle",
            "nouveaux",
            "nouvelles",
            "discover",
            "explore",
            "learn",
            "understand",
            "curious",
            "fascinating",
            "surprising",
            "unexpected",
            "new",
            "i wonder",
            "wondering",
        ),
        MEDIUM: (
            "et si",
            "imagine",
            "peut-on",
            "est-ce que",
            "que se passe-t-il",
            "raconte",
            "montre-moi",
            "parle-moi de",
            "qu'est-ce qui",
            "vraiment differente",
            "rend",
            "different",
            "differente",
            "differents",
            "differentes",
            "quelle est la difference",
            "what if",
            "can we",
            "what happens",
            "tell me about",
            "show me",
            "what makes",
            "difference",
            "stand out",
        ),
    },
}
_PATTERNS: dict[str, tuple[tuple[Pattern, int], ...]] = {
    label: tuple(
        (p, weight) for weight, texts in groups.items() for p in patterns(texts)
    )
    for label, groups in _KEYWORDS.items()
}

# Negation: a keyword is negated when one of these precedes it closely.
_NEGATORS = {
    "pas",
    "not",
    "never",
    "jamais",
    "no",
    "aucun",
    "aucune",
    "sans",
    "without",
    "nor",
    "ni",
    "guere",
}
_NEGATION_WINDOW = 3
_CONTRACTION_HEADS = {
    "don",
    "doesn",
    "didn",
    "isn",
    "aren",
    "wasn",
    "weren",
    "can",
    "couldn",
    "won",
    "wouldn",
    "haven",
    "hasn",
    "shouldn",
    "ain",
}
_NE = {"ne", "n"}

_POSITIVE = patterns(
    (
        "super",
        "genial",
        "geniale",
        "parfait",
        "parfaite",
        "excellent",
        "excellente",
        "bien",
        "content",
        "contente",
        "great",
        "awesome",
        "perfect",
        "happy",
        "glad",
        "excited",
        "good",
    )
)
_NEGATIVE = patterns(
    (
        "mauvais",
        "mauvaise",
        "nul",
        "nulle",
        "decu",
        "decue",
        "frustre*",
        "enerve*",
        "marre",
        "bad",
        "awful",
        "disappointed",
        "frustrated",
        "annoyed",
        "fed up",
        "tired of",
    )
)
_STYLES: dict[str, tuple[Pattern, ...]] = {
    "direct": patterns(
        (
            "fais",
            "va",
            "donne",
            "montre",
            "dis",
            "rapidement",
            "direct",
            "do it",
            "give me",
            "show me",
            "tell me",
        )
    ),
    "polite": patterns(
        (
            "s'il te plait",
            "s'il vous plait",
            "merci",
            "pourrais-tu",
            "serais-tu",
            "veuillez",
            "please",
            "thank you",
            "thanks",
            "could you",
            "would you",
        )
    ),
    "urgent": patterns(
        (
            "vite",
            "rapidement",
            "urgent",
            "presse",
            "pressee",
            "maintenant",
            "immediatement",
            "asap",
            "quickly",
            "now",
            "right away",
            "immediately",
        )
    ),
    "casual": patterns(
        ("salut", "hey", "cool", "tranquille", "relax", "chill", "coucou", "yo", "hi")
    ),
}
_HIGH_ENERGY = patterns(("go", "fonce", "foncer", "vite", "maintenant", "now", "asap"))
_LOW_ENERGY = patterns(
    (
        "bon",
        "peut-etre",
        "si tu veux",
        "fatigue",
        "fatiguee",
        "epuise",
        "epuisee",
        "tired",
        "exhausted",
        "maybe",
        "whatever",
        "if you want",
    )
)


@dataclass(frozen=True)
class Sentiment:
    label: str  # motivated | anxious | factual | curious | neutral
    confidence: float  # 0–1
    emotional_state: str  # positive | negative | neutral
    communication_style: str  # direct | polite | urgent | casual | neutral
    energy_level: str  # high | medium | low
    keywords: tuple[str, ...] = ()
    scores: tuple[tuple[str, int], ...] = ()  # (label, points), for the admin

    @property
    def french_label(self) -> str:
        return FRENCH_LABELS[self.label]


def _negated(tokens: Sequence[str], match: Match) -> bool:
    before = tokens[max(0, match.start - _NEGATION_WINDOW) : match.start]
    for index, token in enumerate(before):
        if token in _NEGATORS:
            return True
        if token == "t" and index > 0 and before[index - 1] in _CONTRACTION_HEADS:
            return True
        if token in {"plus", "rien"} and any(t in _NE for t in before[:index]):
            return True
    # "pas" in the keyword's own phrase ("pas capable") is the keyword itself.
    return False


def _score(tokens: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Points per label and the matched keywords (as written), in text order."""
    points = dict.fromkeys(_PATTERNS, 0)
    hits: list[tuple[int, str]] = []
    for label, weighted in _PATTERNS.items():
        weights = {p: w for p, w in weighted}
        matches = find(tokens, weights)
        taken: set[int] = set()
        for match in matches:
            span = set(range(match.start, match.end))
            if span & taken:  # "je ne sais pas" already covers "pas"
                continue
            if _negated(tokens, match):
                if label == "motivated":
                    # "pas motivé" is a low mood: a hint of worry, not motivation.
                    points["anxious"] += MEDIUM
                    hits.append((match.start, "not " + match.pattern.text))
                taken |= span
                continue
            taken |= span
            points[label] += weights[match.pattern]
            hits.append((match.start, match.pattern.text))
    hits.sort(key=lambda h: h[0])
    return points, [text for _, text in hits]


def _label(points: dict[str, int]) -> tuple[str, float]:
    total = sum(points.values())
    if total <= 0:
        return "neutral", NEUTRAL_CONFIDENCE
    best = max(LABELS[:-1], key=lambda label: points[label])  # first wins ties
    return best, round(min(1.0, points[best] / total), 2)


def _emotional_state(text: str, tokens: Sequence[str]) -> str:
    positive = sum(1 for m in find(tokens, _POSITIVE) if not _negated(tokens, m))
    negative = sum(1 for m in find(tokens, _NEGATIVE) if not _negated(tokens, m))
    if "!" in text or "😊" in text or "🚀" in text:
        positive += 1
    if "..." in text or "…" in text or "😞" in text or "😤" in text:
        negative += 1
    if positive > negative:
        return "positive"
    if negative > positive:
        return "negative"
    return "neutral"


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 8:
        return False
    return sum(c.isupper() for c in letters) / len(letters) > 0.3


def _style(text: str, tokens: Sequence[str]) -> str:
    scores = {name: len(find(tokens, pats)) for name, pats in _STYLES.items()}
    if _shouting(text):
        scores["direct"] += 1
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] > 0 else "neutral"


def _energy(text: str, tokens: Sequence[str]) -> str:
    if text.count("!") >= 2 or _shouting(text) or find(tokens, _HIGH_ENERGY):
        return "high"
    if "..." in text or "…" in text or find(tokens, _LOW_ENERGY):
        return "low"
    return "medium"


def _primary(text: str) -> str:
    points, _keywords = _score(words(text))
    return _label(points)[0]


def analyze(text: str, history: Sequence[str] = ()) -> Sentiment:
    """The mood of ``text``; ``history`` is the user's previous messages,
    oldest first (the last three are looked at for the boost)."""
    tokens = words(text)
    points, keywords = _score(tokens)
    label, confidence = _label(points)
    if label != "neutral" and len(history) >= 2:
        recent = history[-BOOST_WINDOW:]
        if sum(1 for previous in recent if _primary(previous) == label) >= 2:
            confidence = round(min(1.0, confidence + HISTORY_BOOST), 2)
    return Sentiment(
        label=label,
        confidence=confidence,
        emotional_state=_emotional_state(text, tokens),
        communication_style=_style(text, tokens),
        energy_level=_energy(text, tokens),
        keywords=tuple(dict.fromkeys(keywords))[:MAX_KEYWORDS],
        scores=tuple(points.items()),
    )


def tone_instruction(label: str, language: str) -> str:
    """How Luna should sound for this mood, in ``language`` ("fr" or "en")."""
    with translation.override(language):
        if label == "motivated":
            return _(
                "The user is motivated: match their energy, be direct and "
                "action-oriented, and propose an ambitious but reachable challenge."
            )
        if label == "anxious":
            return _(
                "The user is worried: be reassuring and calm, acknowledge the "
                "feeling, and break the way forward into small, easy steps."
            )
        if label == "factual":
            return _(
                "The user wants facts: be precise and structured, use short "
                "lists, figures and measurable results."
            )
        if label == "curious":
            return _(
                "The user is curious: be pedagogical, explain the why behind each "
                "idea, and open the conversation with a question to explore."
            )
        return _(
            "Be warm and friendly, keep it simple, and help the user find their "
            "next step."
        )
