def greet(name):
    return f"hello {name}"


def handler(context, event, callback):
    callback(None, "a private function")
