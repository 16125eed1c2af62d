"""SCIM 2.0 server (RFC 7643/7644) at /scim/v2: Entra ID, HR systems and Keycloak SCIM plugins provision people.

Mapping:
- User `id` = Person.id, the person's sign-in subject. A client that knows the subject (a Keycloak SCIM plugin:
  the Keycloak user id; a setup where Entra ID users sign in through Keycloak: the attribute Keycloak maps to
  sub) sends it at creation as `urn:samla:params:scim:schemas:extension:samla:2.0:User:subject`; otherwise the
  id is a new UUID, and the person can sign in as themselves only once an IdP issues that UUID as their sub
  (or the Keycloak sync links them). userName (unique, case-insensitive) and externalId are stored as sent.
- displayName (else name.formatted, else givenName + familyName, else userName) → name; name parts are kept
  as sent. title → title; the primary (else work, else first) email → email; the work address's locality →
  location; preferredLanguage is kept as sent and seeds the Samla extension's `languages` when a client does
  not send them (see user_map._languages); active → active.
- Enterprise extension: employeeNumber → employee_number; department → org unit by id, else by name (the
  person's current unit wins when several share the name; unknown names leave the person unplaced and the
  department is kept as sent); manager.value → manager_id (must be a User here).
- Samla extension: level (kommundirektor … medarbetare), languages, subject.
- Groups are org units (displayName = name; a Samla extension has kind and parent); members are read-only:
  the active people placed in the unit. See `groups`.

Deleting: DELETE /Users/{id} deactivates the person through people.service (history is kept) and hides them
from SCIM: later requests for the id answer 404 and lists leave them out (RFC 7644 §3.6). PATCH active=false
only deactivates (Entra ID's usual way); the user stays readable. A POST with a deleted person's userName
brings that person back with their id and history. DELETE /Groups/{id} removes only an empty org unit.

Every write goes through people.service / orgunits.service, so each real change lands in the outbox once;
an identical PUT publishes nothing. Errors are RFC 7644 §3.12 documents (see `errors`).
"""
