"""The sandbox servers themselves: admin endpoint, faults, latency and limits, shapes, Nagle."""

from __future__ import annotations

import json
import smtplib
import ssl
import statistics
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests

from leadcartel_desktop.sandbox import FaultKind, Sandbox


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(sandbox: Sandbox) -> None:
    sandbox.reset()


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[requests.Session]:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides verify
    session.verify = str(sandbox.ca_bundle)
    yield session
    session.close()


def send_sms(
    sandbox: Sandbox, http: requests.Session, body: str = "Hi", **kw: Any
) -> requests.Response:
    creds = sandbox.credentials
    return http.post(
        f"{sandbox.twilio_url}/2010-04-01/Accounts/{creds.twilio_account_sid}/Messages.json",
        data={"To": "+6591234567", "From": creds.twilio_from, "Body": body},
        auth=(creds.twilio_account_sid, creds.twilio_auth_token),
        timeout=5,
        **kw,
    )


def admin(sandbox: Sandbox, path: str, data: dict[str, Any] | None = None) -> Any:
    url = f"{sandbox.admin_url}/_sandbox/{path}"
    response = (
        requests.post(url, data=json.dumps(data or {}), timeout=5)
        if data is not None
        else (requests.get(url, timeout=5))
    )
    return response.status_code, response.json()


def test_what_arrived_is_listed_per_server_and_all_together(
    sandbox: Sandbox, http: requests.Session
):
    assert send_sms(sandbox, http, "first").status_code == 201
    assert send_sms(sandbox, http, "second").status_code == 201
    status, mine = admin(sandbox, "twilio/received")
    assert status == 200
    assert [item["data"]["body"] for item in mine["received"]] == ["first", "second"]
    _, everything = admin(sandbox, "received")
    assert [item["summary"] for item in everything["received"]] == [
        "SMS to +6591234567: first",
        "SMS to +6591234567: second",
    ]
    own = http.get(f"{sandbox.twilio_url}/_sandbox/received", timeout=5).json()  # on its own port
    assert len(own["received"]) == 2


def test_faults_set_over_http_answer_as_told_and_keep_nothing(
    sandbox: Sandbox, http: requests.Session
):
    when = format_datetime(datetime.now(UTC) + timedelta(minutes=5), usegmt=True)
    assert admin(sandbox, "twilio/faults", {"kind": "429", "retry_after": when})[0] == 200
    assert admin(sandbox, "twilio/faults", {"kind": "500", "count": 2})[1]["pending"] == 3
    refused = send_sms(sandbox, http)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, when)
    assert refused.json()["code"] == 20429
    assert [send_sms(sandbox, http).status_code for _ in range(3)] == [500, 500, 201]
    assert len(sandbox.received("twilio")) == 1
    status, answer = admin(sandbox, "twilio/faults", {"kind": "teapot"})
    assert status == 400 and "accept_then_timeout" in answer["message"]


def test_twilio_error_bodies_have_twilios_shape(sandbox: Sandbox, http: requests.Session):
    sandbox.controls("twilio").fail_next(FaultKind.INVALID_NUMBER)
    body = send_sms(sandbox, http).json()
    assert set(body) == {"code", "message", "more_info", "status"}
    assert (body["code"], body["status"]) == (21211, 400)
    assert body["more_info"].endswith("/21211")


def test_added_latency_and_the_concurrency_limit(sandbox: Sandbox, http: requests.Session):
    admin(sandbox, "twilio/config", {"latency_ms": 1000, "max_concurrency": 1})
    answers: list[int] = []
    first = threading.Thread(target=lambda: answers.append(send_sms(sandbox, http).status_code))
    started = time.perf_counter()
    first.start()
    controls = sandbox.controls("twilio")
    deadline = time.monotonic() + 30
    while controls._in_flight == 0:  # the first request is being handled: crowd it now
        assert first.is_alive() and time.monotonic() < deadline
        threading.Event().wait(0.005)
    with requests.Session() as other:
        other.trust_env = False
        other.verify = str(sandbox.ca_bundle)
        crowded = send_sms(sandbox, other)
    first.join()
    assert time.perf_counter() - started >= 1.0
    assert answers == [201]
    assert (crowded.status_code, crowded.headers["Retry-After"]) == (429, "1")


def test_the_rate_limit_refuses_what_goes_over(sandbox: Sandbox, http: requests.Session):
    sandbox.controls("twilio").configure(rate_per_second=3)
    codes = [send_sms(sandbox, http).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]


def test_nagle_is_off_so_keep_alive_requests_do_not_wait_40_ms(
    sandbox: Sandbox, http: requests.Session
):
    times = []
    for number in range(15):
        started = time.perf_counter()
        send_sms(sandbox, http, f"text {number}")
        times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.025  # with Nagle and delayed ACK: 40 ms or more each
    assert sandbox.controls("twilio").wait_for_handling_times(15)


def test_date_sent_skips_queued_messages_which_is_why_reconcile_does_not_filter_by_it(
    sandbox: Sandbox, http: requests.Session
):
    sid = send_sms(sandbox, http).json()["sid"]
    creds = sandbox.credentials
    listing = f"{sandbox.twilio_url}/2010-04-01/Accounts/{creds.twilio_account_sid}/Messages.json"
    auth = (creds.twilio_account_sid, creds.twilio_auth_token)
    today = datetime.now(UTC).date().isoformat()
    query = f"{listing}?To=%2B6591234567&DateSent%3E={today}"
    assert http.get(query, auth=auth, timeout=5).json()["messages"] == []
    http.get(listing.replace("Messages.json", f"Messages/{sid}.json"), auth=auth, timeout=5)
    assert [m["sid"] for m in http.get(query, auth=auth, timeout=5).json()["messages"]] == [sid]


