package rnncell

import (
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// OutputProjectionWrapper adds a linear projection to a cell's outputs
// (tf.contrib.rnn.OutputProjectionWrapper): it runs the wrapped cell and
// returns output·kernel + bias (through an activation if one is given) and
// the cell's state unchanged.
//
// On its first Call it opens the variable scope "output_projection_wrapper"
// (made unique as TF's default names), in which the wrapped cell makes its
// variables ("<scope>/output_projection_wrapper/basic_rnn_cell/kernel") and
// the projection its own: "<scope>/output_projection_wrapper/kernel"
// [cell output size, outputSize], glorot-uniform, and ".../bias"
// [outputSize], zeros.
type OutputProjectionWrapper struct {
	cell       Cell
	outputSize int
	activation ActivationFunc
	err        error

	scope        string
	kernel, bias *tf.Variable
}

// NewOutputProjectionWrapper wraps cell with a projection to outputSize
// outputs (OutputProjectionWrapper(cell, output_size)). A bad argument is
// reported by the first Call.
//
// Options: Activation (default none: the projection is linear).
func NewOutputProjectionWrapper(cell Cell, outputSize int, opts ...Option) *OutputProjectionWrapper {
	w := &OutputProjectionWrapper{cell: cell, outputSize: outputSize}
	o, err := ParseOptions("rnn.NewOutputProjectionWrapper", opts, "activation")
	switch {
	case err != nil:
		w.err = err
	case cell == nil:
		w.err = errorf("rnn.NewOutputProjectionWrapper: cell is nil")
	case outputSize <= 0:
		w.err = errorf("rnn.NewOutputProjectionWrapper: Parameter output_size must be > 0: %d", outputSize)
	default:
		w.activation = o.Activation
	}
	return w
}

// StateSize returns the wrapped cell's state sizes.
func (w *OutputProjectionWrapper) StateSize() []int {
	if w.cell == nil {
		return []int{0}
	}
	return w.cell.StateSize()
}

// StateKinds returns the wrapped cell's state kinds.
func (w *OutputProjectionWrapper) StateKinds() []StateKind { return StateKinds(w.cell) }

// OutputSize returns the projection's size.
func (w *OutputProjectionWrapper) OutputSize() int { return w.outputSize }

// ZeroState returns the wrapped cell's zero state.
func (w *OutputProjectionWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, len(w.StateSize()))
	}
	return w.cell.ZeroState(batchSize, dtype)
}

// Kernel returns the projection's kernel variable, nil before the first Call.
func (w *OutputProjectionWrapper) Kernel() *tf.Variable { return w.kernel }

// Bias returns the projection's bias variable, nil before the first Call.
func (w *OutputProjectionWrapper) Bias() *tf.Variable { return w.bias }

// Call runs the wrapped cell and projects its output.
func (w *OutputProjectionWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(w.StateSize())
	if w.err != nil {
		return tfimpl.ErrTensor(w.err), errState(w.err, n)
	}
	if w.scope == "" {
		w.scope = uniqueScope("output_projection_wrapper")
	}
	closeScope := tf.VariableScope(w.scope, tf.ReuseInherit)
	defer closeScope()
	out, ns := w.cell.Call(inputs, state)
	if out == nil {
		err := errorf("rnn.OutputProjectionWrapper: the wrapped cell returned a nil output")
		return tfimpl.ErrTensor(err), errState(err, n)
	}
	if out.Err() != nil {
		return out, errState(out.Err(), n)
	}
	if w.kernel == nil {
		s := out.Shape()
		if s == nil || len(s) != 2 || s[1] < 0 {
			err := errorf("rnn.OutputProjectionWrapper: the wrapped cell's output %q has shape %v; want [batch, size] with a known size", out.Name(), s)
			return tfimpl.ErrTensor(err), errState(err, n)
		}
		k := tf.GetVariable("kernel", tf.Shape{s[1], w.outputSize}, tf.WithDType(out.DType()))
		if k.Err() != nil {
			return tfimpl.ErrTensor(k.Err()), errState(k.Err(), n)
		}
		b := tf.GetVariable("bias", tf.Shape{w.outputSize}, tf.WithDType(out.DType()), tf.WithInitializer(tf.ZerosInitializer()))
		if b.Err() != nil {
			return tfimpl.ErrTensor(b.Err()), errState(b.Err(), n)
		}
		w.kernel, w.bias = k, b
	}
	proj := tf.Add(tf.MatMul(out, w.kernel), w.bias)
	if w.activation != nil {
		proj = w.activation(proj)
	}
	return proj, ns
}
