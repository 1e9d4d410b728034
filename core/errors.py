"""Error answers for requests refused before any view runs, in the reader's language."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    400: (
        _("Bad request"),
        _("The address or the form contains something the site cannot read. Check it and try again."),
    ),
    413: (
        _("Request too large"),
        _("What was sent is larger than the site accepts. Send less and try again."),
    ),
    414: (
        _("Address too long"),
        _("The address is longer than the site accepts. Check it and try again."),
    ),
}


def request_refused(request: HttpRequest, status: int) -> HttpResponse:
    """A plain error page: no database, since the request was refused before reaching one."""
    language = translation.get_language_from_path(request.path_info) or translation.get_language_from_request(
        request
    )
    title, message = MESSAGES[status]
    if request.path_info.startswith("/api/"):
        # Machines reading the API get its JSON error shape, not a page.
        with translation.override(language):
            response = JsonResponse({"error": str(message), "fields": {}}, status=status)
        response["Cache-Control"] = "no-store"
        return response
    with translation.override(language):
        content = render_to_string(
            "refused.html", {"error_title": title, "error_message": message, "status": status}
        )
    response = HttpResponse(content, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return request_refused(request, 400)
