// Package rnn holds the names of TF 1.x's tf.contrib.rnn: recurrent cells,
// their wrappers, the static loop and the loop options, so that a port of
// tf.contrib.rnn.BasicRNNCell(...) reads rnn.NewBasicRNNCell(...).
//
// The code lives where TF 1.x keeps it: the Cell interface, the cells, the
// wrappers and the options in package rnncell (tf.nn.rnn_cell), the loops in
// package nn (tf.nn.static_rnn, tf.nn.dynamic_rnn). This package's types are
// aliases of rnncell's and its functions call rnncell's and nn's, so the
// spellings mix freely: rnn.NewBasicRNNCell(n) passed to nn.DynamicRNN with
// rnn.DType(tf.Float32) is the notebook's
// tf.nn.dynamic_rnn(tf.contrib.rnn.BasicRNNCell(n), X, dtype=tf.float32).
//
// The cells TF 1.x has only in tf.contrib.rnn are rnncell's too, aliased
// here under their TF names: LSTMBlockCell, GRUBlockCell, GRUBlockCellV2,
// LayerNormBasicLSTMCell, CoupledInputForgetGateLSTMCell, UGRNNCell,
// IntersectionRNNCell, NASCell, HighwayWrapper and AttentionCellWrapper.
//
// The stacked bidirectional loops, which TF 1.x has only in
// tf.contrib.rnn, live here: StackBidirectionalDynamicRNN and
// StackBidirectionalRNN (rnn.go), built on nn.BidirectionalDynamicRNN and
// nn.StaticBidirectionalRNN.
//
// See package rnncell for the state convention, variable names and errors.
package rnn
