from pyserverless import Response


def handler(context, event, callback):
    response = Response()
    response.append_header("Content-Type", "text/plain; charset=ISO-8859-1")
    response.set_body("café")
    callback(None, response)
