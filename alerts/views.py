"""The subscriber's pages: subscribe, confirm, manage or cancel, and the one-click unsubscribe."""

import logging
import smtplib
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from core.cache_headers import private_cache
from core.limits import Limit, LimitReached, LimitsUnavailable, client_ip, counted
from core.views import PublicPageMixin
from initiatives.models import Initiative
from newsroom.models import ReleaseType

from . import links, services
from .forms import SubscribeForm
from .models import Subscription

logger = logging.getLogger(__name__)


def per_ip() -> Limit:
    return Limit("alerts", "ip", getattr(settings, "ALERTS_REQUESTS_PER_IP_PER_HOUR", 10), 60 * 60)


def per_address() -> Limit:
    return Limit(
        "alerts", "address", getattr(settings, "ALERTS_REQUESTS_PER_ADDRESS_PER_DAY", 3), 24 * 60 * 60
    )


def subscribe_url_for(view) -> str:
    """The subscribe form, with the topic of the page's own feed chosen (an initiative, a type)."""
    url = reverse("alerts:subscribe")
    subject = view.get_feed_subject() if view is not None and hasattr(view, "get_feed_subject") else None
    if isinstance(subject, Initiative):
        return f"{url}?{urlencode({'topic': f'initiative:{subject.slug}'})}"
    if isinstance(subject, ReleaseType):
        return f"{url}?{urlencode({'topic': f'type:{subject.value}'})}"
    return url


class AlertsPageMixin(PublicPageMixin):
    sendable = False

    def get_breadcrumbs(self):
        crumbs = [(_("Home"), reverse("home"))]
        if self.page_title == SubscribeView.page_title:
            return [*crumbs, (self.page_title, None)]
        return [*crumbs, (SubscribeView.page_title, reverse("alerts:subscribe")), (self.page_title, None)]


@method_decorator(private_cache, name="dispatch")
class SubscribeView(AlertsPageMixin, FormView):
    """The subscribe form and its privacy notice."""

    template_name = "alerts/subscribe.html"
    form_class = SubscribeForm
    page_title = _("E-mail alerts")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["digest_hour"] = settings.ALERTS_DIGEST_HOUR
        return kwargs

    def get_initial(self):
        initial = {"language": translation.get_language(), "frequency": Subscription.Frequency.IMMEDIATE}
        topic = self.request.GET.get("topic", "")
        if isinstance(topic, str) and len(topic) < 200:
            initial["topic"] = topic
        return initial

    def get_alternate_query(self, language: str) -> str:
        # The chosen initiative is named by its slug in each language.
        topic = self.request.GET.get("topic", "")
        if topic.startswith("initiative:"):
            initiative = Initiative.objects.filter(slug=topic.partition(":")[2][:120]).first()
            if initiative is not None:
                return urlencode({"topic": f"initiative:{getattr(initiative, f'slug_{language}')}"})
            return ""
        return urlencode({"topic": topic}) if topic else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            digest_hour=settings.ALERTS_DIGEST_HOUR,
            confirmation_hours=links.CONFIRMATION_HOURS,
            pending_hours=services.PENDING_HOURS,
        )
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refuse(self, form, status: int, title, message):
        context = self.get_context_data(form=form, error_title=title, error_message=message)
        return self.render_to_response(context, status=status)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with counted(
                [
                    (per_ip(), client_ip(self.request)),
                    (per_address(), services.normalise_address(data["email"])),
                ]
            ):
                services.request_subscription(
                    email=data["email"],
                    language=data["language"],
                    frequency=data["frequency"],
                    **data["topic"],
                )
        except LimitReached:
            return self.refuse(
                form,
                429,
                _("Too many requests"),
                _(
                    "Too many subscriptions have been asked for from your connection or for this address. Nothing was sent. Please try again later."
                ),
            )
        except LimitsUnavailable:
            logger.error("alerts: the cache does not answer, so no confirmation is sent")
            return self.refuse(
                form,
                503,
                _("Subscribing is not available"),
                _("Subscriptions cannot be taken at the moment. Nothing was sent. Please try again later."),
            )
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("alerts: the confirmation could not be sent (%s)", type(exc).__name__)
            return self.refuse(
                form,
                503,
                _("The message could not be sent"),
                _("The mail server did not accept the message, so nothing was sent. Please try again later."),
            )
        # The same answer whether or not the address was already subscribed.
        context = self.get_context_data(form=None, check_email=True)
        return render(self.request, "alerts/check_email.html", context)


