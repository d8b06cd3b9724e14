exports.handler = (context, event, callback) => {
  setTimeout(() => callback(null, 'called back later'), 100);
};
