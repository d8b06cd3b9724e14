"""A fake `ngrok` agent for tests: speaks the protocol pyngrok drives, and really forwards traffic.

pyngrok starts `ngrok start --none --log stdout [--config FILE] [--authtoken TOKEN]`, reads logfmt lines from
its stdout until it has seen the web service address, "tunnel session started" and "client session
established", probes `GET /api/endpoints`, then opens endpoints with `POST /api/endpoints` (JSON `{"name",
"upstream": {"url"}, "url"?}`) and closes them with `DELETE {uri}`. This fake does all of that on 127.0.0.1.
Each endpoint gets a loopback port of its own that forwards every request to the upstream with
`X-Forwarded-For/-Proto/-Host` set like ngrok sets them. Its public URL is `http://127.0.0.1:PORT`, or
`https://DOMAIN` when a `url` was asked for (the forwarding port then presents that host upstream).

The auth token is looked up as ngrok does: `--authtoken`, then `NGROK_AUTHTOKEN`, then `agent.authtoken` (or
the version 2 `authtoken`) in the config file (`--config`, else `$XDG_CONFIG_HOME/ngrok/ngrok.yml`).

Switches (environment variables):
- `FAKE_NGROK_BEHAVIOUR=silent`: print nothing and never answer (a hung binary).
- `FAKE_NGROK_VALID_TOKEN=T`: the only token the fake's "account" accepts (any token is accepted when unset);
  no token gives ERR_NGROK_4018, another one ERR_NGROK_107, both logged like ngrok and followed by exit code
  1.
- `FAKE_NGROK_STATE=FILE`: one JSON object per line for what happened: `start` (pid, argv, token source, mode
  of the `--config` file),
  `endpoint` (request body, public URL, forwarding port), `delete` (name).

`install(directory)` writes an executable `ngrok` launcher into a folder, for
`--ngrok-path`/`PYNGROK_NGROK_PATH`.
"""

from __future__ import annotations

import http.client
import json
import os
import stat
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"}


def install(directory: Path) -> Path:
    """Write an executable `ngrok` into `directory` that runs this fake with the current interpreter."""
    directory.mkdir(parents=True, exist_ok=True)
    launcher = directory / "ngrok"
    launcher.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" "$@"\n', encoding="utf-8"
    )
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return launcher


