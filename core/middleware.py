"""Request-wide safeguards: request id, size limits, browser permissions, database outages."""

import logging
import re
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string

from .errors import request_refused
from .logging import request_id_var

logger = logging.getLogger(__name__)

# An id a proxy passed along is kept only if it looks like one.
_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIDMiddleware:
    """Gives each request an id (or keeps the proxy's X-Request-ID) for logs and the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestLimitsMiddleware:
    """Refuses requests no reader sends: huge addresses or bodies, NUL characters.

    Bodies are also capped by DATA_UPLOAD_MAX_MEMORY_SIZE when read; checking
    the declared length here refuses them before a byte is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(request.path) > settings.MAX_URL_LENGTH or len(query) > settings.MAX_QUERY_STRING_LENGTH:
            return request_refused(request, 414)
        # PostgreSQL cannot store or compare NUL; no address or form needs it.
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return request_refused(request, 400)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return request_refused(request, 400)
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE + settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            return request_refused(request, 413)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Refuses the browser features listed in PERMISSIONS_POLICY, to the page and any frame."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class DatabaseUnavailableMiddleware:
    """With the database down, answer a bilingual 503 rather than an error page.

    The page is built without the database (no menus, no department name),
    and Retry-After tells clients and caches to come back shortly. Nothing
    else is needed to recover: with CONN_HEALTH_CHECKS, the next request after
    the database returns opens a fresh connection.
    """

    retry_after = 120

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "database unavailable", extra={"event": "database_down", "error": exception.__class__.__name__}
        )
        return unavailable_response(self.retry_after)


def unavailable_response(retry_after: int):
    from django.http import HttpResponse

    response = HttpResponse(render_to_string("unavailable.html"), status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
