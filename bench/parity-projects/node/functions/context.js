exports.handler = (context, event, callback) => {
  callback(null, {
    PATH: context.PATH,
    DOMAIN_NAME: context.DOMAIN_NAME.split(':')[0],
    SERVICE_SID: context.SERVICE_SID === undefined ? null : context.SERVICE_SID,
    ENVIRONMENT_SID: context.ENVIRONMENT_SID === undefined ? null : context.ENVIRONMENT_SID,
    GREETING: context.GREETING,
    unset: context.NOT_SET || 'default',
    client: typeof context.getTwilioClient().messages.create,
  });
};
