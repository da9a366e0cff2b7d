package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// GRUCell is TF's GRUCell (tf.nn.rnn_cell.GRUCell, tf.contrib.rnn.GRUCell),
// the gated recurrent unit of Cho et al. Each step computes
//
//	r, u = split(sigmoid([inputs, h]·gates/kernel + gates/bias), 2, axis 1)
//	c  = activation([inputs, r·h]·candidate/kernel + candidate/bias)
//	h' = u·h + (1 - u)·c
//
// (the reset gate r applied to h before the candidate's product, as TF) and
// returns h' as its output and its state.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's, in TF's order: "<scope>/gru_cell/gates/kernel" [depth+units,
// 2·units], "gates/bias" [2·units] (1.0), "candidate/kernel" [depth+units,
// units], "candidate/bias" [units] (zeros); the kernels from
// KernelInitializer (default glorot-uniform), the biases from
// BiasInitializer when given.
type GRUCell struct {
	base
	unitSizes
	activation ActivationFunc
	kernelInit tf.Initializer
	biasInit   tf.Initializer

	gateKernel, gateBias           *tf.Variable
	candidateKernel, candidateBias *tf.Variable
}

// NewGRUCell returns a GRUCell of numUnits units (GRUCell(num_units)). A bad
// argument is reported, with the line of this call, by the cell's first
// Call.
//
// Options: Activation (default tf.Tanh), KernelInitializer,
// BiasInitializer, Name (default "gru_cell").
func NewGRUCell(numUnits int, opts ...Option) *GRUCell {
	const fn = "rnn.NewGRUCell"
	c := &GRUCell{base: base{fn: "rnn.GRUCell", name: "gru_cell"}, unitSizes: unitSizes{numUnits}, activation: tf.Tanh}
	o, err := parseCellOptions(fn, numUnits, opts, "activation", "kernel_initializer", "bias_initializer", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["activation"] && o.Activation == nil:
		c.err = errorf("%s: the activation is nil", fn)
	default:
		c.kernelInit, c.biasInit = o.KernelInitializer, o.BiasInitializer
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
func (c *GRUCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Activation returns the candidate's activation function.
func (c *GRUCell) Activation() ActivationFunc { return c.activation }

// Gates returns the gates' kernel [depth+units, 2·units] and bias
// [2·units], nil before the first Call.
func (c *GRUCell) Gates() (kernel, bias *tf.Variable) { return c.gateKernel, c.gateBias }

// Candidate returns the candidate's kernel [depth+units, units] and bias
// [units], nil before the first Call.
func (c *GRUCell) Candidate() (kernel, bias *tf.Variable) {
	return c.candidateKernel, c.candidateBias
}

// Call computes one step; see GRUCell.
func (c *GRUCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	U := c.numUnits
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		gb, cb := c.biasInit, c.biasInit
		if gb == nil {
			gb, cb = tf.ConstantInitializer(1), tf.ZerosInitializer()
		}
		c.gateKernel = v.get("gates/kernel", tf.Shape{depth + U, 2 * U}, c.kernelInit)
		c.gateBias = v.get("gates/bias", tf.Shape{2 * U}, gb)
		c.candidateKernel = v.get("candidate/kernel", tf.Shape{depth + U, U}, c.kernelInit)
		c.candidateBias = v.get("candidate/bias", tf.Shape{U}, cb)
		return v.err
	})
	if err != nil {
		return fail(err, 1)
	}
	newH := gruUpdate(inputs, state[0], c.gateKernel, c.gateBias, c.candidateKernel, c.candidateBias, c.activation)
	return newH, []*tf.Tensor{newH}
}

// gruUpdate is the GRU step shared by GRUCell and GRUBlockCell (TF's
// GRUCell.call and the GRUBlockCell kernel compute the same):
//
//	r, u = split(sigmoid([x, h]·gateKernel + gateBias), 2, axis 1)
//	h'   = u·h + (1 - u)·act([x, r·h]·candKernel + candBias)
func gruUpdate(x, h *tf.Tensor, gateKernel, gateBias, candKernel, candBias *tf.Variable, act ActivationFunc) *tf.Tensor {
	value := tf.Sigmoid(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{x, h}, 1), gateKernel), gateBias))
	ru := tf.Split(value, 2, 1)
	if len(ru) != 2 {
		return ru[0]
	}
	r, u := ru[0], ru[1]
	cand := act(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{x, tf.Mul(r, h)}, 1), candKernel), candBias))
	return tf.Add(tf.Mul(u, h), tf.Mul(tf.Sub(1.0, u), cand))
}
