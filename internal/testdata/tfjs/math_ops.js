// TF math and nn ops tfjs-converter lacks, registered from TF's
// documentation for run.js (required by it): Erfc, TruncateDiv,
// TruncateMod, Softsign, L2Loss and SoftmaxCrossEntropyWithLogits.
'use strict';
module.exports = function register(tf) {
  // Erfc(x) = 1 - erf(x)
  tf.registerOp('Erfc', (node) => tf.sub(1, tf.erf(node.inputs[0])));
  // TruncateDiv(x, y): x / y rounded toward zero (integers).
  const truncDiv = (x, y) => {
    const q = tf.div(tf.cast(x, 'float32'), tf.cast(y, 'float32'));
    return tf.cast(tf.mul(tf.sign(q), tf.floor(tf.abs(q))), x.dtype);
  };
  tf.registerOp('TruncateDiv', (node) => truncDiv(node.inputs[0], node.inputs[1]));
  // TruncateMod(x, y) = x - TruncateDiv(x, y) * y: the remainder with x's sign.
  tf.registerOp('TruncateMod', (node) => {
    const [x, y] = node.inputs;
    return tf.sub(x, tf.mul(truncDiv(x, y), y));
  });
  // Softsign(x) = x / (1 + |x|)
  tf.registerOp('Softsign', (node) => {
    const x = node.inputs[0];
    return tf.div(x, tf.add(1, tf.abs(x)));
  });
  // L2Loss(t) = sum(t^2) / 2
  tf.registerOp('L2Loss', (node) => tf.div(tf.sum(tf.square(node.inputs[0])), 2));
  // SoftmaxCrossEntropyWithLogits(features [B,C], labels [B,C]):
  // loss = -sum(labels * log softmax(features), 1), backprop = softmax - labels.
  tf.registerOp('SoftmaxCrossEntropyWithLogits', (node) => {
    const [features, labels] = node.inputs;
    const logp = tf.logSoftmax(features);
    return [tf.neg(tf.sum(tf.mul(labels, logp), 1)), tf.sub(tf.exp(logp), labels)];
  });
};
