from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.views import PrintViewMixin, PublicPageMixin
from initiatives.models import Initiative

from .archive import all_initiatives, public_years
from .models import NewsRelease


class ReleaseListView(PublicPageMixin, ListView):
    """The newsroom: public releases, newest first, 20 a page, with filters."""

    template_name = "newsroom/release_list.html"
    context_object_name = "releases"
    paginate_by = 20

    def get_filters(self) -> dict:
        filters = {}
        release_type = self.request.GET.get("type", "")
        if release_type:
            if release_type not in NewsRelease.ReleaseType.values:
                raise Http404("unknown release type")
            filters["release_type"] = release_type
        initiative_slug = self.request.GET.get("initiative", "")
        if initiative_slug:
            initiative = Initiative.objects.filter(slug=initiative_slug[:120]).first()
            if initiative is None:
                raise Http404("unknown initiative")
            filters["initiative"] = initiative
        return filters

    def get_queryset(self):
        self.filters = self.get_filters()
        releases = NewsRelease.objects.public().for_listing()
        if "release_type" in self.filters:
            releases = releases.filter(release_type=self.filters["release_type"])
        if "initiative" in self.filters:
            releases = releases.filter(initiatives=self.filters["initiative"])
        return releases

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filters=self.filters,
            release_types=NewsRelease.ReleaseType.choices,
            initiatives=all_initiatives(),
            years=public_years(),
        )
        return context

    def get_last_updated(self):
        return self.object_list.aggregate(newest=Max("last_updated"))["newest"]

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (_("Newsroom"), None)]


class YearArchiveView(ReleaseListView):
    template_name = "newsroom/release_year.html"

    def get_queryset(self):
        self.year = self.kwargs["year"]
        releases = super().get_queryset().in_year(self.year)
        if not releases.exists():
            raise Http404("no releases that year")
        return releases

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        return context

    def get_breadcrumbs(self):
        return [
            (_("Home"), reverse("home")),
            (_("Newsroom"), reverse("newsroom:list")),
            (str(self.year), None),
        ]


class ReleaseMixin(PublicPageMixin):
    """Finds one public release by year and slug in the page's language."""

    context_object_name = "release"

    def get_queryset(self):
        return NewsRelease.objects.public().prefetch_related("initiatives", "media_contacts")

    def get_object(self, queryset=None):
        releases = self.get_queryset().in_year(self.kwargs["year"])
        return get_object_or_404(releases, slug=self.kwargs["slug"])

    def get_last_updated(self):
        return self.object.last_updated or self.object.local_published_at.date()

    def get_breadcrumbs(self):
        release = self.object
        year = release.local_published_at.year
        return [
            (_("Home"), reverse("home")),
            (_("Newsroom"), reverse("newsroom:list")),
            (str(year), reverse("newsroom:year", kwargs={"year": year})),
            (release.get_release_type_display(), None),
            (f"{release.local_published_at:%Y-%m-%d}: {release.title}", None),
        ]


class ReleaseDetailView(ReleaseMixin, DetailView):
    template_name = "newsroom/release_detail.html"


class ReleasePrintView(PrintViewMixin, ReleaseMixin, DetailView):
    print_template_name = "newsroom/release_print.html"

    def translated_url_for(self, obj):
        return obj.get_print_url()
