def handler(context, event, callback):
    callback(RuntimeError("went wrong"))
