def handler(context, event, callback):
    pass
