exports.handler = async (context, event, callback) => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  callback(null, { async: true });
};
