"""The floor of the stack: a bare Starlette app on uvicorn answering what the bench function answers."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def hello(request):
    return PlainTextResponse("Hello World!")


app = Starlette(routes=[Route("/hello", hello, methods=["GET", "POST"])])
