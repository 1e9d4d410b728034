from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Max
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.addresses import absolute_url
from core.cache_headers import is_staff_request, private_cache
from core.pagination import DeepPaginator
from core.versioned import cached_one_of_many
from core.views import PrintViewMixin, PublicPageMixin, json_ld
from initiatives.models import Initiative
from pages.context_processors import current_department

from . import services
from .models import Language, NewsRelease


def year_type_url(year: int, release_type: str) -> str:
    """A year's archive showing one type of release."""
    return reverse("newsroom:year", kwargs={"year": year}) + f"?type={release_type}"


class ReleaseListView(PublicPageMixin, ListView):
    """The newsroom: public releases, newest first, 20 a page, with filters."""

    template_name = "newsroom/release_list.html"
    context_object_name = "releases"
    paginate_by = 20
    page_title = _("Newsroom")
    meta_description = _(
        "News releases, backgrounders, statements, media advisories and speeches of the department, newest first."
    )

    @cached_property
    def filters(self) -> dict:
        """The type and initiative asked for; Http404 for one that does not exist."""
        filters = {}
        release_type = self.request.GET.get("type", "")
        if release_type:
            if release_type not in NewsRelease.ReleaseType.values:
                raise Http404("unknown release type")
            filters["release_type"] = release_type
        initiative_slug = self.request.GET.get("initiative", "")
        if initiative_slug:
            # The slug is the page's language's: /fr/ filters by the French slug.
            initiative = Initiative.objects.public().filter(slug=initiative_slug[:120]).first()
            if initiative is None:
                raise Http404("unknown initiative")
            filters["initiative"] = initiative
        return filters

    def get_queryset(self):
        return self.releases_at(None)

    def releases_at(self, now):
        """The releases the page lists, as the public sees them at `now` (None: this moment)."""
        return NewsRelease.objects.public(now).for_listing().filtered(**self.filters)

    def get_alternate_query(self, language):
        query = self.request.GET.copy()
        if "initiative" in self.filters:
            query["initiative"] = getattr(self.filters["initiative"], f"slug_{language}")
        return query.urlencode()

    def get_feed_subject(self):
        release_type = self.filters.get("release_type")
        return NewsRelease.ReleaseType(release_type) if release_type else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release_type = self.filters.get("release_type")
        context.update(
            filters=self.filters,
            release_type_plural=NewsRelease.ReleaseType(release_type).plural if release_type else None,
            release_types=NewsRelease.ReleaseType.choices,
        )
        return context

    @property
    def listing_key(self) -> str:
        """What tells this listing from the others: its filters and year."""
        initiative = self.filters.get("initiative")
        return "{}:{}:{}".format(
            self.filters.get("release_type", ""),
            initiative.pk if initiative else "",
            getattr(self, "year", ""),
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = DeepPaginator(queryset, per_page, **kwargs)
        # The number of releases and the newest change date: the same on every
        # page of a listing, read in one query once per content version and
        # publication window.
        # One per listing (type, initiative, year): many, so each process keeps the last ones.
        paginator.count, self.newest_update = cached_one_of_many(
            f"release-totals:{self.listing_key}",
            lambda now: tuple(
                self.releases_at(now).aggregate(count=Count("pk"), newest=Max("last_updated")).values()
            ),
        )
        return paginator

    def paginate_queryset(self, queryset, page_size):
        paginator, page, _, is_paginated = super().paginate_queryset(queryset, page_size)

        def rows(now):
            at_now = DeepPaginator(self.releases_at(now), page_size)
            at_now.count = paginator.count
            return list(at_now.page(page.number).object_list)

        # A page's rows, like its totals, change only with a save or at a
        # publication minute: read once per content version and window.
        page.object_list = cached_one_of_many(f"release-rows:{self.listing_key}:{page.number}", rows)
        return paginator, page, page.object_list, is_paginated

    def get_last_updated(self):
        return self.newest_update

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (_("Newsroom"), None)]


