"""French typography in the catalogue: a narrow no-break space before « ; : ! ? » and after «, so a colon never
starts a line and the spacing is the one French readers expect."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "app/translations/fr/LC_MESSAGES/messages.po"
NARROW = "\u202f"
ENTITY = re.compile(r"&\w+;")  # an HTML entity's own semicolon


def french_strings() -> list[str]:
    strings = []
    for message in read_po(CATALOGUE.open("rb")):
        if message.id:
            strings.extend(message.string if isinstance(message.string, tuple) else (message.string,))
    return strings


def misspaced(text: str) -> list[str]:
    text = ENTITY.sub("", text)
    wrong = [match.group(0) for match in re.finditer(r"(^|.)[;:!?»]", text) if match.group(1) != NARROW]
    wrong += [match.group(0) for match in re.finditer(r"«(.|$)", text) if match.group(1) != NARROW]
    return wrong


def test_the_check_sees_a_plain_space_and_a_missing_one():
    assert misspaced("Recette : 12,50 €") == [" :"]
    assert misspaced("Total: 3") == ["l:"]
    assert misspaced(f"«{NARROW}Au suivant{NARROW}!{NARROW}»") == []


def test_every_french_string_spaces_its_double_punctuation():
    wrong = {text: marks for text in french_strings() if (marks := misspaced(text))}
    assert wrong == {}
