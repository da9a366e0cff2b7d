// Package rnncell holds recurrent cells, their wrappers and the loop options
// of TF 1.x's tf.nn.rnn_cell. Package nn (tf.nn.static_rnn, tf.nn.dynamic_rnn)
// runs them; package contrib/rnn gives them the names of tf.contrib.rnn.
//
// # Cells
//
// BasicRNNCell, BasicLSTMCell, LSTMCell (peepholes, cell clipping,
// projection), GRUCell and MultiRNNCell compute TF's formulas with TF's
// variable names, shapes and initializers; each type's documentation gives
// its formula. The wrappers OutputProjectionWrapper, DropoutWrapper,
// ResidualWrapper and DeviceWrapper wrap any cell.
//
// The cells of tf.contrib.rnn are here too, with TF 1.15's arguments,
// defaults and variable names: LSTMBlockCell (lstm_ops.py), GRUBlockCell
// and GRUBlockCellV2 (gru_ops.py), which share LSTMCell's and GRUCell's
// step and fused kernels; and from contrib's rnn_cell.py
// LayerNormBasicLSTMCell, CoupledInputForgetGateLSTMCell, UGRNNCell,
// IntersectionRNNCell, NASCell, HighwayWrapper and AttentionCellWrapper.
//
// A Cell (TF's RNNCell) computes one time step: from a batch of inputs
// [batch, depth] and the previous state it returns the step's output
// [batch, OutputSize()] and the new state. A cell's state is a flattened
// tuple (TF's nest.flatten of the state): a []*tf.Tensor whose i-th tensor
// has shape [batch, StateSize()[i]]. BasicRNNCell and GRUCell have one state
// tensor, an LSTM cell has two (c and h, in that order: TF's
// LSTMStateTuple), and a MultiRNNCell has the concatenation of its layers'
// lists (MultiRNNCell.LayerState gives one layer's part: the notebook's
// states[-1][1] is LayerState(states, -1)[1]). Loops (nn.StaticRNN,
// nn.DynamicRNN) pass the list through untouched, so every cell fits them
// without changes. Cells whose state tensors are of different kinds say so
// through the optional StateKinder interface (DropoutWrapper keeps an LSTM's
// c by default).
//
// A cell creates its variables on its first Call, under the variable scope
// current at that call (tf.VariableScope) and a scope of its own
// ("basic_lstm_cell", made unique as TF's default scope names are), and uses
// the same variables on every later Call: one set of weights shared by all
// steps of a loop, and by all loops the cell is used in. Accessor methods
// (Kernel, Bias, Gates, Peepholes, ...) return them, nil before the first
// Call.
//
// Users write their own cells by implementing Cell; ZeroState can return
// ZeroState(cell, batchSize, dtype), the zeros of TF's default zero_state.
// A cell may make variables by name in every Call (tf.GetVariable, or a
// layers.Dense, named or not): the loops re-enter their scope with reuse
// after the first step, as TF's static_rnn, so every step gets the same
// variables. A cell must build the same computation on every Call:
// nn.DynamicRNN builds it once as a loop body and differentiates that body.
//
// # Devices
//
// DeviceWrapper and tf.Device are accepted and recorded on the ops built
// under them (Operation.Device); gorgoflow runs every op on the CPU.
//
// # Errors
//
// As everywhere in gorgoflow, constructors never panic: a bad argument to a
// constructor is kept and reported by the cell's first Call, and a failed
// build returns tensors carrying the error (tf.Tensor.Err), which propagate
// to the ops built on them and are returned by Session.Run. Errors name the
// function, what was given, what was expected, and the file:line of the
// user's call.
//
// # Options
//
// Python's keyword arguments are Options (Activation, DType, InitialState,
// SequenceLength, Scope, TimeMajor, SwapMemory, ForgetBias, UsePeepholes,
// InputKeepProb, ...). Cells, wrappers and loops share the type; a function
// refuses an option it does not take, naming it.
package rnncell
