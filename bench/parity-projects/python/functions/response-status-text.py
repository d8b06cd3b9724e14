from pyserverless import Response


def handler(context, event, callback):
    response = Response()
    response.set_status_code(event["status"])
    response.set_body("status from the query")
    callback(None, response)
