"""The life of a chefsdag: draft → invitations_sent → ongoing → closed → archived, and what each state allows.

Pure rules, no I/O. The service layer asks `require(...)` before acting and `check_transition(...)` before moving.
"""

from __future__ import annotations

from enum import StrEnum

from samla_common.errors import Conflict


class State(StrEnum):
    DRAFT = "draft"
    INVITATIONS_SENT = "invitations_sent"
    ONGOING = "ongoing"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Action(StrEnum):
    EDIT = "edit"  # details, tables, agenda
    INVITE = "invite"
    REMIND = "remind"
    REGISTER = "register"  # participants answer, join or leave the waiting list, send a deputy
    MANAGE_WAITING_LIST = "manage_waiting_list"
    CHECK_IN = "check_in"


NEXT: dict[State, tuple[State, ...]] = {
    State.DRAFT: (State.INVITATIONS_SENT,),
    State.INVITATIONS_SENT: (State.ONGOING,),
    State.ONGOING: (State.CLOSED,),
    State.CLOSED: (State.ARCHIVED,),
    State.ARCHIVED: (),
}

ALLOWED: dict[State, frozenset[Action]] = {
    State.DRAFT: frozenset({Action.EDIT, Action.INVITE}),
    State.INVITATIONS_SENT: frozenset({Action.EDIT, Action.INVITE, Action.REMIND, Action.REGISTER,
                                       Action.MANAGE_WAITING_LIST}),
    State.ONGOING: frozenset({Action.EDIT, Action.CHECK_IN}),
    State.CLOSED: frozenset(),
    State.ARCHIVED: frozenset(),
}

# Details that may no longer change in a state although the day may still be edited, with the reason. Once the
# day is on, people are in the hall and their check-in codes are valid for that date only.
LOCKED_FIELDS: dict[State, dict[str, str]] = {
    State.ONGOING: {"date": "the day has started, so its date can no longer change (close it and create a new one)"},
}

# Why an action is refused, by action: the admin reads this in the problem's detail.
_REFUSALS: dict[Action, str] = {
    Action.EDIT: "the day can only be changed before it has ended",
    Action.INVITE: "invitations can only be sent before the day starts (states draft and invitations_sent)",
    Action.REMIND: "reminders go out only while invitations are out and the day has not started",
    Action.REGISTER: "registration is open only after the invitations are sent and before the day starts",
    Action.MANAGE_WAITING_LIST: "the waiting list is handled only while registration is open",
    Action.CHECK_IN: "check-in is open on the day itself (or once the day is started) until it is closed",
}


class IllegalTransition(Conflict):
    title = "Illegal state change"


class NotAllowedNow(Conflict):
    title = "Not allowed in this state"


class LockedField(Conflict):
    title = "This detail cannot change in this state"


def check_transition(current: State, target: State) -> None:
    """Raises IllegalTransition unless `target` directly follows `current`."""
    if target not in NEXT[current]:
        allowed = ", ".join(NEXT[current]) or "none (archived days are read-only)"
        raise IllegalTransition(f"The day is {current.value!r} and cannot move to {target.value!r}; "
                                f"possible next states: {allowed}.",
                                errors=[{"field": "state", "message": f"{current.value} -> {target.value}"}])


def allows(state: State, action: Action, *, on_the_day: bool = False) -> bool:
    """Whether `action` may happen in `state`. Check-in also opens on the day itself, before the admin starts it."""
    if action is Action.CHECK_IN and state is State.INVITATIONS_SENT and on_the_day:
        return True
    return action in ALLOWED[state]


def require(state: State, action: Action, *, on_the_day: bool = False) -> None:
    """Raises NotAllowedNow with the reason when `action` may not happen in `state`."""
    if not allows(state, action, on_the_day=on_the_day):
        raise NotAllowedNow(f"Not possible while the day is {state.value!r}: {_REFUSALS[action]}.",
                            errors=[{"field": "state", "code": f"{action.value}_not_allowed",
                                     "message": state.value}])


def require_unlocked(state: State, changed: set[str]) -> None:
    """Raises LockedField when a detail that `state` freezes is among the `changed` ones."""
    locked = sorted(changed & LOCKED_FIELDS.get(state, {}).keys())
    if locked:
        reasons = "; ".join(LOCKED_FIELDS[state][f] for f in locked)
        raise LockedField(f"Not possible while the day is {state.value!r}: {reasons}.",
                          errors=[{"field": f, "code": "locked", "message": f"locked while {state.value}"}
                                  for f in locked])
