exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.setStatusCode(event.status);
  response.setBody('status from the query');
  callback(null, response);
};
