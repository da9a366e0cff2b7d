package rnncell

import (
	"strconv"

	"github.com/gorgoflow/gorgoflow/tf"
)

// CoupledInputForgetGateLSTMCell is TF's CoupledInputForgetGateLSTMCell
// (tf.contrib.rnn.CoupledInputForgetGateLSTMCell): an LSTM whose input gate
// is one minus its forget gate (Greff et al.), with optional peepholes,
// projection and layer normalization. With P the projection's size (units
// without one), each step computes
//
//	j, f, o = split([inputs, m]·W (+ B without layer_norm), 3, axis 1)
//	j, f, o = LN_transform(j), LN_forget(f), LN_output(o)
//	f  = sigmoid(f + forget_bias + W_F_diag·c)
//	c' = f·c + (1 - f)·activation(j)
//	c' = LN_state(c')
//	m' = sigmoid(o + W_O_diag·c')·activation(c')
//	m' = clip(m'·W_P, -proj_clip, proj_clip)     (with NumProj, ProjClip)
//
// (the W_*_diag terms with UsePeepholes, the LN steps with LayerNorm, as in
// LayerNormBasicLSTMCell) and returns m' as its output [batch, P] and
// (c', m') as its state.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's, in TF's order, under "<scope>/coupled_input_forget_gate_lstm_cell/":
// the kernel W [depth+P, 3·units] split by rows into NumUnitShards variables
// "W_0", "W_1", ... (TF's _get_sharded_variable: the first shards one row
// larger when the rows do not divide evenly), "B" [3·units] (zeros; made,
// and unused, with layer_norm too, as TF), with layer_norm
// "transform/gamma", "transform/beta", "forget/...", "output/..." [units],
// with peepholes "W_F_diag", "W_O_diag" [units], with layer_norm
// "state/gamma", "state/beta", with a projection "W_P_0", ... [units, P] in
// NumProjShards shards. All but B and the norms are glorot-uniform: TF's
// cell accepts an initializer and never uses it, and so does this one.
type CoupledInputForgetGateLSTMCell struct {
	base
	lstmSizes
	usePeepholes        bool
	projClip            float64
	hasProjClip         bool
	unitShards          int
	projShards          int
	forgetBias          float64
	activation          ActivationFunc
	layerNorm           bool
	normGain, normShift float64

	w, wP          []*tf.Variable
	b              *tf.Variable
	wFDiag, wODiag *tf.Variable
	norms          norms
}

// NewCoupledInputForgetGateLSTMCell returns a CoupledInputForgetGateLSTMCell
// of numUnits units (CoupledInputForgetGateLSTMCell(num_units)). A bad
// argument is reported, with the line of this call, by the cell's first
// Call.
//
// Options: UsePeepholes (default false), Initializer (accepted and unused,
// as in TF), NumProj, ProjClip, NumUnitShards (default 1), NumProjShards
// (default 1), ForgetBias (default 1.0), StateIsTuple (default true),
// Activation (default tf.Tanh), LayerNorm (default false), NormGain
// (default 1.0), NormShift (default 0.0), Name (default
// "coupled_input_forget_gate_lstm_cell").
func NewCoupledInputForgetGateLSTMCell(numUnits int, opts ...Option) *CoupledInputForgetGateLSTMCell {
	const fn = "rnn.NewCoupledInputForgetGateLSTMCell"
	c := &CoupledInputForgetGateLSTMCell{base: base{fn: "rnn.CoupledInputForgetGateLSTMCell", name: "coupled_input_forget_gate_lstm_cell"},
		lstmSizes: lstmSizes{numUnits: numUnits, stateIsTuple: true}, unitShards: 1, projShards: 1, forgetBias: 1, activation: tf.Tanh, normGain: 1}
	o, err := parseCellOptions(fn, numUnits, opts, "use_peepholes", "initializer", "num_proj", "proj_clip", "num_unit_shards", "num_proj_shards",
		"forget_bias", "state_is_tuple", "activation", "layer_norm", "norm_gain", "norm_shift", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["num_proj"] && o.NumProj <= 0:
		c.err = errorf("%s: num_proj must be positive, got %d", fn, o.NumProj)
	case o.Given["proj_clip"] && o.ProjClip < 0:
		c.err = errorf("%s: proj_clip must not be negative, got %v", fn, o.ProjClip)
	case o.NumUnitShards <= 0 || o.NumProjShards <= 0:
		c.err = errorf("%s: num_unit_shards and num_proj_shards must be positive, got %d and %d", fn, o.NumUnitShards, o.NumProjShards)
	case o.Given["activation"] && o.Activation == nil:
		c.err = errorf("%s: the activation is nil", fn)
	default:
		c.usePeepholes, c.numProj = o.UsePeepholes, o.NumProj
		c.projClip, c.hasProjClip = o.ProjClip, o.Given["proj_clip"] && c.numProj > 0
		c.unitShards, c.projShards = o.NumUnitShards, o.NumProjShards
		c.forgetBias, c.stateIsTuple = o.ForgetBias, o.StateIsTuple
		c.layerNorm, c.normGain, c.normShift = o.LayerNorm, o.NormGain, o.NormShift
		if o.Activation != nil {
			c.activation = o.Activation
		}
		if o.Name != "" {
			c.name = o.Name
		}
	}
	return c
}

