"""Project middleware: request ids and input hygiene before any view runs."""

from __future__ import annotations

import re
import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from phoenix.errors import error_response, is_api_request
from phoenix.logging import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class _Middleware:
    """Base for middleware that works under both WSGI and ASGI."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(self.get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        early = self.before(request)
        if early is not None:
            return self.after(request, early)
        return self.after(request, self.get_response(request))

    async def __acall__(self, request: HttpRequest):
        early = self.before(request)
        if early is not None:
            return self.after(request, early)
        return self.after(request, await self.get_response(request))

    def before(self, request: HttpRequest) -> HttpResponse | None:
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return response


class RequestIDMiddleware(_Middleware):
    """Accept a sane ``X-Request-ID`` or make one; log with it; echo it back."""

    def before(self, request: HttpRequest) -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        request_id_var.set(request_id)
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class ApiInputGuardMiddleware(_Middleware):
    """Refuse NUL characters in the path or query string with a clear 400."""

    def before(self, request: HttpRequest) -> HttpResponse | None:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            message = _("Null characters are not allowed.")
            if is_api_request(request):
                return error_response(400, "invalid", message, request=request)
            return HttpResponse(message, status=400, content_type="text/plain")
        return None
