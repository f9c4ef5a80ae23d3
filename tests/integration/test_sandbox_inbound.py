"""The sandbox plays customers writing back: over the admin endpoint, listed in the real shape."""

from __future__ import annotations

import json

import pytest
import requests

from leadcartel_desktop.sandbox import Sandbox


def _admin_post(sandbox: Sandbox, path: str, data: dict[str, str]) -> requests.Response:
    url = f"{sandbox.admin_url}/_sandbox/{path}"
    return requests.post(url, data=json.dumps(data), timeout=5)


def test_an_inbound_twilio_message_is_listed_to_our_number(sandbox: Sandbox) -> None:
    answer = _admin_post(sandbox, "twilio/inbound", {"from": "+6591234567", "body": "STOP"})
    assert answer.status_code == 201
    sandbox.controls("twilio").receive("whatsapp:+6591234567", "hi")
    creds = sandbox.credentials
    with requests.Session() as http:
        http.trust_env = False
        listed = http.get(
            f"{sandbox.twilio_url}/2010-04-01/Accounts/{creds.twilio_account_sid}/Messages.json",
            params={"To": creds.twilio_from, "DateSent>": "2020-01-01"},
            auth=(creds.twilio_account_sid, creds.twilio_auth_token),
            verify=str(sandbox.ca_bundle),
            timeout=5,
        ).json()
    [item] = listed["messages"]
    assert item["sid"] == answer.json()["sid"] and item["sid"].startswith("SM")
    assert (item["direction"], item["status"]) == ("inbound", "received")
    assert (item["from"], item["to"], item["body"]) == ("+6591234567", creds.twilio_from, "STOP")
    assert item["date_sent"]


def test_bad_inbound_requests_are_refused(sandbox: Sandbox) -> None:
    assert _admin_post(sandbox, "twilio/inbound", {"from": "12", "body": "x"}).status_code == 400
    assert _admin_post(sandbox, "cloud/inbound", {"from": "", "body": "x"}).status_code == 422
    refused = _admin_post(sandbox, "cloud/inbound", {"from": "a@b.example", "kind": "Fax"})
    assert refused.status_code == 422
    with pytest.raises(ValueError, match="takes no inbound"):
        sandbox.controls("smtp").receive("a@b.example", "hi")


def test_an_inbound_cloud_message_is_in_its_conversation(sandbox: Sandbox) -> None:
    data = {"from": "ada@example.com", "body": "Thanks", "kind": "Email", "subject": "Re: hi"}
    assert _admin_post(sandbox, "cloud/inbound", data).status_code == 201
    creds = sandbox.credentials
    headers = {"Authorization": f"Bearer {creds.cloud_token}", "Version": "2021-04-15"}
    with requests.Session() as http:
        http.trust_env = False
        http.headers.update(headers)
        http.verify = str(sandbox.ca_bundle)
        found = http.get(
            f"{sandbox.cloud_url}/conversations/search",
            params={"locationId": creds.cloud_location_id, "sortBy": "last_message_date"},
            timeout=5,
        ).json()
        [conversation] = found["conversations"]
        assert conversation["email"] == "ada@example.com"
        assert isinstance(conversation["lastMessageDate"], int)  # epoch ms, as HighLevel's
        page = http.get(
            f"{sandbox.cloud_url}/conversations/{conversation['id']}/messages", timeout=5
        ).json()
    [message] = page["messages"]["messages"]
    assert (message["direction"], message["messageType"]) == ("inbound", "TYPE_EMAIL")
    assert message["meta"]["email"]["subject"] == "Re: hi"


def test_a_failed_delivery_is_played_over_the_admin_endpoint(sandbox: Sandbox) -> None:
    answer = _admin_post(sandbox, "twilio/inbound", {"from": "+6591234567", "body": "hi"})
    sid = answer.json()["sid"]

    changed = requests.post(
        f"{sandbox.admin_url}/_sandbox/twilio/status",
        data=json.dumps({"sid": sid, "status": "undelivered", "error_code": 30003}),
        timeout=5,
    )
    missing = _admin_post(sandbox, "twilio/status", {"sid": "SMnope", "status": "failed"})

    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["error_code"]) == ("undelivered", 30003)
    assert missing.status_code == 404
