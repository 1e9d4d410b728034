from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("releases/", views.ReleaseList.as_view(), name="release_list"),
    path("releases/<int:pk>/", views.ReleaseDetail.as_view(), name="release_detail"),
    path("initiatives/", views.InitiativeList.as_view(), name="initiative_list"),
    path("initiatives/<int:pk>/", views.InitiativeDetail.as_view(), name="initiative_detail"),
    path("media-contacts/", views.MediaContactList.as_view(), name="media_contact_list"),
    path("media-contacts/<int:pk>/", views.MediaContactDetail.as_view(), name="media_contact_detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not_found"),
]
