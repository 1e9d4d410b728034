from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from core.converters import YearConverter

from . import feeds, views

register_converter(YearConverter, "year")

app_name = "newsroom"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="list"),
    path(_("preview/<int:pk>/"), views.ReleasePreviewView.as_view(), name="preview"),
    path("<year:year>/", views.YearArchiveView.as_view(), name="year"),
    path("<year:year>/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release"),
    path(_("<year:year>/<slug:slug>/print/"), views.ReleasePrintView.as_view(), name="release_print"),
    path(_("feed/"), feeds.ReleaseFeed(), name="feed"),
    path(_("feed/type/<slug:release_type>/"), feeds.ReleaseTypeFeed(), name="type_feed"),
    path(_("feed/initiative/<slug:slug>/"), feeds.InitiativeFeed(), name="initiative_feed"),
]
