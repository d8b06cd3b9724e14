"""The same TwiML "hello" as python/functions/hello.py, as a Starlette app behind Mangum (the comparison)."""

from urllib.parse import parse_qsl

from mangum import Mangum
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.twiml.messaging_response import MessagingResponse


async def hello(request: Request) -> Response:
    event = dict(parse_qsl((await request.body()).decode("utf-8")))
    twiml = MessagingResponse()
    twiml.message(f"Hello {event.get('Body', 'World')}!")
    return Response(str(twiml), media_type="text/xml")


handler = Mangum(Starlette(routes=[Route("/hello", hello, methods=["GET", "POST"])]), lifespan="off")
