"""HTTP API: a person's own matching profile (`/me/profile`) and the fixed list of challenges."""

from __future__ import annotations

from fastapi import APIRouter

from samla_common.deps import SessionDep
from samla_network.access import Person
from samla_network.problems import problems
from samla_network.profiles import service
from samla_network.profiles.models import Profile
from samla_network.profiles.schemas import OptionsOut, ProfileIn, ProfileOut, TagOut
from samla_network.profiles.tags import CHALLENGES, SHAREABLE

router = APIRouter(tags=["profiles"])


def _out(person_id: str, profile: Profile | None) -> ProfileOut:
    if profile is None:
        return ProfileOut(person_id=person_id, saved=False)
    return ProfileOut(person_id=person_id, saved=True, challenges=profile.challenges,
                      challenges_text=profile.challenges_text, languages=profile.languages,
                      availability=profile.availability, location=profile.location,
                      years_as_manager=profile.years_as_manager, opted_out=profile.opted_out,
                      share=profile.share)


@router.get("/profile/options", response_model=OptionsOut, responses=problems(),
            summary="The challenges a profile can pick and the fields it can share. Any signed-in person.")
def get_options(_: Person) -> OptionsOut:
    return OptionsOut(challenges=[TagOut(id=k, label_sv=sv, label_en=en) for k, (sv, en) in CHALLENGES.items()],
                      shareable=list(SHAREABLE))


@router.get("/me/profile", response_model=ProfileOut, responses=problems(),
            summary="The signed-in person's matching profile (defaults when none is saved). Any signed-in person.")
def get_my_profile(session: SessionDep, principal: Person) -> ProfileOut:
    return _out(principal.sub, service.get(session=session, person_id=principal.sub))


@router.put("/me/profile", response_model=ProfileOut, responses=problems(400, 422),
            summary="Save the signed-in person's matching profile. Any signed-in person.")
def put_my_profile(body: ProfileIn, session: SessionDep, principal: Person) -> ProfileOut:
    return _out(principal.sub, service.save(session=session, person_id=principal.sub, data=body))
