"""Names sort as people read them, whatever their accents and case."""

import unicodedata
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from app.domain.collation import by_name


@dataclass
class Person:
    first_name: str
    initial: str = ""


def bare(text: str) -> str:
    """The letters without their accents (for checking only)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def test_accented_initials_sort_among_their_letter_not_after_z():
    names = ["Zoé", "Éloïse", "Lucas", "Léa", "eliott", "Émile", "Adam", "Çédric", "Chloé"]
    assert [person.first_name for person in by_name(Person(name) for name in names)] == [
        "Adam", "Çédric", "Chloé", "eliott", "Éloïse", "Émile", "Léa", "Lucas", "Zoé"]


def test_the_initial_orders_pupils_of_the_same_first_name():
    people = [Person("Léa", "M"), Person("Léa", "É"), Person("Léa", "B")]
    assert [person.initial for person in by_name(people)] == ["B", "É", "M"]


FRENCH_LETTERS = st.text(alphabet="abcdeéèêëfghiîïjklmnoôpqrstuùûüvwxyzàâçAÉÈZ", min_size=1, max_size=8)


@given(st.lists(FRENCH_LETTERS, min_size=2, max_size=12))
def test_names_whose_letters_differ_sort_by_their_letters_first(names):
    ordered = [person.first_name for person in by_name(Person(name) for name in names)]
    assert sorted(ordered) == sorted(names)
    assert [bare(name) for name in ordered] == sorted(bare(name) for name in names)
