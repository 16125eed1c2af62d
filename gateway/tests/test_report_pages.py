"""The report pages against the real feedback service: the evaluation report of a chefsdag (charts as images, a
PDF) and the leadership report of a process, each for the roles feedback allows, with people's text as text."""
# The fixtures come from test_process_pages (imported by name, which pytest needs), so test arguments share names.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

from gateway.tests.test_pages import main_text
from gateway.tests.test_process_pages import (  # noqa: F401
    INJECTION,
    Process,
    feedback_url,
    process,
    signed_in,
)


def test_a_facilitator_reads_the_evaluation_report_with_charts_and_downloads_the_pdf(signed_in: Any,
                                                                                      process: Process) -> None:
    facilitator = signed_in("p-facilitator")

    page = facilitator.client.get(f"/chefsdagar/{process.event_id}/rapport")
    chart = facilitator.client.get(f"/chefsdagar/{process.event_id}/rapport/diagram/{process.poll_id}.svg")
    pdf = facilitator.client.get(f"/chefsdagar/{process.event_id}/rapport.pdf")

    text = main_text(page.text)
    assert page.status_code == 200 and "Utvärderingsrapport" in text and "Vad ska vi satsa på?" in text
    assert f'src="/chefsdagar/{process.event_id}/rapport/diagram/{process.poll_id}.svg"' in page.text
    assert f'href="/chefsdagar/{process.event_id}/rapport.pdf"' in page.text and "Ladda ner rapporten som PDF" in text
    assert "Tid för dialog" in text and "5 svar" in text
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml" and b"<svg" in chart.content
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]


def test_answers_with_markup_are_shown_as_text_on_the_report_page(signed_in: Any, process: Process) -> None:
    leader = signed_in("p-ledning")

    page = leader.client.get(f"/chefsdagar/{process.event_id}/rapport").text

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Mer tid för dialog" in page
    assert INJECTION in main_text(page)


def test_a_manager_gets_a_swedish_refusal_for_the_evaluation_report(signed_in: Any, process: Process) -> None:
    manager = signed_in("p-chef")

    page = manager.client.get(f"/chefsdagar/{process.event_id}/rapport")
    pdf = manager.client.get(f"/chefsdagar/{process.event_id}/rapport.pdf")
    chart = manager.client.get(f"/chefsdagar/{process.event_id}/rapport/diagram/{process.poll_id}.svg")

    assert page.status_code == 403
    assert "Utvärderingsrapporten är till för Samlas administratörer" in main_text(page.text)
    assert (pdf.status_code, chart.status_code) == (403, 403) and b"%PDF" not in pdf.content


def test_a_chart_below_k_is_a_404_page_not_an_image(signed_in: Any, process: Process) -> None:
    facilitator = signed_in("p-facilitator")

    resp = facilitator.client.get(f"/chefsdagar/{process.event_id}/rapport/diagram/{process.text_id}.svg")

    assert resp.status_code == 404 and "Filen finns inte" in main_text(resp.text)


def test_the_leadership_report_of_a_process_has_its_pdf(signed_in: Any, process: Process) -> None:
    leader = signed_in("p-ledning")

    page = leader.client.get(f"/processer/{process.id}/rapport")
    pdf = leader.client.get(f"/processer/{process.id}/rapport.pdf")

    text = main_text(page.text)
    assert page.status_code == 200 and "Rapport till ledningen" in text and "Vad vi frågade" in text
    assert "Tid för dialog" in text and "Beslutslogg" in text
    assert f'href="/processer/{process.id}/rapport.pdf"' in page.text
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_signed_out_are_sent_to_sign_in(signed_in: Any, make_gateway: Any, feedback_url: str,
                                            process: Process) -> None:
    anonymous = make_gateway(feedback_url=feedback_url, live_kafka_enabled=False)

    for path in (f"/chefsdagar/{process.event_id}/rapport", f"/processer/{process.id}/uppfoljning"):
        resp = anonymous.client.get(path, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/logga-in?next=")
