package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// BasicRNNCell is the most basic recurrent cell (tf.contrib.rnn.BasicRNNCell):
// output = new state = activation([inputs, state]·kernel + bias).
//
// Its variables, made on the first Call under the current variable scope,
// are TF's: "<scope>/basic_rnn_cell/kernel" [depth+numUnits, numUnits],
// glorot-uniform, and "<scope>/basic_rnn_cell/bias" [numUnits], zeros, of the
// inputs' dtype. Every later Call uses them.
type BasicRNNCell struct {
	base
	unitSizes
	activation ActivationFunc

	kernel, bias *tf.Variable
}

// NewBasicRNNCell returns a BasicRNNCell of numUnits units
// (tf.contrib.rnn.BasicRNNCell(num_units)). A bad argument is reported, with
// the line of this call, by the cell's first Call.
//
// Options: Activation (default tf.Tanh), Name (default "basic_rnn_cell").
func NewBasicRNNCell(numUnits int, opts ...Option) *BasicRNNCell {
	const fn = "rnn.NewBasicRNNCell"
	c := &BasicRNNCell{base: base{fn: "rnn.BasicRNNCell", name: "basic_rnn_cell"}, unitSizes: unitSizes{numUnits}, activation: tf.Tanh}
	o, err := parseCellOptions(fn, numUnits, opts, "activation", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["activation"] && o.Activation == nil:
		c.err = errorf("%s: the activation is nil", fn)
	default:
		if o.Activation != nil {
			c.activation = o.Activation
		}
		if o.Name != "" {
			c.name = o.Name
		}
	}
	return c
}

// ZeroState returns one zero tensor [batch, numUnits].
func (c *BasicRNNCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Kernel returns the cell's kernel variable, nil before the first Call.
func (c *BasicRNNCell) Kernel() *tf.Variable { return c.kernel }

// Bias returns the cell's bias variable, nil before the first Call.
func (c *BasicRNNCell) Bias() *tf.Variable { return c.bias }

// Activation returns the cell's activation function.
func (c *BasicRNNCell) Activation() ActivationFunc { return c.activation }

// Call computes one step; see BasicRNNCell.
func (c *BasicRNNCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.kernel = v.get("kernel", tf.Shape{depth + c.numUnits, c.numUnits}, nil)
		c.bias = v.get("bias", tf.Shape{c.numUnits}, tf.ZerosInitializer())
		return v.err
	})
	if err != nil {
		return fail(err, 1)
	}
	gate := tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{inputs, state[0]}, 1), c.kernel), c.bias)
	out := c.activation(gate)
	return out, []*tf.Tensor{out}
}

// FusedWeights returns the cell's kernel and bias variables (nil before
// the first Call) and its activation. It is not part of the Cell contract:
// loops that know the cell's step, activation([inputs, state]·kernel +
// bias), use it to run all steps with one fused kernel (nn.DynamicRNN does
// for tanh and relu), finding it by a type assertion.
func (c *BasicRNNCell) FusedWeights() (kernel, bias *tf.Variable, activation ActivationFunc) {
	return c.kernel, c.bias, c.activation
}

// unitSizes are the sizes of a cell whose state and output are one tensor
// of its units, as BasicRNNCell, GRUCell, GRUBlockCell, UGRNNCell and
// IntersectionRNNCell.
type unitSizes struct{ numUnits int }

// StateSize returns [units].
func (s unitSizes) StateSize() []int { return []int{s.numUnits} }

// OutputSize returns the number of units.
func (s unitSizes) OutputSize() int { return s.numUnits }

// NumUnits returns the number of units.
func (s unitSizes) NumUnits() int { return s.numUnits }
