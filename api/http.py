"""HTTP behaviour shared by every API view, applied as a view decorator (not site-wide middleware).

ETags, Last-Modified and 304 answers come from `core.pagecache`, as for every
public response.
"""

from django.utils.deprecation import MiddlewareMixin

READ_METHODS = "GET, HEAD, OPTIONS"


class CorsReadOnly(MiddlewareMixin):
    """Any origin may read the API from a browser; nothing may be written."""

    def process_response(self, request, response):
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = READ_METHODS
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        response["Access-Control-Max-Age"] = "86400"
        return response
