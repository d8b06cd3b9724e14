def handler(context, event, callback):
    callback(
        None,
        {
            "PATH": context.PATH,
            "DOMAIN_NAME": context.DOMAIN_NAME.split(":")[0],
            "SERVICE_SID": context.SERVICE_SID,
            "ENVIRONMENT_SID": context.ENVIRONMENT_SID,
            "GREETING": context.GREETING,
            "unset": context.NOT_SET or "default",
            "client": "function" if callable(context.get_twilio_client().messages.create) else "missing",
        },
    )
