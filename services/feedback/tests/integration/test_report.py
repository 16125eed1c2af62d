"""The evaluation report of a chefsdag: the same k-protected content as the board, a PDF that opens with its
charts as images and people's text printed as typed, and only staff may read it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from .conftest import Feedback

pytestmark = pytest.mark.integration
FAC = "fac-1"
INJECTION = "<script>alert('x')</script> & <b>mer tid</b>"


def opened(fb: Feedback, event_id: str, **body: Any) -> str:
    prompt = fb.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", expect=201, json=body).json()
    fb.call("POST", f"/prompts/{prompt['id']}/open", as_=FAC, role="facilitator", expect=200)
    return str(prompt["id"])


def chefsdag(fb: Feedback, event_id: str) -> dict[str, str]:
    """Six managers from Socialförvaltningen and two from Kulturförvaltningen answer a poll (closed, broken down
    by administration), an open question, and three people a scale; one question reaches the wall."""
    fb.org_unit("ou-soc", "Socialförvaltningen", "forvaltning")
    fb.org_unit("ou-kul", "Kulturförvaltningen", "forvaltning")
    poll = opened(fb, event_id, kind="choice", title="Vad var bäst?", breakdowns=["administration"],
                  options=[{"id": "samtal", "label": "Samtalen vid borden"}, {"id": "tal", "label": "Talen"}])
    text = opened(fb, event_id, kind="open_text", title="Vad tar du med dig?")
    scale = opened(fb, event_id, kind="scale", title="Hur nöjd är du?")
    for i in range(8):
        person = f"{event_id}-p{i}"
        fb.person(person, f"Chef {i}", "ou-soc" if i < 6 else "ou-kul", "enhetschef")
        fb.call("POST", f"/prompts/{poll}/responses", as_=person, json={"choice": "samtal" if i % 3 else "tal"},
                expect=201)
        fb.call("POST", f"/prompts/{text}/responses", as_=person, expect=201,
                json={"text": INJECTION if i == 0 else f"Tid för dialog med medarbetarna ({i})"})
        if i < 3:
            fb.call("POST", f"/prompts/{scale}/responses", as_=person, json={"scale": 4}, expect=201)
    fb.call("POST", f"/prompts/{poll}/close", as_=FAC, role="facilitator", expect=200)
    question = fb.call("POST", f"/events/{event_id}/questions", as_=f"{event_id}-p1", expect=201,
                       json={"text": "Varför <img src=x onerror=alert(1)>?", "anonymous": True}).json()["id"]
    fb.call("POST", f"/questions/{question}/approve", as_=FAC, role="facilitator", expect=200)
    fb.call("PUT", f"/questions/{question}/follow-up", as_="lead", role="leader", expect=200,
            json={"status": "decided", "note": "Beslut i ledningsgruppen"})
    texts = fb.call("GET", f"/prompts/{text}/texts", as_=FAC, role="facilitator", expect=200).json()["texts"]
    few = fb.call("POST", f"/events/{event_id}/themes", as_=FAC, role="facilitator", expect=201,
                  json={"title": "Få röster", "response_ids": [t["response_id"] for t in texts[:3]]}).json()["id"]
    many = fb.call("POST", f"/events/{event_id}/themes", as_=FAC, role="facilitator", expect=201,
                   json={"title": "Dialog", "response_ids": [t["response_id"] for t in texts]}).json()["id"]
    return {"poll": poll, "text": text, "scale": scale, "question": question, "few": few, "many": many}


def test_the_report_shows_what_the_board_shows_and_no_group_below_k(feedback: Feedback, event_id: str) -> None:
    ids = chefsdag(feedback, event_id)

    report = feedback.call("GET", f"/events/{event_id}/report", as_="lead", role="leader", expect=200).json()

    by_id = {item["prompt"]["id"]: item for item in report["prompts"]}
    for prompt_id in (ids["poll"], ids["text"], ids["scale"]):
        board = feedback.call("GET", f"/prompts/{prompt_id}/results", as_="lead", role="leader").json()
        assert by_id[prompt_id]["results"] == board  # results.compute under the event's k, nothing else
    poll = by_id[ids["poll"]]
    groups = {g["id"]: g for g in poll["results"]["groups"]["administration"]}
    assert groups["ou-kul"]["suppressed"] and groups["ou-kul"]["summary"] is None  # 2 people < k
    assert groups["ou-soc"]["suppressed"]  # everyone minus Socialförvaltningen would single out those 2
    assert poll["chart"]["labels"] == ["Samtalen vid borden", "Talen"] and poll["chart"]["values"] == [5.0, 3.0]
    scale = by_id[ids["scale"]]
    assert scale["results"]["suppressed"] and scale["results"]["summary"] is None and scale["chart"] is None
    participation = {p["prompt_id"]: p for p in report["participation"]["prompts"]}
    assert participation[ids["scale"]] | {"title": ""} == {
        "prompt_id": ids["scale"], "title": "", "section": "dialogue", "audience": "individual", "respondents": 3,
        "suppressed": True}
    assert report["participation"]["invited"] is None  # not known to feedback, and not guessed
    themes = {t["id"]: t for t in report["themes"]}
    assert themes[ids["few"]]["suppressed"] and themes[ids["few"]]["quotes"] == []
    assert not themes[ids["many"]]["suppressed"] and len(themes[ids["many"]]["quotes"]) == 3
    [question] = report["questions"]
    assert question["follow_up"] == "decided" and question["follow_up_label"] == "Beslutad"
    assert question["follow_up_note"] == "Beslut i ledningsgruppen" and "author_id" not in question


def test_charts_are_served_only_for_results_that_may_be_shown(feedback: Feedback, event_id: str) -> None:
    ids = chefsdag(feedback, event_id)

    chart = feedback.call("GET", f"/events/{event_id}/report/charts/{ids['poll']}.svg", as_=FAC, role="facilitator")
    below_k = feedback.call("GET", f"/events/{event_id}/report/charts/{ids['scale']}.svg", as_=FAC,
                            role="facilitator")
    elsewhere = feedback.call("GET", f"/events/other-day/report/charts/{ids['poll']}.svg", as_=FAC,
                              role="facilitator")

    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert chart.content.lstrip().startswith(b"<?xml") and b"<svg" in chart.content
    assert below_k.status_code == 404 and "fewer than k" in below_k.json()["detail"]
    assert elsewhere.status_code == 404


def test_the_pdf_opens_with_charts_as_images_and_prints_answers_as_typed(feedback: Feedback, event_id: str) -> None:
    chefsdag(feedback, event_id)

    response = feedback.call("GET", f"/events/{event_id}/report.pdf", as_="adm", role="admin", expect=200)

    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1  # the poll; the scale is below k and open text has no chart
    assert images[0].image is not None and images[0].image.width > 500  # a real raster, decoded
    squeeze = "".join(text.split())
    for expected in ("Resultat per fråga", "Vad var bäst?", "Teman och citat", "Frågor till ledningen",
                     INJECTION, "Varför <img src=x onerror=alert(1)>?", "Beslutad: Beslut i ledningsgruppen"):
        assert "".join(expected.split()) in squeeze, expected
    assert "Färre än 5 har svarat" in text  # the scale


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("facilitator", 200), ("leader", 200), ("", 403)])
def test_only_staff_read_the_report(feedback: Feedback, event_id: str, role: str, status: int) -> None:
    for path in ("/report", "/report.pdf"):
        feedback.call("GET", f"/events/{event_id}{path}", as_="someone", role=role, expect=status)


def test_the_report_needs_a_signed_in_caller(feedback: Feedback, event_id: str) -> None:
    assert feedback.client.get(f"/events/{event_id}/report").status_code == 401
    assert feedback.client.get(f"/events/{event_id}/report.pdf").status_code == 401
