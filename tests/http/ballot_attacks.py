"""What someone holding copies of the database files and the key store tries on them: shared by the SQLite and the
PostgreSQL file attacks (docs/ballot-secrecy.md)."""

import itertools
import pathlib
from contextlib import suppress

from flask import current_app

from app import ballot_keys
from app.domain import ballot_box, key_custody
from app.models import Poll
from app.services import polls

SLICE = 32  # the shortest piece of a ciphertext that must not survive anywhere in the files


def server_secret() -> bytes:
    return current_app.config["BALLOT_KEY_SECRET"].encode()


def traces(ciphertext: bytes, content: bytes) -> list[int]:
    """Where any 32-byte slice of the ciphertext (the whole of it included) lies in the content."""
    starts = [*range(0, len(ciphertext) - SLICE + 1, SLICE), len(ciphertext) - SLICE]
    return [found for start in starts if (found := content.find(ciphertext[start : start + SLICE])) >= 0]


def keys_in(folder: pathlib.Path) -> dict[str, bytes]:
    """Every file of the key store folder that holds a key-sized secret, by name."""
    contents = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    return {name: key for name, key in contents.items() if len(key) == ballot_keys.KEY_SIZE}


def unwrapped(wrapped_keys: list[bytes], keks: list[bytes], poll: Poll) -> list[bytes]:
    """The private keys that any held copy of the wrapped key gives up with the server secret and any of the keks."""
    found = []
    for wrapped, kek in itertools.product(wrapped_keys, keks):
        with suppress(key_custody.WrongKey):
            found.append(key_custody.unwrap_private_key(wrapped, server_secret(), polls.poll_uid(poll), kek))
    return found


def keys_that_open(ciphertext: bytes, keys: list[bytes]) -> list[bytes]:
    """Each key that opens the ciphertext, tried as a recount key and as a poll's private key."""
    found = []
    for key in keys:
        with suppress(ballot_box.UnreadableBallot):
            list(ballot_box.open_resealed(key, [ciphertext]))
            found.append(key)
        with suppress(ballot_box.UnreadableBallot):
            ballot_box.open_ballot(key, ciphertext)
            found.append(key)
    return found
