exports.handler = (context, event, callback) => callback(null, true);
