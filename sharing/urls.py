from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("", views.SendPageView.as_view(), name="send"),
]
