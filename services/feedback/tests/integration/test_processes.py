"""Budget and vision processes: structured input under the anonymity rules, decisions and the follow-up that goes
back to the managers, the leadership report, and the integration API with its exports."""

from __future__ import annotations

import csv
import io
import uuid

import openpyxl
import pytest
from sqlalchemy import select

from samla_common.messaging.outbox import outbox_table

from .conftest import Feedback
from .process_support import ADMIN, FAC, LEADER, chefsdag, integration_headers, process, theme

pytestmark = pytest.mark.integration


def pid() -> str:
    return f"budget-{uuid.uuid4().hex[:8]}"


def cells(item: dict) -> dict[tuple[str, str], dict]:
    return {(c["dimension"], c["value"]): c for c in item["cells"]}


def test_input_totals_equal_the_answers_and_groups_below_k_or_differencing_are_suppressed(
        feedback: Feedback, event_id: str) -> None:
    day = chefsdag(feedback, event_id)
    p = process(feedback, pid(), [day])

    items = feedback.call("GET", f"/processes/{p['id']}/input", as_=LEADER, role="leader", expect=200).json()

    priority = next(i for i in items if i["prompt_id"] == day.priority)
    by_cell = cells(priority)
    total = {s["area_id"]: s for s in by_cell[("total", "")]["areas"]}
    assert by_cell[("total", "")]["people"] == 12
    assert total["skola"]["total"] == sum(v["skola"] for v in day.points.values())
    skola = sorted(v["skola"] for v in day.points.values())
    assert total["skola"]["min"] == skola[0] and total["skola"]["max"] == skola[-1]
    assert total["skola"]["sd"] > 0 and total["skola"]["q1"] <= total["skola"]["median"] <= total["skola"]["q3"]
    soc = {s["area_id"]: s["total"] for s in by_cell[("administration", "ou-soc")]["areas"]}
    assert soc["skola"] == sum(v["skola"] for person, v in day.points.items() if day.people[person][0] == "ou-soc")
    assert by_cell[("administration", "ou-soc")]["name"] == "Socialförvaltningen"
    # Two avdelningschefer are fewer than k; the ten enhetschefer would give them away against the total.
    assert by_cell[("level", "avdelningschef")]["suppressed"] and by_cell[("level", "enhetschef")]["suppressed"]
    assert by_cell[("level", "enhetschef")]["areas"] == []
    ranking = next(i for i in items if i["prompt_id"] == day.ranking)
    borda = {s["area_id"]: s["total"] for s in cells(ranking)[("total", "")]["areas"]}
    assert ranking["method"] == "borda" and borda == {"skola": 6 * 3 + 6 * 2, "omsorg": 6 * 2, "klimat": 6 * 3 + 6}


def test_two_events_of_a_process_are_compared_and_processes_of_a_series_make_a_trend(feedback: Feedback) -> None:
    spring, autumn = chefsdag(feedback, f"ev-{uuid.uuid4().hex[:8]}"), \
        chefsdag(feedback, f"ev-{uuid.uuid4().hex[:8]}", seed=3)
    series = f"budget-{uuid.uuid4().hex[:6]}"
    earlier = process(feedback, pid(), [spring], series=series, year=2026)
    later = process(feedback, pid(), [spring, autumn], series=series, year=2027)

    compared = feedback.call("GET", f"/processes/{later['id']}/input/compare?a={spring.event_id}&b="
                             f"{autumn.event_id}", as_=LEADER, role="leader", expect=200).json()
    trend = feedback.call("GET", f"/processes/{later['id']}/trend", as_="owner-1", expect=200).json()

    points = next(c for c in compared if c["method"] == "points")
    everyone = next(g for g in points["groups"] if g["dimension"] == "total")
    skola = next(a for a in everyone["areas"] if a["area_id"] == "skola")
    mean = lambda day: sum(v["skola"] for v in day.points.values()) / 12  # noqa: E731
    assert skola["mean_a"] == pytest.approx(mean(spring), abs=1e-3)
    assert skola["change"] == pytest.approx(mean(autumn) - mean(spring), abs=1e-3)
    assert [t["process_id"] for t in trend] == [earlier["id"], later["id"]]
    shares = {a["area_id"]: a["share"] for a in trend[0]["methods"]["points"]}
    assert sum(shares.values()) == pytest.approx(100, abs=0.05)


