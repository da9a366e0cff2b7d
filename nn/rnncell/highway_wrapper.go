package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// HighwayWrapper adds a highway connection (Srivastava, Greff and
// Schmidhuber) between a step's inputs and the wrapped cell's outputs
// (tf.contrib.rnn.HighwayWrapper): its output is
//
//	carry = sigmoid(inputs·carry_w + carry_b)
//	transform = 1 - carry                              (coupled gates, the default)
//	transform = sigmoid(inputs·transform_w + transform_b)   (CoupleCarryTransformGates(false))
//	output = inputs·carry + cell_output·transform
//
// and its state the cell's. The inputs' depth must equal the cell's output
// size.
//
// As TF's, the wrapper opens no variable scope: on its first Call, after
// the wrapped cell has made its variables, it makes "carry_w" [depth,
// depth] (glorot-uniform), "carry_b" [depth] (CarryBiasInit), and without
// coupled gates "transform_w" [depth, depth] and "transform_b" [depth]
// (-CarryBiasInit), in the current variable scope ("rnn/carry_w" under a
// loop).
type HighwayWrapper struct {
	cell       Cell
	couple     bool
	carryBias  float64
	err        error
	built      bool
	carryW     *tf.Variable
	carryB     *tf.Variable
	transformW *tf.Variable
	transformB *tf.Variable
}

// NewHighwayWrapper wraps cell (HighwayWrapper(cell)). A bad argument is
// reported, with the line of this call, by the first Call.
//
// Options: CoupleCarryTransformGates (default true), CarryBiasInit
// (default 1.0).
func NewHighwayWrapper(cell Cell, opts ...Option) *HighwayWrapper {
	const fn = "rnn.NewHighwayWrapper"
	w := &HighwayWrapper{cell: cell, couple: true, carryBias: 1}
	o, err := ParseOptions(fn, opts, "couple_carry_transform_gates", "carry_bias_init")
	switch {
	case err != nil:
		w.err = err
	case cell == nil:
		w.err = errorf("%s: cell is nil", fn)
	default:
		w.couple, w.carryBias = o.CoupleCarryTransformGates, o.CarryBiasInit
	}
	return w
}

// Cell returns the wrapped cell.
func (w *HighwayWrapper) Cell() Cell { return w.cell }

// StateSize returns the wrapped cell's state sizes.
func (w *HighwayWrapper) StateSize() []int {
	if w.cell == nil {
		return []int{0}
	}
	return w.cell.StateSize()
}

// StateKinds returns the wrapped cell's state kinds.
func (w *HighwayWrapper) StateKinds() []StateKind { return StateKinds(w.cell) }

// OutputSize returns the wrapped cell's output size.
func (w *HighwayWrapper) OutputSize() int {
	if w.cell == nil {
		return 0
	}
	return w.cell.OutputSize()
}

// ZeroState returns the wrapped cell's zero state.
func (w *HighwayWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, len(w.StateSize()))
	}
	return w.cell.ZeroState(batchSize, dtype)
}

// Carry returns the carry gate's weight and bias, nil before the first
// Call.
func (w *HighwayWrapper) Carry() (weight, bias *tf.Variable) { return w.carryW, w.carryB }

// Transform returns the transform gate's weight and bias, nil with coupled
// gates or before the first Call.
func (w *HighwayWrapper) Transform() (weight, bias *tf.Variable) { return w.transformW, w.transformB }

// Call runs the wrapped cell and mixes its output with the inputs; see
// HighwayWrapper.
func (w *HighwayWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	const fn = "rnn.HighwayWrapper"
	n := len(w.StateSize())
	if w.err != nil {
		return fail(w.err, n)
	}
	if err := checkStep(fn, inputs, state, w.StateSize()); err != nil {
		return fail(err, n)
	}
	d := inputs.Shape()[1]
	if d < 0 {
		return fail(errorf("%s: Expected inputs.shape[-1] to be known, saw shape: %v", fn, inputs.Shape()), n)
	}
	if d != w.cell.OutputSize() {
		return fail(errorf("%s: inputs %q have depth %d but the cell's outputs have %d: the highway connection mixes them, so they must agree", fn, inputs.Name(), d, w.cell.OutputSize()), n)
	}
	out, ns := w.cell.Call(inputs, state)
	if out == nil || out.Err() != nil {
		return out, ns
	}
	if !w.built {
		v := &variables{dtype: inputs.DType()}
		w.carryW = v.get("carry_w", tf.Shape{d, d}, nil)
		w.carryB = v.get("carry_b", tf.Shape{d}, tf.ConstantInitializer(w.carryBias))
		if !w.couple {
			w.transformW = v.get("transform_w", tf.Shape{d, d}, nil)
			w.transformB = v.get("transform_b", tf.Shape{d}, tf.ConstantInitializer(-w.carryBias))
		}
		if v.err != nil {
			return fail(v.err, n)
		}
		w.built = true
	}
	carry := tf.Sigmoid(linear([]*tf.Tensor{inputs}, w.carryW, w.carryB))
	var transform *tf.Tensor
	if w.couple {
		transform = tf.Sub(1.0, carry)
	} else {
		transform = tf.Sigmoid(linear([]*tf.Tensor{inputs}, w.transformW, w.transformB))
	}
	return tf.Add(tf.Mul(inputs, carry), tf.Mul(out, transform)), ns
}
