""""Min dag" for every manager, phone first: the days I am invited to, my answer (with dietary and accessibility
needs and consent to the participant list), a deputy, the waiting list, the agenda, my table in each round and
my QR code for the door. Events answers about the signed-in person only (`/me/events`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import CsrfChecked, Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.directory import Directory
from samla_gateway.errors import N_, PageError
from samla_gateway.web import events_api, render

router = APIRouter(tags=["web"], include_in_schema=False)
DONE = {"anmald": N_("Thank you! You are registered."),
        "vantelista": N_("The day is full, so you are on the waiting list. You get an e-mail if a seat frees up."),
        "erbjuden": N_("A seat is held for you. Register to take it."),
        "nej": N_("Thank you for answering. You have declined."),
        "lamnat": N_("You have left the waiting list."),
        "ersattare": N_("Your deputy is invited and has been told.")}
BY_STATUS = {"registered": "anmald", "waitlisted": "vantelista", "offered": "erbjuden", "declined": "nej",
             "cancelled": "nej"}


def me_path(event_id: str, rest: str = "") -> str:
    return f"/me/events/{quote(event_id, safe='')}{rest}"


def not_invited() -> PageError:
    return PageError(404, N_("You are not invited to this day"),
                     N_("There is no invitation for you to this chefsdag. If you think there should be, ask HR's "
                        "leadership programme."))


@router.get("/min-dag", response_class=HTMLResponse, summary="My chefsdagar. Any signed-in person.")
async def my_days(request: Request, viewer: Person) -> HTMLResponse:
    resp = await events_api.call(request, viewer, "GET", "/me/events")
    days = sorted(events_api.json_or(resp, []), key=lambda d: d["date"])
    return render(request, "my_day/list.html", {"days": days, "status_labels": events_api.STATUS_LABELS})


async def page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200, **extra: Any) -> HTMLResponse:
    resp = await events_api.call(request, viewer, "GET", me_path(event_id), answers_403=True)
    if resp.status_code in (403, 404, 422):
        raise not_invited()
    resp.raise_for_status()
    mine = resp.json()
    tables = {t["round_no"]: t["table"] for t in mine.get("tables") or []}
    context = {"mine": mine, "event": mine["event"], "reg": mine.get("registration") or {}, "tables": tables,
               "status_labels": events_api.STATUS_LABELS, "diet_labels": events_api.DIET_LABELS,
               "kinds": events_api.AGENDA_KINDS, "done": DONE.get(request.query_params.get("klart", ""), "")}
    return render(request, "my_day/day.html", context | extra, status=status)


@router.get("/dag/{event_id}", response_class=HTMLResponse,
            summary="My day: answer, agenda, my tables, my QR code (the link in the invitation mail). "
                    "Any signed-in person (invited to the day).")
async def my_day(request: Request, event_id: str, viewer: Person) -> HTMLResponse:
    return await page(request, viewer, event_id)


def back(event_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/dag/{quote(event_id, safe='')}?klart={done}#svar", status_code=303)


@router.post("/dag/{event_id}/svar", response_class=HTMLResponse,
             summary="Answer the invitation: attend (with needs and consent) or decline. "
                     "Any signed-in person (invited; CSRF token).")
async def answer(request: Request, event_id: str, viewer: Person, _: None = CsrfChecked) -> Response:
    form = await request.form()
    attending = form.get("attending")
    if attending not in ("yes", "no"):
        return await page(request, viewer, event_id, status=400, error=N_("Say whether you will come."))
    body: dict[str, Any] = {"attending": attending == "yes"}
    if attending == "yes":
        body |= {"dietary": [str(d) for d in form.getlist("dietary") if d in events_api.DIET_LABELS],
                 "dietary_other": str(form.get("dietary_other", "")).strip()[:500] or None,
                 "dietary_name_to_caterer": form.get("dietary_name_to_caterer") == "true",
                 "accessibility": str(form.get("accessibility", "")).strip()[:500] or None,
                 "needs_accessible_seat": form.get("needs_accessible_seat") == "true",
                 "consent_listed": form.get("consent_listed") == "true"}
    resp = await events_api.call(request, viewer, "PUT", me_path(event_id, "/registration"), json=body,
                                 answers_403=True)
    if resp.status_code in (403, 404):
        raise not_invited()
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=409 if resp.status_code == 409 else 400,
                          error=N_("Your answer could not be saved."), detail=events_api.message(resp, request))
    return back(event_id, BY_STATUS.get(resp.json().get("status", ""), "anmald"))


@router.post("/dag/{event_id}/lamna-vantelistan", response_class=HTMLResponse,
             summary="Leave the waiting list (or turn down the seat offered). Any signed-in person (CSRF token).")
async def leave_waiting_list(request: Request, event_id: str, viewer: Person, _: None = CsrfChecked) -> Response:
    resp = await events_api.call(request, viewer, "DELETE", me_path(event_id, "/waiting-list"), answers_403=True)
    if resp.status_code in (403, 404):
        raise not_invited()
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=409 if resp.status_code == 409 else 400,
                          error=N_("You could not leave the waiting list."), detail=events_api.message(resp, request))
    return back(event_id, "lamnat")


@router.post("/dag/{event_id}/ersattare", response_class=HTMLResponse,
             summary="Send a deputy in my place, found by their e-mail address. "
                     "Any signed-in person (invited; CSRF token).")
async def send_deputy(request: Request, event_id: str, viewer: Person,
                      email: Annotated[str, Form(max_length=300)] = "", _: None = CsrfChecked) -> Response:
    wanted = email.strip().lower()
    directory: Directory = request.app.state.directory
    # Only an exact address finds someone: a participant cannot browse the directory from here.
    match = next((p for p in await directory.everyone() if wanted and p.email.lower() == wanted), None)
    if match is None or match.id == viewer.principal.sub:
        return await page(request, viewer, event_id, status=400, deputy_email=email,
                          error=N_("Nobody else in the directory has that e-mail address."))
    resp = await events_api.call(request, viewer, "POST", me_path(event_id, "/deputy"), json={"person_id": match.id},
                                 answers_403=True)
    if resp.status_code == 403:
        raise not_invited()
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=409 if resp.status_code == 409 else 400,
                          deputy_email=email, error=N_("Your deputy could not be sent."),
                          detail=events_api.message(resp, request))
    return back(event_id, "ersattare")
