from pyserverless import Response


def handler(context, event, callback):
    response = Response()
    response.append_header("Content-Type", "text/plain")
    response.set_body(b"raw bytes")
    callback(None, response)
