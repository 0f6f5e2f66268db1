"""localstripe (a stateful fake Stripe, from PyPI) served on 127.0.0.1.

localstripe lacks a few things the real Stripe has and that dj-stripe or
billing call; they are added here, at the HTTP boundary, and nowhere else:

* ``GET /v1/account``: dj-stripe reads the owner account of every webhook;
* ``GET /v1/disputes/<id>``: dj-stripe re-reads a dispute before its signal
  (localstripe cannot create disputes; tests store them with ``add_dispute``);
* fields today's Stripe sends that localstripe leaves out or sets to null
  (``realistic``): a subscription item's ``subscription`` (dj-stripe links
  items by it), a subscription's ``default_tax_rates`` list, and a
  PaymentIntent's ``amount_received``, an invoice's ``discounts`` (which
  dj-stripe asks to expand: the expansion is dropped from the request);
* ``POST /v1/subscriptions`` in today's shape: ``items[][price]``,
  ``payment_behavior=default_incomplete``, ``payment_settings`` and the
  invoice's ``confirmation_secret`` are translated to what localstripe knows
  (``plan``, ``allow_incomplete``, the invoice's PaymentIntent).

localstripe also pickles its whole store to /tmp after every write; that is
switched off (slow, and shared with anyone else on the machine).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

import localstripe.resources as resources
from aiohttp import web
from localstripe.server import app, get_post_data

ACCOUNT_ID = "acct_phoenixtest"
ACCOUNT = {
    "id": ACCOUNT_ID,
    "object": "account",
    "business_profile": {"name": "Phoenix Luna Hub (test)"},
    "charges_enabled": True,
    "country": "FR",
    "created": 1_700_000_000,
    "default_currency": "eur",
    "details_submitted": True,
    "email": "billing@example.com",
    "livemode": False,
    "metadata": {},
    "payouts_enabled": True,
    "settings": {"dashboard": {"display_name": "Phoenix"}},
    "type": "standard",
}
disputes: dict[str, dict] = {}


def add_dispute(*, charge: dict, reason: str = "fraudulent") -> dict:
    dispute = {
        "id": f"dp_{resources.random_id(14)}",
        "object": "dispute",
        "amount": charge["amount"],
        "balance_transactions": [],
        "charge": charge["id"],
        "created": int(time.time()),
        "currency": charge["currency"],
        "evidence": {},
        "evidence_details": {
            "due_by": int(time.time()) + 7 * 86400,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": charge.get("payment_intent"),
        "reason": reason,
        "status": "needs_response",
    }
    disputes[dispute["id"]] = dispute
    return dispute


async def create_subscription(request: web.Request) -> web.Response:
    data = dict(await get_post_data(request) or {})
    data["items"] = [
        {("plan" if key == "price" else key): value for key, value in item.items()}
        for item in data.get("items") or []
    ]
    if data.get("payment_behavior") == "default_incomplete":
        data["payment_behavior"] = "allow_incomplete"
    data.pop("payment_settings", None)
    expand = [
        "latest_invoice.payment_intent"
        if path == "latest_invoice.confirmation_secret"
        else path
        for path in data.pop("expand", None) or []
    ]
    body = resources.Subscription._api_create(**data)._export(expand=expand)
    invoice = body.get("latest_invoice")
    if isinstance(invoice, dict) and isinstance(invoice.get("payment_intent"), dict):
        invoice["confirmation_secret"] = {
            "client_secret": invoice["payment_intent"]["client_secret"],
            "type": "payment_intent",
        }
    return web.json_response(body)


def realistic(value):
    """Fill in what today's Stripe would send, wherever the object appears."""
    if isinstance(value, list):
        return [realistic(item) for item in value]
    if not isinstance(value, dict):
        return value
    value = {key: realistic(item) for key, item in value.items()}
    kind = value.get("object")
    if kind == "subscription":
        if value.get("default_tax_rates") is None:
            value["default_tax_rates"] = []
        for item in (value.get("items") or {}).get("data") or []:
            item.setdefault("subscription", value["id"])
    elif kind in ("invoice", "line_item"):
        value.setdefault("discounts", [])
    elif kind == "payment_intent" and "amount_received" not in value:
        succeeded = value.get("status") == "succeeded"
        value["amount_received"] = value.get("amount", 0) if succeeded else 0
    return value


@web.middleware
async def stripe_compat(request: web.Request, handler):
    response = await compat_routes(request, handler)
    if response.content_type == "application/json" and response.body:
        body = realistic(json.loads(response.body))
        response = web.json_response(body, status=response.status)
    return response


async def compat_routes(request: web.Request, handler):
    def unsupported(key: str, value: str) -> bool:
        return key.startswith("expand[") and "discounts" in value

    if any(unsupported(key, value) for key, value in request.query.items()):
        query = [(k, v) for k, v in request.query.items() if not unsupported(k, v)]
        request = request.clone(rel_url=request.rel_url.with_query(query))
    if request.method == "GET" and request.path == "/v1/account":
        return web.json_response(ACCOUNT)
    if request.method == "GET" and request.path.startswith("/v1/disputes/"):
        dispute = disputes.get(request.path.rsplit("/", 1)[-1])
        if dispute is None:
            return web.json_response(
                {
                    "error": {
                        "code": "resource_missing",
                        "message": "No such dispute",
                        "type": "invalid_request_error",
                    }
                },
                status=404,
            )
        return web.json_response(dispute)
    if request.method == "POST" and request.path == "/v1/subscriptions":
        return await create_subscription(request)
    return await handler(request)


class LocalStripe:
    """The server, on a free loopback port, in a background thread."""

    def __init__(self):
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="localstripe", daemon=True
        )

    def start(self) -> str:
        resources.Store.dump_to_disk = lambda self: None
        if stripe_compat not in app.middlewares:
            app.middlewares.append(stripe_compat)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        port = site._server.sockets[0].getsockname()[1]
        self._runner = runner
        self._thread.start()
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def stop(self) -> None:
        future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
        future.result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=60)
