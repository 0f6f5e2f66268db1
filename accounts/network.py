"""What a request says about where it comes from: IP and device."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only behind known proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return "0.0.0.0"  # noqa: S104


def truncate_ip(ip: str) -> str:
    """Keep the network part only: 203.0.113.x, 2001:db8:85a3::/48."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 4:
        return ".".join(ip.split(".")[:3]) + ".x"
    network = ipaddress.ip_network(f"{address}/48", strict=False)
    return str(network)


def ip_digest(ip: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256
    ).hexdigest()


def device_label(user_agent: str) -> str:
    """A language-neutral label for a session list: "Firefox · Windows"."""
    ua = user_agent or ""
    if not ua:
        return ""
    if "iPhone" in ua:
        system = "iPhone"
    elif "iPad" in ua:
        system = "iPad"
    elif "Android" in ua:
        system = "Android"
    elif "Macintosh" in ua or "Mac OS X" in ua:
        system = "Mac"
    elif "Windows" in ua:
        system = "Windows"
    elif "Linux" in ua:
        system = "Linux"
    else:
        system = ""
    browsers = (
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    )
    browser = next((name for token, name in browsers if token in ua), "")
    if not browser:
        # API clients: keep the product token, e.g. "python-requests/2.32"
        browser = ua.split(" ", 1)[0][:40]
    return f"{browser} · {system}" if system else browser
