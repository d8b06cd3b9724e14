exports.handler = (context, event, callback) => {
  const functions = Runtime.getFunctions();
  const assets = Runtime.getAssets();
  callback(null, {
    functions: Object.keys(functions).sort(),
    assets: Object.keys(assets).sort(),
    message: assets['/message.txt'].open(),
    helper: require(functions['helper'].path).greet('parity'),
  });
};