def read_state(path: Path) -> list[dict[str, Any]]:
    """The events the fake recorded in its `FAKE_NGROK_STATE` file, in order."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _record(event: dict[str, Any]) -> None:
    state = os.environ.get("FAKE_NGROK_STATE")
    if state:
        with open(state, "a", encoding="utf-8") as file:
            file.write(json.dumps(event) + "\n")


def _log(level: str, message: str, **fields: str) -> None:
    timestamp = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())
    extra = "".join(f" {key}={json.dumps(value)}" for key, value in fields.items())
    sys.stdout.write(f't={timestamp} lvl={level} msg="{message}"{extra}\n')
    sys.stdout.flush()


def _option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv and argv.index(name) + 1 < len(argv) else None


def _find_token(argv: list[str]) -> tuple[str | None, str]:
    flag = _option(argv, "--authtoken")
    if flag:
        return flag, "flag"
    if os.environ.get("NGROK_AUTHTOKEN"):
        return os.environ["NGROK_AUTHTOKEN"], "env"
    config = _option(argv, "--config")
    if config is None:
        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        config = str(Path(base) / "ngrok" / "ngrok.yml")
    if Path(config).is_file():
        import yaml

        document = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
        token = (document.get("agent") or {}).get("authtoken") or document.get("authtoken")
        if token:
            return str(token), "config"
    return None, "none"


class _Forwarder(BaseHTTPRequestHandler):
    """Forwards one request to the endpoint's upstream, as ngrok's edge would."""

    server: _ForwardingServer

    def _forward(self) -> None:
        upstream = urlsplit(self.server.upstream)
        public = urlsplit(self.server.public_url)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        replaced = HOP_BY_HOP | {"host", "content-length"}
        headers = [(name, value) for name, value in self.headers.items() if name.lower() not in replaced]
        headers += [
            ("Host", public.netloc),
            ("X-Forwarded-For", self.client_address[0]),
            ("X-Forwarded-Proto", public.scheme),
            ("X-Forwarded-Host", public.netloc),
        ]
        connection = http.client.HTTPConnection(
            upstream.hostname or "127.0.0.1", upstream.port or 80, timeout=30
        )
        try:
            connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            payload = response.read()
        except OSError as error:
            message = f"ERR_NGROK_8012: failed to reach {self.server.upstream}: {error}".encode()
            self.send_response(502)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
            return
        finally:
            connection.close()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _forward

    def log_message(self, format: str, *args: Any) -> None:
        return


class _ForwardingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, requested_url: str | None) -> None:
        super().__init__(("127.0.0.1", 0), _Forwarder)
        self.upstream = upstream
        self.public_url = requested_url or f"http://127.0.0.1:{self.server_address[1]}"


class _AgentApi(BaseHTTPRequestHandler):
    """The agent's local API: list, create and delete endpoints."""

    server: _AgentServer

    def _answer(self, status: int, document: dict[str, Any] | None) -> None:
        body = b"" if document is None else json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/api/endpoints":
            self._answer(200, {"endpoints": list(self.server.endpoints.values())})
        elif self.path.removeprefix("/api/endpoints/") in self.server.endpoints:
            self._answer(200, self.server.endpoints[self.path.removeprefix("/api/endpoints/")])
        else:
            self._answer(404, {"error_code": 100, "msg": "not found"})

    def do_POST(self) -> None:
        if self.path != "/api/endpoints":
            self._answer(404, {"error_code": 100, "msg": "not found"})
            return
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        name = request.get("name") or str(uuid.uuid4())
        forwarding = _ForwardingServer(request["upstream"]["url"], request.get("url"))
        threading.Thread(target=forwarding.serve_forever, daemon=True).start()
        endpoint = {
            "id": f"ep_{uuid.uuid4().hex}",
            "name": name,
            "uri": f"/api/endpoints/{name}",
            "public_url": forwarding.public_url,
            "url": forwarding.public_url,
            "upstream": request["upstream"],
        }
        self.server.endpoints[name] = endpoint
        self.server.forwarders[name] = forwarding
        _record(
            {
                "event": "endpoint",
                "request": request,
                "public_url": forwarding.public_url,
                "forward_port": forwarding.server_address[1],
            }
        )
        self._answer(201, endpoint)

    def do_DELETE(self) -> None:
        name = self.path.removeprefix("/api/endpoints/")
        if name not in self.server.endpoints:
            self._answer(404, {"error_code": 100, "msg": "not found"})
            return
        del self.server.endpoints[name]
        forwarding = self.server.forwarders.pop(name)
        threading.Thread(target=forwarding.shutdown, daemon=True).start()
        _record({"event": "delete", "name": name})
        self._answer(204, None)

    def log_message(self, format: str, *args: Any) -> None:
        return


class _AgentServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _AgentApi)
        self.endpoints: dict[str, dict[str, Any]] = {}
        self.forwarders: dict[str, _ForwardingServer] = {}


def main(argv: list[str]) -> int:
    if os.environ.get("FAKE_NGROK_BEHAVIOUR") == "silent":
        _record({"event": "start", "pid": os.getpid(), "argv": argv, "token_source": "unknown"})
        while True:
            time.sleep(3600)
    token, source = _find_token(argv)
    config = _option(argv, "--config")
    config_mode = oct(stat.S_IMODE(os.stat(config).st_mode)) if config and os.path.exists(config) else None
    _record(
        {
            "event": "start",
            "pid": os.getpid(),
            "argv": argv,
            "token_source": source,
            "config_mode": config_mode,
        }
    )
    api = _AgentServer()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    host, port = api.server_address[:2]
    _log("info", "starting web service", obj="web", addr=f"{host}:{port}", allow_hosts="")
    valid = os.environ.get("FAKE_NGROK_VALID_TOKEN")
    if token is None:
        _log(
            "eror",
            "session closing",
            obj="tunnels.session",
            err="authentication failed: Usage of ngrok requires a verified account and authtoken.\n\n"
            "Sign up for an account: https://dashboard.ngrok.com/signup\n"
            "Install your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken\r\n\r\n"
            "ERR_NGROK_4018\r\n",
        )
        return 1
    if valid is not None and token != valid:
        _log(
            "eror",
            "session closing",
            obj="tunnels.session",
            err="authentication failed: The authtoken you specified is properly formed, "
            "but it is invalid.\n\nThis usually happens when:\n    - You reset your authtoken\n\r\n"
            "ERR_NGROK_107\r\n",
        )
        return 1
    _log("info", "tunnel session started", obj="tunnels.session")
    _log("info", "client session established", obj="csess", id=uuid.uuid4().hex[:12])
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