// ZeroState returns zeros for c and m.
func (c *CoupledInputForgetGateLSTMCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// Kernel returns the shards of the kernel W ("W_0", ...), nil before the
// first Call.
func (c *CoupledInputForgetGateLSTMCell) Kernel() []*tf.Variable { return c.w }

// Bias returns the bias B [3·units], nil before the first Call.
func (c *CoupledInputForgetGateLSTMCell) Bias() *tf.Variable { return c.b }

// Peepholes returns W_F_diag and W_O_diag, nil without peepholes or before
// the first Call.
func (c *CoupledInputForgetGateLSTMCell) Peepholes() (wFDiag, wODiag *tf.Variable) {
	return c.wFDiag, c.wODiag
}

// ProjKernel returns the shards of the projection W_P ("W_P_0", ...), nil
// without a projection or before the first Call.
func (c *CoupledInputForgetGateLSTMCell) ProjKernel() []*tf.Variable { return c.wP }

// Norm returns the gain and shift variables of the layer normalization
// named scope ("transform", "forget", "output", "state"), nil without layer
// normalization or before the first Call.
func (c *CoupledInputForgetGateLSTMCell) Norm(scope string) (gamma, beta *tf.Variable) {
	gb := c.norms[scope]
	return gb[0], gb[1]
}

// shardedVariable is TF's _get_sharded_variable: the shards of a variable
// of shape [rows, cols] split by rows, named name_0, name_1, ..., the first
// rows%shards of them one row larger.
func shardedVariable(v *variables, fn, name string, rows, cols, shards int) []*tf.Variable {
	if v.err != nil {
		return nil
	}
	if shards > rows {
		v.err = errorf("%s: Too many shards: shape=[%d, %d], num_shards=%d", fn, rows, cols, shards)
		return nil
	}
	unit := rows / shards
	rest := rows - unit*shards
	var vars []*tf.Variable
	for i := 0; i < shards; i++ {
		n := unit
		if i < rest {
			n++
		}
		vars = append(vars, v.get(name+"_"+strconv.Itoa(i), tf.Shape{n, cols}, nil))
	}
	return vars
}

// Call computes one step; see CoupledInputForgetGateLSTMCell.
func (c *CoupledInputForgetGateLSTMCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(c.StateSize())
	U, P := c.numUnits, c.projSize()
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.w = shardedVariable(v, c.fn, "W", depth+P, 3*U, c.unitShards)
		c.b = v.get("B", tf.Shape{3 * U}, tf.ZerosInitializer())
		if c.layerNorm {
			c.norms = norms{}
			c.norms.make(v, U, c.normGain, c.normShift, "transform", "forget", "output")
		}
		if c.usePeepholes {
			c.wFDiag = v.get("W_F_diag", tf.Shape{U}, nil)
			c.wODiag = v.get("W_O_diag", tf.Shape{U}, nil)
		}
		if c.layerNorm {
			c.norms.make(v, U, c.normGain, c.normShift, "state")
		}
		if c.numProj > 0 {
			c.wP = shardedVariable(v, c.fn, "W_P", U, P, c.projShards)
		}
		return v.err
	})
	if err != nil {
		return fail(err, n)
	}
	w, wP := concatShards(c.w), concatShards(c.wP)
	cPrev, mPrev := splitLSTMState(state, c.stateIsTuple, U, P)
	lstm := tf.MatMul(tf.Concat([]*tf.Tensor{inputs, mPrev}, 1), w)
	if !c.layerNorm {
		lstm = tf.Add(lstm, c.b)
	}
	gates := tf.Split(lstm, 3, 1)
	if len(gates) != 3 {
		return fail(gates[0].Err(), n)
	}
	j, f, o := gates[0], gates[1], gates[2]
	if c.layerNorm {
		j, f, o = c.norms.apply(j, "transform"), c.norms.apply(f, "forget"), c.norms.apply(o, "output")
	}
	f = tf.Add(f, c.forgetBias)
	if c.usePeepholes {
		f = tf.Add(f, tf.Mul(c.wFDiag, cPrev))
	}
	fAct := tf.Sigmoid(f)
	newC := tf.Add(tf.Mul(fAct, cPrev), tf.Mul(tf.Sub(1.0, fAct), c.activation(j)))
	if c.layerNorm {
		newC = c.norms.apply(newC, "state")
	}
	if c.usePeepholes {
		o = tf.Add(o, tf.Mul(c.wODiag, newC))
	}
	m := tf.Mul(tf.Sigmoid(o), c.activation(newC))
	if c.numProj > 0 {
		m = tf.MatMul(m, wP)
		if c.hasProjClip {
			m = tf.ClipByValue(m, -c.projClip, c.projClip)
		}
	}
	return m, joinLSTMState(newC, m, c.stateIsTuple)
}

// concatShards returns the concatenation of a sharded variable's shards
// (nil for none), TF's _get_concat_variable.
func concatShards(shards []*tf.Variable) *tf.Tensor {
	switch len(shards) {
	case 0:
		return nil
	case 1:
		return shards[0].Value()
	}
	parts := make([]*tf.Tensor, len(shards))
	for i, s := range shards {
		parts[i] = s.Value()
	}
	return tf.Concat(parts, 0)
}
