from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.InitiativeListView.as_view(), name="list"),
    path("<slug:slug>/", views.InitiativeDetailView.as_view(), name="detail"),
    path(_("<slug:slug>/print/"), views.InitiativePrintView.as_view(), name="print"),
]
