exports.handler = (context, event, callback) => callback(new Error('went wrong'));
