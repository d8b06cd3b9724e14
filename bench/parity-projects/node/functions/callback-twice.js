exports.handler = (context, event, callback) => {
  callback(null, 'first');
  callback(null, 'second');
};
