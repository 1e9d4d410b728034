import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from initiatives.models import Initiative
from newsroom.archive import all_initiatives, public_years
from newsroom.models import NewsRelease
from pages.models import StandardPage

from .caching import patch_private_headers, patch_public_headers
from .i18n import collation_key


class PublicPageMixin:
    """What every public page shares: language alternates, breadcrumb, dates, cache headers.

    Views give their breadcrumb, the date their content last changed and, for
    a page about one object, that object: the language toggle then leads to
    the object's own address in the other language.
    """

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [(_("Home"), reverse("home"))]

    def get_last_updated(self) -> dt.date | None:
        return None

    def get_alternate_urls(self) -> dict[str, str]:
        obj = getattr(self, "object", None)
        urls = {}
        for code, _name in settings.LANGUAGES:
            if obj is not None and hasattr(obj, "get_absolute_url"):
                with translation.override(code):
                    urls[code] = self.translated_url_for(obj)
            else:
                path = translated_path(self.request, code)
                query = self.get_alternate_query(code)
                urls[code] = f"{path}?{query}" if query else path
        return urls

    def get_alternate_query(self, language: str) -> str:
        """The query string of this page in `language`: filters and page number kept."""
        return self.request.GET.urlencode()

    def translated_url_for(self, obj) -> str:
        return obj.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alternates = self.get_alternate_urls()
        context.update(
            breadcrumbs=self.get_breadcrumbs(),
            last_updated=self.get_last_updated(),
            **language_context(alternates),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return patch_public_headers(response, last_modified=context.get("last_updated"))


def newest_date(*querysets) -> dt.date | None:
    """The newest `last_updated` among pages built from several kinds of content."""
    dates = [queryset.aggregate(newest=Max("last_updated"))["newest"] for queryset in querysets]
    return max((date for date in dates if date is not None), default=None)


def translated_path(request: HttpRequest, language: str) -> str:
    """This request's path in `language`, even when nothing answers at it (an error page)."""
    path = translate_url(request.path, language)
    if path != request.path:
        return path
    prefix, _sep, rest = request.path.lstrip("/").partition("/")
    if prefix in dict(settings.LANGUAGES):
        return f"/{language}/{rest}"
    with translation.override(language):
        return reverse("home")


def language_context(alternates: dict[str, str]) -> dict:
    """The head's hreflang links and the toggle's target, from each language's address."""
    current = translation.get_language()
    other = next(({"code": code, "url": url} for code, url in alternates.items() if code != current), None)
    return {"alternate_urls": alternates, "other_language": other}


class PrintViewMixin:
    """The print view is the page's own view with another template."""

    print_template_name: str

    def get_template_names(self):
        return [self.print_template_name]


class SplashView(TemplateView):
    """The bilingual entry page at /, as Government of Canada sites have."""

    template_name = "splash.html"

    def render_to_response(self, context, **response_kwargs):
        return patch_public_headers(super().render_to_response(context, **response_kwargs))


class HomeView(PublicPageMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        latest = list(NewsRelease.objects.public().for_listing()[:5])
        self.latest = latest
        context = super().get_context_data(**kwargs)
        context.update(
            latest_releases=latest,
            featured_initiatives=Initiative.objects.featured(),
        )
        return context

    def get_breadcrumbs(self):
        return [(_("Home"), None)]

    def get_last_updated(self):
        return self.latest[0].last_updated if self.latest else None


class AtoZView(PublicPageMixin, TemplateView):
    """An index of the site's subjects, sorted as readers of each language expect."""

    template_name = "core/a_to_z.html"

    def get_entries(self) -> list[dict]:
        entries = [
            {"label": initiative.name, "url": initiative.get_absolute_url(), "kind": _("Initiative")}
            for initiative in Initiative.objects.all()
        ]
        entries += [
            {
                "label": release_type.plural,
                "url": reverse("newsroom:list") + f"?type={release_type.value}",
                "kind": _("Release type"),
            }
            for release_type in NewsRelease.ReleaseType
        ]
        entries += [
            {"label": page.title, "url": page.get_absolute_url(), "kind": _("Page")}
            for page in StandardPage.objects.all()
        ]
        entries += [
            {"label": _("Newsroom"), "url": reverse("newsroom:list"), "kind": _("Page")},
            {"label": _("Initiatives"), "url": reverse("initiatives:list"), "kind": _("Page")},
            {"label": _("Site map"), "url": reverse("site_map"), "kind": _("Page")},
        ]
        return sorted(entries, key=lambda entry: collation_key(str(entry["label"])))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups: dict[str, list[dict]] = {}
        for entry in self.get_entries():
            groups.setdefault(collation_key(str(entry["label"]))[:1].upper() or "#", []).append(entry)
        context["letters"] = sorted(groups.items())
        return context

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (_("A-Z index"), None)]

    def get_last_updated(self):
        return newest_date(Initiative.objects.all(), StandardPage.objects.all())


class SiteMapView(PublicPageMixin, TemplateView):
    template_name = "core/site_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            years=public_years(),
            release_types=[
                (release_type.plural, reverse("newsroom:list") + f"?type={release_type.value}")
                for release_type in NewsRelease.ReleaseType
            ],
            initiatives=all_initiatives(),
            pages=StandardPage.objects.all(),
        )
        return context

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (_("Site map"), None)]

    def get_last_updated(self):
        return newest_date(Initiative.objects.all(), StandardPage.objects.all(), NewsRelease.objects.public())


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: is the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return patch_public_headers(HttpResponse("\n".join(lines) + "\n", content_type="text/plain"))


def _error_page(request: HttpRequest, status: int, title, message) -> HttpResponse:
    """An error inside the site's layout, in the page's language, toggle included."""
    query = request.GET.urlencode()
    alternates = {
        code: translated_path(request, code) + (f"?{query}" if query else "")
        for code, _name in settings.LANGUAGES
    }
    context = {
        "error_title": title,
        "error_message": message,
        "status": status,
        "breadcrumbs": [(_("Home"), reverse("home")), (title, None)],
        **language_context(alternates),
    }
    return render(request, "error.html", context, status=status)


def page_not_found(request, exception=None):
    response = _error_page(
        request,
        404,
        _("We could not find that page"),
        _(
            "The page you asked for does not exist or is not available. Check the address, or start again from the home page."
        ),
    )
    # A missing page may appear at the next publication minute; the cache knows when.
    return patch_public_headers(response)


def permission_denied(request, exception=None):
    return _error_page(request, 403, _("Access denied"), _("You do not have permission to see this page."))


def csrf_failure(request, reason=""):
    """A form sent without its security token (cookies blocked, or the page was open too long)."""
    response = _error_page(
        request,
        403,
        _("The form could not be sent"),
        _(
            "For your security, the form must be sent from this site with cookies allowed. "
            "Go back, reload the page and try again."
        ),
    )
    return patch_private_headers(response)


def server_error(request):
    title = _("Something went wrong")
    message = _("The site could not answer your request. Please try again in a few minutes.")
    try:
        return _error_page(request, 500, title, message)
    except Exception:
        # The layout reads menus from the database, which may be what failed.
        page = (
            f'<!DOCTYPE html><html lang="{translation.get_language()}"><meta charset="utf-8">'
            f"<title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
        )
        return HttpResponseServerError(page)
