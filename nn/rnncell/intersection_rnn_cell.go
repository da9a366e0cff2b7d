package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// IntersectionRNNCell is TF's IntersectionRNNCell
// (tf.contrib.rnn.IntersectionRNNCell), the +RNN of Collins,
// Sohl-Dickstein and Sussillo: coupled gates through time and through
// depth, for deep stacks. Its inputs' depth must equal its units, or the
// cell needs NumInProj to project them first. Each step computes
//
//	x  = x·in_projection/kernel + in_projection/bias   (depth ≠ units)
//	gh, h, gy, y = split([x, s]·kernel + bias, 4, axis 1)
//	gh, gy = sigmoid(gh + forget_bias), sigmoid(gy + forget_bias)
//	s' = gh·s + (1 - gh)·tanh(h)                  (through time)
//	y' = gy·x + (1 - gy)·y_activation(y)          (through depth)
//
// and returns y' as its output and s' as its state.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's, in TF's order: with a projection
// "<scope>/intersection_rnn_cell/in_projection/kernel" [depth, units] and
// "in_projection/bias" [units], then "kernel" [2·units, 4·units] and
// "bias" [4·units]; kernels from Initializer (default glorot-uniform),
// biases zeros.
type IntersectionRNNCell struct {
	base
	unitSizes
	numInProj   int
	initializer tf.Initializer
	forgetBias  float64
	yActivation ActivationFunc

	inKernel, inBias *tf.Variable
	kernel, bias     *tf.Variable
}

// NewIntersectionRNNCell returns an IntersectionRNNCell of numUnits units
// (IntersectionRNNCell(num_units)). A bad argument is reported, with the
// line of this call, by the cell's first Call.
//
// Options: NumInProj (set it, to numUnits as TF advises, for the first
// layer of a stack whose inputs' depth differs from numUnits), Initializer,
// ForgetBias (default 1.0), YActivation (default tf.Relu), Name (default
// "intersection_rnn_cell").
func NewIntersectionRNNCell(numUnits int, opts ...Option) *IntersectionRNNCell {
	const fn = "rnn.NewIntersectionRNNCell"
	c := &IntersectionRNNCell{base: base{fn: "rnn.IntersectionRNNCell", name: "intersection_rnn_cell"}, unitSizes: unitSizes{numUnits},
		forgetBias: 1, yActivation: tf.Relu}
	o, err := parseCellOptions(fn, numUnits, opts, "num_in_proj", "initializer", "forget_bias", "y_activation", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["num_in_proj"] && o.NumInProj < 0:
		c.err = errorf("%s: num_in_proj must not be negative, got %d", fn, o.NumInProj)
	case o.Given["y_activation"] && o.YActivation == nil:
		c.err = errorf("%s: the y_activation is nil", fn)
	default:
		c.numInProj, c.initializer, c.forgetBias = o.NumInProj, o.Initializer, o.ForgetBias
		if o.YActivation != nil {
			c.yActivation = o.YActivation
		}
		if o.Name != "" {
			c.name = o.Name
		}
	}
	return c
}

// ZeroState returns zeros [batch, units].
func (c *IntersectionRNNCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Kernel returns the kernel [2·units, 4·units] and bias [4·units]
// variables, nil before the first Call.
func (c *IntersectionRNNCell) Kernel() (kernel, bias *tf.Variable) { return c.kernel, c.bias }

// InProjection returns the input projection's kernel [depth, units] and
// bias [units], nil without a projection or before the first Call.
func (c *IntersectionRNNCell) InProjection() (kernel, bias *tf.Variable) {
	return c.inKernel, c.inBias
}

// Call computes one step; see IntersectionRNNCell.
func (c *IntersectionRNNCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	U := c.numUnits
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		if depth != U {
			if c.numInProj == 0 {
				return errorf("%s: Must have input size == output size for Intersection RNN (inputs %q have depth %d, the cell %d units). To fix, num_in_proj should be set to num_units at cell init (rnn.NumInProj(%d))",
					c.fn, inputs.Name(), depth, U, U)
			}
			c.inKernel = v.get("in_projection/kernel", tf.Shape{depth, U}, c.initializer)
			c.inBias = v.get("in_projection/bias", tf.Shape{U}, tf.ZerosInitializer())
		}
		c.kernel = v.get("kernel", tf.Shape{2 * U, 4 * U}, c.initializer)
		c.bias = v.get("bias", tf.Shape{4 * U}, tf.ZerosInitializer())
		return v.err
	})
	if err != nil {
		return fail(err, 1)
	}
	x, s := inputs, state[0]
	if c.inKernel != nil {
		x = linear([]*tf.Tensor{x}, c.inKernel, c.inBias)
	}
	parts := tf.Split(linear([]*tf.Tensor{x, s}, c.kernel, c.bias), 4, 1)
	if len(parts) != 4 {
		return fail(parts[0].Err(), 1)
	}
	gh := tf.Sigmoid(tf.Add(parts[0], c.forgetBias))
	gy := tf.Sigmoid(tf.Add(parts[2], c.forgetBias))
	newS := tf.Add(tf.Mul(gh, s), tf.Mul(tf.Sub(1.0, gh), tf.Tanh(parts[1])))
	newY := tf.Add(tf.Mul(gy, x), tf.Mul(tf.Sub(1.0, gy), c.yActivation(parts[3])))
	return newY, []*tf.Tensor{newS}
}
