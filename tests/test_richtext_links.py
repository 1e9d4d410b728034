"""Links in rich text: no empty title, and the editor refuses exactly what the sanitiser would strip."""

import json
import re

from django.conf import settings

from core.richtext import ALLOWED_URL_SCHEMES, sanitize_html

EDITOR_SCRIPT = settings.BASE_DIR / "static/js/richtext-editor.js"


def test_an_empty_title_is_dropped():
    html = '<p><a href="https://example.org/" title="">Guide</a> <abbr title=" ">GC</abbr></p>'
    assert sanitize_html(html) == (
        '<p><a href="https://example.org/" rel="noopener noreferrer">Guide</a> <abbr>GC</abbr></p>'
    )


def test_an_empty_language_is_dropped():
    assert sanitize_html('<p lang="">Texte</p><a href="/fr/" hreflang="">lien</a>') == (
        '<p>Texte</p><a href="/fr/" rel="noopener noreferrer">lien</a>'
    )


def test_a_real_title_and_language_are_kept():
    html = '<a href="https://example.org/" title="The guide" hreflang="fr" lang="fr">Guide</a>'
    cleaned = sanitize_html(html)
    assert 'title="The guide"' in cleaned and 'hreflang="fr"' in cleaned and 'lang="fr"' in cleaned


def test_a_javascript_link_keeps_its_words_but_not_its_address():
    assert sanitize_html('<a href="javascript:alert(1)" title="">Click</a>') == (
        '<a rel="noopener noreferrer">Click</a>'
    )


def test_the_editor_allows_the_schemes_the_sanitiser_keeps():
    script = EDITOR_SCRIPT.read_text()
    listed = re.search(r"const SAFE_SCHEMES = (\[[^\]]*\]);", script).group(1)
    assert set(json.loads(listed)) == ALLOWED_URL_SCHEMES
