from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import feeds, views

app_name = "newsroom"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="list"),
    path(_("preview/<int:pk>/"), views.ReleasePreviewView.as_view(), name="preview"),
    path("<int:year>/", views.YearArchiveView.as_view(), name="year"),
    path("<int:year>/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release"),
    path(_("<int:year>/<slug:slug>/print/"), views.ReleasePrintView.as_view(), name="release_print"),
    path(_("feed/"), feeds.ReleaseFeed(), name="feed"),
    path(_("feed/type/<slug:release_type>/"), feeds.ReleaseTypeFeed(), name="type_feed"),
    path(_("feed/initiative/<slug:slug>/"), feeds.InitiativeFeed(), name="initiative_feed"),
]
