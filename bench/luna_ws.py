"""Luna websocket: time to first delta and messages per second, 50 conversations.

A fake Gemini server (tests/luna/fake_gemini.py) answering instantly stands in
for the model, so the time from sending a message to its first delta is the
time the hub adds: authentication is done once per socket, then per message
the energy consume, the three loops (narrative reads, goal, celebration
check), the prompt, the SDK call over loopback and the first frame.

Run the server on PostgreSQL and Redis, pointed at the fake server this script
starts, and this script with the SAME database environment (it creates its
bench users through the services):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/phoenix_bench
    export REDIS_URL=redis://127.0.0.1:6379/5 DEBUG=false SECRET_KEY=... \\
           ALLOWED_HOSTS=127.0.0.1
    python manage.py migrate
    GEMINI_API_KEY=bench GEMINI_BASE_URL=http://127.0.0.1:8765 \\
        LUNA_WS_MESSAGES_PER_MINUTE=100000 \\
        daphne -b 127.0.0.1 -p 8000 phoenix.asgi:application &
    python bench/luna_ws.py --url ws://127.0.0.1:8000 --gemini-port 8765

Each of the 50 clients is one user (energy stocked by a purchase) holding one
socket; it sends a message, waits for ``done``, pauses (``--think`` seconds on
average) and sends the next, for the given duration. The pauses are random
(exponential, as between independent people) unless ``--pacing fixed``: with
one fixed pause, conversations that were slowed down together answer together
and send again together, so one burst repeats for the whole run, which no
crowd of real users does. Bench users stay in the database: use a throwaway
database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoenix.settings")

import django

django.setup()

import websockets  # noqa: E402
from django.db import connection  # noqa: E402

from accounts import services as accounts  # noqa: E402
from energy import services as energy  # noqa: E402
from tests.luna.fake_gemini import FakeGemini  # noqa: E402

MESSAGE = "Donne-moi un conseil rapide pour mon CV"  # luna_conseil, 5 energy


def bench_users(count: int, tag: str) -> list[str]:
    tokens = []
    for index in range(count):
        user = accounts.create_account(
            email=f"bench-luna-{tag}-{index}@bench.invalid", password=None
        )
        energy.credit_purchase(
            user=user, amount=10_000_000, key=f"bench:luna:{tag}:{index}", reference="b"
        )
        signed_in = accounts.open_session(user, accounts.Client(ip="127.0.0.1"))
        tokens.append(signed_in.tokens.access)
    return tokens


class Pause:
    """A conversation's pause after a reply: ``mean`` seconds on average."""

    def __init__(self, mean: float, pacing: str):
        self.mean, self.pacing = mean, pacing

    def __call__(self) -> float:
        if self.mean <= 0 or self.pacing == "fixed":
            return max(0.0, self.mean)
        return random.expovariate(1 / self.mean)


def analyze_tables() -> None:
    """Refresh the planner's statistics, as autovacuum does in production (a
    PostgreSQL with autovacuum off would plan every run's queries for the
    empty tables it was migrated with)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


async def conversation(url, origin, token, deadline, start, first_delta, totals, pause):
    async with websockets.connect(
        f"{url}/ws/luna/chat/", origin=origin, max_queue=None
    ) as socket:
        await socket.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(await socket.recv())["type"] == "ready"
        await start.wait()

        async def rest(seconds: float) -> None:
            # Never past the end: the run lasts --seconds.
            left = deadline[0] - time.perf_counter()
            await asyncio.sleep(max(0.0, min(seconds, left)))

        await rest(random.uniform(0, pause.mean))  # spread them out
        while time.perf_counter() < deadline[0]:
            sent = time.perf_counter()
            await socket.send(json.dumps({"type": "message", "text": MESSAGE}))
            seen_delta = False
            while True:
                frame = json.loads(await socket.recv())
                kind = frame["type"]
                if kind == "delta" and not seen_delta:
                    first_delta.append(time.perf_counter() - sent)
                    totals["trace"].append((sent, first_delta[-1]))
                    seen_delta = True
                elif kind == "done":
                    totals["done"] += 1
                    totals["providers"][frame["provider"]] = (
                        totals["providers"].get(frame["provider"], 0) + 1
                    )
                    await rest(pause())
                    break
                elif kind == "error":
                    totals["errors"] += 1
                    totals["codes"][frame["code"]] = (
                        totals["codes"].get(frame["code"], 0) + 1
                    )
                    await rest(pause())  # paced after a failure too
                    break


async def run(args, tokens) -> dict:
    origin = args.url.replace("ws://", "http://").replace("wss://", "https://")
    first_delta: list[float] = []
    totals = {"done": 0, "errors": 0, "providers": {}, "codes": {}, "trace": []}
    pause = Pause(args.think, args.pacing)
    start = asyncio.Event()
    deadline = [0.0]
    tasks = [
        asyncio.create_task(
            conversation(
                args.url, origin, t, deadline, start, first_delta, totals, pause
            )
        )
        for t in tokens
    ]
    await asyncio.sleep(1.0)  # every socket authenticated
    deadline[0] = time.perf_counter() + args.seconds
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    if args.trace:
        with open(args.trace, "w") as out:  # send time (s from start), ms
            for sent, waited in sorted(totals["trace"]):
                out.write(f"{sent - began:.3f} {waited * 1000:.1f}\n")
    return {
        "conversations": len(tokens),
        "think_s": args.think,
        "pacing": args.pacing if args.think else "back to back",
        "seconds": round(elapsed, 1),
        "messages": totals["done"],
        "messages_per_s": round(totals["done"] / elapsed, 1),
        "ttfd_p50_ms": round(percentile(first_delta, 50), 1),
        "ttfd_p95_ms": round(percentile(first_delta, 95), 1),
        "ttfd_p99_ms": round(percentile(first_delta, 99), 1),
        "ttfd_mean_ms": round(statistics.mean(first_delta) * 1000, 1)
        if first_delta
        else None,
        "errors": totals["errors"],
        "error_codes": totals["codes"],
        "providers": totals["providers"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8000")
    parser.add_argument("--gemini-port", type=int, default=8765)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean seconds a conversation pauses after a reply before its next "
        "message (default 5: the goal's run; 0: back to back, which measures "
        "the saturation throughput, where the time to first delta is queueing)",
    )
    parser.add_argument(
        "--pacing",
        choices=("random", "fixed"),
        default="random",
        help="random (exponential) pauses, or the same pause every time",
    )
    parser.add_argument(
        "--trace", help="write each message's send time and time to first delta"
    )
    args = parser.parse_args()
    gemini = FakeGemini().start(args.gemini_port)
    tag = uuid.uuid4().hex[:8]
    print(f"setting up {args.conversations} bench users (tag {tag})…", file=sys.stderr)
    tokens = bench_users(args.conversations, tag)
    analyze_tables()
    result = asyncio.run(run(args, tokens))
    gemini.stop()
    reading = "(goal p95 ≤ 50 ms)" if args.think else "(saturation: queueing)"
    print(
        f"{result['conversations']} conversations, {result['pacing']}"
        f"{f' pauses of {args.think} s' if args.think else ''}, "
        f"{result['seconds']} s: "
        f"{result['messages']} messages, {result['messages_per_s']} msg/s; "
        f"time to first delta p50 {result['ttfd_p50_ms']} ms, "
        f"p95 {result['ttfd_p95_ms']} ms, p99 {result['ttfd_p99_ms']} ms "
        f"{reading}; errors {result['errors']} {result['error_codes']}; "
        f"providers {result['providers']}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
