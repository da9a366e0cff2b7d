package rnncell

import (
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// StateKind says what a state tensor of a cell is, for wrappers that treat
// kinds differently (DropoutWrapper never drops an LSTM's c by default).
type StateKind int

// The kinds of state tensors.
const (
	StatePlain StateKind = iota // a state of no special kind (BasicRNNCell's, GRUCell's h)
	StateLSTMC                  // an LSTM's cell state c
	StateLSTMH                  // an LSTM's hidden state h (LSTMCell's m)
)

// String returns the kind's name: "plain", "c" or "h".
func (k StateKind) String() string {
	switch k {
	case StateLSTMC:
		return "c"
	case StateLSTMH:
		return "h"
	}
	return "plain"
}

// StateKinder is the optional interface of cells that say what their state
// tensors are (TF's LSTMStateTuple is a type; in the flat state of this
// package it is a kind). Loops and wrappers find it by a type assertion.
type StateKinder interface {
	// StateKinds returns one kind per StateSize entry.
	StateKinds() []StateKind
}

// StateKinds returns the kinds of cell's state tensors: the cell's own when
// it implements StateKinder, else StatePlain for each.
func StateKinds(cell Cell) []StateKind {
	if cell == nil {
		return nil
	}
	if k, ok := cell.(StateKinder); ok {
		if kinds := k.StateKinds(); len(kinds) == len(cell.StateSize()) {
			return kinds
		}
	}
	return make([]StateKind, len(cell.StateSize()))
}

// LSTMStateTuple is TF's LSTMStateTuple(c, h): the two state tensors of an
// LSTM cell, in the order the flat state holds them.
type LSTMStateTuple struct {
	C, H *tf.Tensor
}

// Flat returns the tuple as a flat state, []*tf.Tensor{C, H}, as loops take
// it (InitialState(t.Flat()...)).
func (t LSTMStateTuple) Flat() []*tf.Tensor { return []*tf.Tensor{t.C, t.H} }

// NewLSTMStateTuple returns the LSTMStateTuple of an LSTM cell's flat state
// (two tensors, c then h); other states give a tuple of error tensors.
func NewLSTMStateTuple(state []*tf.Tensor) LSTMStateTuple {
	if len(state) != 2 {
		err := tfimpl.ErrTensor(errorf("rnn.NewLSTMStateTuple: the state has %d tensors; an LSTM's has 2 (c, h)", len(state)))
		return LSTMStateTuple{err, err}
	}
	return LSTMStateTuple{state[0], state[1]}
}
