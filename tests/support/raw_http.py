"""Send one HTTP/1.1 request byte for byte, for paths a client library would normalise (`/../.env`).

`raw_request(port, "GET", "/%2e%2e/.env")` opens a connection to 127.0.0.1:PORT, sends the request line
exactly as given with `Host` and `Connection: close`, reads until the server closes, and returns
`(status, headers, body)` with header names lower-cased, in order.
"""

from __future__ import annotations

import socket


def raw_request(
    port: int, method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> tuple[int, list[tuple[str, str]], bytes]:
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = [
        (name.strip().lower(), value.strip()) for name, _, value in (h.partition(":") for h in header_lines)
    ]
    return int(status_line.split(" ")[1]), parsed, payload
