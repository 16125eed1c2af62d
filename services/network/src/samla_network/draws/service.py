"""'Meet the leadership' draws: first-line managers in small groups, those not yet drawn first."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_network.draws.models import LeadershipDraw
from samla_network.errors import invalid
from samla_network.matching import draw_leadership_groups
from samla_network.runs import inputs as run_inputs
from samla_network.topics import utcnow


def draw(*, session: Session, period: str, group_count: int, group_size: int, population: dict[str, object],
         by: str, seed: int) -> LeadershipDraw:
    """Draws and stores the period's groups; every earlier draw counts as a turn already had."""
    ids = run_inputs.population_ids(session=session, population=population)
    frozen, _ = run_inputs.build_inputs(session=session, person_ids=ids, event_id=None)
    earlier = [[pid for g in d.groups for pid in g] for d in session.scalars(select(LeadershipDraw))]
    result = draw_leadership_groups(people=run_inputs.to_people(frozen), group_count=group_count,
                                    group_size=group_size, earlier_draws=earlier, seed=seed)
    if not result.groups:
        raise invalid("population", "has no first-line managers (level 'enhetschef') who have not opted out")
    row = LeadershipDraw(id=str(uuid.uuid4()), period=period, groups=[list(g) for g in result.groups],
                         drawn_by=by, drawn_at=utcnow())
    session.add(row)
    session.flush()
    return row


def listing(*, session: Session) -> list[LeadershipDraw]:
    return list(session.scalars(select(LeadershipDraw).order_by(LeadershipDraw.drawn_at.desc())))
