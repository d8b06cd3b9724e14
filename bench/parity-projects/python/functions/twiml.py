from twilio.twiml.messaging_response import MessagingResponse


def handler(context, event, callback):
    twiml = MessagingResponse()
    twiml.message("Hi & bye")
    callback(None, twiml)
