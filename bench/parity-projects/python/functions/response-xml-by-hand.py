from twilio.twiml.messaging_response import MessagingResponse

from pyserverless import Response


def handler(context, event, callback):
    twiml = MessagingResponse()
    twiml.message("counted")
    response = Response()
    response.set_cookie("count", "1")
    response.append_header("Content-Type", "text/xml")
    response.set_body(str(twiml))
    callback(None, response)
