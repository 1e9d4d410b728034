from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "pages"

urlpatterns = [
    path("<slug:slug>/", views.StandardPageView.as_view(), name="page"),
    path(_("<slug:slug>/print/"), views.StandardPagePrintView.as_view(), name="print"),
]
