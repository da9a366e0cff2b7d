package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// NASCell is TF's NASCell (tf.contrib.rnn.NASCell), the recurrent cell
// found by Zoph and Le's Neural Architecture Search, with an optional
// projection. With P the projection's size (units without one), each step
// computes
//
//	a0..a7 = split(inputs·kernel, 8, axis 1)
//	b0..b7 = split(m·recurrent_kernel (+ bias with UseBias), 8, axis 1)
//	l0, l1 = sigmoid(a0 + b0), relu(a1 + b1)
//	l2, l3 = sigmoid(a2 + b2), relu(a3·b3)
//	l4, l5 = tanh(a4 + b4), sigmoid(a5 + b5)
//	l6, l7 = tanh(a6 + b6), sigmoid(a7 + b7)
//	c' = tanh(tanh(l0·l1) + c)·tanh(l2 + l3)
//	m' = tanh(c'·tanh(tanh(l4·l5) + sigmoid(l6 + l7)))
//	m' = m'·projection_weights                        (with NumProj)
//
// and returns m' as its output [batch, P] and (c', m') as its state.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's, in TF's order: "<scope>/nas_cell/recurrent_kernel" [P,
// 8·units], "kernel" [depth, 8·units], with UseBias "bias" [8·units]
// (zeros), with NumProj "projection_weights" [units, P]; all but the bias
// glorot-uniform.
type NASCell struct {
	base
	lstmSizes // with stateIsTuple: TF's state is an LSTMStateTuple
	useBias   bool

	recurrentKernel, kernel, bias, projection *tf.Variable
}

// NewNASCell returns a NASCell of numUnits units (NASCell(num_units)). A
// bad argument is reported, with the line of this call, by the cell's
// first Call.
//
// Options: NumProj, UseBias (default false; TF 1.15's use_bias) or
// UseBiases (earlier releases' use_biases), Name (default "nas_cell").
func NewNASCell(numUnits int, opts ...Option) *NASCell {
	const fn = "rnn.NewNASCell"
	c := &NASCell{base: base{fn: "rnn.NASCell", name: "nas_cell"}, lstmSizes: lstmSizes{numUnits: numUnits, stateIsTuple: true}}
	o, err := parseCellOptions(fn, numUnits, opts, "num_proj", "use_bias", "use_biases", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["num_proj"] && o.NumProj <= 0:
		c.err = errorf("%s: num_proj must be positive, got %d", fn, o.NumProj)
	default:
		c.numProj, c.useBias = o.NumProj, o.UseBias
		if o.Name != "" {
			c.name = o.Name
		}
	}
	return c
}

// ZeroState returns zeros for c and m.
func (c *NASCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Weights returns the variables recurrent_kernel, kernel, bias (nil
// without UseBias) and projection_weights (nil without NumProj), nil
// before the first Call.
func (c *NASCell) Weights() (recurrentKernel, kernel, bias, projection *tf.Variable) {
	return c.recurrentKernel, c.kernel, c.bias, c.projection
}

// Call computes one step; see NASCell.
func (c *NASCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	const base = 8 // TF's _NAS_BASE
	U, P := c.numUnits, c.projSize()
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.recurrentKernel = v.get("recurrent_kernel", tf.Shape{P, base * U}, nil)
		c.kernel = v.get("kernel", tf.Shape{depth, base * U}, nil)
		if c.useBias {
			c.bias = v.get("bias", tf.Shape{base * U}, tf.ZerosInitializer())
		}
		if c.numProj > 0 {
			c.projection = v.get("projection_weights", tf.Shape{U, P}, nil)
		}
		return v.err
	})
	if err != nil {
		return fail(err, 2)
	}
	cPrev, mPrev := state[0], state[1]
	m := linear([]*tf.Tensor{mPrev}, c.recurrentKernel, c.bias)
	a := tf.Split(tf.MatMul(inputs, c.kernel), base, 1)
	b := tf.Split(m, base, 1)
	if len(a) != base || len(b) != base {
		return fail(tf.Add(a[0], b[0]).Err(), 2)
	}
	sig, tanh := tf.Sigmoid, tf.Tanh
	l10 := sig(tf.Add(a[0], b[0]))
	l11 := tf.Relu(tf.Add(a[1], b[1]))
	l12 := sig(tf.Add(a[2], b[2]))
	l13 := tf.Relu(tf.Mul(a[3], b[3]))
	l14 := tanh(tf.Add(a[4], b[4]))
	l15 := sig(tf.Add(a[5], b[5]))
	l16 := tanh(tf.Add(a[6], b[6]))
	l17 := sig(tf.Add(a[7], b[7]))
	l20 := tanh(tf.Mul(l10, l11))
	l21 := tanh(tf.Add(l12, l13))
	l22 := tanh(tf.Mul(l14, l15))
	l23 := sig(tf.Add(l16, l17))
	l20 = tanh(tf.Add(l20, cPrev))
	newC := tf.Mul(l20, l21)
	l31 := tanh(tf.Add(l22, l23))
	newM := tanh(tf.Mul(newC, l31))
	if c.numProj > 0 {
		newM = tf.MatMul(newM, c.projection)
	}
	return newM, []*tf.Tensor{newC, newM}
}
