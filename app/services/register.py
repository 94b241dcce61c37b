"""The register: decisions recorded as an append-only hash chain per class, their follow-up and corrections."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.domain import decisions, register_chain
from app.extensions import db
from app.models import Assembly, Cooperative, Decision, Pupil, RegisterEntry
from app.models.types import utcnow

STATUSES = ("to_do", "in_progress", "done", "dropped")


class RegisterError(ValueError):
    """A register action refused; the code says why, the pupil (if any) whom it is about."""

    def __init__(self, code: str, pupil: Pupil | None = None) -> None:
        super().__init__(code)
        self.code, self.pupil = code, pupil


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
    _check_due_date(decisions.day_decided(now, cooperative.school.timezone), new.due_on)
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


def _check_due_date(decided_on: date, due_on: date | None) -> None:
    problem = decisions.due_date_problem(decided_on, due_on)
    if problem:
        raise RegisterError(problem)


def responsible_pupils(cooperative: Cooperative, pupil_ids: Iterable[int],
                       keeping: Iterable[Pupil] = ()) -> list[Pupil]:
    """The pupils named responsible, by id: members of the class who have not left it (one named before leaving
    may stay named). Refuses the whole list for one pupil who may not be in it."""
    ids = set(pupil_ids)
    pupils = list(db.session.scalars(select(Pupil).where(Pupil.id.in_(ids)))) if ids else []
    if len(pupils) != len(ids) or any(pupil.cooperative_id != cooperative.id for pupil in pupils):
        raise RegisterError("not_a_member")
    kept = {pupil.id for pupil in keeping}
    departed = next((pupil for pupil in pupils if pupil.closed_at is not None and pupil.id not in kept), None)
    if departed is not None:
        raise RegisterError("departed", departed)
    return pupils


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


@dataclass(frozen=True)
class Correction:
    """A decision as its keeper words it now: the wording, the pupils responsible (ids), the due date, why it is
    changed, and the position of the decision's latest register entry the keeper saw (None: not checked)."""

    text: str
    responsible_ids: tuple[int, ...] = ()
    due_on: date | None = None
    reason: str = ""
    seen_entry: int | None = None


def correct(decision: Decision, correction: Correction, recorded_by: str,
            now: datetime | None = None) -> RegisterEntry:
    """A correction never edits an entry: it is a new entry pointing at the decision's first one, saying what
    changes (the wording, the pupils responsible, the due date) and why; the decision row then says the same.
    Everything is checked before anything is written."""
    _lock(decision)
    pupils = _checked(decision, correction)
    fields = _changed_fields(decision, correction, pupils)
    if not fields:
        raise RegisterError("nothing_changed")
    entry = append_entry(decision, "correction", {**fields, "reason": correction.reason.strip()}, recorded_by,
                         now or utcnow(), corrects=decision.entries[0])
    decision.text = correction.text.strip()
    decision.responsible, decision.due_on = pupils, correction.due_on
    return entry


def _lock(decision: Decision) -> None:
    """The decision's row, locked until the commit and read afresh: what another tab committed meanwhile is seen,
    and two sends of one form are told apart instead of both writing."""
    db.session.refresh(decision, with_for_update=True)
    db.session.expire(decision, ["entries", "responsible"])


def _checked(decision: Decision, correction: Correction) -> list[Pupil]:
    if not decision.entries:
        raise RegisterError("not_in_register")  # a correction points at the entry it corrects
    if correction.seen_entry is not None and correction.seen_entry != decision.entries[-1].position:
        same = _says(decision) == (correction.text.strip(), set(correction.responsible_ids), correction.due_on)
        raise RegisterError("already_saved" if same else "changed_meanwhile")
    problem = decisions.wording_problem(correction.text)
    if problem or len(correction.reason.strip()) > decisions.MAX_REASON:
        raise RegisterError(problem or "reason_too_long")
    _check_due_date(decisions.day_decided(decision.decided_at, decision.cooperative.school.timezone),
                    correction.due_on)
    return responsible_pupils(decision.cooperative, correction.responsible_ids, keeping=decision.responsible)


def _says(decision: Decision) -> tuple[str, set[int], date | None]:
    return decision.text, {pupil.id for pupil in decision.responsible}, decision.due_on


def _changed_fields(decision: Decision, correction: Correction, pupils: list[Pupil]) -> dict:
    """Only what changes goes into the entry, under the names the decision's first entry uses."""
    text, responsible, due_on = _says(decision)
    fields = {"text": correction.text.strip(), "responsible": sorted(pupil.id for pupil in pupils),
              "due_on": _iso(correction.due_on)}
    unchanged = {"text": text == fields["text"], "responsible": responsible == set(fields["responsible"]),
                 "due_on": due_on == correction.due_on}
    return {name: value for name, value in fields.items() if not unchanged[name]}


def still_as_voted(decision: Decision) -> bool:
    """An open decision nobody has worded, given pupils or a date since it was recorded: the vote's page offers
    to do it at once."""
    return decision.is_open and all(entry.kind != "correction" for entry in decision.entries)


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


_NOTHING = object()  # what an entry that does not say a field says of it


def _latest(said: list[dict], name: str):
    values = [fields[name] for fields in said if name in fields]
    return values[-1] if values else _NOTHING


def _mirror_differs(decision: Decision) -> bool:
    """The decision row must say what its latest entries say: text, status, pupils responsible, due date."""
    said = [entry_fields(entry) for entry in decision.entries]
    row = {"text": decision.text, "status": decision.status, "due_on": _iso(decision.due_on),
           "responsible": sorted(pupil.id for pupil in decision.responsible)}
    latest = {name: _latest(said, name) for name in row}
    if latest["status"] is _NOTHING:
        latest["status"] = "to_do"
    if latest["responsible"] is not _NOTHING:
        latest["responsible"] = sorted(latest["responsible"])
    if any(entry.redacted_at for entry in decision.entries):
        latest["text"] = _NOTHING  # names left the texts, not their hashes: the row's text is the redacted one
    return any(value is not _NOTHING and value != row[name] for name, value in latest.items())


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
