def handler(context, event, callback):
    callback(None, {"greeting": "héllo", "count": 2})
