def handler(context, event, callback):
    callback(None, True)
