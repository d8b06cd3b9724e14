exports.handler = (context, event, callback) => {};