def test_a_status_change_notifies_named_contributors_and_the_follow_up_shows_what_happened(
        feedback: Feedback, event_id: str) -> None:
    day = chefsdag(feedback, event_id)
    p = process(feedback, pid(), [day])
    theme_id = theme(feedback, day, p["id"])

    changed = feedback.call("PUT", f"/processes/{p['id']}/decisions/{theme_id}", as_=LEADER, role="leader",
                            expect=200, json={"status": "under_consideration", "owner_id": "kd-anna",
                                              "response": "Vi tar upp det i ledningsgruppen."}).json()
    skipped = feedback.call("PUT", f"/processes/{p['id']}/decisions/{theme_id}", as_=LEADER, role="leader",
                            json={"status": "implemented"})
    by_owner = feedback.call("PUT", f"/processes/{p['id']}/decisions/skola", as_="owner-1", expect=200,
                             json={"status": "under_consideration"})
    by_manager = feedback.call("PUT", f"/processes/{p['id']}/decisions/skola", as_="someone",
                               json={"status": "decided"})
    contributor = next(iter(day.points))
    mine = feedback.call("GET", "/me/notifications", as_=contributor, expect=200).json()
    follow_up = feedback.call("GET", f"/processes/{p['id']}/follow-up", as_="any-manager", expect=200).json()

    assert changed["status"] == "under_consideration" and changed["notified"] == 12
    assert skipped.status_code == 409 and by_owner.status_code == 200 and by_manager.status_code == 403
    assert {n["subject_id"] for n in mine} == {theme_id, "skola"}
    assert any("Under beredning" in n["message"] for n in mine)
    items = {i["subject_id"]: i for i in follow_up["items"]}
    assert items[theme_id]["response"] == "Vi tar upp det i ledningsgruppen."
    assert items["klimat"]["status"] == "received"
    assert "anonyma svar" in follow_up["notice"]["sv"]
    assert "Mer tid för dialog" not in str(follow_up)  # decisions and counts, never the answers
    with feedback.factory() as s:
        published = s.execute(select(outbox_table.c.data).where(
            outbox_table.c.type == "se.samla.feedback.theme.status_changed.v1",
            outbox_table.c.key == p["id"])).scalars().all()
    assert {(e["subject_id"], e["status"]) for e in published} == {(theme_id, "under_consideration"),
                                                                    ("skola", "under_consideration")}


def test_anonymous_contributors_cannot_be_notified(feedback: Feedback, event_id: str) -> None:
    day = chefsdag(feedback, event_id, soc=0, utb=5)
    anon = feedback.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", expect=201,
                         json={"kind": "open_text", "title": "Anonymt", "anonymous": True}).json()["id"]
    feedback.call("POST", f"/prompts/{anon}/open", as_=FAC, role="facilitator", expect=200)
    feedback.call("PUT", f"/events/{event_id}/tables/T1/members", as_=FAC, role="facilitator", expect=200,
                  json={"round_no": 0, "members": list(day.points)})
    for person in day.points:
        token = feedback.call("POST", f"/events/{event_id}/eligibility-tokens/mine", as_=person,
                              expect=201).json()["token"]
        feedback.call("POST", f"/prompts/{anon}/responses", as_=person, expect=201,
                      json={"text": "Mer tid för dialog", "eligibility_token": token})
    texts = feedback.call("GET", f"/prompts/{anon}/texts", as_=FAC, role="facilitator", expect=200).json()["texts"]
    p = process(feedback, pid(), [day])
    theme_id = theme(feedback, day, p["id"], [t["response_id"] for t in texts])

    changed = feedback.call("PUT", f"/processes/{p['id']}/decisions/{theme_id}", as_=LEADER, role="leader",
                            expect=200, json={"status": "under_consideration"}).json()

    assert changed["notified"] == 0
    assert all(feedback.call("GET", "/me/notifications", as_=person, expect=200).json() == [] for person in day.points)


def test_the_leadership_report_as_json_and_pdf(feedback: Feedback, event_id: str) -> None:
    day = chefsdag(feedback, event_id)
    p = process(feedback, pid(), [day])
    theme(feedback, day, p["id"])

    data = feedback.call("GET", f"/processes/{p['id']}/report", as_=LEADER, role="leader", expect=200).json()
    document = feedback.call("GET", f"/processes/{p['id']}/report.pdf", as_="owner-1", expect=200)

    assert [a["title"] for a in data["asked"]] == ["Fördela 100 poäng", "Rangordna områdena",
                                                    "Vad behöver din verksamhet?"]
    participation = {a["id"]: a["people"] for a in data["participation"][0]["administrations"]}
    assert participation == {"ou-soc": 7, "ou-utb": 5}
    assert data["themes"][0]["answers"] == 12 and len(data["themes"][0]["quotes"]) == 3
    assert document.headers["content-type"] == "application/pdf" and document.content.startswith(b"%PDF")
    assert feedback.call("GET", f"/processes/{p['id']}/report", as_="any-manager").status_code == 403


def test_a_manager_reads_the_follow_up_but_not_the_input_nor_other_administrations_free_text(
        feedback: Feedback, event_id: str) -> None:
    day = chefsdag(feedback, event_id)
    p = process(feedback, pid(), [day])
    manager = next(iter(day.points))

    assert feedback.call("GET", f"/processes/{p['id']}/follow-up", as_=manager).status_code == 200
    assert feedback.call("GET", f"/processes/{p['id']}/input", as_=manager).status_code == 403
    assert feedback.call("GET", f"/processes/{p['id']}/report.pdf", as_=manager).status_code == 403
    assert feedback.call("GET", f"/prompts/{day.text}/texts", as_=manager).status_code == 403
    assert feedback.call("GET", f"/integration/processes/{p['id']}/insights", as_=manager).status_code == 403


