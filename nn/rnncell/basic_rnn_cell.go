package rnncell

import (
	"github.com/pkg/errors"

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
	numUnits   int
	activation ActivationFunc
	name       string
	err        error

	depth        int
	kernel, bias *tf.Variable
}

// NewBasicRNNCell returns a BasicRNNCell of numUnits units
// (tf.contrib.rnn.BasicRNNCell(num_units)). A bad argument is reported by
// the cell's first Call.
//
// Options: Activation (default tf.Tanh), Name (default "basic_rnn_cell").
func NewBasicRNNCell(numUnits int, opts ...Option) *BasicRNNCell {
	c := &BasicRNNCell{numUnits: numUnits, activation: tf.Tanh, name: "basic_rnn_cell"}
	o, err := ParseOptions("rnn.NewBasicRNNCell", opts, "activation", "name")
	if err != nil {
		c.err = err
		return c
	}
	if o.Given["activation"] {
		if o.Activation == nil {
			c.err = errors.New("rnn.NewBasicRNNCell: the activation is nil")
		}
		c.activation = o.Activation
	}
	if o.Name != "" {
		c.name = o.Name
	}
	if numUnits <= 0 {
		c.err = errors.Errorf("rnn.NewBasicRNNCell: num_units must be positive, got %d", numUnits)
	}
	return c
}

// StateSize returns [numUnits].
func (c *BasicRNNCell) StateSize() []int { return []int{c.numUnits} }

// OutputSize returns numUnits.
func (c *BasicRNNCell) OutputSize() int { return c.numUnits }

// ZeroState returns one zero tensor [batch, numUnits].
func (c *BasicRNNCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Kernel returns the cell's kernel variable, nil before the first Call.
func (c *BasicRNNCell) Kernel() *tf.Variable { return c.kernel }

// Bias returns the cell's bias variable, nil before the first Call.
func (c *BasicRNNCell) Bias() *tf.Variable { return c.bias }

// Call computes one step; see BasicRNNCell.
func (c *BasicRNNCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	const fn = "rnn.BasicRNNCell"
	if c.err != nil {
		return tf.ErrTensor(c.err), errState(c.err, 1)
	}
	if err := checkStep(fn, inputs, state, c.StateSize()); err != nil {
		return tf.ErrTensor(err), errState(err, 1)
	}
	if err := c.build(inputs); err != nil {
		return tf.ErrTensor(err), errState(err, 1)
	}
	h := state[0]
	gate := tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{inputs, h}, 1), c.kernel), c.bias)
	out := c.activation(gate)
	return out, []*tf.Tensor{out}
}

// build makes the variables on the first call and checks the inputs' depth.
func (c *BasicRNNCell) build(inputs *tf.Tensor) error {
	s := inputs.Shape()
	if s == nil || s[1] < 0 {
		return errors.Errorf("rnn.BasicRNNCell: Expected inputs.shape[-1] to be known, saw shape: %v", s)
	}
	if c.kernel != nil {
		if s[1] != c.depth {
			return errors.Errorf("rnn.BasicRNNCell: inputs %q have depth %d, but the cell was built for depth %d", inputs.Name(), s[1], c.depth)
		}
		if inputs.DType() != c.kernel.DType() {
			return errors.Errorf("rnn.BasicRNNCell: inputs %q have dtype %s, but the cell's variables are %s", inputs.Name(), inputs.DType(), c.kernel.DType())
		}
		return nil
	}
	if !inputs.DType().IsFloating() {
		return errors.Errorf("rnn.BasicRNNCell: inputs %q have dtype %s; want float32 or float64", inputs.Name(), inputs.DType())
	}
	defer tf.VariableScope(uniqueScope(c.name), tf.ReuseInherit)()
	k := tf.GetVariable("kernel", tf.Shape{s[1] + c.numUnits, c.numUnits}, tf.WithDType(inputs.DType()))
	if k.Err() != nil {
		return k.Err()
	}
	b := tf.GetVariable("bias", tf.Shape{c.numUnits}, tf.WithDType(inputs.DType()), tf.WithInitializer(tf.ZerosInitializer()))
	if b.Err() != nil {
		return b.Err()
	}
	c.depth, c.kernel, c.bias = s[1], k, b
	return nil
}

// FusedWeights returns the cell's kernel and bias variables (nil before
// the first Call) and its activation. It is not part of the Cell contract:
// loops that know the cell's step, activation([inputs, state]·kernel +
// bias), use it to run all steps with one fused kernel (nn.DynamicRNN does
// for tanh and relu), finding it by a type assertion.
func (c *BasicRNNCell) FusedWeights() (kernel, bias *tf.Variable, activation ActivationFunc) {
	return c.kernel, c.bias, c.activation
}
