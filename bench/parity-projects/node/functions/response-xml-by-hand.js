exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message('counted');
  const response = new Twilio.Response();
  response.setCookie('count', '1');
  response.appendHeader('Content-Type', 'text/xml');
  response.setBody(twiml.toString());
  callback(null, response);
};
