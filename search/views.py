from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.views import PublicPageMixin
from newsroom.models import NewsRelease

from .engine import ReleaseSearch
from .forms import SearchForm


class SearchView(PublicPageMixin, ListView):
    """Public releases matching the words asked for, best first, in the page's language."""

    template_name = "search/results.html"
    context_object_name = "results"
    paginate_by = 10
    sendable = False

    def get_queryset(self):
        self.form = SearchForm(data=self.request.GET)
        self.search = None
        if not self.form.is_valid() or not self.form.cleaned_data["q"]:
            return NewsRelease.objects.none()
        filters = self.form.cleaned_data
        releases = NewsRelease.objects.public().filtered(
            release_type=filters["type"] or None, initiative=filters["initiative"], year=filters["year"]
        )
        self.search = ReleaseSearch(query=filters["q"], language=translation.get_language())
        return self.search.results(releases)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            form=self.form,
            query=self.form.cleaned_data.get("q", "") if self.form.is_valid() else "",
            hits=self.search.hits(page.object_list if page else context["results"]) if self.search else [],
            total=page.paginator.count if page else len(context["results"]),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.form.has_bad_filter:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)

    def get_breadcrumbs(self):
        return [(_("Home"), reverse("home")), (_("Search"), None)]
