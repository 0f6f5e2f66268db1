"""A small load driver shared by the benchmarks: keep-alive HTTP from threads.

Each worker thread holds one persistent connection and sends requests back to
back for a fixed duration; latencies are measured around each request.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Run:
    name: str
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    def line(self) -> str:
        return (
            f"{self.name:<10} c={self.concurrency:<3} {self.throughput:8.1f} req/s  "
            f"p50 {self.percentile(50):6.1f} ms  p95 {self.percentile(95):6.1f} ms  "
            f"p99 {self.percentile(99):6.1f} ms  n={self.requests}  "
            f"errors={self.errors}  statuses={dict(sorted(self.statuses.items()))}"
        )

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "concurrency": self.concurrency,
            "throughput": round(self.throughput, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p95_ms": round(self.percentile(95), 2),
            "p99_ms": round(self.percentile(99), 2),
            "requests": self.requests,
            "errors": self.errors,
            "statuses": self.statuses,
        }


Request = tuple[str, str, dict[str, str], bytes | None]


def drive(
    base_url: str,
    name: str,
    concurrency: int,
    seconds: float,
    make_request: Callable[[int, int], Request],
    ok: Callable[[int], bool] = lambda status: 200 <= status < 300,
) -> Run:
    """Run ``concurrency`` workers for ``seconds``; worker i's n-th request is
    ``make_request(i, n)`` → (method, path, headers, body)."""
    parts = urlsplit(base_url)
    run = Run(name=name, concurrency=concurrency, seconds=seconds)
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=30
        )
        latencies, statuses, errors = [], {}, 0
        start.wait()
        n = 0
        while time.perf_counter() < deadline[0]:
            method, path, headers, body = make_request(index, n)
            n += 1
            began = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(
                    parts.hostname, parts.port or 80, timeout=30
                )
                continue
            latencies.append(time.perf_counter() - began)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if not ok(response.status):
                errors += 1
        connection.close()
        with lock:
            run.latencies.extend(latencies)
            run.errors += errors
            for status, count in statuses.items():
                run.statuses[status] = run.statuses.get(status, 0) + count

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return run


def json_body(data: dict) -> bytes:
    return json.dumps(data).encode()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
