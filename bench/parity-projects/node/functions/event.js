exports.handler = (context, event, callback) => {
  const { request, ...parameters } = event;
  const runtimeRequest = typeof request === 'object' && request !== null && 'headers' in request;
  callback(null, { parameters, runtimeRequest });
};
