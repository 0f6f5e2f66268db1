"""Consume throughput and latency beside an authenticated no-op endpoint.

Run the server on PostgreSQL and Redis, then this script with the SAME
environment (it creates its bench users through the services, then drives the
server over HTTP):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/phoenix_bench
    export REDIS_URL=redis://127.0.0.1:6379/5 DEBUG=false SECRET_KEY=... \\
           ALLOWED_HOSTS=127.0.0.1
    python manage.py migrate
    daphne -b 127.0.0.1 -p 8000 phoenix.asgi:application &
    python bench/energy_consume.py --url http://127.0.0.1:8000

Each worker thread is one user with its own wallet (stocked with purchased
energy so no request is refused), sending requests back to back on a
keep-alive connection. For each concurrency it runs GET /api/ping (token
checked, nothing else) and then POST /api/energy/consume with a fresh
Idempotency-Key per request, and prints throughput, p50/p95/p99 and the
ratios the issue tracks. Bench users stay in the database (the ledger is
append-only): use a throwaway database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoenix.settings")

import django

django.setup()

from _http import drive, json_body  # noqa: E402

from accounts import services as accounts  # noqa: E402
from energy import services as energy  # noqa: E402


def bench_users(count: int, tag: str) -> list[str]:
    tokens = []
    for index in range(count):
        user = accounts.create_account(
            email=f"bench-{tag}-{index}@bench.invalid", password=None
        )
        energy.credit_purchase(
            user=user, amount=10_000_000, key=f"bench:{tag}:{index}", reference="bench"
        )
        signed_in = accounts.open_session(user, accounts.Client(ip="127.0.0.1"))
        tokens.append(signed_in.tokens.access)
    return tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--action", default="optimisation_cv")
    parser.add_argument("--json", action="store_true", help="also print JSON results")
    args = parser.parse_args()
    levels = [int(level) for level in args.concurrency.split(",")]
    tag = uuid.uuid4().hex[:8]
    print(f"setting up {max(levels)} bench users (tag {tag})…", file=sys.stderr)
    tokens = bench_users(max(levels), tag)

    def ping(worker: int, n: int):
        return "GET", "/api/ping", {"Authorization": f"Bearer {tokens[worker]}"}, None

    def consume(worker: int, n: int):
        headers = {
            "Authorization": f"Bearer {tokens[worker]}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{tag}-{worker}-{n}",
        }
        return (
            "POST",
            "/api/energy/consume",
            headers,
            json_body({"action": args.action}),
        )

    results = []
    print(f"server {args.url}, {args.seconds:.0f} s per run, action {args.action}")
    for level in levels:
        print(f"running c={level}…", file=sys.stderr)
        noop = drive(args.url, "no-op", level, args.seconds, ping)
        spend = drive(args.url, "consume", level, args.seconds, consume)
        print(noop.line())
        print(spend.line())
        ratio = spend.throughput / noop.throughput if noop.throughput else 0.0
        tail = spend.percentile(99) / spend.percentile(50) if spend.latencies else 0.0
        print(
            f"           ratio consume/no-op throughput {ratio:.2f} (goal ≥ 0.5); "
            f"consume p99/p50 {tail:.2f} (goal ≤ 3 at c=32)"
        )
        results.append(
            {
                "noop": noop.as_dict(),
                "consume": spend.as_dict(),
                "ratio": round(ratio, 2),
            }
        )
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
