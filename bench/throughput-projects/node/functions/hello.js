exports.handler = function (context, event, callback) {
  callback(null, 'Hello World!');
};
