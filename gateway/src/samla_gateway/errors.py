"""What a page can fail with; `web.install_page_handlers` turns these into Swedish (or English) HTML pages."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


class PageError(Exception):
    """A page cannot be shown; `title` and `message` are catalogue ids."""

    def __init__(self, status: int, title: str, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.detail = detail  # extra text from a service, shown as is


class SignInRequired(Exception):
    """An anonymous person asked for a page that needs a signed-in person."""

    def __init__(self, next_path: str = "/") -> None:
        super().__init__(next_path)
        self.next_path = next_path


class IdentityUnavailable(PageError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(503, N_("The directory is not answering"),
                         N_("The directory service cannot be reached right now. Nothing you did caused this. "
                            "Try again in a minute."), detail=detail)


class EventsUnavailable(PageError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(503, N_("The events service is not answering"),
                         N_("The chefsdag service cannot be reached right now. Nothing you did caused this. "
                            "Try again in a minute."), detail=detail)


def forbidden() -> PageError:
    return PageError(403, N_("Not allowed"),
                     N_("This page is for Samla administrators (the role samla-admin). Ask HR's leadership "
                        "programme if you need access."))


def staff_only() -> PageError:
    return PageError(403, N_("Not allowed"),
                     N_("This page is for the people who run the day: Samla administrators and facilitators "
                        "(the roles samla-admin and samla-facilitator)."))


def not_found() -> PageError:
    return PageError(404, N_("Page not found"), N_("There is no page at this address."))
