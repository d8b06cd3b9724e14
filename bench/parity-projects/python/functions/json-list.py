def handler(context, event, callback):
    callback(None, [1, "two", None])
