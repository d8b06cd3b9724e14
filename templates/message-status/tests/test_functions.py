"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) sends signed requests the way Twilio does;
`twilio_sim.exchange(method, url, parameters, cookie_header)` sends one webhook such as a status callback.
The first test is the exchange pyserverless's docs show for this template.
"""

import logging

SID = "SM" + "1" * 32


def status_callback(twilio_sim, status, **extra):
    parameters = {"MessageSid": SID, "MessageStatus": status, "To": "+15551111111", **extra}
    return twilio_sim.exchange("POST", twilio_sim.url_for("/message-status"), parameters, None)


def test_a_delivered_message_is_logged(twilio_sim, caplog):
    caplog.set_level(logging.INFO)
    answer = status_callback(twilio_sim, "delivered")
    assert (answer.status, answer.text) == (200, "")
    assert f"Message {SID} to +15551111111: delivered" in caplog.messages


def test_a_failed_message_is_a_warning_with_its_error_code(twilio_sim, caplog):
    answer = status_callback(twilio_sim, "undelivered", ErrorCode="30003")
    assert answer.status == 200
    assert [(record.levelname, record.getMessage()) for record in caplog.records][:1] == [
        (
            "WARNING",
            f"Message {SID} to +15551111111 undelivered: error 30003 "
            "(https://www.twilio.com/docs/api/errors/30003)",
        )
    ]
