package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// LayerNormBasicLSTMCell is TF's LayerNormBasicLSTMCell
// (tf.contrib.rnn.LayerNormBasicLSTMCell): a BasicLSTMCell with layer
// normalization (Ba et al.) before its nonlinearities and recurrent
// dropout without memory loss (Semeniuta et al.) on its candidate. Each
// step computes
//
//	i, j, f, o = split([inputs, h]·kernel (+ bias without layer_norm), 4, axis 1)
//	i, j, f, o = LN_input(i), LN_transform(j), LN_forget(f), LN_output(o)
//	g  = dropout(activation(j), dropout_keep_prob, dropout_prob_seed)
//	c' = c·sigmoid(f + forget_bias) + sigmoid(i)·g
//	c' = LN_state(c')
//	h' = activation(c')·sigmoid(o)
//
// (the LN steps with layer_norm only) and returns h' as its output and
// (c', h') as its state. LN_s is tf.contrib.layers.layer_norm over the
// units: (x - mean)/sqrt(variance + 1e-12)·s/gamma + s/beta. The dropout is
// tf.nn.dropout's, added when dropout_keep_prob is a tensor or a number
// below 1.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's, in TF's order: "<scope>/layer_norm_basic_lstm_cell/kernel"
// [depth+units, 4·units], then without layer_norm "bias" [4·units], with it
// "input/gamma", "input/beta", "transform/gamma", "transform/beta",
// "forget/...", "output/...", "state/..." [units] (gammas norm_gain, betas
// norm_shift). The kernel and bias are glorot-uniform (TF gives them no
// initializer).
type LayerNormBasicLSTMCell struct {
	base
	lstmSizes
	forgetBias          float64
	activation          ActivationFunc
	layerNorm           bool
	normGain, normShift float64
	keepProb            any // float64 or *tf.Tensor
	seed                int64
	hasSeed             bool

	kernel, bias *tf.Variable
	norms        norms
}

// NewLayerNormBasicLSTMCell returns a LayerNormBasicLSTMCell of numUnits
// units (LayerNormBasicLSTMCell(num_units)). A bad argument is reported,
// with the line of this call, by the cell's first Call.
//
// Options: ForgetBias (default 1.0), InputSize (deprecated and unused, as
// in TF), Activation (default tf.Tanh), LayerNorm (default true), NormGain
// (default 1.0), NormShift (default 0.0), DropoutKeepProb (default 1.0),
// DropoutProbSeed, Name (default "layer_norm_basic_lstm_cell").
func NewLayerNormBasicLSTMCell(numUnits int, opts ...Option) *LayerNormBasicLSTMCell {
	const fn = "rnn.NewLayerNormBasicLSTMCell"
	c := &LayerNormBasicLSTMCell{base: base{fn: "rnn.LayerNormBasicLSTMCell", name: "layer_norm_basic_lstm_cell"},
		lstmSizes: lstmSizes{numUnits: numUnits, stateIsTuple: true}, forgetBias: 1, activation: tf.Tanh, layerNorm: true, normGain: 1, keepProb: 1.0}
	o, err := ParseOptions(fn, opts, "forget_bias", "input_size", "activation", "layer_norm", "norm_gain", "norm_shift",
		"dropout_keep_prob", "dropout_prob_seed", "name")
	if err == nil && o.Given["dropout_keep_prob"] {
		c.keepProb, err = keepProb(fn, "dropout_keep_prob", o.DropoutKeepProb)
	}
	switch {
	case err != nil:
		c.err = err
	case numUnits <= 0:
		c.err = errorf("%s: num_units must be positive, got %d", fn, numUnits)
	case o.Given["activation"] && o.Activation == nil:
		c.err = errorf("%s: the activation is nil", fn)
	default:
		c.forgetBias, c.normGain, c.normShift = o.ForgetBias, o.NormGain, o.NormShift
		if o.Given["layer_norm"] {
			c.layerNorm = o.LayerNorm
		}
		c.seed, c.hasSeed = o.DropoutProbSeed, o.Given["dropout_prob_seed"]
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
func (c *LayerNormBasicLSTMCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Kernel returns the kernel variable [depth+units, 4·units], nil before the
// first Call.
func (c *LayerNormBasicLSTMCell) Kernel() *tf.Variable { return c.kernel }

// Bias returns the bias variable [4·units], nil with layer normalization
// or before the first Call.
func (c *LayerNormBasicLSTMCell) Bias() *tf.Variable { return c.bias }

// Norm returns the gain (gamma) and shift (beta) variables [units] of the
// layer normalization named scope ("input", "transform", "forget",
// "output", "state"), nil without layer normalization or before the first
// Call.
func (c *LayerNormBasicLSTMCell) Norm(scope string) (gamma, beta *tf.Variable) {
	gb := c.norms[scope]
	return gb[0], gb[1]
}

// Call computes one step; see LayerNormBasicLSTMCell.
func (c *LayerNormBasicLSTMCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	U := c.numUnits
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.kernel = v.get("kernel", tf.Shape{depth + U, 4 * U}, nil)
		if c.layerNorm {
			c.norms = norms{}
			c.norms.make(v, U, c.normGain, c.normShift, "input", "transform", "forget", "output", "state")
		} else {
			c.bias = v.get("bias", tf.Shape{4 * U}, nil)
		}
		return v.err
	})
	if err != nil {
		return fail(err, 2)
	}
	cPrev, h := state[0], state[1]
	concat := tf.MatMul(tf.Concat([]*tf.Tensor{inputs, h}, 1), c.kernel)
	if !c.layerNorm {
		concat = tf.Add(concat, c.bias)
	}
	gates := tf.Split(concat, 4, 1)
	if len(gates) != 4 {
		return fail(gates[0].Err(), 2)
	}
	i, j, f, o := gates[0], gates[1], gates[2], gates[3]
	if c.layerNorm {
		i, j, f, o = c.norms.apply(i, "input"), c.norms.apply(j, "transform"), c.norms.apply(f, "forget"), c.norms.apply(o, "output")
	}
	g := c.activation(j)
	if shouldDropout(c.keepProb) {
		var seed []tf.Option
		if c.hasSeed {
			seed = []tf.Option{tf.Seed(c.seed)}
		}
		g = dropout(g, c.keepProb, nil, seed)
	}
	newC := tf.Add(tf.Mul(cPrev, tf.Sigmoid(tf.Add(f, c.forgetBias))), tf.Mul(tf.Sigmoid(i), g))
	if c.layerNorm {
		newC = c.norms.apply(newC, "state")
	}
	newH := tf.Mul(c.activation(newC), tf.Sigmoid(o))
	return newH, []*tf.Tensor{newC, newH}
}
