"""Luna's "triple loop", pure: no models, no database, no network.

- :mod:`~luna.engine.sentiment` — loop 1, the message's mood → a tone;
- :mod:`~luna.engine.progress` — loop 2, narrative facts → trends and
  celebrations;
- :mod:`~luna.engine.vision` — loop 3, the goal and the story connection;
- :mod:`~luna.engine.costs` — which chat action a message is;
- :mod:`~luna.engine.prompt` — the model's prompt, in the predecessor's order;
- :mod:`~luna.engine.coach` — the built-in coach's deterministic reply;
- :mod:`~luna.engine.journal` — the Journal Narratif.

The callers (``luna.services``, the consumer) read the database, turn rows
into the plain values below and pass them in; every function here is
deterministic for its inputs, so it is tested without a database.
"""
