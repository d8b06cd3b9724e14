exports.greet = (name) => `hello ${name}`;
exports.handler = (context, event, callback) => callback(null, 'a private function');
