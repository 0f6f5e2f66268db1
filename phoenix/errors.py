"""One JSON error envelope for every API error.

    {"error": {"code": "...", "message": "...", "fields": {...}, ...extra}}

Three kinds of exceptions become envelopes:

* DRF's ``APIException`` family (validation, parse, auth, throttling…);
* Django's ``Http404`` and ``PermissionDenied``;
* domain exceptions from an app's services that define ``status_code`` (int)
  and ``error_code`` (str). ``str(exc)`` is the message; optional ``fields``
  and ``extra`` dicts are copied into the envelope, optional ``headers`` into
  the response (e.g. ``Retry-After``). Apps follow this protocol
  without importing this module (imports point down only).

Anything else is a bug: it is logged with the request id, reported through
Django's ``got_request_exception`` signal (which Sentry listens to), and the
client gets a 500 envelope without a traceback.

The predecessor's routes (``/auth/``, ``/luna/``, ``/billing/``, served for
the existing Phoenix apps) answer errors in the old ``{"detail": ...}``
shape instead; only the shape differs, never the status or the rule.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions
from rest_framework.views import set_rollback

logger = logging.getLogger("phoenix.errors")

API_PREFIX = "/api/"
LEGACY_PREFIXES = ("/auth/", "/luna/", "/billing/")

DEFAULT_MESSAGES = {
    400: gettext_noop("The request is invalid."),
    401: gettext_noop("Authentication is required."),
    403: gettext_noop("You do not have permission to do this."),
    404: gettext_noop("Not found."),
    405: gettext_noop("This method is not allowed here."),
    413: gettext_noop("The request body is too large."),
    415: gettext_noop("Unsupported media type; send application/json."),
    429: gettext_noop("Too many requests; try again later."),
    500: gettext_noop("Something went wrong on our side. It has been logged."),
}

DRF_CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def envelope(
    code: str,
    message: str,
    *,
    fields: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "fields": fields or {}}
    for key, value in (extra or {}).items():
        error.setdefault(key, value)
    return {"error": error}


def legacy_body(
    code: str, message: str, fields: dict | None, extra: dict | None
) -> dict[str, Any]:
    """The predecessor's error shape, which the Phoenix apps parse."""
    if code == "insufficient_energy":
        packs = (extra or {}).get("packs") or []
        return {
            "detail": {
                "error": "insufficient_energy",
                "message": message,
                "action": "recharge_energy",
                "required_pack": packs[0]["code"] if packs else None,
                "required": (extra or {}).get("required"),
                "available": (extra or {}).get("available"),
                "deficit": (extra or {}).get("deficit"),
            }
        }
    body: dict[str, Any] = {"detail": message}
    if fields:
        body["errors"] = fields
    return body


