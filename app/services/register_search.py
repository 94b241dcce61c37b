"""Finding decisions: full-text search that ignores case and accents, filters, sorting and pages.

Decisions are stamped with the moment they are entered (register.record_decision), so the register's order — the
decision's id — is also their date order. Sorting by id lets each database hand over the first page straight from
an index instead of sorting every match, and counting stops past COUNT_LIMIT: beyond that, one narrows the search.
"""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Integer, Select, column, false, func, literal_column, select, table, text

from app.domain.school_year import school_year_end, school_year_start
from app.extensions import db
from app.models import Cooperative, Decision

PAGE_SIZE = 25
COUNT_LIMIT = 1000
MAX_QUERY = 200
WORD = re.compile(r"\w+", re.UNICODE)
SQLITE_INDEX = table("decision_search", column("rowid", Integer))
POSTGRESQL_VECTOR = literal_column("decision.search_vector")  # app/models/search.py: not a model column


@dataclass(frozen=True)
class DecisionFilters:
    cooperative_ids: tuple[int, ...] = ()
    words: str = ""
    school_year: int | None = None
    status: str | None = None
    method: str | None = None
    oldest_first: bool = False
    school_id: int | None = None  # every class of this school (the head's view), instead of cooperative_ids
    time_zone: str = "Europe/Paris"  # the school's, where its school years begin and end

    @property
    def has_words(self) -> bool:
        return bool(WORD.search(self.words))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stem(word: str) -> str:
    """A light French/English plural stripper for SQLite, whose index has no stemmer."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def sqlite_match_expression(words: str) -> str | None:
    """Each word as a quoted prefix term: operators, quotes and brackets in the input are never syntax."""
    terms = [_stem(_fold(word)) for word in WORD.findall(words)]
    return " ".join(f'"{term}"*' for term in terms if term) or None


def _in_scope(query: Select, filters: DecisionFilters) -> Select:
    if filters.school_id is not None:
        return query.where(Cooperative.school_id == filters.school_id)
    return query.where(Decision.cooperative_id.in_(filters.cooperative_ids))


def _sqlite_words(query: Select, filters: DecisionFilters, expression: str) -> tuple[Select, object]:
    """SQLite's FTS5 index, used the way that is fast for the scope; returns the query and its sort column."""
    matching = text("decision_search MATCH :expression").bindparams(expression=expression)
    if filters.school_id is not None:
        # Many classes: FTS5 streams its matches in id order and the page stops after PAGE_SIZE of them.
        joined = query.join(SQLITE_INDEX, SQLITE_INDEX.c.rowid == Decision.id).where(matching)
        return joined, SQLITE_INDEX.c.rowid
    # A few classes: their decisions drive the query, and only their stretch of ids is looked up in the index.
    theirs = Decision.cooperative_id.in_(filters.cooperative_ids)
    lowest = select(func.min(Decision.id)).where(theirs).correlate(None).scalar_subquery()
    highest = select(func.max(Decision.id)).where(theirs).correlate(None).scalar_subquery()
    rowids = select(SQLITE_INDEX.c.rowid).where(matching, SQLITE_INDEX.c.rowid.between(lowest, highest))
    return query.where(Decision.id.in_(rowids)), Decision.id


def _with_words(query: Select, filters: DecisionFilters) -> tuple[Select, object]:
    if not filters.has_words:
        return query, Decision.id
    if db.engine.dialect.name == "postgresql":
        matching = POSTGRESQL_VECTOR.op("@@")(func.agora_search_query(filters.words))
        return query.where(matching), Decision.id
    expression = sqlite_match_expression(filters.words)
    return _sqlite_words(query, filters, expression) if expression else (query, Decision.id)


def _ids_of_school_year(school_year: int, time_zone: str) -> tuple[int, int] | None:
    """The first and last decision ids of a school year, from two seeks of the decided_at index."""
    start, end = school_year_start(school_year, time_zone), school_year_end(school_year, time_zone)
    during = (Decision.decided_at >= start, Decision.decided_at < end)
    first = select(Decision.id).where(*during).order_by(Decision.decided_at, Decision.id).limit(1)
    last = select(Decision.id).where(*during).order_by(Decision.decided_at.desc(), Decision.id.desc()).limit(1)
    bounds = db.session.execute(select(first.scalar_subquery(), last.scalar_subquery())).one()
    return None if bounds[0] is None else (bounds[0], bounds[1])


def _in_school_year(query: Select, order, filters: DecisionFilters) -> Select:
    """Decisions taken during the school year, as the id range they fill: the indexes seek straight to it."""
    ids = _ids_of_school_year(filters.school_year, filters.time_zone)
    return query.where(order.between(*ids)) if ids else query.where(false())


def filtered(filters: DecisionFilters) -> Select:
    query, order = _with_words(_in_scope(select(Decision).join(Cooperative), filters), filters)
    if filters.school_year is not None:
        query = _in_school_year(query, order, filters)
    if filters.status:
        query = query.where(Decision.status == filters.status)
    if filters.method:
        query = query.where(Decision.method == filters.method)
    return query.order_by(order.asc() if filters.oldest_first else order.desc())


def count(filters: DecisionFilters, limit: int = COUNT_LIMIT) -> int:
    """How many decisions match, counting no further than limit + 1 (the page then says "more than limit")."""
    matching = filtered(filters).order_by(None).limit(limit + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(matching))


def page_of(filters: DecisionFilters, page: int) -> list[Decision]:
    query = filtered(filters).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return list(db.session.scalars(query))


def all_of(filters: DecisionFilters):
    """Every matching decision, streamed, for exports."""
    return db.session.scalars(filtered(filters).execution_options(yield_per=500))
