"""Pulses: an anonymous survey of a few prompts for named groups (the network service's networks).

A pulse is kept as an event of its own (`pulse.<id>`) so everything the evaluation survey has holds for it too:
each group is a table roster of round 0, members fetch one eligibility token and answer each prompt once with it,
answers keep no person, and results are k-protected with the groups as the "table" breakdown (shown after close).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from samla_common.errors import NotFound
from samla_feedback.anonymity import policy
from samla_feedback.errors import invalid
from samla_feedback.live import results
from samla_feedback.participants import service as participants
from samla_feedback.prompts import service as prompts
from samla_feedback.prompts.models import Prompt
from samla_feedback.pulses.schemas import PulseIn

SECTION = "evaluation"  # anonymous, one answer per token: exactly a pulse's rules
BREAKDOWNS = ["table", "administration"]  # table = the pulse's group


def event_id_of(pulse_id: str) -> str:
    return f"pulse.{pulse_id}"


def _prompts(session: Session, pulse_id: str) -> list[Prompt]:
    return prompts.list_for_event(session=session, event_id=event_id_of(pulse_id),
                                  statuses=("draft", "open", "closed"), section=SECTION)


def get(*, session: Session, pulse_id: str) -> list[Prompt]:
    """A pulse's prompts; NotFound when there is no such pulse."""
    found = _prompts(session, pulse_id)
    if not found:
        raise NotFound(f"No pulse with id {pulse_id!r}.")
    return found


def people(*, session: Session, pulse_id: str) -> int:
    return len({s.person_id for s in participants.rosters(session=session, event_id=event_id_of(pulse_id))})


def open_pulse(*, session: Session, pulse_id: str, data: PulseIn) -> list[Prompt]:
    """Creates the pulse's rosters and prompts and opens them; a pulse that exists is returned as it is (retries)."""
    existing = _prompts(session, pulse_id)
    if existing:
        return existing
    seen: dict[str, str] = {}
    for group in data.groups:
        for person in group.members:
            if person in seen and seen[person] != group.id:
                raise invalid("groups", f"{person} is in both {seen[person]} and {group.id}; "
                                        "a pulse asks each person about one group")
            seen[person] = group.id
    event_id = event_id_of(pulse_id)
    for group in data.groups:
        participants.set_table_members(session=session, event_id=event_id, table_id=group.id, round_no=0,
                                       members=list(dict.fromkeys(group.members)), source="pulse")
    for item in data.prompts:
        prompts.create(session=session, event_id=event_id, section=SECTION, template="pulse",
                       data=item.model_copy(update={"breakdowns": BREAKDOWNS, "round_no": None}))
    return prompts.set_section_status(session=session, event_id=event_id, section=SECTION, status="open")


def close_pulse(*, session: Session, pulse_id: str) -> list[Prompt]:
    """Closes every prompt of the pulse: no more answers, and the group breakdowns appear."""
    get(session=session, pulse_id=pulse_id)
    return prompts.set_section_status(session=session, event_id=event_id_of(pulse_id), section=SECTION,
                                      status="closed")


def pulse_results(*, session: Session, pulse_id: str) -> tuple[int, list[dict[str, object]]]:
    """(k, the k-protected results of each prompt)."""
    found = get(session=session, pulse_id=pulse_id)
    k = policy.get(session=session, event_id=event_id_of(pulse_id)).k
    return k, [results.compute(session=session, prompt=p, k=k) for p in found]
