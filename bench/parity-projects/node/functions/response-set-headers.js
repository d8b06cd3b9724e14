exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.setHeaders({ 'X-A': '1', 'Content-Type': 'text/csv' });
  response.setBody('a,b\n');
  callback(null, response);
};
