"""Full-text search of decisions, built by each database its own way, ignoring case and accents.

SQLite: an FTS5 index (unicode61 tokenizer removing diacritics) kept in step by triggers.
PostgreSQL: the French text-search vector of the unaccented text, so word forms match too, kept in a stored
generated column with a GIN index: a match is checked against the stored vector, never recomputed from the text.
"""

from sqlalchemy import event

from app.models.register import Decision

SEARCH_OBJECTS = {"decision_search", "decision_search_data", "decision_search_idx", "decision_search_docsize",
                  "decision_search_config", "decision_search_content", "ix_decision_search", "search_vector"}

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS decision_search USING fts5("
    "text, content='decision', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS decision_search_insert AFTER INSERT ON decision BEGIN "
    "INSERT INTO decision_search(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS decision_search_delete AFTER DELETE ON decision BEGIN "
    "INSERT INTO decision_search(decision_search, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS decision_search_update AFTER UPDATE OF text ON decision BEGIN "
    "INSERT INTO decision_search(decision_search, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO decision_search(rowid, text) VALUES (new.id, new.text); END",
)
POSTGRESQL_DDL = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE; an index needs an IMMUTABLE function naming its dictionary explicitly.
    "CREATE OR REPLACE FUNCTION agora_search_vector(body text) RETURNS tsvector LANGUAGE sql IMMUTABLE "
    "PARALLEL SAFE AS $$ SELECT to_tsvector('french'::regconfig, public.unaccent('public.unaccent'::regdictionary, "
    "body)) $$",
    "CREATE OR REPLACE FUNCTION agora_search_query(words text) RETURNS tsquery LANGUAGE sql IMMUTABLE "
    "PARALLEL SAFE AS $$ SELECT websearch_to_tsquery('french'::regconfig, "
    "public.unaccent('public.unaccent'::regdictionary, words)) $$",
    "ALTER TABLE decision ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (agora_search_vector(text)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_decision_search ON decision USING gin (search_vector)",
)


def create_search_objects(dialect_name: str, execute) -> None:
    """Run by the migration and after create_all: the same statements in both places."""
    for statement in {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}.get(dialect_name, ()):
        execute(statement)


def _after_create(target, connection, **kwargs) -> None:
    create_search_objects(connection.dialect.name, connection.exec_driver_sql)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Migration comparisons leave the search index alone: it is not a model."""
    return not (reflected and compare_to is None and name in SEARCH_OBJECTS)


if not event.contains(Decision.__table__, "after_create", _after_create):
    event.listen(Decision.__table__, "after_create", _after_create)
