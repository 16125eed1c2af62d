"""FastAPI dependencies of the network service: the matching executor and the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from samla_network.config import Settings
from samla_network.runs.executor import Executor


async def get_executor(request: Request) -> Executor:
    executor: Executor = request.app.state.executor
    return executor


async def get_network_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ExecutorDep = Annotated[Executor, Depends(get_executor)]
SettingsDep = Annotated[Settings, Depends(get_network_settings)]
