exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'text/plain');
  response.setBody(Buffer.from('raw bytes'));
  callback(null, response);
};
