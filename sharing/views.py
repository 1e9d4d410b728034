import logging
import smtplib
from urllib.parse import quote

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.cache_headers import private_cache
from core.views import PublicPageMixin, page_context

from .forms import SendPageForm
from .limits import LimitReached, LimitsUnavailable, client_ip, counted
from .public_pages import SharedPage, resolve_public_page
from .services import send_page

logger = logging.getLogger(__name__)


def send_url_for(path: str) -> str:
    """The address of the form that sends the page at `path`, in the active language."""
    return f"{reverse('sharing:send')}?page={quote(path, safe='/')}"


def mailto_url_for(page: SharedPage) -> str:
    """A mailto: link prefilled with the page's title and address, for the reader's own e-mail program."""
    body = f"{page.title}\r\n{page.url}"
    return f"mailto:?subject={quote(page.title, safe='')}&body={quote(body, safe='')}"


@method_decorator(private_cache, name="dispatch")
class SendPageView(PublicPageMixin, FormView):
    """The "Send this page" form: the only public page with a cookie (CSRF), never cached."""

    template_name = "sharing/send_page.html"
    form_class = SendPageForm
    sendable = False

    def dispatch(self, request, *args, **kwargs):
        self.page = resolve_public_page(request.GET.get("page", ""), language=translation.get_language())
        if self.page is None:
            return self.refuse(
                400,
                _("This page cannot be sent"),
                _(
                    "Only the public pages of this site can be sent. Use the “Send this page” link on the page you want to send."
                ),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        crumbs = [(_("Home"), reverse("home"))]
        if getattr(self, "page", None) is not None:
            crumbs.append((self.page.title, self.page.path))
        return [*crumbs, (_("Send this page"), None)]

    def get_alternate_urls(self) -> dict[str, str]:
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls[code] = (
                    send_url_for(self.page.alternates[code]) if self.page else reverse("sharing:send")
                )
        return urls

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.page,
            form_action=send_url_for(self.page.path),
            mailto_url=mailto_url_for(self.page),
        )
        return context

    def refuse(self, status: int, title, message, form=None):
        """Say why nothing was sent, in the reader's language, with the HTTP status that fits."""
        if form is not None:
            context = self.get_context_data(form=form, error_title=title, error_message=message)
            return self.render_to_response(context, status=status)
        context = {
            "error_title": title,
            "error_message": message,
            "page": self.page,
            "breadcrumbs": self.get_breadcrumbs(),
            **page_context(self.request, self.get_alternate_urls()),
        }
        return render(self.request, "sharing/refused.html", context, status=status)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with counted(sender_ip=client_ip(self.request), recipient=data["recipient"]):
                send_page(
                    page=self.page,
                    sender_name=data["sender_name"],
                    sender_email=data["sender_email"],
                    recipient=data["recipient"],
                    language=self.page.language,
                )
        except LimitReached:
            return self.refuse(
                429,
                _("Too many pages sent"),
                _(
                    "Too many pages have been sent from your connection or to this address. Nothing was sent. Please try again later."
                ),
            )
        except LimitsUnavailable:
            logger.error("send this page: the cache does not answer, so nothing is sent")
            return self.refuse(
                503,
                _("Sending is not available"),
                _("Pages cannot be sent at the moment. Nothing was sent. Please try again later."),
            )
        except (smtplib.SMTPException, OSError) as exc:
            # The exception may hold the addresses; log only its kind.
            logger.warning("send this page: the message could not be sent (%s)", type(exc).__name__)
            return self.refuse(
                503,
                _("The message could not be sent"),
                _("The mail server did not accept the message, so nothing was sent. Please try again later."),
                form=form,
            )
        return render(self.request, "sharing/sent.html", self.get_context_data(form=None), status=200)