def test_an_integration_client_reads_insights_page_by_page_with_etags_and_nothing_else(
        feedback: Feedback, event_id: str) -> None:
    day = chefsdag(feedback, event_id)
    p = process(feedback, pid(), [day])
    theme(feedback, day, p["id"])
    client = integration_headers(feedback)

    first = feedback.client.get("/integration/processes?size=1", headers=client)
    seen, cursor = [first.json()["items"][0]["id"]], first.json()["next_cursor"]
    while cursor:
        page = feedback.client.get(f"/integration/processes?size=1&cursor={cursor}", headers=client).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    insights = feedback.client.get(f"/integration/processes/{p['id']}/insights", headers=client)
    again = feedback.client.get(f"/integration/processes/{p['id']}/insights",
                                headers={**client, "if-none-match": insights.headers["etag"]})

    assert p["id"] in seen and len(seen) == len(set(seen))
    assert insights.status_code == 200 and insights.json()["items"][0]["answers"] == 12
    assert insights.json()["items"][0]["decision"]["status"] == "received"
    assert again.status_code == 304 and again.content == b""
    feedback.call("PUT", f"/processes/{p['id']}/decisions/skola", as_=LEADER, role="leader", expect=200,
                  json={"status": "under_consideration"})
    export = feedback.client.get(f"/integration/processes/{p['id']}/export?format=json", headers=client)
    assert feedback.client.get(f"/integration/processes/{p['id']}/export?format=json",
                               headers={**client, "if-none-match": export.headers["etag"]}).status_code == 304
    for method, path in [("GET", f"/processes/{p['id']}"), ("GET", f"/processes/{p['id']}/follow-up"),
                         ("GET", f"/processes/{p['id']}/input"), ("GET", "/me/notifications"),
                         ("GET", "/webhooks"), ("PUT", f"/processes/{p['id']}/decisions/skola")]:
        assert feedback.client.request(method, path, headers=client, json={}).status_code == 403, path
    other_scope = feedback.client.get("/integration/processes", headers=integration_headers(feedback, "openid"))
    assert other_scope.status_code == 403


def test_exports_open_in_csv_and_xlsx_readers_with_swedish_formats(feedback: Feedback, event_id: str) -> None:
    day = chefsdag(feedback, event_id)
    p = process(feedback, pid(), [day])
    feedback.call("PUT", f"/processes/{p['id']}/decisions/skola", as_=LEADER, role="leader", expect=200,
                  json={"status": "under_consideration", "response": "=cmd|' /C calc'!A0"})
    client = integration_headers(feedback)

    as_csv = feedback.client.get(f"/integration/processes/{p['id']}/export?format=csv", headers=client)
    decisions_csv = feedback.client.get(f"/integration/processes/{p['id']}/export?format=csv&table=decisions",
                                        headers=client)
    as_xlsx = feedback.client.get(f"/integration/processes/{p['id']}/export?format=xlsx", headers=client)

    assert as_csv.content.startswith(b"\xef\xbb\xbf") and "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    everyone = [r for r in rows if r["Dimension"] == "total" and r["Metod"] == "points"]
    skola = next(r for r in everyone if r["Område"] == "Skola")
    assert skola["Summa"] == str(sum(v["skola"] for v in day.points.values()))
    assert "," in skola["Medel"] or skola["Medel"].isdigit()
    decision = next(r for r in csv.DictReader(io.StringIO(decisions_csv.content.decode("utf-8-sig")), delimiter=";")
                    if r["Tema/område"] == "Skola")
    assert decision["Svar"].startswith("'=") and decision["Status"] == "Under beredning"
    assert len(decision["Uppdaterad"]) == 16 and decision["Uppdaterad"][4] == "-"
    wb = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
    assert wb.sheetnames == ["Underlag", "Beslut"]
    assert any(isinstance(row[9], float | int) for row in wb["Underlag"].iter_rows(min_row=2, values_only=True))


def test_only_admins_create_processes_and_prompts_must_belong_to_linked_events(feedback: Feedback,
                                                                               event_id: str) -> None:
    day = chefsdag(feedback, event_id, soc=0, utb=5)
    body = {"title": "Vision 2040", "kind": "vision", "owner_id": "o", "event_ids": ["another-event"],
            "prompt_ids": [day.priority]}

    assert feedback.call("POST", "/processes", as_=LEADER, role="leader", json=body).status_code == 403
    refused = feedback.call("POST", "/processes", as_=ADMIN, role="admin", json=body)
    backwards = feedback.call("POST", "/processes", as_=ADMIN, role="admin", json={
        **body, "event_ids": [event_id], "phases": [
            {"phase": "decision", "starts_on": "2027-01-01", "ends_on": "2027-02-01"},
            {"phase": "dialogue", "starts_on": "2027-03-01", "ends_on": "2027-03-02"}]})

    assert refused.status_code == 422 and "not linked" in refused.json()["errors"][0]["message"]
    assert backwards.status_code == 422
