def handler(context, event, callback):
    parameters = {key: value for key, value in event.items() if key != "request"}
    runtime_request = isinstance(event["request"], dict) and "headers" in event["request"]
    callback(None, {"parameters": parameters, "runtimeRequest": runtime_request})
