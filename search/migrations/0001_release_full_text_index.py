"""Full-text search of releases on PostgreSQL; nothing on other databases.

Each language gets its own text-search configuration: the language's stemmer
preceded by `unaccent`, so "criminalite" finds "criminalité". A GIN index
holds each language's weighted document (title A, summary B, body C).

Why an expression index rather than stored generated columns: the model stays
the same on every database (SQLite has no tsvector), rows carry no second copy
of their text, and nothing has to be kept in step on save. The query in
`search.engine.document_sql` writes the very same expression, so PostgreSQL
uses the index (a test checks the plan).
"""

from django.db import migrations

CONFIGURATIONS = {"newsroom_english": "english", "newsroom_french": "french"}
TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
LANGUAGES = {"en": "newsroom_english", "fr": "newsroom_french"}


def document(language: str, config: str) -> str:
    parts = [
        f"setweight(to_tsvector('{config}'::regconfig, coalesce({column}_{language}, '')), '{weight}')"
        for column, weight in (("title", "A"), ("summary", "B"), ("body", "C"))
    ]
    return "(" + " || ".join(parts) + ")"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, base in CONFIGURATIONS.items():
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {TOKENS} WITH unaccent, {base}_stem"
        )
    for language, config in LANGUAGES.items():
        schema_editor.execute(
            f"CREATE INDEX search_release_{language}_idx ON newsroom_newsrelease "
            f"USING gin ({document(language, config)})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in LANGUAGES:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_release_{language}_idx")
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
