"""Foundation checks for ``manage.py audit``.

Audit checks are Django system checks registered with the ``audit`` tag as
deployment checks, so ``migrate`` and ``runserver`` never run them:

    checks.register(check_something, "audit", deploy=True)

A check that needs the database does its work only when it is handed
``databases`` (the audit command always passes them). Its docstring's first
line is the title shown in the report.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

AUDIT = "audit"


def register_audit_checks() -> None:
    for check in (
        check_production_configuration,
        check_database_reachable,
        check_migrations_applied,
        check_cache_reachable,
        check_optional_integrations,
    ):
        checks.register(check, AUDIT, deploy=True)


def check_production_configuration(app_configs=None, databases=None, **kwargs):
    """Production configuration (Django's deployment checks)."""
    if databases is None:  # `check --deploy` already runs these itself
        return []
    messages = checks.run_checks(
        app_configs=app_configs,
        tags=[checks.Tags.security],
        include_deployment_checks=True,
    )
    if not settings.DEBUG and settings.SECRET_KEY.startswith("django-insecure"):
        messages.append(
            checks.Error("SECRET_KEY is Django's insecure default.", id="phoenix.E001")
        )
    return messages


def check_database_reachable(app_configs=None, databases=None, **kwargs):
    """Database reachable."""
    messages = []
    for alias in databases or []:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as error:
            messages.append(
                checks.Error(
                    f"Database {alias!r} is unreachable: {type(error).__name__}.",
                    hint="Check DATABASE_URL and that the server is running.",
                    id="phoenix.E002",
                )
            )
    return messages


def check_migrations_applied(app_configs=None, databases=None, **kwargs):
    """All migrations applied."""
    messages = []
    for alias in databases or []:
        try:
            executor = MigrationExecutor(connections[alias])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as error:
            messages.append(
                checks.Error(
                    f"Could not read the migration state of {alias!r}: "
                    f"{type(error).__name__}.",
                    id="phoenix.E003",
                )
            )
            continue
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
            more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
            messages.append(
                checks.Error(
                    f"{len(plan)} unapplied migration(s) on {alias!r}: {names}{more}.",
                    hint="Run: python manage.py migrate",
                    id="phoenix.E004",
                )
            )
    return messages


def check_cache_reachable(app_configs=None, databases=None, **kwargs):
    """Cache reachable."""
    if databases is None:  # not an audit run: no I/O
        return []
    key = f"audit:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        value = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return [
            checks.Error(
                f"The cache is unreachable: {type(error).__name__}.",
                hint="Check REDIS_URL and that Redis is running.",
                id="phoenix.E005",
            )
        ]
    if value != "1":
        return [
            checks.Error(
                "The cache lost a value it had just stored.", id="phoenix.E006"
            )
        ]
    return []


def check_optional_integrations(app_configs=None, **kwargs):
    """Optional integrations configured."""
    integrations = [
        (
            "Redis",
            bool(settings.REDIS_URL),
            "REDIS_URL is not set: cache, throttles and websocket fan-out are "
            "local to one process.",
        ),
        (
            "Gemini",
            bool(settings.GEMINI_API_KEY),
            "GEMINI_API_KEY is not set: Luna answers with the built-in coach.",
        ),
        (
            "Stripe",
            bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY),
            "STRIPE_SECRET_KEY / STRIPE_PUBLISHABLE_KEY are not set: billing "
            "answers 503 billing_unavailable.",
        ),
        (
            "Sentry",
            bool(settings.SENTRY_DSN),
            "SENTRY_DSN is not set: errors go to the logs only.",
        ),
        (
            "Email",
            bool(settings.EMAIL_HOST),
            "EMAIL_HOST is not set: password-reset mail is printed (DEBUG) or dropped.",
        ),
    ]
    messages = []
    for number, (name, configured, consequence) in enumerate(integrations, start=1):
        if configured:
            messages.append(
                checks.Info(f"{name}: configured.", id=f"phoenix.I{number:03}")
            )
        else:
            messages.append(checks.Warning(consequence, id=f"phoenix.W{number:03}"))
    return messages


def default_databases() -> list[str]:
    return list(connections) or [DEFAULT_DB_ALIAS]
