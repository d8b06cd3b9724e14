exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('X-Custom', 'yes');
  response.setCookie('old', 'x');
  response.setCookie('count', '1', ['Max-Age=1800', 'HttpOnly']);
  response.removeCookie('old');
  response.setBody('cookies set');
  callback(null, response);
};
