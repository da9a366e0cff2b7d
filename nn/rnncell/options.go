package rnncell

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/tf"
)

// ActivationFunc is the type of a cell's activation function: tf.Tanh,
// tf.Relu, tf.Sigmoid, nn.Relu and the like.
type ActivationFunc func(x any, opts ...tf.Option) *tf.Tensor

// Option is a keyword argument of a cell constructor or a loop (Python's
// activation=, dtype=, sequence_length=, ...).
type Option struct {
	key   string
	apply func(*Options)
}

// Options holds parsed Options. Loop implementations outside this package
// (nn.DynamicRNN, or a user's own loop) read them through ParseOptions.
type Options struct {
	Activation     ActivationFunc
	DType          tf.DType
	InitialState   []*tf.Tensor
	SequenceLength *tf.Tensor
	TimeMajor      bool
	SwapMemory     bool
	Scope          string
	Name           string
	// Given records which options were given, by key ("dtype",
	// "initial_state", "sequence_length", ...).
	Given map[string]bool
}

// Activation sets a cell's activation function (activation=; default
// tf.Tanh).
func Activation(fn ActivationFunc) Option {
	return Option{"activation", func(o *Options) { o.Activation = fn }}
}

// DType sets the dtype of the initial state when none is given (dtype=).
func DType(d tf.DType) Option { return Option{"dtype", func(o *Options) { o.DType = d }} }

// InitialState gives a loop's initial state (initial_state=): one tensor per
// entry of the cell's StateSize, each [batch, size].
func InitialState(state ...*tf.Tensor) Option {
	s := append([]*tf.Tensor(nil), state...)
	return Option{"initial_state", func(o *Options) { o.InitialState = s }}
}

// SequenceLength gives each sequence's length (sequence_length=), an int32 or
// int64 vector [batch]. Past its length a sequence's outputs are zero and its
// state is copied through, so the returned state is the state after its last
// valid step; a length of 0 returns the initial state. A length outside
// [0, number of steps] is an error naming it.
func SequenceLength(lengths *tf.Tensor) Option {
	return Option{"sequence_length", func(o *Options) { o.SequenceLength = lengths }}
}

// TimeMajor says the inputs and outputs of nn.DynamicRNN are [time, batch,
// depth] rather than [batch, time, depth] (time_major=, default false).
func TimeMajor(t bool) Option { return Option{"time_major", func(o *Options) { o.TimeMajor = t }} }

// SwapMemory is nn.DynamicRNN's swap_memory= (default false). In TF it moves
// the activations saved for back-propagation from GPU to host memory. Here
// every tensor already lives in host memory, so it is accepted and changes
// nothing.
func SwapMemory(s bool) Option { return Option{"swap_memory", func(o *Options) { o.SwapMemory = s }} }

// Scope names the variable scope of a loop (scope=; default "rnn").
func Scope(name string) Option { return Option{"scope", func(o *Options) { o.Scope = name }} }

// Name names a cell's own variable scope (name=; default the cell type's
// name in snake case, as "basic_rnn_cell").
func Name(name string) Option { return Option{"name", func(o *Options) { o.Name = name }} }

// ParseOptions applies opts for function fn, refusing any whose key is not
// in allowed ("activation", "dtype", "initial_state", "sequence_length",
// "time_major", "swap_memory", "scope", "name").
func ParseOptions(fn string, opts []Option, allowed ...string) (*Options, error) {
	o := &Options{Given: map[string]bool{}}
	for _, op := range opts {
		if op.apply == nil {
			continue
		}
		ok := false
		for _, a := range allowed {
			if a == op.key {
				ok = true
				break
			}
		}
		if !ok {
			return nil, errors.Errorf("%s does not take the option %s (it takes %v)", fn, op.key, allowed)
		}
		op.apply(o)
		o.Given[op.key] = true
	}
	return o, nil
}
