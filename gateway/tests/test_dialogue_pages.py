"""The dialogue pages against the real feedback, events and identity services: a facilitator creates and opens
prompts and moderates; a manager answers on "Dialog" and asks on "Frågor"; refusals come back in Swedish; what
people write is shown as text, never as markup; each page is only for the roles it names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import Browser, Identity, wait_until
from gateway.tests.test_event_pages import create_day, invite_utbildning
from gateway.tests.test_pages import main_text
from samla_common import migrations

INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def feedback(identity: Identity) -> Iterator[str]:
    """The feedback service beside identity and events (its own database; no broker, no webhook sender)."""
    stack = identity.stack
    stack.extra_env.update({"SAMLA_FEEDBACK_RELAY_ENABLED": "false", "SAMLA_FEEDBACK_KAFKA_CONSUMER_ENABLED": "false",
                            "SAMLA_FEEDBACK_WEBHOOK_SENDER_ENABLED": "false"})
    migrations.upgrade("feedback", f"sqlite:///{stack.var_dir / 'db' / 'feedback.db'}")
    stack.start_service("feedback")
    url = f"http://127.0.0.1:{stack.ports.http('feedback')}"

    def up() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=60, what="feedback to answer")
    yield url
    stack.stop_service("feedback")


def dialogue_gateway(make_gateway: MakeGateway, feedback: str) -> Browser:
    # The pages never need the live stream's broker consumer; SSE itself is another module's test.
    return make_gateway(feedback_url=feedback, live_kafka_enabled=False)


@dataclass
class Day:
    id: str
    facilitator: Browser
    manager: Browser
    admin: Browser


@pytest.fixture
def day(make_gateway: MakeGateway, feedback: str) -> Day:
    """A chefsdag Maja Chef is invited to, with a facilitator, Maja and an admin signed in to gateways that reach
    feedback."""
    def person(person_id: str) -> Browser:
        browser = dialogue_gateway(make_gateway, feedback)
        assert browser.sign_in(person_id).status_code == 303
        return browser

    admin = person("p-admin")
    day_id = create_day(admin, title="Chefsdag med dialog")
    assert invite_utbildning(admin, day_id).status_code == 200
    return Day(id=day_id, facilitator=person("p-facilitator"), manager=person("p-chef"), admin=admin)


def create_prompt(day: Day, **fields: str) -> str:
    """Creates a prompt on the control page and returns its id (the newest row of the table)."""
    browser = day.facilitator
    before = set(prompt_ids(browser, day.id))
    resp = browser.client.post(f"/dialog/{day.id}/ny", data=fields | {"csrf_token": browser.csrf()},
                               follow_redirects=False)
    assert resp.status_code == 303, main_text(resp.text)[:800]
    (new,) = set(prompt_ids(browser, day.id)) - before
    return new


def prompt_ids(browser: Browser, day_id: str) -> list[str]:
    return re.findall(r'<tr id="p-([0-9a-f-]{36})"', browser.client.get(f"/dialog/{day_id}").text)


def post(browser: Browser, path: str, data: dict[str, Any]) -> httpx.Response:
    return browser.client.post(path, data=data | {"csrf_token": browser.csrf()}, follow_redirects=False)


def open_prompt(day: Day, prompt_id: str) -> None:
    assert post(day.facilitator, f"/dialog/{day.id}/fraga/{prompt_id}/oppna", {}).status_code == 303


def test_a_participant_answers_the_open_prompt_and_changes_the_answer_while_it_is_open(day: Day) -> None:
    prompt = create_prompt(day, template="scale_agree", title="Hur väl känner du till budgetprocessen?",
                           round_no="1")
    open_prompt(day, prompt)

    page = day.manager.client.get(f"/dag/{day.id}/dialog")
    text = main_text(page.text)
    assert page.status_code == 200 and "Hur väl känner du till budgetprocessen?" in text
    assert "1 – Instämmer inte alls" in text and 'src="/static/dialogue.js"' in page.text
    assert f'data-live-url="/live/events/{day.id}/prompts"' in page.text

    first = post(day.manager, f"/dag/{day.id}/dialog/{prompt}", {"scale": "4"})
    assert first.status_code == 303 and first.headers["location"].startswith(f"/dag/{day.id}/dialog?sparat={prompt}")
    changed = post(day.manager, f"/dag/{day.id}/dialog/{prompt}", {"scale": "2"})

    assert changed.status_code == 303
    saved = day.manager.client.get(f"/api/feedback/prompts/{prompt}/responses/mine").json()
    assert saved["value"] == {"scale": 2}
    again = day.manager.client.get(f"/dag/{day.id}/dialog?sparat={prompt}")
    assert "Tack! Ditt svar är sparat." in main_text(again.text) and "Ändra mitt svar" in again.text
    assert re.search(r'name="scale" value="2" checked', again.text)
    counts = main_text(day.facilitator.client.get(f"/dialog/{day.id}").text)
    assert "Öppen" in counts and "Stäng frågan" in counts


def test_the_open_panel_is_served_alone_for_the_live_refresh(day: Day) -> None:
    prompt = create_prompt(day, kind="choice", title="Vilket alternativ?", options="Ett\nTvå\nTre")

    empty = day.manager.client.get(f"/dag/{day.id}/dialog/oppna")
    open_prompt(day, prompt)
    panel = day.manager.client.get(f"/dag/{day.id}/dialog/oppna")

    assert "Ingen fråga är öppen just nu." in empty.text and "<html" not in empty.text
    assert f'data-prompt-id="{prompt}"' in panel.text and 'value="o2"' in panel.text


def test_answering_a_closed_prompt_is_refused_in_swedish_and_the_answer_is_kept_on_screen(day: Day) -> None:
    prompt = create_prompt(day, kind="open_text", title="Vad behöver ni?")
    open_prompt(day, prompt)
    panel_before = day.manager.client.get(f"/dag/{day.id}/dialog/oppna").text
    assert post(day.facilitator, f"/dialog/{day.id}/fraga/{prompt}/stang", {}).status_code == 303

    resp = day.manager.client.post(f"/dag/{day.id}/dialog/{prompt}",
                                   data={"text": "Mer tid", "csrf_token": day.manager.csrf()})

    assert f'data-prompt-id="{prompt}"' in panel_before
    assert resp.status_code == 409
    assert "Frågan är stängd. Svar tas inte längre emot." in main_text(resp.text)


def test_invalid_answers_come_back_with_swedish_messages_and_what_was_typed(day: Day) -> None:
    points = create_prompt(day, template="budget_points", title="Fördela poäng", options="Skola\nOmsorg\nKlimat")
    text = create_prompt(day, kind="open_text", title="Skriv fritt")
    open_prompt(day, points)
    open_prompt(day, text)

    wrong_sum = post(day.manager, f"/dag/{day.id}/dialog/{points}", {"points-o1": "50", "points-o2": "20"})
    too_long = post(day.manager, f"/dag/{day.id}/dialog/{text}", {"text": "x" * 2500})
    not_numbers = post(day.manager, f"/dag/{day.id}/dialog/{points}", {"points-o1": "femtio"})

    assert wrong_sum.status_code == 422 and "Fördela exakt 100 poäng" in main_text(wrong_sum.text)
    assert 'name="points-o1" value="50"' in wrong_sum.text
    assert too_long.status_code == 422 and "Texten är för lång: högst 2000 tecken." in main_text(too_long.text)
    assert not_numbers.status_code == 400 and "Skriv poängen som heltal." in main_text(not_numbers.text)


def test_free_text_prompts_warn_that_answers_may_become_public_documents(day: Day) -> None:
    prompt = create_prompt(day, template="table_talk", title="Vad tar ni med er?")
    open_prompt(day, prompt)

    page = day.manager.client.get(f"/dag/{day.id}/dialog").text

    warning = page.index("allmän handling")
    assert warning < page.index(f'id="f-{prompt}-text"')
    assert "Skriv inte namn på kollegor" in main_text(page) and "Ett svar per bord" in main_text(page)


def test_a_prompt_needing_an_answer_code_says_how_to_get_one(day: Day) -> None:
    prompt = create_prompt(day, kind="scale", title="Anonym skala", anonymous="true")
    open_prompt(day, prompt)

    page = main_text(day.manager.client.get(f"/dag/{day.id}/dialog").text)
    refused = post(day.manager, f"/dag/{day.id}/dialog/{prompt}", {"scale": "3"})
    code = post(day.manager, f"/dag/{day.id}/dialog/svarskod", {})

    assert "Anonym fråga." in page and "Hämta min svarskod" in page and "Svarskod från incheckningen" in page
    assert refused.status_code == 422 and "Svarskoden saknas" in main_text(refused.text)
    # Maja has no seat at the day in feedback's rosters, so no code is handed out; the page says why.
    assert code.status_code == 403 and "Bara den som har en plats" in main_text(code.text)


def test_what_people_write_is_shown_as_text_on_every_page(day: Day) -> None:
    prompt = create_prompt(day, kind="choice", title=f"Titel {INJECTION}", options=f"{INJECTION}\nNej")
    open_prompt(day, prompt)
    asked = post(day.manager, f"/dag/{day.id}/fragor", {"text": f"Fråga {INJECTION}"})
    assert asked.status_code == 303
    queued = day.facilitator.client.get(f"/dialog/{day.id}")
    question = re.search(r'<li id="q-([0-9a-f-]{36})">', queued.text)
    assert question, "the question is not in the moderation queue"
    assert post(day.facilitator, f"/dialog/{day.id}/modera/{question.group(1)}",
                {"action": "approve"}).status_code == 303

    pages = [day.manager.client.get(f"/dag/{day.id}/dialog").text, queued.text,
             day.manager.client.get(f"/dag/{day.id}/fragor").text,
             day.facilitator.client.get(f"/dialog/{day.id}/storskarm").text]

    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
    assert "Fråga &lt;script&gt;" in pages[2] and "Fråga &lt;script&gt;" in pages[3]


def test_questions_are_asked_moderated_in_the_open_and_voted_for_once(day: Day) -> None:
    named = post(day.manager, f"/dag/{day.id}/fragor", {"text": "Hur prioriterar vi budgeten?"})
    hidden = post(day.manager, f"/dag/{day.id}/fragor", {"text": "Varför gör Kalle så?", "anonymous": "true"})
    assert (named.status_code, hidden.status_code) == (303, 303)
    assert "fragad=granskas" in named.headers["location"]
    queue = day.facilitator.client.get(f"/dialog/{day.id}").text
    ids = dict((text, qid) for qid, text in re.findall(
        r'<li id="q-([0-9a-f-]{36})">\s*<p class="question-text">([^<]+)</p>', queue))
    approve = post(day.facilitator, f"/dialog/{day.id}/modera/{ids['Hur prioriterar vi budgeten?']}",
                   {"action": "approve"})
    hide = post(day.facilitator, f"/dialog/{day.id}/modera/{ids['Varför gör Kalle så?']}",
                {"action": "hide", "reason_code": "personal_data", "reason": "Namnger en kollega."})
    assert (approve.status_code, hide.status_code) == (303, 303)

    question = ids["Hur prioriterar vi budgeten?"]
    votes = [post(day.manager, f"/dag/{day.id}/fragor/{question}/rost", {}) for _ in range(2)]
    wall = day.manager.client.get(f"/dag/{day.id}/fragor?sortera=nyast")

    assert [v.status_code for v in votes] == [303, 303]
    text = main_text(wall.text)
    assert "Hur prioriterar vi budgeten?" in text and "1 röst" in text and "Anonym" not in text
    assert "Du har röstat – ta tillbaka" in text and "Uppföljning: Mottagen" in text
    assert "Skäl: Namnger eller pekar ut en person – Namnger en kollega." in text
    assert "Varför gör Kalle så?" not in text
    log = day.manager.client.get(f"/api/feedback/events/{day.id}/moderation-log").json()
    assert {e["action"] for e in log} == {"approved", "hidden"}


def test_a_facilitator_marks_a_question_answered_and_only_an_admin_moves_the_follow_up(day: Day) -> None:
    post(day.manager, f"/dag/{day.id}/fragor", {"text": "När kommer beslutet?"})
    qid = re.findall(r'<li id="q-([0-9a-f-]{36})">', day.facilitator.client.get(f"/dialog/{day.id}").text)[0]
    post(day.facilitator, f"/dialog/{day.id}/modera/{qid}", {"action": "approve"})

    answered = post(day.facilitator, f"/dialog/{day.id}/modera/{qid}",
                    {"action": "answer", "answer_text": "I januari."})
    refused = day.facilitator.client.post(f"/dialog/{day.id}/modera/{qid}",
                                          data={"action": "follow_up", "status": "decided",
                                                "csrf_token": day.facilitator.csrf()})
    moved = post(day.admin, f"/dialog/{day.id}/modera/{qid}", {"action": "follow_up", "status": "decided",
                                                                "note": "Beslut i budgetberedningen."})

    assert answered.status_code == 303 and moved.status_code == 303
    assert refused.status_code == 403 and "Du får inte göra det." in main_text(refused.text)
    wall = main_text(day.manager.client.get(f"/dag/{day.id}/fragor").text)
    assert "Besvarad skriftligt I januari." in wall
    assert "Uppföljning: Beslutad" in wall and "Beslut i budgetberedningen." in wall


def test_the_big_screen_shows_results_the_wall_and_a_join_code(day: Day) -> None:
    prompt = create_prompt(day, kind="choice", title="Ja eller nej?", options="Ja\nNej")
    open_prompt(day, prompt)
    post(day.manager, f"/dag/{day.id}/dialog/{prompt}", {"choice": "o1"})

    page = day.facilitator.client.get(f"/dialog/{day.id}/storskarm")
    hidden = day.facilitator.client.get(f"/dialog/{day.id}/storskarm?resultat=dolda")
    qr = day.facilitator.client.get(f"/dialog/{day.id}/qr.svg")

    text = main_text(page.text)
    assert page.status_code == 200 and "Ja eller nej?" in text and "1 svar" in text
    # One answer is below k (5): the board suppresses the result and the page says so.
    assert "Färre än 5 har svarat" in text
    assert f'data-live-url="/live/events/{day.id}/board"' in page.text and 'src="/static/board.js"' in page.text
    assert "Visa resultaten" in hidden.text and 'class="board-result" hidden' in hidden.text
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml" and b"<svg" in qr.content
    assert f"/dag/{day.id}/dialog" in text


def test_control_and_big_screen_are_only_for_facilitators_and_admins(day: Day, make_gateway: MakeGateway,
                                                                     feedback: str) -> None:
    paths = [f"/dialog/{day.id}", f"/dialog/{day.id}/storskarm", f"/dialog/{day.id}/qr.svg", "/dialog"]

    manager = [day.manager.client.get(p) for p in paths]
    facilitator = [day.facilitator.client.get(p) for p in paths]
    admin = [day.admin.client.get(p) for p in paths]
    anonymous = dialogue_gateway(make_gateway, feedback).client.get(paths[0], follow_redirects=False)

    assert [r.status_code for r in manager] == [403] * 4
    assert "samla-facilitator" in main_text(manager[0].text)
    assert [r.status_code for r in facilitator] == [200] * 4 and [r.status_code for r in admin] == [200] * 4
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/logga-in")


def test_dialogue_forms_without_the_csrf_token_are_refused_and_change_nothing(day: Day) -> None:
    prompt = create_prompt(day, kind="choice", title="Utan token?", options="Ja\nNej")
    open_prompt(day, prompt)

    answered = day.manager.client.post(f"/dag/{day.id}/dialog/{prompt}", data={"choice": "o1"})
    asked = day.manager.client.post(f"/dag/{day.id}/fragor", data={"text": "Utan token"})
    opened = day.facilitator.client.post(f"/dialog/{day.id}/fraga/{prompt}/stang", data={"csrf_token": "fel"})

    assert (answered.status_code, asked.status_code, opened.status_code) == (403, 403, 403)
    assert day.manager.client.get(f"/api/feedback/prompts/{prompt}/responses/mine").status_code == 404
    assert day.manager.client.get(f"/api/feedback/prompts/{prompt}").json()["status"] == "open"


def test_a_manager_not_invited_to_the_day_gets_the_not_invited_page(day: Day, make_gateway: MakeGateway,
                                                                    feedback: str) -> None:
    outsider = dialogue_gateway(make_gateway, feedback)
    outsider.sign_in("p-ledning")

    resp = outsider.client.get(f"/dag/{day.id}/dialog")

    assert resp.status_code == 404 and "Du är inte inbjuden" in main_text(resp.text)


def test_a_prompt_form_with_mistakes_is_shown_again_with_a_message_at_each_field(day: Day) -> None:
    resp = post(day.facilitator, f"/dialog/{day.id}/ny", {"kind": "choice", "title": "", "options": "Bara ett",
                                                          "round_no": "tre"})

    text = main_text(resp.text)
    assert resp.status_code == 400 and "Rätta följande" in text
    assert "Skriv frågan." in text and "Skriv 2 till 30 alternativ, ett per rad." in text
    assert "Skriv rundan som ett tal från 0 till 50." in text and "Bara ett" in resp.text
