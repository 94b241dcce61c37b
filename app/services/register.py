"""The register: decisions recorded as an append-only hash chain per class, their follow-up and corrections."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.domain import register_chain
from app.extensions import db
from app.models import Assembly, Cooperative, Decision, Pupil, RegisterEntry
from app.models.types import utcnow

STATUSES = ("to_do", "in_progress", "done", "dropped")


class RegisterError(ValueError):
    """A register action refused; the code says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def canonical(fields: dict) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def _last_entry(cooperative_id: int) -> RegisterEntry | None:
    query = select(RegisterEntry).where(RegisterEntry.cooperative_id == cooperative_id)
    return db.session.scalar(query.order_by(RegisterEntry.position.desc()).limit(1))


def append_entry(decision: Decision, kind: str, fields: dict, recorded_by: str, now: datetime,
                 corrects: RegisterEntry | None = None) -> RegisterEntry:
    """Adds the next link of the class's chain; the unique position refuses a fork under concurrency."""
    last = _last_entry(decision.cooperative_id)
    previous = last.entry_hash if last else register_chain.GENESIS
    content = canonical({"kind": kind, "decision": decision.id, "recorded_at": now.isoformat(),
                         "recorded_by": recorded_by, "corrects": corrects.id if corrects else None, **fields})
    digest = content_hash(content)
    entry = RegisterEntry(cooperative_id=decision.cooperative_id, position=(last.position + 1) if last else 1,
                          kind=kind, decision=decision, corrects_id=corrects.id if corrects else None,
                          content=content, content_hash=digest, recorded_at=now, recorded_by=recorded_by,
                          previous_hash=previous,
                          entry_hash=register_chain.entry_hash(previous, {"content_hash": digest}))
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass
class NewDecision:
    text: str
    method: str
    rule: str = ""
    figures: dict | None = None
    responsible: tuple[Pupil, ...] = ()
    due_on: date | None = None
    poll_id: int | None = None
    assembly_id: int | None = None


def assembly_in_session(cooperative: Cooperative) -> int | None:
    """The class's assembly now in session: a decision taken meanwhile belongs to it."""
    query = select(Assembly.id).where(Assembly.cooperative_id == cooperative.id, Assembly.status == "in_session")
    return db.session.scalar(query.limit(1))


def record_decision(cooperative: Cooperative, new: NewDecision, recorded_by: str,
                    now: datetime | None = None) -> Decision:
    now = now or utcnow()
    if new.assembly_id is None:
        new.assembly_id = assembly_in_session(cooperative)
    decision = Decision(cooperative=cooperative, text=new.text.strip(), method=new.method, rule=new.rule,
                        figures=canonical(new.figures or {}), due_on=new.due_on, poll_id=new.poll_id,
                        assembly_id=new.assembly_id, decided_at=now, responsible=list(new.responsible))
    db.session.add(decision)
    db.session.flush()
    append_entry(decision, "decision", {
        "text": decision.text, "method": new.method, "rule": new.rule, "figures": new.figures or {},
        "responsible": sorted(pupil.id for pupil in new.responsible), "due_on": _iso(new.due_on),
        "poll": new.poll_id, "assembly": new.assembly_id,
    }, recorded_by, now)
    return decision


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def follow_up(decision: Decision, status: str, note: str, recorded_by: str, now: datetime | None = None) -> None:
    """A new status and note for a decision, recorded as a new link."""
    if status not in STATUSES:
        raise RegisterError("unknown_status")
    if not decision.is_open and status == decision.status:
        raise RegisterError("already_closed")
    append_entry(decision, "follow_up", {"status": status, "note": note.strip()}, recorded_by, now or utcnow())
    decision.status = status


def correct(decision: Decision, text: str, reason: str, recorded_by: str, now: datetime | None = None) -> None:
    """A correction never edits an entry: it is a new entry pointing at the one it corrects."""
    first = decision.entries[0]
    append_entry(decision, "correction", {"text": text.strip(), "reason": reason.strip()}, recorded_by,
                 now or utcnow(), corrects=first)
    decision.text = text.strip()


def entry_fields(entry: RegisterEntry) -> dict:
    return json.loads(entry.content)


def chain_of(cooperative_id: int) -> list[RegisterEntry]:
    query = select(RegisterEntry).where(RegisterEntry.cooperative_id == cooperative_id)
    return list(db.session.scalars(query.order_by(RegisterEntry.position)))


@dataclass
class Verification:
    ok: bool
    entries: int
    first_broken_position: int | None = None
    reason: str | None = None


def _content_problem(entry: RegisterEntry) -> str | None:
    if entry.redacted_at is None and content_hash(entry.content) != entry.content_hash:
        return register_chain.CONTENT_CHANGED
    return None


def _mirror_differs(decision: Decision) -> bool:
    """The decision row must say what its latest entries say (text, status)."""
    said = [entry_fields(entry) for entry in decision.entries]
    texts = [fields["text"] for entry, fields in zip(decision.entries, said, strict=True)
             if "text" in fields and entry.redacted_at is None]
    statuses = [fields["status"] for fields in said if "status" in fields]
    redacted = any(entry.redacted_at for entry in decision.entries)
    text_differs = bool(texts) and not redacted and texts[-1] != decision.text
    return text_differs or (statuses[-1] if statuses else "to_do") != decision.status


def verify(cooperative_id: int) -> Verification:
    """Checks every link of the class's chain, each entry's content and the decisions it mirrors."""
    entries = chain_of(cooperative_id)
    links = [register_chain.ChainLink(entry.position, entry.previous_hash, entry.entry_hash,
                                      {"content_hash": entry.content_hash}) for entry in entries]
    report = register_chain.verify_chain(links)
    if not report.ok:
        return Verification(False, len(entries), report.first_broken_id, report.reason)
    for entry in entries:
        if _content_problem(entry):
            return Verification(False, len(entries), entry.position, register_chain.CONTENT_CHANGED)
    for entry in entries:
        if entry.kind == "decision" and _mirror_differs(entry.decision):
            return Verification(False, len(entries), entry.position, "decision_differs")
    return Verification(True, len(entries))


def cooperatives_with_registers() -> list[int]:
    query = select(RegisterEntry.cooperative_id).group_by(RegisterEntry.cooperative_id)
    return list(db.session.scalars(query))


def open_decisions(cooperative: Cooperative) -> list[Decision]:
    """Decisions neither done nor dropped: they come back first on every agenda."""
    query = select(Decision).where(Decision.cooperative_id == cooperative.id,
                                   Decision.status.in_(("to_do", "in_progress")))
    return list(db.session.scalars(query.order_by(Decision.decided_at)))


def decision_count() -> int:
    return db.session.scalar(select(func.count(Decision.id)))


def aggregate_by_method_and_status() -> dict[str, dict[str, int]]:
    """Federation-wide counts of decisions, with no class or pupil in them."""
    rows = db.session.execute(select(Decision.method, Decision.status, func.count()).group_by(Decision.method,
                                                                                          Decision.status))
    table: dict[str, dict[str, int]] = {}
    for method, status, number in rows:
        table.setdefault(method, {})[status] = number
    return table


def decision_of_poll(poll) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.poll_id == poll.id))
