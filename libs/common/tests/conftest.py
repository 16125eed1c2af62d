import sys
from pathlib import Path

# Lets the tests import platform_db.py, the small schema they share.
sys.path.insert(0, str(Path(__file__).parent))
