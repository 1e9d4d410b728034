from django.views.generic import DetailView

from core.views import PrintViewMixin, PublicPageMixin

from .models import StandardPage


class StandardPageMixin(PublicPageMixin):
    model = StandardPage
    context_object_name = "page"
    body_template = "pages/standard_page_body.html"

    def get_last_updated(self):
        return self.object.last_updated

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (self.object.title, None)]


class StandardPageView(StandardPageMixin, DetailView):
    template_name = "pages/standard_page.html"


class StandardPagePrintView(PrintViewMixin, StandardPageMixin, DetailView):
    pass
