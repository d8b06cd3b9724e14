exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'text/plain; charset=ISO-8859-1');
  response.setBody('café');
  callback(null, response);
};
