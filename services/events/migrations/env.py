from samla_common.migrations import run_env
from samla_events.config import get_settings
from samla_events.db import metadata

run_env(metadata, get_settings().database_url)
