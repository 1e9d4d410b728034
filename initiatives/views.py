from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.views import PrintViewMixin, PublicPageMixin
from newsroom.models import NewsRelease

from .models import Initiative


class InitiativeListView(PublicPageMixin, ListView):
    template_name = "initiatives/initiative_list.html"
    context_object_name = "initiatives"

    def get_queryset(self):
        return Initiative.objects.all()

    def get_last_updated(self):
        return max((initiative.last_updated for initiative in self.object_list), default=None)

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (_("Initiatives"), None)]


class InitiativeMixin(PublicPageMixin):
    context_object_name = "initiative"
    slug_field = "slug"

    def get_queryset(self):
        return Initiative.objects.prefetch_related("partners")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["releases"] = NewsRelease.objects.public().for_listing().filter(initiatives=self.object)
        return context

    def get_last_updated(self):
        return self.object.last_updated

    def get_breadcrumbs(self):
        return [
            (_("Home"), reverse("home")),
            (_("Initiatives"), reverse("initiatives:list")),
            (self.object.name, None),
        ]


class InitiativeDetailView(InitiativeMixin, DetailView):
    template_name = "initiatives/initiative_detail.html"


class InitiativePrintView(PrintViewMixin, InitiativeMixin, DetailView):
    print_template_name = "initiatives/initiative_print.html"

    def translated_url_for(self, obj):
        return reverse("initiatives:print", kwargs={"slug": obj.slug})
