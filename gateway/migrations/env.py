from samla_common.migrations import run_env
from samla_gateway.auth.tables import metadata
from samla_gateway.config import get_settings

run_env(metadata, get_settings().database_url)
