"""Request-wide safeguards: request id, size limits, browser permissions, database outages."""

import logging
import re
import uuid

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy headers built once per process.

    django-csp builds both headers from the settings for every response, a
    fifth of what a kept page costs to answer. The site's policies are the same
    for every response (no nonce, no view of its own policy), so they are built
    once per process and per settings; a request or a response that brings
    parts of its own gets django-csp's own answer.
    """

    OWN_PARTS = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
    )

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: tuple[tuple, list[tuple[str, str, tuple]]] | None = None

    def _headers(self) -> list[tuple[str, str, tuple]]:
        """(header, policy, paths it is not sent for) for each policy set, as the settings say now."""
        enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        marks = (id(enforced), id(report_only))
        if self._built is None or self._built[0] != marks:
            headers = []
            for header, policy, is_report_only in (
                (HEADER, enforced, False),
                (HEADER_REPORT_ONLY, report_only, True),
            ):
                built = build_policy(report_only=is_report_only)
                if built:
                    headers.append((header, built, tuple((policy or {}).get("EXCLUDE_URL_PREFIXES") or ())))
            self._built = (marks, headers)
        return self._built[1]

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, part) for part in self.OWN_PARTS
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, policy, excluded in self._headers():
            exempt = getattr(
                response, "_csp_exempt_ro" if header == HEADER_REPORT_ONLY else "_csp_exempt", False
            )
            if header not in response and exempt is False and not request.path_info.startswith(excluded):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


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
