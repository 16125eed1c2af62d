"""Reading and saving a person's own matching profile."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_network.errors import invalid
from samla_network.profiles.models import Profile
from samla_network.profiles.schemas import ProfileIn
from samla_network.profiles.tags import CHALLENGES
from samla_network.topics import utcnow


def get(*, session: Session, person_id: str) -> Profile | None:
    """The person's saved profile, or None."""
    return session.get(Profile, person_id)


def save(*, session: Session, person_id: str, data: ProfileIn) -> Profile:
    """Creates or replaces the person's profile; unknown challenge ids are refused."""
    unknown = [c for c in data.challenges if c not in CHALLENGES]
    if unknown:
        raise invalid("challenges", f"unknown challenge {', '.join(unknown)}; pick from GET /profile/options")
    profile = session.get(Profile, person_id) or Profile(person_id=person_id)
    profile.challenges = list(dict.fromkeys(data.challenges))
    profile.challenges_text = data.challenges_text.strip()
    profile.languages = sorted({lang.strip().lower() for lang in data.languages if lang.strip()})
    profile.availability = sorted({slot.strip().lower() for slot in data.availability if slot.strip()})
    profile.location = (data.location or "").strip() or None
    profile.years_as_manager = data.years_as_manager
    profile.opted_out = data.opted_out
    profile.share = list(dict.fromkeys(data.share))
    profile.updated_at = utcnow()
    session.add(profile)
    session.flush()
    return profile


def of_people(*, session: Session, person_ids: set[str]) -> dict[str, Profile]:
    """Saved profiles of these people, by person id."""
    if not person_ids:
        return {}
    return {p.person_id: p for p in session.scalars(select(Profile).where(Profile.person_id.in_(person_ids)))}
