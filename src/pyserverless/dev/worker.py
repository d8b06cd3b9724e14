"""A server process of `pyserverless start`, the program each of the supervisor's workers runs.

How it works: the supervisor starts `python -m pyserverless.dev.worker LISTEN_FD PIPE_FD` with both file
descriptors inherited (nothing else of the parent: not its `__main__`, so not the CLI, and no
multiprocessing resource tracker beside it). The pipe is a `MessagePipe` over a socket pair; its first
message is the `ServerOptions`. The worker imports what every worker needs (uvicorn's server without
uvicorn's command line, see `lean_uvicorn`; the runtime; twilio), then waits as the spare for the word
"serve", loads the project, reports "ready" (or "load failed" with why) and serves on the inherited socket.
A later message, or the pipe closing (the parent is gone), retires it.
"""

from __future__ import annotations

import importlib
import os
import socket
import sys
import threading
import traceback
from contextlib import suppress
from typing import TYPE_CHECKING

from pyserverless.dev.lean_uvicorn import import_uvicorn_server
from pyserverless.dev.message_pipe import MessagePipe
from pyserverless.dev.watchdog import watch_event_loop
from pyserverless.errors import UserError
from pyserverless.project.folder import load_project

if TYPE_CHECKING:
    from pyserverless.server.local_server import LocalServer
    from pyserverless.server.serving import ServerOptions

#: Imported by every worker while it waits as the spare, so a restart does not pay for them.
PRELOADED = (
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.loops.uvloop",
    "pyserverless.server.local_server",
    "twilio.rest",
    "twilio.twiml.messaging_response",
    "twilio.twiml.voice_response",
)


def main(listen_fd: int, pipe_fd: int) -> None:
    """Import, wait for the word, load the project, serve."""
    if hasattr(os, "setpgrp"):  # POSIX: Ctrl-C in the terminal reaches only the parent
        os.setpgrp()
    pipe = MessagePipe.from_fd(pipe_fd)
    sock = socket.socket(fileno=listen_fd)
    try:
        options: ServerOptions = pipe.recv()
        _preload()
        pipe.recv()
    except EOFError:
        return
    from rich.console import Console

    from pyserverless.dev.phone_pages import PhonePages
    from pyserverless.server.load_failure import LoadFailure, unloaded
    from pyserverless.server.local_server import LocalServer

    console = Console(highlight=False)
    try:
        project = load_project(options.root, options.env_file)
        server = LocalServer(project, options, console, pages=PhonePages.for_server(project, sock, options))
        status = ("ready", "")
    except Exception as error:  # any load error is answered, not only the ones a user can fix
        failure = str(error) if isinstance(error, UserError) else traceback.format_exc()
        server = LocalServer(unloaded(options.root), options, console, dispatcher=LoadFailure(failure))
        status = ("load failed", failure)
    threading.Thread(target=_follow_parent, args=(pipe, server), name="parent-watch", daemon=True).start()
    pipe.send(status)
    threading.Thread(
        target=watch_event_loop, args=(server, options.timeout), name="loop-watch", daemon=True
    ).start()
    with suppress(KeyboardInterrupt):  # a SIGINT sent to the worker itself
        server.serve_on(sock)


def _preload() -> None:
    """What a worker imports before it is needed: the server stack, and twilio, which most handlers use."""
    import_uvicorn_server()
    for module in PRELOADED:
        with suppress(ImportError):  # uvloop and httptools are optional: uvicorn then uses others
            importlib.import_module(module)


def _follow_parent(pipe: MessagePipe, server: LocalServer) -> None:
    """Retire when the parent says so, and end at once when the parent is gone (its pipe closes)."""
    try:
        pipe.recv()
    except (EOFError, OSError):
        os._exit(0)
    server.retire()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
