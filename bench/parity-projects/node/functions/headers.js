exports.handler = (context, event, callback) => {
  const headers = event.request.headers;
  callback(null, {
    custom: headers['x-custom'],
    multi: headers['x-multi'],
    signature: headers['x-twilio-signature'],
    forwardedFor: 'x-forwarded-for' in headers,
    via: 'via' in headers,
    cookies: event.request.cookies,
  });
};
