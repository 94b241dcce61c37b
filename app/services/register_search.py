"""Finding decisions: full-text search that ignores case and accents, filters, sorting and pages."""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Integer, Select, column, func, select, text

from app.extensions import db
from app.models import Cooperative, Decision

PAGE_SIZE = 25
MAX_QUERY = 200
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class DecisionFilters:
    cooperative_ids: tuple[int, ...]
    words: str = ""
    school_year: int | None = None
    status: str | None = None
    method: str | None = None
    oldest_first: bool = False


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


def _text_condition(query: Select, words: str) -> Select:
    if db.engine.dialect.name == "postgresql":
        vector = func.agora_search_vector(Decision.text)
        return query.where(vector.op("@@")(func.agora_search_query(words)))
    expression = sqlite_match_expression(words)
    if expression is None:
        return query
    matching = text("SELECT rowid FROM decision_search WHERE decision_search MATCH :expression")
    rowids = matching.bindparams(expression=expression).columns(column("rowid", Integer))
    return query.where(Decision.id.in_(select(rowids.subquery().c.rowid)))


def filtered(filters: DecisionFilters) -> Select:
    query = select(Decision).join(Cooperative).where(Decision.cooperative_id.in_(filters.cooperative_ids))
    if filters.words.strip() and WORD.search(filters.words):
        query = _text_condition(query, filters.words)
    if filters.school_year is not None:
        query = query.where(Cooperative.school_year == filters.school_year)
    if filters.status:
        query = query.where(Decision.status == filters.status)
    if filters.method:
        query = query.where(Decision.method == filters.method)
    order = Decision.decided_at.asc() if filters.oldest_first else Decision.decided_at.desc()
    return query.order_by(order, Decision.id.desc())


def count(filters: DecisionFilters) -> int:
    return db.session.scalar(select(func.count()).select_from(filtered(filters).order_by(None).subquery()))


def page_of(filters: DecisionFilters, page: int) -> list[Decision]:
    query = filtered(filters).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return list(db.session.scalars(query))


def all_of(filters: DecisionFilters):
    """Every matching decision, streamed, for exports."""
    return db.session.scalars(filtered(filters).execution_options(yield_per=500))
