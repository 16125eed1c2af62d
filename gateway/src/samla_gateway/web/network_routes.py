"""Every page of leadership networks under one router, in the order their paths must be tried: the fixed admin
paths (`/natverk/halsa`, `/natverk/korningar/...`) before a member's `/natverk/{group_id}`."""

from __future__ import annotations

from fastapi import APIRouter

from samla_gateway.web import (
    network_draws,
    network_groups,
    network_member,
    network_profile,
    network_progress,
    network_pulses,
    network_runs,
)

router = APIRouter()
for part in (network_progress, network_runs, network_groups, network_draws, network_pulses, network_profile,
             network_member):
    router.include_router(part.router)
