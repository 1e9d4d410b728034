"""The site's icon: at the addresses browsers and phones ask for, linked from every page's head, cacheable."""

import struct

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from tests.staff import login

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    return struct.unpack(">II", data[16:24])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_favicon_ico_is_a_real_icon_kept_by_caches(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response.has_header("ETag") or response.has_header("Last-Modified")
    icon = body(response)
    reserved, kind, count = struct.unpack("<HHH", icon[:6])
    assert (reserved, kind) == (0, 1) and count >= 2
    sizes = {icon[6 + 16 * n] for n in range(count)}
    assert {16, 32} <= sizes


@pytest.mark.parametrize("path", ["/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"])
def test_phones_find_their_icon_at_the_root(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert png_size(body(response)) == (180, 180)
    assert "max-age=86400" in response["Cache-Control"]


def icon_links(response) -> dict[str, str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        f"{' '.join(link['rel'])} {link.get('type', '')}".strip(): link["href"]
        for link in soup.select("head link[rel~=icon], head link[rel=apple-touch-icon]")
    }


def assert_icons_linked(client, response):
    links = icon_links(response)
    assert set(links) == {"icon", "icon image/svg+xml", "icon image/png", "apple-touch-icon"}, links
    for href in links.values():
        assert href.startswith(settings.STATIC_URL)
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize(
    "path",
    ["/", "/en/", "/fr/salle-de-presse/", "/en/newsroom/2005/cross-border-crime/print/", "/en/no-such-page/"],
)
def test_public_pages_link_the_icons(client, reference, path):
    assert_icons_linked(client, client.get(path))


def test_admin_pages_link_the_icons(client):
    assert_icons_linked(client, client.get(f"/{settings.ADMIN_URL}login/"))
    login(client, None, "staffer")
    assert_icons_linked(client, client.get(f"/{settings.ADMIN_URL}"))


def test_the_svg_icon_is_self_contained():
    svg = (settings.BASE_DIR / "static/icons/favicon.svg").read_text()
    assert svg.startswith("<svg") and "<script" not in svg and "href" not in svg
