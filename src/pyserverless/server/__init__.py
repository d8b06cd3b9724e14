"""The local HTTP adapter: the server's app over `runtime.dispatch` (HTTP/1.1 spoken directly for `start`,
ASGI for containers), binding and serving, the request log, and the container entry that
`pyserverless.asgi` re-exports."""
