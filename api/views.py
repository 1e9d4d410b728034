"""The read-only JSON API: releases, initiatives, media contacts.

Releases start from `NewsRelease.objects.public()`. Every answer can be
cached (Cache-Control, Last-Modified, ETag, 304 on a conditional GET) and read
from any origin (CORS, read-only methods).
"""

from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext_lazy as _
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from core.cache_headers import set_last_modified
from initiatives.models import Initiative
from newsroom.models import MediaContact, NewsRelease

from .http import CorsReadOnly
from .serializers import (
    InitiativeSerializer,
    LanguageSerializer,
    MediaContactSerializer,
    ReleaseFiltersSerializer,
    ReleaseSerializer,
)

MAX_ID = 2**63 - 1

ERROR = inline_serializer(
    "Error",
    fields={
        "error": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)
ERRORS = {
    400: OpenApiResponse(ERROR, description=_("A parameter is not valid.")),
    404: OpenApiResponse(ERROR, description=_("No such record or page.")),
}

cors = decorator_from_middleware(CorsReadOnly)


class PublicReadMixin:
    """Read-only, anonymous, cacheable and open to any origin."""

    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        return cors(super().as_view(**initkwargs))

    def last_modified(self):
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            set_last_modified(response, self.last_modified())
        return response

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": self.filters.get("language")}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.filters = self.read_filters(request)

    def read_filters(self, request) -> dict:
        # A plain dict, so that "language=" is refused rather than taken as absent.
        serializer = self.filter_serializer_class(data=request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    filter_serializer_class = LanguageSerializer

    def get_object(self):
        # Ids beyond what the database can hold exist nowhere.
        if not 1 <= self.kwargs["pk"] <= MAX_ID:
            raise NotFound()
        if not hasattr(self, "_object"):
            self._object = super().get_object()
        return self._object


def public_releases():
    return (
        NewsRelease.objects.public()
        .annotate(updated_at=Greatest(F("modified_at"), F("published_at")))
        .prefetch_related("initiatives", "media_contacts")
    )


@extend_schema(
    tags=["releases"], parameters=[ReleaseFiltersSerializer], responses={200: ReleaseSerializer, **ERRORS}
)
class ReleaseList(PublicReadMixin, generics.ListAPIView):
    """Public releases, newest first."""

    serializer_class = ReleaseSerializer
    filter_serializer_class = ReleaseFiltersSerializer

    def get_queryset(self):
        filters = self.filters
        releases = public_releases().filtered(
            release_type=filters.get("type"), initiative=filters.get("initiative"), year=filters.get("year")
        )
        if "language" in filters:
            releases = releases.exclude(**{f"title_{filters['language']}": ""})
        if "updated_since" in filters:
            releases = releases.filter(updated_at__gte=filters["updated_since"])
        return releases

    def last_modified(self):
        return self.get_queryset().aggregate(newest=Max("updated_at"))["newest"]


@extend_schema(
    tags=["releases"], parameters=[LanguageSerializer], responses={200: ReleaseSerializer, **ERRORS}
)
class ReleaseDetail(PublicReadMixin, generics.RetrieveAPIView):
    """One public release."""

    serializer_class = ReleaseSerializer

    def get_queryset(self):
        return public_releases()

    def last_modified(self):
        return self.get_object().updated_at


@extend_schema(
    tags=["initiatives"], parameters=[LanguageSerializer], responses={200: InitiativeSerializer, **ERRORS}
)
class InitiativeList(PublicReadMixin, generics.ListAPIView):
    """Initiatives, by name."""

    serializer_class = InitiativeSerializer
    queryset = Initiative.objects.order_by("name", "pk")

    def last_modified(self):
        return Initiative.objects.aggregate(newest=Max("last_updated"))["newest"]


@extend_schema(
    tags=["initiatives"], parameters=[LanguageSerializer], responses={200: InitiativeSerializer, **ERRORS}
)
class InitiativeDetail(PublicReadMixin, generics.RetrieveAPIView):
    """One initiative."""

    serializer_class = InitiativeSerializer
    queryset = Initiative.objects.all()

    def last_modified(self):
        return self.get_object().last_updated


@extend_schema(
    tags=["media contacts"],
    parameters=[LanguageSerializer],
    responses={200: MediaContactSerializer, **ERRORS},
)
class MediaContactList(PublicReadMixin, generics.ListAPIView):
    """Media contacts, the "For more information" blocks of releases."""

    serializer_class = MediaContactSerializer
    queryset = MediaContact.objects.order_by("organisation", "name", "pk")

    def last_modified(self):
        # Contacts carry no date of their own; their history records each change.
        return MediaContact.history.aggregate(newest=Max("history_date"))["newest"]


@extend_schema(
    tags=["media contacts"],
    parameters=[LanguageSerializer],
    responses={200: MediaContactSerializer, **ERRORS},
)
class MediaContactDetail(PublicReadMixin, generics.RetrieveAPIView):
    """One media contact."""

    serializer_class = MediaContactSerializer
    queryset = MediaContact.objects.all()

    def last_modified(self):
        latest = self.get_object().history.order_by("-history_date").first()
        return latest.history_date if latest else None


class SchemaView(PublicReadMixin, SpectacularAPIView):
    """The OpenAPI 3 description of this API, in JSON unless YAML is asked for."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]

    def get_serializer_context(self):
        return {}

    def read_filters(self, request) -> dict:
        return {}


class NotFoundView(PublicReadMixin, APIView):
    """Any other address under /api/: a JSON 404, like the rest of the API."""

    schema = None

    def get(self, request, *args, **kwargs):
        raise NotFound()

    def read_filters(self, request) -> dict:
        return {}
