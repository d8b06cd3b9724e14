exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message(`You said: ${event.Body}`);
  callback(null, twiml);
};
