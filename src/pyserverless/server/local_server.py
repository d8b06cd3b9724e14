"""uvicorn's `Server` running one project's `ServerApp` on a bound socket, each connection spoken to by
`http_connection.HttpConnection`, and able to retire without dropping a connection.

How it works: `serve_on` runs the server until Ctrl-C or SIGTERM (uvicorn re-raises the signal that stopped
it; SIGTERM then interrupts like Ctrl-C and both end there). `retire`, called from another thread when a
reload worker is replaced, hands over without a reset connection:
- uvicorn's own shutdown closes every connection that has no request in progress, including one accepted a
  moment ago whose request is not read yet: that client would see its connection reset. So the listening
  servers are closed first, in the event loop's thread; connections not yet accepted stay in the parent's
  backlog for the next worker, and the ones just accepted get `ACCEPTED_READ_DELAY` to be read.
- A keep-alive connection between two requests would race the close as well: from then on every answer says
  `connection: close` (`ServerApp.closing`), and the server waits, at most `KEEP_ALIVE_DRAIN` seconds, for
  such connections to end after their next answer.
- Then `should_exit` starts uvicorn's graceful shutdown, which finishes every request in progress.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import uvicorn

from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.runtime.output import install_output_capture
from pyserverless.server.app import Dispatching, ServerApp
from pyserverless.server.dev_pages import LocalPages
from pyserverless.server.host_check import AllowedHosts
from pyserverless.server.http_connection import HttpConnection
from pyserverless.server.recording import Recorder
from pyserverless.server.request_log import LogPipeline
from pyserverless.signals import handling_signals, raise_keyboard_interrupt

if TYPE_CHECKING:
    from rich.console import Console

    from pyserverless.project.folder import Project
    from pyserverless.server.serving import ServerOptions

#: Seconds a retiring server waits, no longer accepting, for the requests of connections it just accepted.
ACCEPTED_READ_DELAY = 0.05
#: Seconds at most a retiring server waits for its keep-alive connections to end after one more answer.
KEEP_ALIVE_DRAIN = 0.25


class LocalServer(uvicorn.Server):
    """One project's local server: its dispatcher, its request log, its `ServerApp`, served by uvicorn."""

    def __init__(
        self,
        project: Project,
        options: ServerOptions,
        console: Console,
        dispatcher: Dispatching | None = None,
        pages: LocalPages | None = None,
    ) -> None:
        """Serve `project`, or answer every request with `dispatcher` when one is given (`LoadFailure`);
        `pages` adds `/_dev/` pages (the dev phone)."""
        self._dispatcher = dispatcher or Dispatcher(
            RuntimeSettings(
                root=project.root,
                routes=project.routes,
                env=project.env,
                timeout=options.timeout,
                check_signatures=options.check_signatures,
                expose_errors=True,
            )
        )
        self._pipeline = LogPipeline(console, show_requests=options.logs)
        public_host = urlsplit(options.public_url).netloc if options.public_url else ""
        self.app = ServerApp(
            self._dispatcher,
            self._pipeline.log_request,
            options.public_url,
            AllowedHosts([*options.allowed_hosts, public_host]),
            dev_root=project.root,
            pages=pages,
            recorder=Recorder(project.root, project.routes) if options.record else None,
        )
        #: The event loop serving, once the server has started.
        self.loop: asyncio.AbstractEventLoop | None = None
        super().__init__(
            uvicorn.Config(
                self.app,
                lifespan="off",
                ws="none",
                access_log=False,
                log_config=None,
                log_level="warning",
                server_header=False,
                http=HttpConnection,
                proxy_headers=False,  # the public URL comes from the tunnel or --public-url, never a client
                timeout_graceful_shutdown=2,
            )
        )

    def serve_on(self, sock: socket.socket) -> None:
        """Serve on the bound, listening `sock` until Ctrl-C, SIGTERM or `retire` (blocks)."""
        self._pipeline.start()
        install_output_capture()
        try:
            with handling_signals(raise_keyboard_interrupt, (signal.SIGTERM,)):
                self.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            self._dispatcher.close()
            if self.app.pages is not None:
                self.app.pages.close()
            self._pipeline.stop()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.loop = asyncio.get_running_loop()

    def retire(self) -> None:
        """Stop accepting, let the connections just accepted be read, then shut down (from any thread)."""
        loop = self.loop
        if loop is not None:
            self.app.closing = True
            loop.call_soon_threadsafe(self._stop_accepting)
            time.sleep(ACCEPTED_READ_DELAY)
            deadline = time.monotonic() + KEEP_ALIVE_DRAIN
            while self.server_state.connections and time.monotonic() < deadline:
                time.sleep(0.01)
        self.should_exit = True

    def _stop_accepting(self) -> None:
        for listener in self.servers:
            listener.close()
