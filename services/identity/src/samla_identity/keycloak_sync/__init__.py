"""Keycloak as a directory source: users → people, groups → org units, realm roles → roles (issue 3)."""
