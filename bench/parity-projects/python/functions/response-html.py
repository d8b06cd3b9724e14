from pyserverless import Response


def handler(context, event, callback):
    response = Response()
    response.set_body("<p>made</p>")
    callback(None, response)
