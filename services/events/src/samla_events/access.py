"""Who may do what in the events service (DESIGN §7): dependency aliases the routers share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP, Principal, require_roles

# The HR programme admin manages days, invitations, waiting lists and exports.
Admin = Annotated[Principal, Depends(require_roles(ADMIN))]
# Admins and facilitators run the day: agenda, check-in, the door.
Staff = Annotated[Principal, Depends(require_roles(ADMIN, FACILITATOR))]
# Admins, facilitators and leadership may read a day and its live counts.
Reader = Annotated[Principal, Depends(require_roles(ADMIN, FACILITATOR, LEADERSHIP))]
