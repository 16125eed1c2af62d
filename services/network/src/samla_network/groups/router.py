"""HTTP API of published networks: admins look after them; members see theirs, log meetings and check in."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from samla_common.auth import ADMIN
from samla_common.deps import SessionDep
from samla_common.errors import Forbidden
from samla_network.access import Admin, Person
from samla_network.groups import changes, meetings, views
from samla_network.groups import service as groups
from samla_network.groups.schemas import (
    CheckInIn,
    CheckInOut,
    GroupOut,
    LeaveIn,
    LeaveOut,
    MeetingIn,
    MeetingOut,
    MergeIn,
    MyNetworkOut,
)
from samla_network.problems import problems

router = APIRouter(tags=["networks"])
GroupId = Annotated[str, Path(min_length=1, max_length=36, examples=["5a7d2c10-4b8e-4f0a-8c3d-1e2f3a4b5c6d"])]


def _leave_out(outcome: changes.LeaveOutcome) -> LeaveOut:
    return LeaveOut(moved=outcome.moved, dissolved=outcome.dissolved, unplaced=outcome.unplaced)


@router.get("/groups", response_model=list[GroupOut], responses=problems(422),
            summary="Published networks, optionally of one run or status. Roles: samla-admin.")
def list_groups(session: SessionDep, _: Admin,
                run_id: Annotated[str | None, Query(max_length=36)] = None,
                status: Annotated[Literal["active", "dissolved"] | None, Query()] = None) -> list[GroupOut]:
    return [views.group_out(session=session, group=g)
            for g in groups.listing(session=session, run_id=run_id, status=status)]


@router.get("/groups/{group_id}", response_model=GroupOut, responses=problems(404),
            summary="One network with its members' shared profiles. Roles: samla-admin, or a member of it.")
def get_group(group_id: GroupId, session: SessionDep, principal: Person) -> GroupOut:
    group = groups.require_member_or_admin(session=session, group_id=group_id, person_id=principal.sub,
                                           is_admin=principal.has_any([ADMIN]))
    return views.group_out(session=session, group=group)


@router.get("/groups/{group_id}/meetings", response_model=list[MeetingOut], responses=problems(404),
            summary="A network's meeting log, newest first. Roles: samla-admin, or a member of it.")
def get_meetings(group_id: GroupId, session: SessionDep, principal: Person) -> list[MeetingOut]:
    groups.require_member_or_admin(session=session, group_id=group_id, person_id=principal.sub,
                                   is_admin=principal.has_any([ADMIN]))
    return [views.meeting_out(m) for m in meetings.log(session=session, group_id=group_id)]


@router.post("/groups/{group_id}/meetings", response_model=MeetingOut, status_code=201,
             responses=problems(400, 404, 409, 422),
             summary="Log a meeting that took place. Roles: samla-admin, or a member of it.")
def post_meeting(group_id: GroupId, body: MeetingIn, session: SessionDep, principal: Person) -> MeetingOut:
    groups.require_member_or_admin(session=session, group_id=group_id, person_id=principal.sub,
                                   is_admin=principal.has_any([ADMIN]))
    return views.meeting_out(meetings.record(session=session, group_id=group_id, held_on=body.held_on,
                                             attendees=body.attendees, note=body.note, by=principal.sub))


@router.put("/groups/{group_id}/check-ins/mine", response_model=CheckInOut, responses=problems(404, 409, 422),
            summary="Answer \"did your network meet?\" for a period. Roles: a member of the network.")
def put_check_in(group_id: GroupId, body: CheckInIn, session: SessionDep, principal: Person) -> CheckInOut:
    if principal.sub not in groups.member_ids(session=session, group_id=groups.get(session=session,
                                                                                     group_id=group_id).id):
        raise Forbidden("Only the network's members answer its check-ins.")
    row = meetings.check_in(session=session, group_id=group_id, person_id=principal.sub, period=body.period,
                            met=body.met)
    return CheckInOut(period=row.period, met=row.met, answered_at=row.answered_at)


@router.post("/groups/{group_id}/leave", response_model=LeaveOut, responses=problems(400, 404, 409),
             summary="Leave a network; a group left too small is re-matched into the others. "
                     "Roles: a member of the network.")
def leave_group(group_id: GroupId, session: SessionDep, principal: Person) -> LeaveOut:
    groups.require_member_or_admin(session=session, group_id=group_id, person_id=principal.sub, is_admin=False)
    return _leave_out(changes.leave(session=session, group_id=group_id, person_id=principal.sub))


@router.post("/groups/{group_id}/remove", response_model=LeaveOut, responses=problems(400, 404, 409, 422),
             summary="Take someone out of a network (a drop-out or no-show); re-matches as on leave. "
                     "Roles: samla-admin.")
def remove_member(group_id: GroupId, body: LeaveIn, session: SessionDep, _: Admin) -> LeaveOut:
    return _leave_out(changes.leave(session=session, group_id=group_id, person_id=body.person_id,
                                    reason="removed"))


@router.post("/groups/{group_id}/dissolve", response_model=GroupOut, responses=problems(404, 409),
             summary="Dissolve a network (history keeps who was in it). Roles: samla-admin.")
def dissolve_group(group_id: GroupId, session: SessionDep, _: Admin) -> GroupOut:
    return views.group_out(session=session, group=changes.dissolve(session=session, group_id=group_id))


@router.post("/groups/{group_id}/merge", response_model=GroupOut, responses=problems(400, 404, 409, 422),
             summary="Merge another network into this one (the other is dissolved). Roles: samla-admin.")
def merge_groups(group_id: GroupId, body: MergeIn, session: SessionDep, _: Admin) -> GroupOut:
    group = changes.merge(session=session, group_id=group_id, other_id=body.other_group_id)
    return views.group_out(session=session, group=group)


@router.get("/me/networks", response_model=list[MyNetworkOut], responses=problems(),
            summary="The signed-in person's active networks: members, meetings, their check-ins. "
                    "Any signed-in person.")
def my_networks(session: SessionDep, principal: Person) -> list[MyNetworkOut]:
    return [views.my_network(session=session, group=g, person_id=principal.sub)
            for g in groups.groups_of(session=session, person_id=principal.sub)]
