package rnn

import (
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The names of tf.contrib.rnn, as TF 1.x exports them: the cells and the
// options live in package rnncell (tf.nn.rnn_cell), the loops in package nn
// (tf.nn.static_rnn, tf.nn.dynamic_rnn). The types below are aliases, so a
// rnn.BasicRNNCell is a rnncell.BasicRNNCell and the two spellings mix
// freely.

// Cell is a recurrent cell (TF's RNNCell); see rnncell.Cell.
type Cell = rnncell.Cell

// BatchDim names the batch size of a tensor for ZeroState; see
// rnncell.BatchDim.
type BatchDim = rnncell.BatchDim

// ActivationFunc is the type of a cell's activation function; see
// rnncell.ActivationFunc.
type ActivationFunc = rnncell.ActivationFunc

// Option is a keyword argument of a cell constructor or a loop; see
// rnncell.Option.
type Option = rnncell.Option

// Options holds parsed Options; see rnncell.Options.
type Options = rnncell.Options

// BasicRNNCell is tf.contrib.rnn.BasicRNNCell; see rnncell.BasicRNNCell.
type BasicRNNCell = rnncell.BasicRNNCell

// OutputProjectionWrapper is tf.contrib.rnn.OutputProjectionWrapper; see
// rnncell.OutputProjectionWrapper.
type OutputProjectionWrapper = rnncell.OutputProjectionWrapper

// NewBasicRNNCell returns a BasicRNNCell of numUnits units
// (tf.contrib.rnn.BasicRNNCell(num_units)); see rnncell.NewBasicRNNCell.
func NewBasicRNNCell(numUnits int, opts ...Option) *BasicRNNCell {
	return rnncell.NewBasicRNNCell(numUnits, opts...)
}

// NewOutputProjectionWrapper wraps cell with a projection to outputSize
// outputs; see rnncell.NewOutputProjectionWrapper.
func NewOutputProjectionWrapper(cell Cell, outputSize int, opts ...Option) *OutputProjectionWrapper {
	return rnncell.NewOutputProjectionWrapper(cell, outputSize, opts...)
}

// StaticRNN unrolls cell over a list of time steps
// (tf.contrib.rnn.static_rnn); see nn.StaticRNN.
func StaticRNN(cell Cell, inputs []*tf.Tensor, opts ...Option) (outputs []*tf.Tensor, state []*tf.Tensor) {
	return nn.StaticRNN(cell, inputs, opts...)
}

// ZeroState returns zeros for each of cell's state tensors; see
// rnncell.ZeroState.
func ZeroState(cell Cell, batchSize any, dtype tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(cell, batchSize, dtype)
}

// Zeros returns zeros of shape [batch, units]; see rnncell.Zeros.
func Zeros(batchSize any, units int, dtype tf.DType) *tf.Tensor {
	return rnncell.Zeros(batchSize, units, dtype)
}

// ParseOptions applies opts for function fn; see rnncell.ParseOptions.
func ParseOptions(fn string, opts []Option, allowed ...string) (*Options, error) {
	return rnncell.ParseOptions(fn, opts, allowed...)
}

// Activation sets a cell's activation function (activation=); see
// rnncell.Activation.
func Activation(fn ActivationFunc) Option { return rnncell.Activation(fn) }

// DType sets the dtype of a loop's initial state (dtype=); see
// rnncell.DType.
func DType(d tf.DType) Option { return rnncell.DType(d) }

// InitialState gives a loop's initial state (initial_state=); see
// rnncell.InitialState.
func InitialState(state ...*tf.Tensor) Option { return rnncell.InitialState(state...) }

// SequenceLength gives each sequence's length (sequence_length=); see
// rnncell.SequenceLength.
func SequenceLength(lengths *tf.Tensor) Option { return rnncell.SequenceLength(lengths) }

// TimeMajor says a loop's inputs are [time, batch, depth] (time_major=);
// see rnncell.TimeMajor.
func TimeMajor(t bool) Option { return rnncell.TimeMajor(t) }

// SwapMemory is nn.DynamicRNN's swap_memory= (accepted, no effect on a
// CPU); see rnncell.SwapMemory.
func SwapMemory(s bool) Option { return rnncell.SwapMemory(s) }

// Scope names a loop's variable scope (scope=); see rnncell.Scope.
func Scope(name string) Option { return rnncell.Scope(name) }

// Name names a cell's own variable scope (name=); see rnncell.Name.
func Name(name string) Option { return rnncell.Name(name) }