def test_a_held_answer_does_not_hold_up_stopping(tmp_path_factory: pytest.TempPathFactory):
    running = Sandbox(tmp_path_factory.mktemp("held")).start()
    running.controls("twilio").fail_next(FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=60)
    with requests.Session() as session:
        session.trust_env = False
        session.verify = str(running.ca_bundle)
        with pytest.raises(requests.ReadTimeout):
            creds = running.credentials
            session.post(
                f"{running.twilio_url}/2010-04-01/Accounts/{creds.twilio_account_sid}/Messages.json",
                data={"To": "+6591234567", "From": creds.twilio_from, "Body": "held"},
                auth=(creds.twilio_account_sid, creds.twilio_auth_token),
                timeout=(2, 0.5),
            )
    started = time.perf_counter()
    running.stop()
    assert time.perf_counter() - started < 3
    assert len(running.received("twilio")) == 1


def test_the_cloud_wants_its_token_and_a_version(sandbox: Sandbox, http: requests.Session):
    url = f"{sandbox.cloud_url}/locations/{sandbox.credentials.cloud_location_id}"
    token = {"Authorization": f"Bearer {sandbox.credentials.cloud_token}"}
    assert http.get(url, headers={**token, "Version": "2021-07-28"}, timeout=5).status_code == 200
    assert (
        http.get(url, headers=token, timeout=5).json()["message"] == "Version header was not found"
    )
    wrong = http.get(
        url, headers={"Authorization": "Bearer nope", "Version": "2021-07-28"}, timeout=5
    )
    assert (wrong.status_code, wrong.json()["statusCode"]) == (401, 401)


def test_the_cloud_answers_a_repeated_idempotency_key_as_the_first_time(
    sandbox: Sandbox, http: requests.Session
):
    creds = sandbox.credentials
    headers = {"Authorization": f"Bearer {creds.cloud_token}", "Version": "2021-07-28"}
    contact = {"locationId": creds.cloud_location_id, "phone": "+6591234567"}
    contact_id = http.post(f"{sandbox.cloud_url}/contacts/upsert", json=contact, headers=headers,
                           timeout=5).json()["contact"]["id"]  # fmt: skip
    message = {"type": "SMS", "contactId": contact_id, "message": "Once"}
    answers = [
        http.post(
            f"{sandbox.cloud_url}/conversations/messages",
            json=message,
            timeout=5,
            headers={**headers, "Idempotency-Key": key},
        ).json()
        for key in ("a", "a", "b")
    ]
    assert answers[0] == answers[1] != answers[2]
    assert len(sandbox.received("cloud", "sms")) == 2


def test_the_cloud_lets_a_test_play_the_customer(sandbox: Sandbox, http: requests.Session):
    creds = sandbox.credentials
    headers = {"Authorization": f"Bearer {creds.cloud_token}", "Version": "2021-07-28"}
    invoice = {
        "altId": creds.cloud_location_id, "altType": "location", "name": "Invoice 1",
        "currency": "USD", "issueDate": "2026-03-01", "contactDetails": {"name": "Ann"},
        "items": [{"name": "Work", "amount": 100, "qty": 1}], "invoiceNumber": "INV-1",
    }  # fmt: skip
    created = http.post(f"{sandbox.cloud_url}/invoices/", json=invoice, headers=headers,
                        timeout=5).json()  # fmt: skip
    assert admin(sandbox, f"cloud/invoices/{created['_id']}/view", {})[1]["lastVisitedAt"]
    status, paid = admin(sandbox, f"cloud/invoices/{created['_id']}/pay", {"amount": 40})
    assert status == 400  # a draft takes no payment
    http.post(f"{sandbox.cloud_url}/invoices/{created['_id']}/send", headers=headers, timeout=5,
              json={"altId": creds.cloud_location_id, "altType": "location",
                    "action": "send_manually", "liveMode": False})  # fmt: skip
    status, paid = admin(sandbox, f"cloud/invoices/{created['_id']}/pay", {"amount": 40})
    assert (status, paid["status"], paid["amountPaid"]) == (200, "partially_paid", 40)
    transactions = http.get(f"{sandbox.cloud_url}/payments/transactions", headers=headers,
                            params={"altId": creds.cloud_location_id, "altType": "location",
                                    "entityId": created["_id"]}, timeout=5).json()  # fmt: skip
    assert [t["mode"] for t in transactions["data"]] == ["online"]


def test_smtp_wants_starttls_then_auth_before_mail(sandbox: Sandbox):
    with smtplib.SMTP(sandbox.smtp.host, sandbox.smtp.port, timeout=5) as plain:
        assert plain.mail("a@example.com")[0] == 530  # STARTTLS first
    context = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    with smtplib.SMTP(sandbox.smtp.host, sandbox.smtp.port, timeout=5) as smtp:
        smtp.starttls(context=context)
        smtp.ehlo()
        assert smtp.mail("a@example.com")[0] == 530  # then AUTH
        smtp.login(sandbox.credentials.smtp_username, sandbox.credentials.smtp_password)
        smtp.sendmail("a@example.com", ["b@example.com"], b"Subject: hi\r\n\r\nbody\r\n")
    (item,) = sandbox.received("smtp")
    assert (item.data["subject"], item.data["rcpt_tos"]) == ("hi", ["b@example.com"])
