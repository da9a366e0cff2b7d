// Package layers holds TF 1.x's layer functions: FullyConnected
// (tf.contrib.layers.fully_connected) and Dense (tf.layers.dense), and the
// layer object DenseLayer (tf.layers.Dense, made by NewDense), which keeps
// its variables from its first Apply and uses them on every later one.
//
// Each call creates its variables with tf.GetVariable inside a variable
// scope named as TF names it, uniquified per call ("fully_connected",
// "fully_connected_1", ...; "dense", "dense_1", ...):
//
//	fully_connected/weights [in, out]  glorot-uniform
//	fully_connected/biases  [out]      zeros
//	dense/kernel            [in, out]  glorot-uniform
//	dense/bias              [out]      zeros
//
// Note the defaults differ as in TF: FullyConnected applies ReLU unless
// given ActivationFn(nil); Dense is linear unless given an Activation.
// Inputs of rank above 2 ([batch, steps, in]) are multiplied along their
// last dimension, keeping the others.
//
// Layer options are this package's own Option values; activation functions
// are any func(x any, opts ...tf.Option) *tf.Tensor, such as tf.Tanh,
// nn.Relu or nn.Elu.
package layers
