from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.SubscribeView.as_view(), name="subscribe"),
    path(_("confirm/<str:token>/"), views.ConfirmView.as_view(), name="confirm"),
    path(_("manage/<str:token>/"), views.ManageView.as_view(), name="manage"),
    path(_("unsubscribe/<str:token>/"), views.OneClickUnsubscribeView.as_view(), name="unsubscribe"),
]
