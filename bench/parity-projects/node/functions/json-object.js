exports.handler = (context, event, callback) => callback(null, { greeting: 'héllo', count: 2 });
