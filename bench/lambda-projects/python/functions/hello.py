from twilio.twiml.messaging_response import MessagingResponse


def handler(context, event, callback):
    twiml = MessagingResponse()
    twiml.message(f"Hello {event.get('Body', 'World')}!")
    callback(None, twiml)
