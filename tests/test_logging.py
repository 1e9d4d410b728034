"""Logs: one JSON object a line, each with its request id, and no e-mail address."""

import json
import logging

import pytest

from core.logging import JSONFormatter, PersonalDataFilter, RequestIDFilter


@pytest.fixture
def log_lines():
    """What the site's log handler writes, one parsed line per record."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JSONFormatter())
    handler.addFilter(RequestIDFilter())
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in records]
    root.removeHandler(handler)


def test_each_response_carries_a_new_request_id(client, reference):
    first = client.get("/en/")["X-Request-ID"]
    second = client.get("/en/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client, reference):
    assert client.get("/en/", HTTP_X_REQUEST_ID="lb-1234.abc")["X-Request-ID"] == "lb-1234.abc"
    forged = client.get("/en/", HTTP_X_REQUEST_ID='x" injected=1\n')["X-Request-ID"]
    assert forged != 'x" injected=1\n' and len(forged) == 32


def test_log_lines_are_json_with_the_request_id_of_their_request(client, db, log_lines):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    lines = [line for line in log_lines() if line["logger"] == "django.request"]
    assert lines, "a 404 is logged"
    assert lines[0]["request_id"] == response["X-Request-ID"]
    assert lines[0]["level"] == "WARNING" and lines[0]["status_code"] == 404
    assert {"time", "message"} <= set(lines[0])


def test_e_mail_addresses_never_reach_the_log(client, db, log_lines):
    client.get("/en/reader.name+tag@example.gc.ca/")
    logging.getLogger("newsroom").warning(
        "message for %s refused", "someone@example.org", extra={"to": "x@y.ca"}
    )
    text = json.dumps(log_lines())
    assert "@example" not in text and "x@y.ca" not in text
    assert "[e-mail removed]" in text


def test_failed_sign_in_logs_no_user_name_or_address(client, db, log_lines):
    client.post(
        "/admin/login/",
        {"username": "jane.doe@example.gc.ca", "password": "wrong"},
        REMOTE_ADDR="203.0.113.9",
    )
    text = json.dumps(log_lines())
    assert "jane.doe" not in text and "203.0.113.9" not in text
