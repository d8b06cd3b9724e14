"""The local HTTP adapter: an ASGI app over `runtime.dispatch`, binding and serving, the request log, and the
container entry that `pyserverless.asgi` re-exports."""
