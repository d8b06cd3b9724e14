from pyserverless import Response


def handler(context, event, callback):
    response = Response()
    response.set_status_code(201)
    response.set_body({"ok": True})
    callback(None, response)
