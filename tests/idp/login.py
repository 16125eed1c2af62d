"""Signs a person in through the portal's HTML login form, as a browser would, up to the authorization code."""

from __future__ import annotations

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx


class LoginError(RuntimeError):
    """The provider did not hand out a code: wrong password, refused client, or an OAuth error redirect."""


def new_code_verifier() -> str:
    return secrets.token_urlsafe(48)


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _LoginForm(HTMLParser):
    """Collects the login form's action and every named input (hidden ones carry the CSRF token)."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.alerts: list[str] = []
        self._in_form = False
        self._in_alert = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "lform":
            self._in_form, self.action = True, a.get("action", "")
        elif tag == "input" and self._in_form and a.get("name") and a.get("type") != "checkbox":
            self.fields[a["name"]] = a.get("value", "")
        elif "alert" in a.get("class", "").split():
            self._in_alert = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "div":
            self._in_alert = False

    def handle_data(self, data: str) -> None:
        if self._in_alert and data.strip():
            self.alerts.append(data.strip())


def scripted_login(*, authorize_url: str, username: str, password: str, client_id: str, redirect_uri: str,
                   code_verifier: str, scope: str = "openid profile email",
                   browser: httpx.Client | None = None) -> str:
    """Runs authorize → login form → redirect and returns the code; raises LoginError otherwise.

    Pass `browser` (a client that does not follow redirects) to keep the SSO cookie, e.g. to log out later;
    by default each sign-in gets a fresh cookie jar, so one person's session never leaks into the next.
    """
    state = secrets.token_urlsafe(12)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
              "state": state, "nonce": secrets.token_urlsafe(12),
              "code_challenge": code_challenge(code_verifier), "code_challenge_method": "S256"}
    if browser is None:
        with new_browser() as own:
            return _sign_in(own, authorize_url, params, username, password)
    return _sign_in(browser, authorize_url, params, username, password)


def new_browser() -> httpx.Client:
    return httpx.Client(follow_redirects=False, timeout=10)


def _sign_in(browser: httpx.Client, authorize_url: str, params: dict[str, str], username: str,
             password: str) -> str:
    redirect_uri, state = params["redirect_uri"], params["state"]
    page = browser.get(authorize_url, params=params)
    if page.status_code != 200:  # already signed in: straight back with a code
        return _code_from(page, redirect_uri, state)
    form = _LoginForm()
    form.feed(page.text)
    if form.action is None:
        raise LoginError(f"no login form at {page.url} (HTTP {page.status_code})")
    action = str(page.url) if form.action in ("", "#") else urljoin(str(page.url), form.action)
    answer = browser.post(action, data=form.fields | {"user": username, "password": password})
    return _code_from(answer, redirect_uri, state)


def _code_from(resp: httpx.Response, redirect_uri: str, state: str) -> str:
    location = resp.headers.get("location", "")
    if resp.status_code not in (302, 303) or not location.startswith(redirect_uri):
        form = _LoginForm()
        form.feed(resp.text)
        raise LoginError(f"sign-in refused (HTTP {resp.status_code}): {' '.join(form.alerts) or location}")
    query = parse_qs(urlsplit(location).query)
    if "error" in query:
        raise LoginError(f"{query['error'][0]}: {query.get('error_description', [''])[0]}")
    if query.get("state") != [state]:
        raise LoginError(f"the provider returned another state than it was sent: {location}")
    return query["code"][0]