def error_response(
    status_code: int,
    code: str,
    message: str | None = None,
    *,
    fields: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    request: HttpRequest | None = None,
) -> JsonResponse:
    if message is None:
        message = _(DEFAULT_MESSAGES.get(status_code, DEFAULT_MESSAGES[400]))
    if request is not None and is_legacy_request(request):
        body = legacy_body(code, message, fields, extra)
    else:
        body = envelope(code, message, fields=fields, extra=extra)
    response = JsonResponse(
        body, status=status_code, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"a.b.0": ["message", ...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_fields(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            if detail:
                flat[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    name = f"{prefix}.{index}" if prefix else str(index)
                    flat.update(flatten_fields(item, name))
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def validation_payload(detail: Any) -> tuple[str, dict[str, list[str]]]:
    fields = flatten_fields(detail)
    general = fields.pop("non_field_errors", None)
    if general:
        return general[0], fields
    if fields:
        if len(fields) == 1:
            name, messages = next(iter(fields.items()))
            return f"{name}: {messages[0]}", fields
        return _("Some fields are invalid."), fields
    return _(DEFAULT_MESSAGES[400]), fields


def is_domain_error(exc: BaseException) -> bool:
    return isinstance(getattr(exc, "status_code", None), int) and isinstance(
        getattr(exc, "error_code", None), str
    )


def response_for(exc: BaseException, request=None) -> JsonResponse | None:
    """Render a known exception as an envelope, or return None for a bug."""
    if isinstance(exc, Http404):
        return error_response(404, "not_found", request=request)
    if isinstance(exc, PermissionDenied):
        return error_response(403, "permission_denied", request=request)
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, "request_too_large", request=request)
    if isinstance(exc, exceptions.ValidationError):
        message, fields = validation_payload(exc.detail)
        return error_response(400, "invalid", message, fields=fields, request=request)
    if isinstance(exc, exceptions.APIException):
        code = getattr(exc.detail, "code", None)
        if not isinstance(code, str) or code == exc.default_code:
            code = next(
                (c for cls, c in DRF_CODES.items() if isinstance(exc, cls)),
                exc.default_code if isinstance(exc.default_code, str) else "error",
            )
        headers: dict[str, str] = {}
        extra: dict[str, Any] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            retry_after = max(1, int(exc.wait + 0.999))
            headers["Retry-After"] = str(retry_after)
            extra["retry_after"] = retry_after
        detail = exc.detail
        if isinstance(detail, (list, dict)):
            message, fields = validation_payload(detail)
        else:
            message, fields = str(detail), {}
        return error_response(
            exc.status_code,
            code,
            message,
            fields=fields,
            extra=extra,
            headers=headers,
            request=request,
        )
    if is_domain_error(exc):
        return error_response(
            exc.status_code,
            exc.error_code,
            str(exc) or None,
            fields=getattr(exc, "fields", None),
            extra=getattr(exc, "extra", None),
            headers=getattr(exc, "headers", None),
            request=request,
        )
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> JsonResponse:
    """DRF's EXCEPTION_HANDLER: every error out of an API view is an envelope."""
    request = context.get("request")
    django_request = getattr(request, "_request", request)
    response = response_for(exc, django_request)
    if response is None:
        logger.error("unhandled error in an API view", exc_info=exc)
        got_request_exception.send(sender=None, request=django_request)
        response = error_response(500, "server_error", request=django_request)
    # An error inside an outer atomic block must not leave half the work behind.
    set_rollback()
    return response


def is_legacy_request(request: HttpRequest) -> bool:
    return request.path.startswith(LEGACY_PREFIXES)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX) or is_legacy_request(request)


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Catch-all for unknown API routes (any method)."""
    return error_response(
        404, "not_found", _("No API endpoint at this address."), request=request
    )


def _html_or_json(default_view, status_code: int, code: str):
    def view(request: HttpRequest, exception: BaseException | None = None, **kwargs):
        if is_api_request(request):
            return error_response(status_code, code, request=request)
        if exception is None:
            return default_view(request, **kwargs)
        return default_view(request, exception, **kwargs)

    view.__name__ = f"handler{status_code}"
    return view


def _build_handlers():
    from django.views import defaults

    return (
        _html_or_json(defaults.bad_request, 400, "bad_request"),
        _html_or_json(defaults.permission_denied, 403, "permission_denied"),
        _html_or_json(defaults.page_not_found, 404, "not_found"),
        _html_or_json(defaults.server_error, 500, "server_error"),
    )


handler400, handler403, handler404, handler500 = _build_handlers()


def add_error_envelope_to_schema(result, generator, request, public):
    """drf-spectacular hook: document the envelope as every operation's default."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorEnvelope"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string", "example": "invalid"},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "array",
                            "items": {"type": "string"},
                        },
                    },
                },
                "additionalProperties": True,
            }
        },
    }
    reference = {
        "description": "Error (see the `code`)",
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}
            }
        },
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("default", reference)
    return result


__all__ = [
    "api_not_found",
    "envelope",
    "error_response",
    "exception_handler",
    "handler400",
    "handler403",
    "handler404",
    "handler500",
]
