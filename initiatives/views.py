from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.edge import LISTING
from core.views import PrintViewMixin, PublicPageMixin

from .models import Initiative


class InitiativeListView(PublicPageMixin, ListView):
    template_name = "initiatives/initiative_list.html"
    context_object_name = "initiatives"
    page_title = _("Initiatives")
    meta_description = _(
        "The initiatives the department leads or takes part in, with their partners and news releases."
    )

    def get_queryset(self):
        return Initiative.objects.public()

    def get_last_updated(self):
        return max((initiative.last_updated for initiative in self.object_list), default=None)

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (_("Initiatives"), None)]


class InitiativeMixin(PublicPageMixin):
    context_object_name = "initiative"
    slug_field = "slug"
    body_template = "initiatives/initiative_body.html"

    def get_queryset(self):
        return Initiative.objects.public().prefetch_related("partners")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The releases are the newsroom's: it alone says which the public may see.
        context["releases"] = self.object.releases.public().for_listing()
        return context

    def get_last_updated(self):
        return self.object.last_updated

    def get_surrogate_keys(self):
        # It lists the initiative's releases.
        return [*super().get_surrogate_keys(), LISTING]

    def get_breadcrumbs(self):
        return [
            (_("Home"), reverse("home")),
            (_("Initiatives"), reverse("initiatives:list")),
            (self.object.name, None),
        ]


class InitiativeDetailView(InitiativeMixin, DetailView):
    template_name = "initiatives/initiative_detail.html"

    def get_feed_subject(self):
        return self.object


class InitiativePrintView(PrintViewMixin, InitiativeMixin, DetailView):
    pass
