exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.setStatusCode(201);
  response.setBody({ ok: true });
  callback(null, response);
};
