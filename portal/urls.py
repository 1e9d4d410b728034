from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(_("a-z/"), views.AtoZView.as_view(), name="a_to_z"),
    path(_("site-map/"), views.SiteMapView.as_view(), name="site_map"),
]
