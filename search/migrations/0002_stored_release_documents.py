"""Each release's searchable document, stored per language, on PostgreSQL only.

A search ranks every release that matches: with only an index on an
expression, PostgreSQL rebuilt each matching release's document from its text
(title, summary, body) to rank it, and a common word on a large archive cost
thousands of rebuilds per search. The documents are now columns of the
release table, `search_document_en` and `search_document_fr`, kept in step by
a trigger on every insert and update (saves, `QuerySet.update()`, restores
alike), each with its GIN index. They are not fields of the model: other
databases keep the simpler search, and no form or API ever sees them.
"""

from django.db import migrations

LANGUAGES = {"en": "newsroom_english", "fr": "newsroom_french"}
WEIGHTS = (("title", "A"), ("summary", "B"), ("body", "C"))


def document(language: str, config: str, row: str = "") -> str:
    parts = [
        f"setweight(to_tsvector('{config}'::regconfig, coalesce({row}{column}_{language}, '')), '{weight}')"
        for column, weight in WEIGHTS
    ]
    return "(" + " || ".join(parts) + ")"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    assignments = "\n".join(
        f"  NEW.search_document_{language} := {document(language, config, 'NEW.')};"
        for language, config in LANGUAGES.items()
    )
    for language in LANGUAGES:
        execute(f"ALTER TABLE newsroom_newsrelease ADD COLUMN search_document_{language} tsvector")
    execute(
        "CREATE FUNCTION newsroom_release_search_documents() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{assignments}\n  RETURN NEW;\nEND\n$$"
    )
    execute(
        "CREATE TRIGGER newsroom_release_search_documents BEFORE INSERT OR UPDATE ON newsroom_newsrelease "
        "FOR EACH ROW EXECUTE FUNCTION newsroom_release_search_documents()"
    )
    execute(
        "UPDATE newsroom_newsrelease SET "
        + ", ".join(f"search_document_{language} = {document(language, config)}" for language, config in LANGUAGES.items())
    )
    for language in LANGUAGES:
        execute(f"DROP INDEX IF EXISTS search_release_{language}_idx")
        execute(
            f"CREATE INDEX search_release_{language}_idx ON newsroom_newsrelease "
            f"USING gin (search_document_{language})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("DROP TRIGGER IF EXISTS newsroom_release_search_documents ON newsroom_newsrelease")
    execute("DROP FUNCTION IF EXISTS newsroom_release_search_documents()")
    for language, config in LANGUAGES.items():
        execute(f"DROP INDEX IF EXISTS search_release_{language}_idx")
        execute(f"ALTER TABLE newsroom_newsrelease DROP COLUMN IF EXISTS search_document_{language}")
        execute(
            f"CREATE INDEX search_release_{language}_idx ON newsroom_newsrelease "
            f"USING gin ({document(language, config)})"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_release_full_text_index"), ("newsroom", "0009_history_restored_from")]

    operations = [migrations.RunPython(create, drop)]
