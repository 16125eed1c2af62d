"""Who may do what in the network service (DESIGN §7): dependency aliases the routers share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from samla_common.auth import ADMIN, Principal, get_person, require_roles

# The HR leadership-programme admin forms, reviews, publishes and looks after networks.
Admin = Annotated[Principal, Depends(require_roles(ADMIN))]
# Any signed-in person (not a client-credentials token): their own profile and their own networks.
Person = Annotated[Principal, Depends(get_person)]
