"""The real OpenID Connect provider's fixtures (`idp`, `idp_factory`, `idp_redirect_uris`; see tests/idp)."""

from tests.idp.fixtures import idp, idp_factory, idp_redirect_uris

__all__ = ["idp", "idp_factory", "idp_redirect_uris"]
