"""Registration and login, under attempt limits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import registry
from accounts.models import Session, User, UserManager
from accounts.network import ip_digest, truncate_ip
from accounts.services import trail
from accounts.services.errors import EmailTaken, InvalidCredentials, TooManyAttempts
from accounts.services.policy import check_password_rules, limiter
from accounts.services.sessions import Client, SignedIn, open_session


def register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    language: str = "",
    client: Client,
) -> SignedIn:
    attempt = limiter("register-ip", "AUTH_REGISTRATIONS_PER_IP").reserve(client.ip)
    if not attempt:
        raise TooManyAttempts(attempt.retry_after)
    email = UserManager.normalize_email(email)
    check_password_rules(password, User(email=email, first_name=first_name))
    with transaction.atomic():
        user = create_account(
            email=email, password=password, first_name=first_name, language=language
        )
        signed_in = open_session(user, client)
        trail.record(
            user,
            "registered",
            session_id=signed_in.session.pk,
            device=signed_in.session.device_label,
            ip=signed_in.session.ip_display,
        )
        return signed_in


def create_account(
    *, email: str, password: str | None, first_name: str = "", language: str = ""
) -> User:
    """Create a user and run the apps' on-user-created hooks (welcome grant…)."""
    email = UserManager.normalize_email(email)
    try:
        with transaction.atomic():
            if User.objects.filter(email=email).exists():
                raise EmailTaken(_("An account already exists with this email."))
            user = User.objects.create_user(
                email,
                password,
                first_name=first_name,
                language=language or settings.LANGUAGE_CODE,
            )
            for hook in registry.user_created_hooks():
                hook(user=user)
    except IntegrityError:  # a concurrent registration won the race
        raise EmailTaken(_("An account already exists with this email.")) from None
    return user


def login(*, email: str, password: str, client: Client) -> SignedIn:
    """Check credentials under two limits, then open a session.

    At most N failures per window for one (account, IP); at most M per window
    for one account from all IPs, except from an IP that account has already
    signed in from, so an attacker cannot lock the user out of their own IP.
    """
    email = UserManager.normalize_email(email)
    per_ip = limiter("login-ip", "AUTH_LOGIN_FAILURES_PER_IP")
    ip_identity = f"{email}|{client.ip}"
    ip_attempt = per_ip.reserve(ip_identity)
    if not ip_attempt:
        raise TooManyAttempts(ip_attempt.retry_after)
    known = User.objects.filter(email=email).only("pk").first()
    known_ip = (
        known is not None
        and Session.objects.filter(user=known, ip_hash=ip_digest(client.ip)).exists()
    )
    per_account = limiter("login-account", "AUTH_LOGIN_FAILURES_PER_ACCOUNT")
    account_attempt = None
    if not known_ip:
        account_attempt = per_account.reserve(email)
        if not account_attempt:
            per_ip.release(ip_attempt)
            raise TooManyAttempts(account_attempt.retry_after)
    user = authenticate(email=email, password=password)
    if user is None:
        if known is not None:
            with transaction.atomic():
                trail.record(
                    known,
                    "login_failed",
                    reason="invalid_credentials",
                    ip=truncate_ip(client.ip),
                )
        raise InvalidCredentials(_("Incorrect email or password."))
    per_ip.clear(ip_identity)
    if account_attempt:
        per_account.release(account_attempt)
    with transaction.atomic():
        signed_in = open_session(user, client)
        trail.record(
            user,
            "login_succeeded",
            session_id=signed_in.session.pk,
            device=signed_in.session.device_label,
            ip=signed_in.session.ip_display,
        )
        return signed_in
