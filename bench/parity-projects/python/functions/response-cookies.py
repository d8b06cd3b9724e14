from pyserverless import Response


def handler(context, event, callback):
    response = Response()
    response.append_header("X-Custom", "yes")
    response.set_cookie("old", "x")
    response.set_cookie("count", "1", ["Max-Age=1800", "HttpOnly"])
    response.remove_cookie("old")
    response.set_body("cookies set")
    callback(None, response)
