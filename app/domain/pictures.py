"""Pictogram avatars and picture codes: an ordered sequence of pictures, unique within a class."""

import secrets
from collections.abc import Iterable, Sequence

# Keys only: the pictures and their translated names live with the interface.
CODE_PICTURES: tuple[str, ...] = ("sun", "tree", "fish", "star", "apple", "boat", "heart", "moon", "flower")
AVATARS: tuple[str, ...] = (
    "cat", "dog", "fox", "bear", "panda", "lion", "tiger", "frog", "owl", "penguin", "rabbit", "koala",
    "monkey", "turtle", "whale", "octopus", "butterfly", "bee", "ladybug", "snail", "hedgehog", "unicorn",
    "dolphin", "elephant", "giraffe", "zebra", "horse", "duck", "chick", "mouse", "hamster", "crab",
)
CODE_LENGTH = 4
SEPARATOR = "-"


def make_code(picks: Sequence[int]) -> str:
    return SEPARATOR.join(CODE_PICTURES[pick] for pick in picks)


def code_pictures(code: str) -> list[str]:
    return code.split(SEPARATOR) if code else []


def is_valid_partial(picks: Sequence[int]) -> bool:
    return len(picks) <= CODE_LENGTH and all(0 <= pick < len(CODE_PICTURES) for pick in picks)


def new_picture_codes(taken: Iterable[str], count: int, rng: secrets.SystemRandom | None = None) -> list[str]:
    """count fresh codes, none equal to a taken one nor to each other."""
    rng = rng or secrets.SystemRandom()
    used = set(taken)
    if len(used) + count > len(CODE_PICTURES) ** CODE_LENGTH // 2:
        raise ValueError("too many codes for one class")
    codes: list[str] = []
    while len(codes) < count:
        code = make_code([rng.randrange(len(CODE_PICTURES)) for _ in range(CODE_LENGTH)])
        if code not in used:
            used.add(code)
            codes.append(code)
    return codes


def new_avatars(taken: Iterable[str], count: int, rng: secrets.SystemRandom | None = None) -> list[str]:
    """Avatars unused in the class first, then repeats once every avatar is taken."""
    rng = rng or secrets.SystemRandom()
    free = [avatar for avatar in AVATARS if avatar not in set(taken)]
    rng.shuffle(free)
    while len(free) < count:
        free.extend(rng.sample(AVATARS, len(AVATARS)))
    return free[:count]
