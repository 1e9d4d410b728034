"""French typography by rule, in the interface catalogue and in the reference content.

French puts a non-breaking space (U+00A0, or the narrow U+202F) before « : ; ! ? »
and inside « guillemets », and writes the apostrophe ’. A browser breaks a line
at an ordinary space, which would leave a colon or a guillemet alone at the
start of a line. These tests read locale/fr/LC_MESSAGES/django.po and the
French fields of fixtures/reference.json, and name every string that breaks a rule.
"""

import ast
import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# The scripts' catalogue: the admin's rich-text editor.
SCRIPT_CATALOGUE = CATALOGUE.with_name("djangojs.po")
REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"

# HTML tags, and URL patterns such as <slug:slug>, are not text.
TAG = re.compile(r"<[^<>]*>")
NON_BREAKING = "\u00a0\u202f"
RULES = [
    (re.compile(r" [:;!?]"), "an ordinary space before : ; ! or ?"),
    # A colon or the like that ends a phrase needs its space: "Erreur:" is
    # wrong, "http://", "09:00" and "?type=" are not punctuation.
    (re.compile(rf"[^\s{NON_BREAKING}][:;!?](?=\s|$)"), "no space before : ; ! or ?"),
    (re.compile(rf"«(?![{NON_BREAKING}])"), "no non-breaking space after «"),
    (re.compile(rf"(?<![{NON_BREAKING}])»"), "no non-breaking space before »"),
    (re.compile(r"'"), "a straight apostrophe (French uses ’)"),
]


def typography_problems(text: str) -> list[str]:
    """What in `text` breaks a rule of French typography, each with the passage concerned."""
    words = html.unescape(TAG.sub("", text))
    problems = []
    for pattern, rule in RULES:
        for match in pattern.finditer(words):
            start = max(match.start() - 20, 0)
            problems.append(f"{rule}: …{words[start : match.end() + 10]}…")
    return problems


def _unquote(line: str) -> str:
    # A .po string is a C string literal, which Python reads the same way.
    return ast.literal_eval(line.strip())


def french_messages(path: Path = CATALOGUE) -> list[tuple[str, str]]:
    """(msgid, msgstr) for each translated message; each plural form is its own pair."""
    messages = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        strings: dict[str, str] = {}
        keyword = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith('"') and keyword:
                strings[keyword] += _unquote(line)
            elif line.strip():
                keyword, _, rest = line.partition(" ")
                strings[keyword] = _unquote(rest)
        msgid = strings.get("msgid")
        if not msgid:  # the header
            continue
        messages += [(msgid, value) for key, value in strings.items() if key.startswith("msgstr")]
    return messages


def french_reference_texts(path: Path = REFERENCE) -> list[tuple[str, str]]:
    """("model pk field", text) for each French text of the reference content."""
    return [
        (f"{record['model']} {record['pk']} {name}", value)
        for record in json.loads(path.read_text(encoding="utf-8"))
        for name, value in record["fields"].items()
        if name.endswith("_fr") and isinstance(value, str)
    ]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Date de modification :", "an ordinary space before"),
        ("Erreur:", "no space before"),
        ("Ce communiqué est publié ; ceci", "an ordinary space before"),
        ("Aucun communiqué ne correspond à « %(query)s\u00a0».", "no non-breaking space after «"),
        ("pour «\u00a0%(query)s »", "no non-breaking space before »"),
        ("Une erreur s'est produite", "a straight apostrophe"),
        ("<p>L'adresse</p>", "a straight apostrophe"),
    ],
)
def test_each_rule_names_the_mistake_it_finds(text, rule):
    problems = typography_problems(text)
    assert len(problems) == 1 and problems[0].startswith(rule), problems


@pytest.mark.parametrize(
    "text",
    [
        "Date de modification\u00a0:",
        "%(date)s\u00a0: %(title)s",
        "Ce communiqué est publié\u202f; ceci en est l’aperçu.",
        "pour «\u00a0%(query)s\u00a0».",
        "Un chemin de ce site (/fr/...) ou une adresse https:// complète.",
        "par exemple 2005-09-19T00:00:00Z, à 09:00",
        "fil/type/<slug:release_type>/",
        '<span class="visually-hidden">Page </span>%(number)s',
        "<a href='https://example.com/?q=1'>lien</a>",
        "dont&nbsp;:",
    ],
)
def test_correct_french_typography_passes(text):
    assert typography_problems(text) == []


def test_the_catalogue_is_read_whole():
    messages = dict(french_messages())
    assert len(messages) > 250
    assert messages["Last updated:"] == "Date de modification\u00a0:"
    assert messages["Status"] == "État"


def test_french_interface_text_follows_french_typography():
    problems = [
        f"{msgid!r}: {problem}"
        for msgid, msgstr in french_messages()
        for problem in typography_problems(msgstr)
    ]
    assert problems == []


def test_french_script_text_follows_french_typography():
    messages = french_messages(SCRIPT_CATALOGUE)
    assert messages
    problems = [
        f"{msgid!r}: {problem}" for msgid, msgstr in messages for problem in typography_problems(msgstr)
    ]
    assert problems == []


def test_french_reference_content_follows_french_typography():
    texts = french_reference_texts()
    assert any(name.startswith("newsroom.newsrelease") for name, _ in texts)
    problems = [f"{name}: {problem}" for name, text in texts for problem in typography_problems(text)]
    assert problems == []
