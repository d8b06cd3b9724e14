def handler(context, event, callback):
    callback(None, "Hello World!")
