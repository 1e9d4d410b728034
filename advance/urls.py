from django.urls import path

from . import views

app_name = "advance"

urlpatterns = [
    path("<str:token>/", views.AdvanceCopyView.as_view(), name="copy"),
]
