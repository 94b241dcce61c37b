"""Pupils' names in the order people read them: "Éloïse" beside "Eliott", "Léa" before "Lucas". Code points would
put every accented initial after "Z"; the Unicode Collation Algorithm (pyuca) compares letters first, then accents,
then case."""

from collections.abc import Iterable
from functools import cache
from typing import Protocol, TypeVar

import pyuca


class Named(Protocol):
    first_name: str
    initial: str


N = TypeVar("N", bound=Named)


@cache
def _collator() -> pyuca.Collator:
    return pyuca.Collator()  # reads the Unicode table once a process


def text_key(text: str) -> tuple[int, ...]:
    return _collator().sort_key(text)


def name_key(person: Named) -> tuple:
    return text_key(person.first_name), text_key(person.initial or "")


def by_name(people: Iterable[N]) -> list[N]:
    return sorted(people, key=name_key)