class YearArchiveView(ReleaseListView):
    template_name = "newsroom/release_year.html"

    def get_subject(self):
        self.year = self.kwargs["year"]
        if not NewsRelease.objects.public().in_year(self.year).exists():
            raise Http404("no releases that year")
        return None

    def get_subject_title(self, subject) -> str:
        return _("News releases of %(year)s") % {"year": self.year}

    def releases_at(self, now):
        return super().releases_at(now).filtered(year=self.kwargs["year"])

    def get_queryset(self):
        self.year = self.kwargs["year"]
        releases = super().get_queryset()
        # Unfiltered, the page's own count tells whether the year has releases.
        if self.filters:
            self.get_subject()
        return releases

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not self.filters and paginator.count == 0:
            raise Http404("no releases that year")
        return paginator

    def get_feed_subject(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        return context

    def get_breadcrumbs(self):
        crumbs = [
            (_("Home"), reverse("home")),
            (_("Newsroom"), reverse("newsroom:list")),
        ]
        release_type = self.filters.get("release_type")
        if release_type is None:
            return [*crumbs, (str(self.year), None)]
        year_url = reverse("newsroom:year", kwargs={"year": self.year})
        return [*crumbs, (str(self.year), year_url), (NewsRelease.ReleaseType(release_type).plural, None)]


class ReleasePageMixin(PublicPageMixin):
    """A page showing one release: its breadcrumb, its date, its template."""

    context_object_name = "release"
    template_name = "newsroom/release_detail.html"
    body_template = "newsroom/release_body.html"

    def get_last_updated(self):
        return self.object.last_updated or self.object.local_published_at.date()

    def modified_at(self):
        """When the release last changed for its readers: its publication, or its last correction's day."""
        release = self.object
        if release.last_updated and release.last_updated > release.local_published_at.date():
            return release.last_updated
        return release.local_published_at

    def get_link_preview(self):
        preview = super().get_link_preview()
        if preview is None:
            return None
        release = self.object
        published = release.local_published_at.isoformat()
        modified = self.modified_at().isoformat()
        language = translation.get_language()
        department = current_department()
        organisation = {
            "@type": "GovernmentOrganization",
            "name": department.name if department else "",
            "url": absolute_url(reverse("home")),
        }
        preview.update(
            type="article",
            published_time=published,
            modified_time=modified,
            json_ld=json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": release.title[:110],
                    "description": preview["description"],
                    "datePublished": published,
                    "dateModified": modified,
                    "inLanguage": f"{language}-CA",
                    "url": absolute_url(self.canonical_path(language)),
                    "mainEntityOfPage": absolute_url(self.canonical_path(language)),
                    "image": [preview["image"]],
                    "author": organisation,
                    "publisher": organisation,
                }
            ),
        )
        return preview

    def get_breadcrumbs(self):
        release = self.object
        year = release.local_published_at.year
        return [
            (_("Home"), reverse("home")),
            (_("Newsroom"), reverse("newsroom:list")),
            (str(year), reverse("newsroom:year", kwargs={"year": year})),
            (release.release_type_plural, year_type_url(year, release.release_type)),
            (
                _("%(date)s: %(title)s")
                % {"date": f"{release.local_published_at:%Y-%m-%d}", "title": release.breadcrumb_title},
                None,
            ),
        ]


class PublicReleaseMixin(ReleasePageMixin):
    """Finds one public release by year and slug in the page's language; old addresses redirect."""

    # What the page shows beside the release itself, read with it.
    shows = ("initiatives", "media_contacts", "corrections")

    def get_queryset(self, now=None):
        return NewsRelease.objects.public(now).prefetch_related(*self.shows)

    def get_object(self, queryset=None):
        year, slug = self.kwargs["year"], self.kwargs["slug"]

        def find(now):
            return self.get_queryset(now).at_address(year=year, slug=slug).first()

        if is_staff_request(self.request):
            # Staff get nothing kept (`core.cache_headers`).
            release = find(timezone.now())
        else:
            # Found once per content version and publication window, with its
            # initiatives, contacts and corrections: what the public sees at
            # this address changes only with a save or at a publication minute.
            release = cached_one_of_many(
                f"release-at:{'-'.join(self.shows)}:{translation.get_language()}:{year}:{slug}", find
            )
        if release is None:
            raise Http404("no such release")
        return release

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = self.find_moved_release()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(self.moved_to(moved))

    def find_moved_release(self) -> NewsRelease | None:
        """The public release that answered at this address before its slug or date changed."""
        year, slug = self.kwargs["year"], self.kwargs["slug"]
        return (
            NewsRelease.objects.public()
            .formerly_at(year=year, slug=slug, language=translation.get_language())
            .first()
        )

    def moved_to(self, release: NewsRelease) -> str:
        return release.get_absolute_url()


class ReleaseDetailView(PublicReleaseMixin, DetailView):
    pass


class ReleasePrintView(PrintViewMixin, PublicReleaseMixin, DetailView):
    shows = ("initiatives", "media_contacts")

    def moved_to(self, release: NewsRelease) -> str:
        return release.get_print_url()


@method_decorator(private_cache, name="dispatch")
class ReleasePreviewView(PermissionRequiredMixin, ReleasePageMixin, DetailView):
    """Staff see a draft or scheduled release exactly as the public will.

    The only view that looks past public(), beside the public release page
    (same template, its own queryset); its responses are private, never
    stored by any cache, and kept out of search engines.
    """

    permission_required = "newsroom.view_newsrelease"
    sendable = False
    link_preview = False

    def has_permission(self) -> bool:
        return self.request.user.is_staff and super().has_permission()

    def get_queryset(self):
        return NewsRelease.objects.prefetch_related("initiatives", "media_contacts")

    def get_object(self, queryset=None):
        release = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        # A draft may have no date or no address in a language yet: show it
        # as it would look if it went out now, without saving anything.
        if release.published_at is None:
            release.published_at = timezone.now()
        for code in Language.values:
            if not getattr(release, f"slug_{code}"):
                setattr(release, f"slug_{code}", f"preview-{release.pk}")
        return release

    def canonical_path(self, language: str) -> str:
        with translation.override(language):
            return reverse("newsroom:preview", kwargs={"pk": self.object.pk})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = NewsRelease.objects.get(pk=self.object.pk)
        context["preview"] = True
        context["missing_translations"] = list(
            services.missing_translations(services.release_values(stored)).values()
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
