def handler(context, event, callback):
    headers = event["request"]["headers"]
    callback(
        None,
        {
            "custom": headers.get("x-custom"),
            "multi": headers.get("x-multi"),
            "signature": headers.get("x-twilio-signature"),
            "forwardedFor": "x-forwarded-for" in headers,
            "via": "via" in headers,
            "cookies": event["request"]["cookies"],
        },
    )
