package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// BasicLSTMCell is TF's BasicLSTMCell (tf.nn.rnn_cell.BasicLSTMCell,
// tf.contrib.rnn.BasicLSTMCell): an LSTM without peepholes, clipping or
// projection. Each step computes
//
//	i, j, f, o = split([inputs, h]·kernel + bias, 4, axis 1)
//	c' = c·sigmoid(f + forget_bias) + sigmoid(i)·activation(j)
//	h' = activation(c')·sigmoid(o)
//
// and returns h' as its output and (c', h') as its state: two state
// tensors, c then h (one [batch, 2·units] tensor, c and h concatenated,
// with StateIsTuple(false)).
//
// Its variables, made on the first Call under the current variable scope,
// are TF's: "<scope>/basic_lstm_cell/kernel" [depth+units, 4·units]
// (glorot-uniform) and "<scope>/basic_lstm_cell/bias" [4·units] (zeros).
type BasicLSTMCell struct {
	base
	lstmSizes
	forgetBias float64
	activation ActivationFunc

	kernel, bias *tf.Variable
}

// NewBasicLSTMCell returns a BasicLSTMCell of numUnits units
// (BasicLSTMCell(num_units)). A bad argument is reported, with the line of
// this call, by the cell's first Call.
//
// Options: ForgetBias (default 1.0), StateIsTuple (default true),
// Activation (default tf.Tanh), Name (default "basic_lstm_cell").
func NewBasicLSTMCell(numUnits int, opts ...Option) *BasicLSTMCell {
	const fn = "rnn.NewBasicLSTMCell"
	c := &BasicLSTMCell{base: base{fn: "rnn.BasicLSTMCell", name: "basic_lstm_cell"}, lstmSizes: lstmSizes{numUnits: numUnits, stateIsTuple: true},
		forgetBias: 1, activation: tf.Tanh}
	o, err := parseCellOptions(fn, numUnits, opts, "forget_bias", "state_is_tuple", "activation", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["activation"] && o.Activation == nil:
		c.err = errorf("%s: the activation is nil", fn)
	default:
		c.forgetBias, c.stateIsTuple = o.ForgetBias, o.StateIsTuple
		if o.Activation != nil {
			c.activation = o.Activation
		}
		if o.Name != "" {
			c.name = o.Name
		}
	}
	return c
}

// ZeroState returns zeros for c and h.
func (c *BasicLSTMCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// ForgetBias returns the bias added to the forget gate.
func (c *BasicLSTMCell) ForgetBias() float64 { return c.forgetBias }

// StateIsTuple reports whether the state is two tensors (c, h).
func (c *BasicLSTMCell) StateIsTuple() bool { return c.stateIsTuple }

// Activation returns the cell's activation function.
func (c *BasicLSTMCell) Activation() ActivationFunc { return c.activation }

// Kernel returns the kernel variable [depth+units, 4·units], nil before the
// first Call.
func (c *BasicLSTMCell) Kernel() *tf.Variable { return c.kernel }

// Bias returns the bias variable [4·units], nil before the first Call.
func (c *BasicLSTMCell) Bias() *tf.Variable { return c.bias }

// Call computes one step; see BasicLSTMCell.
func (c *BasicLSTMCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(c.StateSize())
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.kernel = v.get("kernel", tf.Shape{depth + c.numUnits, 4 * c.numUnits}, nil)
		c.bias = v.get("bias", tf.Shape{4 * c.numUnits}, tf.ZerosInitializer())
		return v.err
	})
	if err != nil {
		return fail(err, n)
	}
	cPrev, h := splitLSTMState(state, c.stateIsTuple, c.numUnits, c.numUnits)
	gates := tf.Split(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{inputs, h}, 1), c.kernel), c.bias), 4, 1)
	if len(gates) != 4 {
		return fail(gates[0].Err(), n)
	}
	i, j, f, o := gates[0], gates[1], gates[2], gates[3]
	newC := tf.Add(tf.Mul(cPrev, tf.Sigmoid(tf.Add(f, c.forgetBias))), tf.Mul(tf.Sigmoid(i), c.activation(j)))
	newH := tf.Mul(c.activation(newC), tf.Sigmoid(o))
	return newH, joinLSTMState(newC, newH, c.stateIsTuple)
}

// splitLSTMState returns c and h of an LSTM state: its two tensors, or the
// two parts of a concatenated one (sizes nc and nh).
func splitLSTMState(state []*tf.Tensor, isTuple bool, nc, nh int) (c, h *tf.Tensor) {
	if isTuple {
		return state[0], state[1]
	}
	parts := tf.Split(state[0], []int{nc, nh}, 1)
	if len(parts) != 2 {
		return parts[0], parts[0]
	}
	return parts[0], parts[1]
}

// joinLSTMState returns the state made of c and h.
func joinLSTMState(c, h *tf.Tensor, isTuple bool) []*tf.Tensor {
	if isTuple {
		return []*tf.Tensor{c, h}
	}
	return []*tf.Tensor{tf.Concat([]*tf.Tensor{c, h}, 1)}
}
