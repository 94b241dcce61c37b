"""A tamper-evident register: each entry's hash covers its fields and the hash of the entry before it."""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GENESIS = "0" * 64
CONTENT_CHANGED = "content changed"
LINK_BROKEN = "link to previous broken"
END_MISSING = "end of register missing"

FieldValue = str | int | None
EntryId = int | str


def entry_hash(previous_hash: str, fields: Mapping[str, FieldValue]) -> str:
    """SHA-256 hex of the canonical JSON of {"previous": previous_hash, **fields} (sorted keys, UTF-8)."""
    if "previous" in fields:
        raise ValueError('"previous" is reserved for the link to the previous entry')
    document = {"previous": previous_hash, **fields}
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    """One stored entry, as read back from the database."""

    id: EntryId
    previous_hash: str
    stored_hash: str
    fields: Mapping[str, FieldValue]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    first_broken_id: EntryId | None = None
    reason: str | None = None


def verify_chain(entries: Sequence[ChainLink], expected_head: str | None = None) -> ChainReport:
    """Check entries in register order and name the first one that does not hold.

    A chain cannot notice its own last entries being deleted; pass expected_head, the last hash
    kept elsewhere (printed minutes, another table), to detect that too.
    """
    previous = GENESIS
    for link in entries:
        if link.previous_hash != previous:
            return ChainReport(False, link.id, LINK_BROKEN)
        if entry_hash(link.previous_hash, link.fields) != link.stored_hash:
            return ChainReport(False, link.id, CONTENT_CHANGED)
        previous = link.stored_hash
    if expected_head is not None and previous != expected_head:
        return ChainReport(False, entries[-1].id if entries else None, END_MISSING)
    return ChainReport(True)
