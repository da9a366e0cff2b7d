package rnn

import (
	"fmt"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The stacked bidirectional RNNs of tf.contrib.rnn
// (tensorflow/contrib/rnn/python/ops/rnn.py).

// StackBidirectionalDynamicRNN stacks bidirectional RNN layers
// (tf.contrib.rnn.stack_bidirectional_dynamic_rnn): layer l runs
// nn.BidirectionalDynamicRNN(cellsFw[l], cellsBw[l], ...) over the previous
// layer's forward and backward outputs concatenated along depth (the
// inputs for layer 0). It returns the last layer's concatenated outputs,
// [batch, time, fw+bw output sizes] ([time, batch, ...] with TimeMajor),
// and each layer's final forward and backward states (statesFw[l] is layer
// l's forward state, one tensor per entry of its cell's StateSize). A TF
// 1.x program ports line for line:
//
//	outputs, states_fw, states_bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
//	    cells_fw, cells_bw, X, dtype=tf.float32, sequence_length=seq)
//
// becomes
//
//	outputs, statesFw, statesBw := rnn.StackBidirectionalDynamicRNN(cellsFw, cellsBw, X,
//	    rnn.DType(tf.Float32), rnn.SequenceLength(seq))
//
// Variables are named as TF's:
// "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/basic_lstm_cell/kernel".
// Options: DType (required unless every initial state is given),
// InitialStatesFw, InitialStatesBw (one state per layer), SequenceLength,
// TimeMajor, Scope (default "stack_bidirectional_rnn"). On failure every
// returned tensor carries the error.
func StackBidirectionalDynamicRNN(cellsFw, cellsBw []Cell, inputs *tf.Tensor, opts ...Option) (outputs *tf.Tensor, statesFw, statesBw [][]*tf.Tensor) {
	fn := "rnn.StackBidirectionalDynamicRNN at " + callsite.User()
	fail := func(err error) (*tf.Tensor, [][]*tf.Tensor, [][]*tf.Tensor) {
		t := tfimpl.ErrTensor(err)
		return t, errStates(t, cellsFw), errStates(t, cellsBw)
	}
	o, closeScope, err := openStack(fn, "rnn.StackBidirectionalDynamicRNN", cellsFw, cellsBw, opts, "time_major")
	if err != nil {
		return fail(err)
	}
	defer closeScope()
	prev := inputs
	for l := range cellsFw {
		layerOpts := layerOptions(o, l)
		layerOpts = append(layerOpts, rnncell.TimeMajor(o.TimeMajor))
		closeCell := tf.VariableScope(fmt.Sprintf("cell_%d", l), tf.ReuseInherit)
		outs, states := nn.BidirectionalDynamicRNN(cellsFw[l], cellsBw[l], prev, layerOpts...)
		if outs[0].Err() != nil {
			closeCell()
			return fail(errors.Wrapf(outs[0].Err(), "%s: layer %d", fn, l))
		}
		prev = tf.Concat(outs, 2)
		closeCell()
		statesFw = append(statesFw, states[0])
		statesBw = append(statesBw, states[1])
	}
	return prev, statesFw, statesBw
}

// StackBidirectionalRNN stacks bidirectional RNN layers over a list of
// time steps (tf.contrib.rnn.stack_bidirectional_rnn): layer l runs
// nn.StaticBidirectionalRNN(cellsFw[l], cellsBw[l], ...) over the previous
// layer's outputs (the inputs for layer 0). It returns the last layer's
// outputs, one per step, forward and backward concatenated along depth,
// and each layer's final forward and backward states. A TF 1.x program
// ports line for line:
//
//	outputs, states_fw, states_bw = tf.contrib.rnn.stack_bidirectional_rnn(
//	    cells_fw, cells_bw, X_seqs, dtype=tf.float32)
//
// becomes
//
//	outputs, statesFw, statesBw := rnn.StackBidirectionalRNN(cellsFw, cellsBw, XSeqs,
//	    rnn.DType(tf.Float32))
//
// Variables are named as TF's (which passes each layer's scope to
// static_bidirectional_rnn, so no "bidirectional_rnn" level):
// "stack_bidirectional_rnn/cell_0/fw/basic_lstm_cell/kernel". Options:
// DType, InitialStatesFw, InitialStatesBw, SequenceLength, Scope (default
// "stack_bidirectional_rnn"). On failure every returned tensor carries the
// error.
func StackBidirectionalRNN(cellsFw, cellsBw []Cell, inputs []*tf.Tensor, opts ...Option) (outputs []*tf.Tensor, statesFw, statesBw [][]*tf.Tensor) {
	fn := "rnn.StackBidirectionalRNN at " + callsite.User()
	fail := func(err error) ([]*tf.Tensor, [][]*tf.Tensor, [][]*tf.Tensor) {
		t := tfimpl.ErrTensor(err)
		outs := make([]*tf.Tensor, max(len(inputs), 1))
		for i := range outs {
			outs[i] = t
		}
		return outs, errStates(t, cellsFw), errStates(t, cellsBw)
	}
	o, closeScope, err := openStack(fn, "rnn.StackBidirectionalRNN", cellsFw, cellsBw, opts)
	if err != nil {
		return fail(err)
	}
	defer closeScope()
	prev := inputs
	for l := range cellsFw {
		// TF passes the layer's scope as static_bidirectional_rnn's.
		layerOpts := append(layerOptions(o, l), rnncell.Scope(fmt.Sprintf("cell_%d", l)))
		outs, stFw, stBw := nn.StaticBidirectionalRNN(cellsFw[l], cellsBw[l], prev, layerOpts...)
		if len(outs) > 0 && outs[0].Err() != nil {
			return fail(errors.Wrapf(outs[0].Err(), "%s: layer %d", fn, l))
		}
		prev = outs
		statesFw = append(statesFw, stFw)
		statesBw = append(statesBw, stBw)
	}
	return prev, statesFw, statesBw
}

// openStack parses a stacked bidirectional RNN's options (TF's common
// ones and more), checks its cells and initial states, and opens its
// variable scope, returning the function that closes it.
func openStack(fn, name string, cellsFw, cellsBw []Cell, opts []Option, more ...string) (*rnncell.Options, func(), error) {
	allowed := append([]string{"initial_states_fw", "initial_states_bw", "dtype", "sequence_length", "scope"}, more...)
	o, err := rnncell.ParseOptions(name, opts, allowed...)
	if err != nil {
		return nil, nil, err
	}
	if err := checkStack(fn, cellsFw, cellsBw, o); err != nil {
		return nil, nil, err
	}
	scope := o.Scope
	if scope == "" {
		scope = "stack_bidirectional_rnn"
	}
	return o, tf.VariableScope(scope, tf.ReuseInherit), nil
}

// checkStack checks the cells and initial states of a stacked
// bidirectional RNN, with TF's messages.
func checkStack(fn string, cellsFw, cellsBw []Cell, o *rnncell.Options) error {
	switch {
	case len(cellsFw) == 0:
		return errors.Errorf("%s: Must specify at least one fw cell for BidirectionalRNN (cells_fw is empty)", fn)
	case len(cellsBw) == 0:
		return errors.Errorf("%s: Must specify at least one bw cell for BidirectionalRNN (cells_bw is empty)", fn)
	case len(cellsFw) != len(cellsBw):
		return errors.Errorf("%s: Forward and Backward cells must have the same depth: %d fw cells, %d bw cells", fn, len(cellsFw), len(cellsBw))
	case o.Given["initial_states_fw"] && len(o.InitialStatesFw) != len(cellsFw):
		return errors.Errorf("%s: initial_states_fw must be a list of state tensors (one per layer): %d states for %d layers", fn, len(o.InitialStatesFw), len(cellsFw))
	case o.Given["initial_states_bw"] && len(o.InitialStatesBw) != len(cellsBw):
		return errors.Errorf("%s: initial_states_bw must be a list of state tensors (one per layer): %d states for %d layers", fn, len(o.InitialStatesBw), len(cellsBw))
	}
	for l := range cellsFw {
		if cellsFw[l] == nil || cellsBw[l] == nil {
			return errors.Errorf("%s: cell %d of cells_fw or cells_bw is nil; want an rnn.Cell", fn, l)
		}
	}
	return nil
}

// layerOptions are the options of layer l's bidirectional RNN.
func layerOptions(o *rnncell.Options, l int) []rnncell.Option {
	var opts []rnncell.Option
	if o.Given["dtype"] {
		opts = append(opts, rnncell.DType(o.DType))
	}
	if o.Given["sequence_length"] {
		opts = append(opts, rnncell.SequenceLength(o.SequenceLength))
	}
	if o.Given["initial_states_fw"] {
		opts = append(opts, rnncell.InitialStateFw(o.InitialStatesFw[l]...))
	}
	if o.Given["initial_states_bw"] {
		opts = append(opts, rnncell.InitialStateBw(o.InitialStatesBw[l]...))
	}
	return opts
}

// errStates returns, per cell, its state tensors all carrying t.
func errStates(t *tf.Tensor, cells []Cell) [][]*tf.Tensor {
	out := make([][]*tf.Tensor, max(len(cells), 1))
	for i := range out {
		n := 1
		if i < len(cells) && cells[i] != nil {
			n = max(len(cells[i].StateSize()), 1)
		}
		out[i] = make([]*tf.Tensor, n)
		for j := range out[i] {
			out[i][j] = t
		}
	}
	return out
}
