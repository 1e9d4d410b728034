from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


def strict_positive_int(request, name: str, *, maximum: int) -> int | None:
    """A query parameter that must be a whole number from 1 to maximum, or absent."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # Length first: Python refuses to read a number of thousands of digits.
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(maximum)) or not 1 <= int(raw) <= maximum:
        raise ValidationError(
            {name: [_("Enter a whole number from 1 to %(maximum)d.") % {"maximum": maximum}]}
        )
    return int(raw)


class PagePagination(PageNumberPagination):
    """Numbered pages: a malformed number is a 400, a page past the last one a 404."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    max_page = 10**9

    def get_page_size(self, request):
        return strict_positive_int(request, self.page_size_query_param, maximum=self.max_page_size) or (
            self.page_size
        )

    def get_page_number(self, request, paginator):
        return strict_positive_int(request, self.page_query_param, maximum=self.max_page) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": self.max_page},
            self.page_size_query_param: {
                "minimum": 1,
                "maximum": self.max_page_size,
                "default": self.page_size,
            },
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
