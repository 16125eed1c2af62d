"""The chefsdag state machine: each state's next state and what it allows."""

from __future__ import annotations

from itertools import pairwise

import pytest

from samla_events.chefsdag.states import (
    ALLOWED,
    Action,
    IllegalTransition,
    NotAllowedNow,
    State,
    allows,
    check_transition,
    require,
)

ORDER = [State.DRAFT, State.INVITATIONS_SENT, State.ONGOING, State.CLOSED, State.ARCHIVED]


@pytest.mark.parametrize("current,target", list(pairwise(ORDER)))
def test_each_state_moves_to_the_next_one(current: State, target: State) -> None:
    check_transition(current, target)


@pytest.mark.parametrize("current", ORDER)
@pytest.mark.parametrize("target", ORDER)
def test_every_other_move_is_refused_with_the_possible_next_states(current: State, target: State) -> None:
    if ORDER.index(target) == ORDER.index(current) + 1:
        return
    with pytest.raises(IllegalTransition) as refused:
        check_transition(current, target)
    assert refused.value.status == 409
    assert f"'{current.value}'" in refused.value.detail and f"'{target.value}'" in refused.value.detail


def test_archived_days_allow_nothing_but_reading() -> None:
    assert ALLOWED[State.ARCHIVED] == frozenset()
    assert not any(allows(State.ARCHIVED, a, on_the_day=True) for a in Action)


def test_invitations_go_out_only_before_the_day_starts() -> None:
    assert [s for s in ORDER if allows(s, Action.INVITE)] == [State.DRAFT, State.INVITATIONS_SENT]


def test_registration_is_open_only_while_invitations_are_out() -> None:
    assert [s for s in ORDER if allows(s, Action.REGISTER)] == [State.INVITATIONS_SENT]
    assert [s for s in ORDER if allows(s, Action.MANAGE_WAITING_LIST)] == [State.INVITATIONS_SENT]


def test_check_in_opens_on_the_day_itself_or_once_started() -> None:
    assert not allows(State.INVITATIONS_SENT, Action.CHECK_IN, on_the_day=False)
    assert allows(State.INVITATIONS_SENT, Action.CHECK_IN, on_the_day=True)
    assert allows(State.ONGOING, Action.CHECK_IN)
    assert not allows(State.DRAFT, Action.CHECK_IN, on_the_day=True)
    assert not allows(State.CLOSED, Action.CHECK_IN, on_the_day=True)


def test_a_refusal_says_why() -> None:
    with pytest.raises(NotAllowedNow, match="registration is open only after the invitations are sent"):
        require(State.DRAFT, Action.REGISTER)
