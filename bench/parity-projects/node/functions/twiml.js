exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message('Hi & bye');
  callback(null, twiml);
};
