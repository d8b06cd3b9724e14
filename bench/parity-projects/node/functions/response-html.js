exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.setBody('<p>made</p>');
  callback(null, response);
};
