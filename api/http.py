"""HTTP behaviour shared by every API view, applied as view decorators (not site-wide middleware)."""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.deprecation import MiddlewareMixin

READ_METHODS = "GET, HEAD, OPTIONS"


class ConditionalGet(ConditionalGetMiddleware):
    """ETag from the body, and 304 Not Modified for If-None-Match or If-Modified-Since."""


class CorsReadOnly(MiddlewareMixin):
    """Any origin may read the API from a browser; nothing may be written."""

    def process_response(self, request, response):
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = READ_METHODS
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        response["Access-Control-Max-Age"] = "86400"
        return response
