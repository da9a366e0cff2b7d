// Package rnncell holds recurrent cells, their wrappers and the loop options
// of TF 1.x's tf.nn.rnn_cell. Package nn (tf.nn.static_rnn, tf.nn.dynamic_rnn)
// runs them; package contrib/rnn gives them the names of tf.contrib.rnn.
//
// # Cells
//
// A Cell (TF's RNNCell) computes one time step: from a batch of inputs
// [batch, depth] and the previous state it returns the step's output
// [batch, OutputSize()] and the new state. A cell's state is a flattened
// tuple (TF's nest.flatten of the state): a []*tf.Tensor whose i-th tensor
// has shape [batch, StateSize()[i]]. BasicRNNCell has one state tensor, an
// LSTM cell has two (c and h, in that order), and a stack of cells has the
// concatenation of its cells' lists. Loops (nn.StaticRNN, nn.DynamicRNN) pass
// the list through untouched, so every cell fits them without changes.
//
// A cell creates its variables on its first Call, under the variable scope
// current at that call (tf.VariableScope) and a scope of its own
// ("basic_rnn_cell", made unique as TF's default scope names are), and uses
// the same variables on every later Call: one set of weights shared by all
// steps of a loop, and by all loops the cell is used in.
//
// Users write their own cells by implementing Cell; ZeroState can return
// ZeroState(cell, batchSize, dtype), the zeros of TF's default zero_state.
// A cell must build the same computation on every Call: nn.DynamicRNN builds
// it once as a loop body and differentiates that body.
//
// # Errors
//
// As everywhere in gorgoflow, constructors never panic: a failed build
// returns tensors carrying the error (tf.Tensor.Err), which propagate to the
// ops built on them and are returned by Session.Run.
//
// # Options
//
// Python's keyword arguments are Options (Activation, DType, InitialState,
// SequenceLength, Scope, TimeMajor, SwapMemory). nn.StaticRNN and nn.DynamicRNN
// share them; a function refuses an option it does not take.
package rnncell