class TokenPageMixin(AlertsPageMixin):
    """A page reached by a signed link: the link is its only key; a bad one is a plain 404."""

    token_salt = "manage"

    def get_subscription(self) -> Subscription:
        token = self.kwargs["token"]
        key = (
            links.key_from_confirm_token(token)
            if self.token_salt == "confirm"
            else links.key_from_manage_token(token)
        )
        subscription = (
            Subscription.objects.select_related("initiative").filter(key=key).first() if key else None
        )
        if subscription is None:
            raise Http404("no such subscription")
        return subscription

    def get_alternate_urls(self) -> dict[str, str]:
        return {
            code: _path_in(code, self.request.resolver_match.view_name, self.kwargs)
            for code, _name in settings.LANGUAGES
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _path_in(language: str, view_name: str, kwargs: dict) -> str:
    with translation.override(language):
        return reverse(view_name, kwargs=kwargs)


@method_decorator(private_cache, name="dispatch")
class ConfirmView(TokenPageMixin, TemplateView):
    """The link in the confirmation e-mail: a button to confirm, so that a link checker confirms nothing."""

    template_name = "alerts/confirm.html"
    page_title = _("Confirm your subscription")
    token_salt = "confirm"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subscription"] = self.subscription
        return context

    def get(self, request, *args, **kwargs):
        self.subscription = self.get_subscription()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.subscription = services.confirm_subscription(subscription=self.get_subscription())
        context = self.get_context_data(confirmed=True, manage_path=links.manage_path(self.subscription))
        return self.render_to_response(context)


@method_decorator(private_cache, name="dispatch")
class ManageView(TokenPageMixin, TemplateView):
    """What this address follows, and the buttons to cancel one subscription or all of them."""

    template_name = "alerts/manage.html"
    page_title = _("Your e-mail alerts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            subscription=self.subscription,
            others=Subscription.objects.filter(email=self.subscription.email)
            .exclude(pk=self.subscription.pk)
            .select_related("initiative"),
        )
        return context

    def get(self, request, *args, **kwargs):
        self.subscription = self.get_subscription()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.subscription = self.get_subscription()
        if request.POST.get("cancel") == "all":
            services.cancel_all(email=self.subscription.email)
        else:
            services.cancel_subscription(subscription=self.subscription)
        self.page_title = _("Subscription cancelled")
        remaining = Subscription.objects.filter(email=self.subscription.email).count()
        return render(request, "alerts/cancelled.html", super().get_context_data(remaining=remaining))


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(private_cache, name="dispatch")
class OneClickUnsubscribeView(TokenPageMixin, TemplateView):
    """RFC 8058: a mail program POSTs "List-Unsubscribe=One-Click" here, with no cookie and no token.

    The signed address is the proof. A GET (a person following the link)
    leads to the manage page, where cancelling takes a click.
    """

    template_name = "alerts/cancelled.html"
    page_title = _("Subscription cancelled")
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        subscription = self.get_subscription()
        return redirect(links.manage_path(subscription))

    def post(self, request, *args, **kwargs):
        subscription = self.get_subscription()
        if request.POST.get("List-Unsubscribe") != "One-Click":
            return HttpResponse(
                _("Send List-Unsubscribe=One-Click to cancel this subscription."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        services.cancel_subscription(subscription=subscription)
        remaining = Subscription.objects.filter(email=subscription.email).count()
        return self.render_to_response(self.get_context_data(remaining=remaining))
