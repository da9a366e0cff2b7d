// Package nn holds TF 1.x's tf.nn: activations (Relu, Elu, LeakyRelu,
// Sigmoid, Tanh, Softplus, Softsign, Relu6, Selu, Crelu), BiasAdd, L2Loss,
// L2Normalize, Moments, BatchNormalization, TopK,
// WeightedCrossEntropyWithLogits, LogPoissonLoss (nn_ops.go, nn_impl.go),
// Softmax and LogSoftmax, the fused cross-entropy losses
// SparseSoftmaxCrossEntropyWithLogits and SoftmaxCrossEntropyWithLogits,
// SigmoidCrossEntropyWithLogits, InTopK, MeanSquaredError
// (tf.losses.mean_squared_error), Dropout (tf.nn.dropout), word embeddings
// (EmbeddingLookup, with sparse gradients), the sampled losses NCELoss and
// SampledSoftmaxLoss and the candidate samplers (LogUniformCandidateSampler,
// UniformCandidateSampler, FixedUnigramCandidateSampler), and the
// recurrent loops StaticRNN (tf.nn.static_rnn) and DynamicRNN
// (tf.nn.dynamic_rnn) and their bidirectional forms
// StaticBidirectionalRNN (tf.nn.static_bidirectional_rnn) and
// BidirectionalDynamicRNN (tf.nn.bidirectional_dynamic_rnn). The cells
// they run, and the loops' options, are in
// package nn/rnncell (tf.nn.rnn_cell); package contrib/rnn gives them
// tf.contrib.rnn's names.
//
// Functions take their tensor arguments as any (a *tf.Tensor, *tf.Variable
// or Go value) and TF's keyword arguments as tf Options, so that the
// activations share the signature of tf.Tanh and tf.Relu,
//
//	func(x any, opts ...tf.Option) *tf.Tensor
//
// and any of them can be passed where an activation function is wanted
// (layers.ActivationFn(nn.Elu), rnn.Activation(nn.Relu)).
//
// As in package tf, constructors never panic: a call that cannot build its
// op returns a tensor carrying the error. Errors found only at Run time (a
// label outside [0, classes)) are returned by Session.Run and name the
// offending value.
//
// The losses are computed stably: the cross entropies use log-sum-exp after
// subtracting each row's maximum, so logits of 1e4 give finite losses and
// gradients.
package nn
