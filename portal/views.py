"""The pages that show every kind of content: home, A-Z index, site map, robots, health, errors."""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.addresses import absolute_url
from core.cache_headers import patch_private_headers
from core.i18n import collation_key
from core.views import PublicPageMixin, alternates_of, page_context
from initiatives.cached import all_initiatives
from initiatives.models import Initiative
from newsroom.archive import public_years
from newsroom.models import NewsRelease
from pages.models import Department, StandardPage


class SplashView(TemplateView):
    """The bilingual entry page at /, as Government of Canada sites have."""

    template_name = "splash.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alternate_urls"] = {code: absolute_url(f"/{code}/") for code, _name in settings.LANGUAGES}
        return context


class HomeView(PublicPageMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        latest = list(NewsRelease.objects.public().for_listing()[:5])
        self.latest = latest
        context = super().get_context_data(**kwargs)
        context.update(
            latest_releases=latest,
            featured_initiatives=Initiative.objects.public().featured(),
        )
        return context

    def get_subject_title(self, subject) -> str:
        department = Department.current()
        return department.name if department else str(_("Home"))

    def get_breadcrumbs(self):
        return [(_("Home"), None)]

    def get_last_updated(self):
        return self.latest[0].last_updated if self.latest else None


def newest_date(*querysets) -> dt.date | None:
    """The newest `last_updated` among pages built from several kinds of content."""
    dates = [queryset.aggregate(newest=Max("last_updated"))["newest"] for queryset in querysets]
    return max((date for date in dates if date is not None), default=None)


class AtoZView(PublicPageMixin, TemplateView):
    """An index of the site's subjects, sorted as readers of each language expect."""

    template_name = "portal/a_to_z.html"
    page_title = _("A-Z index")

    def get_entries(self) -> list[dict]:
        entries = [
            {"label": initiative.name, "url": initiative.get_absolute_url(), "kind": _("Initiative")}
            for initiative in Initiative.objects.public()
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
        return newest_date(Initiative.objects.public(), StandardPage.objects.all())


class SiteMapView(PublicPageMixin, TemplateView):
    template_name = "portal/site_map.html"
    page_title = _("Site map")

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
        return newest_date(
            Initiative.objects.public(), StandardPage.objects.all(), NewsRelease.objects.public()
        )


@never_cache
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
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        f"Sitemap: {absolute_url(reverse('news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def error_page(request: HttpRequest, status: int, title, message) -> HttpResponse:
    """An error inside the site's layout, in the page's language, toggle included."""
    context = {
        "error_title": title,
        "error_message": message,
        "status": status,
        "breadcrumbs": [(_("Home"), reverse("home")), (title, None)],
        **page_context(request, alternates_of(request)),
    }
    return render(request, "error.html", context, status=status)


def page_not_found(request, exception=None):
    # Public like any page (core.cache_headers): a missing page may appear at
    # the next publication minute, and no cache keeps it past that minute.
    return error_page(
        request,
        404,
        _("We could not find that page"),
        _(
            "The page you asked for does not exist or is not available. Check the address, or start again from the home page."
        ),
    )


def permission_denied(request, exception=None):
    return error_page(request, 403, _("Access denied"), _("You do not have permission to see this page."))


def csrf_failure(request, reason=""):
    """A form sent without its security token (cookies blocked, or the page was open too long)."""
    response = error_page(
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
        return error_page(request, 500, title, message)
    except Exception:
        # The layout reads menus from the database, which may be what failed.
        page = (
            f'<!DOCTYPE html><html lang="{translation.get_language()}"><meta charset="utf-8">'
            f"<title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
        )
        return HttpResponseServerError(page)
