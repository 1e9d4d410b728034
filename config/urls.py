"""Which addresses carry a language prefix is decided here, and only here.

Public pages live in `i18n_patterns`: /en/... and /fr/..., with translated
paths; so do the Atom feeds and the search page, which speak one language.
The admin, machine-readable files (sitemap.xml, robots.txt), the health check
and the API (/api/, both languages in every answer) stay outside: they are not
pages a reader switches language on, and their addresses must not change with
the language.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from portal import views as portal_views
from portal.sitemaps import news_sitemap_xml, sitemap_section_xml, sitemap_xml

urlpatterns = [
    path("", portal_views.SplashView.as_view(), name="splash"),
    path("healthz", portal_views.health, name="health"),
    path("robots.txt", portal_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section_xml, name="sitemap_section"),
    path("news-sitemap.xml", news_sitemap_xml, name="news_sitemap"),
    path("api/", include("api.urls")),
    # The admin's language switch. The choice is a cookie kept under the admin's
    # address (LANGUAGE_COOKIE_PATH), so public pages never receive it.
    path(f"{settings.ADMIN_URL}language/", set_language, name="admin_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path(_("newsroom/"), include("newsroom.urls")),
    path(_("initiatives/"), include("initiatives.urls")),
    path(_("pages/"), include("pages.urls")),
    path(_("search/"), include("search.urls")),
    path(_("send/"), include("sharing.urls")),
    path(_("alerts/"), include("alerts.urls")),
    path(_("advance-copy/"), include("advance.urls")),
    prefix_default_language=True,
)

handler404 = "portal.views.page_not_found"
handler403 = "portal.views.permission_denied"
handler500 = "portal.views.server_error"
handler400 = "core.errors.bad_request"
