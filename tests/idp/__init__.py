"""Test harness for a real OpenID Connect provider (Lemonldap::NG); see `llng.py` and `fixtures.py`."""
