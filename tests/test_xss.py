"""Markup typed into the admin never reaches a reader as code."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape

from newsroom.models import NewsRelease

ADD_URL = f"/{settings.ADMIN_URL}newsroom/newsrelease/add/"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{background:red}</style>",
    '<p onclick="alert(1)" onmouseover="alert(1)">text</p>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<details open ontoggle="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<table background="javascript:alert(1)"><tr><td>cell</td></tr></table>',
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="https://example.com/" target="_blank">outside</a>',
]


class CodeFinder(HTMLParser):
    """Collects everything in a page that a browser would run or restyle."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "iframe", "object", "embed", "base", "meta"} and not self._allowed(
            tag, attrs
        ):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name == "style":
                self.found.append(f"{tag} style=")
            if name in {"href", "src", "action", "data", "background", "formaction"} and value.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                self.found.append(f"{tag} {name}={value[:20]}")

    @staticmethod
    def _allowed(tag, attrs):
        attributes = dict(attrs)
        # The site's own head: its metadata, and scripts served from its static files.
        if tag == "meta":
            return "http-equiv" not in attributes
        if tag == "script":
            # A JSON-LD block is data: the browser never runs it (the release's NewsArticle).
            if attributes.get("type") == "application/ld+json" and "src" not in attributes:
                return True
            return (attributes.get("src") or "").startswith(settings.STATIC_URL)
        return False


def code_in(html: str) -> list[str]:
    finder = CodeFinder()
    finder.feed(html)
    return finder.found


def release_form(body: str, title: str = "Payload test") -> dict:
    published = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    return {
        "release_type": "news_release",
        "title_en": title,
        "title_fr": f"{title} (fr)",
        "slug_en": "payload-test",
        "slug_fr": "essai-charge",
        "dateline_en": "OTTAWA",
        "dateline_fr": "OTTAWA",
        "summary_en": "Summary.",
        "summary_fr": "Résumé.",
        "body_en": body,
        "body_fr": body,
        "status": "published",
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
        "last_updated": published.strftime("%Y-%m-%d"),
        "_save": "Save",
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_saved_through_the_admin_never_reaches_the_page_as_code(staff_client, payload):
    response = staff_client.post(ADD_URL, release_form(f"<p>Before</p>{payload}<p>After</p>"))
    assert response.status_code == 302, response.content.decode()[:2000]
    release = NewsRelease.objects.get(slug_en="payload-test")
    for body in (release.body_en, release.body_fr):
        assert code_in(body) == []
        lowered = body.lower()
        assert "<script" not in lowered and "javascript:" not in lowered
        assert "<style" not in lowered and not re.search(r"style\s*=", lowered)
    for language in ("en", "fr"):
        with translation.override(language):
            page = staff_client.get(release.get_absolute_url())
        assert page.status_code == 200
        assert code_in(page.content.decode()) == []


def test_payload_in_a_title_is_shown_as_text(staff_client):
    title = 'Launch <img src=x onerror="alert(1)">'
    response = staff_client.post(ADD_URL, release_form("<p>Body</p>", title=title))
    assert response.status_code == 302
    release = NewsRelease.objects.get(slug_en="payload-test")
    page = staff_client.get(release.get_absolute_url()).content.decode()
    assert code_in(page) == []
    assert escape(title) in page


def test_external_links_do_not_hand_over_the_opener_or_referrer(staff_client):
    body = '<p>See <a href="https://www.canada.ca/en.html" target="_blank">Canada.ca</a>.</p>'
    staff_client.post(ADD_URL, release_form(body))
    release = NewsRelease.objects.get(slug_en="payload-test")
    assert 'rel="noopener noreferrer"' in release.body_en
    assert "target" not in release.body_en
    page = staff_client.get(release.get_absolute_url()).content.decode()
    assert '<a href="https://www.canada.ca/en.html" rel="noopener noreferrer">Canada.ca</a>' in page


def test_allowed_structure_survives_sanitising(staff_client):
    body = (
        "<h2>Heading</h2><p><strong>Bold</strong> and <em>emphasis</em></p>"
        '<ul><li>One</li></ul><table><tr><th scope="col">A</th></tr><tr><td>1</td></tr></table>'
    )
    staff_client.post(ADD_URL, release_form(body))
    stored = NewsRelease.objects.get(slug_en="payload-test").body_en
    for fragment in (
        "<h2>Heading</h2>",
        "<strong>Bold</strong>",
        "<em>emphasis</em>",
        "<li>One</li>",
        '<th scope="col">A</th>',
    ):
        assert fragment in stored
