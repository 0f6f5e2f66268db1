"""Narrative benchmark: append throughput and Capital Narratif read latency.

Run it against PostgreSQL (the figures that matter) from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phoenix_narrative \\
        .venv/bin/python bench/narrative.py

It never writes to the configured database: Django's test-database machinery
creates a throwaway ``test_<name>`` database beside it, migrates it, runs the
benchmark and drops it (events are append-only, so there would be no clean way
to remove bench data from a real database). Without DATABASE_URL it runs on a
temporary SQLite file. Options: ``--quick`` (smaller sizes, for a smoke run),
``--keepdb`` (keep the bench database between runs).

What it measures:

* append throughput through ``narrative.services.record``: one thread on one
  stream; 8 threads on one stream (they queue on the stream-head lock);
  8 threads on 8 streams;
* Capital Narratif read latency (p50/p95/p99) for users with 100, 1 000,
  10 000 and 100 000 events, through ``services.capital`` and through the
  HTTP API (in-process test client, real authentication). Histories are
  loaded by a bulk loader that builds the same hash chain as ``record`` and
  then builds the projection with ``services.rebuild_capital``, the same fold
  ``record`` applies event by event (``verify_stream`` checks each chain).
  The goal is a flat read: largest ≤ 1.5 × smallest.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoenix.settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")
os.environ.setdefault("LOG_LEVEL", "warning")
if not os.environ.get("DATABASE_URL"):
    os.environ["PHOENIX_VAR_DIR"] = tempfile.mkdtemp(prefix="phoenix-bench-")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from narrative import services  # noqa: E402
from narrative.chain import event_hash  # noqa: E402
from narrative.drafts import prepare  # noqa: E402
from narrative.models import Event, Stream  # noqa: E402

User = get_user_model()
_users = iter(range(1, 10**9))

ACTIONS = [
    ("conseil_rapide", 5),
    ("lettre_motivation", 15),
    ("optimisation_cv", 12),
    ("analyse_cv_complete", 25),
    ("mirror_match", 30),
]


def new_user():
    return User.objects.create_user(f"bench{next(_users)}@bench.invalid", "x")


def sample_event(rng: random.Random) -> dict:
    """A plausible event, mixing the types the satellites and the hub send."""
    roll = rng.random()
    if roll < 0.25:
        action, amount = rng.choice(ACTIONS)
        return {
            "type": "energy.consumed",
            "payload": {"action": action, "amount": amount},
        }
    if roll < 0.40:
        return {
            "type": "cv.ats_scored",
            "app_source": "cv",
            "payload": {
                "ats_score": rng.randint(40, 95),
                "skills": rng.sample(["Python", "SQL", "Excel", "Cloud", "UX"], 2),
                "target_role": rng.choice(["Data analyst", "Développeur", "PM"]),
            },
        }
    if roll < 0.55:
        return {
            "type": "letter.generated",
            "app_source": "letters",
            "payload": {
                "company_name": f"Company {rng.randint(1, 500)}",
                "position_title": rng.choice(["Data analyst", "Chef de projet"]),
            },
        }
    if roll < 0.65:
        return {"type": "mirror_match.analyzed", "payload": {"match_pct": 70}}
    if roll < 0.75:
        return {"type": "aube.exercise_done", "app_source": "aube"}
    if roll < 0.85:
        return {"type": "website.page_viewed", "app_source": "website"}
    return {"type": "user.session_started", "app_source": "website"}


def bulk_load(user, count: int, rng: random.Random, chunk: int = 5000) -> None:
    """Append ``count`` events with a valid chain, bypassing ``record``."""
    start = timezone.now() - timedelta(days=365)
    step = timedelta(days=365) / count
    with transaction.atomic():
        head, _ = Stream.objects.select_for_update().get_or_create(user=user)
        seq, prev = head.last_seq, head.last_hash
        rows = []
        for n in range(count):
            draft = prepare(occurred_at=start + step * n, **sample_event(rng))
            seq += 1
            digest = draft.payload_digest
            current = event_hash(
                id=draft.id,
                user_id=user.pk,
                seq=seq,
                type=draft.type,
                app_source=draft.app_source,
                payload_digest=digest,
                occurred_at=draft.occurred_at,
                prev_hash=prev,
            )
            rows.append(
                Event(
                    id=draft.id,
                    user=user,
                    seq=seq,
                    type=draft.type,
                    app_source=draft.app_source,
                    payload=draft.payload,
                    payload_digest=digest,
                    occurred_at=draft.occurred_at,
                    prev_hash=prev,
                    hash=current,
                    unregistered=draft.unregistered,
                )
            )
            prev = current
            if len(rows) >= chunk:
                Event.objects.bulk_create(rows)
                rows = []
        Event.objects.bulk_create(rows)
        Stream.objects.filter(pk=head.pk).update(last_seq=seq, last_hash=prev)
    services.rebuild_capital(user=user)


def threaded(work, count: int) -> float:
    """Run ``work(index)`` in ``count`` threads started together; seconds taken."""
    barrier = threading.Barrier(count + 1)
    errors = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def append_throughput(per_stream: int, threads: int) -> list[tuple[str, int, float]]:
    results = []
    user = new_user()
    started = time.perf_counter()
    for n in range(per_stream * threads):
        services.record(user=user, type="luna.note", payload={"n": n})
    results.append(
        ("1 thread, 1 stream", per_stream * threads, time.perf_counter() - started)
    )

    shared = new_user()

    def one_stream(index):
        for n in range(per_stream):
            services.record(user=shared, type="luna.note", payload={"t": index, "n": n})

    seconds = threaded(one_stream, threads)
    results.append((f"{threads} threads, 1 stream", per_stream * threads, seconds))

    owners = [new_user() for _ in range(threads)]

    def own_stream(index):
        for n in range(per_stream):
            services.record(user=owners[index], type="luna.note", payload={"n": n})

    seconds = threaded(own_stream, threads)
    results.append(
        (f"{threads} threads, {threads} streams", per_stream * threads, seconds)
    )
    for owner in (user, shared, *owners):
        assert services.verify_stream(user=owner) == [], "a chain does not verify"
    return results


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def read_latency(user, reads: int) -> dict[str, tuple[float, float, float]]:
    from accounts import services as accounts

    signed_in = accounts.open_session(
        user, accounts.Client(ip="127.0.0.1", user_agent="bench")
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in.tokens.access}")
    for _ in range(20):  # warm-up
        services.capital(user=user)
        client.get("/api/narrative/capital")
    service_ms, api_ms = [], []
    for _ in range(reads):
        started = time.perf_counter()
        services.capital(user=user)
        service_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        response = client.get("/api/narrative/capital")
        api_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    return {"service": percentiles(service_ms), "api": percentiles(api_ms)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--keepdb", action="store_true", help="keep the bench DB")
    parser.add_argument("--reads", type=int, default=300)
    options = parser.parse_args()
    sizes = [100, 1_000, 10_000] if options.quick else [100, 1_000, 10_000, 100_000]
    per_stream = 50 if options.quick else 250
    rng = random.Random(4)

    if connection.vendor == "sqlite":  # threads need a file, not :memory:
        test = connection.settings_dict.setdefault("TEST", {})
        test["NAME"] = str(Path(tempfile.mkdtemp(prefix="phoenix-bench-")) / "b.db")
    old = setup_databases(verbosity=0, interactive=False, keepdb=options.keepdb)
    try:
        name = connection.settings_dict["NAME"]
        print(f"Narrative benchmark on {connection.vendor} ({name})")
        print("\nAppend throughput through services.record:")
        for label, events, seconds in append_throughput(per_stream, threads=8):
            print(
                f"  {label:<22} {events:>6} events  {events / seconds:>8.0f} events/s"
            )

        print("\nCapital Narratif read latency (ms), history bulk-loaded:")
        print(
            f"  {'events':>8}  {'load s':>7}  {'verify s':>8}  "
            f"{'service p50/p95/p99':>22}  {'API p50/p95/p99':>22}"
        )
        medians = {}
        for size in sizes:
            user = new_user()
            started = time.perf_counter()
            bulk_load(user, size, rng)
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            assert services.verify_stream(user=user) == []
            verified = time.perf_counter() - started
            found = read_latency(user, options.reads)
            medians[size] = found["api"][0]
            service = "/".join(f"{v:.2f}" for v in found["service"])
            api = "/".join(f"{v:.2f}" for v in found["api"])
            print(
                f"  {size:>8}  {loaded:>7.1f}  {verified:>8.1f}"
                f"  {service:>22}  {api:>22}"
            )
        smallest, largest = medians[sizes[0]], medians[sizes[-1]]
        ratio = largest / smallest
        verdict = "OK" if ratio <= 1.5 else "ABOVE GOAL"
        print(
            f"\nAPI p50 at {sizes[-1]} events / at {sizes[0]} events: "
            f"{ratio:.2f}x (goal <= 1.5x): {verdict}"
        )
    finally:
        connection.close()
        teardown_databases(old, verbosity=0, keepdb=options.keepdb)


if __name__ == "__main__":
    main()
