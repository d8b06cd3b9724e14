from pyserverless import Response


def handler(context, event, callback):
    response = Response()
    response.set_headers({"X-A": "1", "Content-Type": "text/csv"})
    response.set_body("a,b\n")
    callback(None, response)
