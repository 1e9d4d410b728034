"""The personal advance copy: the release as it will appear, under embargo, named for its recipient."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.cache_headers import private_cache
from newsroom.views import ReleasePageMixin

from . import emails, links, services


@method_decorator(private_cache, name="dispatch")
class AdvanceCopyView(ReleasePageMixin, DetailView):
    """Beside the staff preview, the only page that shows a release before its minute.

    Reached only by a recipient's signed link: private, never stored by any
    cache, kept out of search engines, with no link to pages of the release
    that do not exist yet. Each opening is logged. At the minute it leads to
    the public page; revoked, withdrawn or long past, it is a plain 404.
    """

    template_name = "advance/copy.html"
    sendable = False
    link_preview = False

    def get_object(self, queryset=None):
        self.recipient = services.copy_for(links.key_from_token(self.kwargs["token"]))
        if self.recipient is None:
            raise Http404("no such advance copy")
        return self.recipient.release

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_public:
            return HttpResponseRedirect(self.object.get_absolute_url())
        services.record_opening(recipient=self.recipient, language=translation.get_language())
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def canonical_path(self, language: str) -> str:
        return links.copy_path(self.recipient, language)

    def get_print_url(self) -> str:
        return ""

    def get_feed_subject(self):
        return None

    def get_breadcrumbs(self):
        return [(_("Home"), reverse("home")), (_("Advance copy"), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = translation.get_language()
        context.update(
            recipient=self.recipient,
            banners=emails.both_banners(self.object.published_at, language),
            languages=dict(settings.LANGUAGES),
        )
        return context
