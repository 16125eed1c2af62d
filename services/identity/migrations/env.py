from samla_common.migrations import run_env
from samla_identity.config import get_settings
from samla_identity.db import metadata

run_env(metadata, get_settings().database_url)
