from twilio.twiml.messaging_response import MessagingResponse


def handler(context, event, callback):
    twiml = MessagingResponse()
    twiml.message(f"You said: {event['Body']}")
    callback(None, twiml)
