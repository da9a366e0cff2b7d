package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// UGRNNCell is TF's UGRNNCell (tf.contrib.rnn.UGRNNCell), the update gate
// RNN of Collins, Sohl-Dickstein and Sussillo: one gate choosing between
// keeping the state and a new candidate. Each step computes
//
//	g, c = split([inputs, h]·kernel + bias, 2, axis 1)
//	g  = sigmoid(g + forget_bias)
//	h' = g·h + (1 - g)·activation(c)
//
// and returns h' as its output and its state.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's: "<scope>/ugrnn_cell/kernel" [depth+units, 2·units] (from
// Initializer, default glorot-uniform) and "bias" [2·units] (zeros).
type UGRNNCell struct {
	base
	unitSizes
	initializer tf.Initializer
	forgetBias  float64
	activation  ActivationFunc

	kernel, bias *tf.Variable
}

// NewUGRNNCell returns a UGRNNCell of numUnits units (UGRNNCell(num_units)).
// A bad argument is reported, with the line of this call, by the cell's
// first Call.
//
// Options: Initializer, ForgetBias (default 1.0), Activation (default
// tf.Tanh), Name (default "ugrnn_cell").
func NewUGRNNCell(numUnits int, opts ...Option) *UGRNNCell {
	const fn = "rnn.NewUGRNNCell"
	c := &UGRNNCell{base: base{fn: "rnn.UGRNNCell", name: "ugrnn_cell"}, unitSizes: unitSizes{numUnits}, forgetBias: 1, activation: tf.Tanh}
	o, err := parseCellOptions(fn, numUnits, opts, "initializer", "forget_bias", "activation", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["activation"] && o.Activation == nil:
		c.err = errorf("%s: the activation is nil", fn)
	default:
		c.initializer, c.forgetBias = o.Initializer, o.ForgetBias
		if o.Activation != nil {
			c.activation = o.Activation
		}
		if o.Name != "" {
			c.name = o.Name
		}
	}
	return c
}

// ZeroState returns zeros [batch, units].
func (c *UGRNNCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Kernel returns the kernel variable [depth+units, 2·units], nil before the
// first Call.
func (c *UGRNNCell) Kernel() *tf.Variable { return c.kernel }

// Bias returns the bias variable [2·units], nil before the first Call.
func (c *UGRNNCell) Bias() *tf.Variable { return c.bias }

// Call computes one step; see UGRNNCell.
func (c *UGRNNCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	U := c.numUnits
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.kernel = v.get("kernel", tf.Shape{depth + U, 2 * U}, c.initializer)
		c.bias = v.get("bias", tf.Shape{2 * U}, tf.ZerosInitializer())
		return v.err
	})
	if err != nil {
		return fail(err, 1)
	}
	h := state[0]
	gc := tf.Split(linear([]*tf.Tensor{inputs, h}, c.kernel, c.bias), 2, 1)
	if len(gc) != 2 {
		return fail(gc[0].Err(), 1)
	}
	g := tf.Sigmoid(tf.Add(gc[0], c.forgetBias))
	newH := tf.Add(tf.Mul(g, h), tf.Mul(tf.Sub(1.0, g), c.activation(gc[1])))
	return newH, []*tf.Tensor{newH}
}

// linear is TF's rnn_cell_impl._Linear: concat(args, 1)·kernel + bias (no
// bias when bias is nil).
func linear(args []*tf.Tensor, kernel, bias *tf.Variable) *tf.Tensor {
	x := args[0]
	if len(args) > 1 {
		x = tf.Concat(args, 1)
	}
	y := tf.MatMul(x, kernel)
	if bias != nil {
		y = tf.Add(y, bias)
	}
	return y
}
