package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// LSTMCell is TF's LSTMCell (tf.nn.rnn_cell.LSTMCell,
// tf.contrib.rnn.LSTMCell): an LSTM with optional diagonal peepholes, cell
// clipping and an output projection. With P the projection's size (units
// without one), each step computes
//
//	i, j, f, o = split([inputs, m]·kernel + bias, 4, axis 1)
//	c' = sigmoid(f + forget_bias + w_f_diag·c)·c + sigmoid(i + w_i_diag·c)·activation(j)
//	c' = clip(c', -cell_clip, cell_clip)                    (with CellClip)
//	m' = sigmoid(o + w_o_diag·c')·activation(c')
//	m' = clip(m'·projection, -proj_clip, proj_clip)         (with NumProj, ProjClip)
//
// (the w_*_diag terms with UsePeepholes only) and returns m' as its output
// [batch, P] and (c', m') as its state.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's, in TF's order: "<scope>/lstm_cell/kernel" [depth+P, 4·units],
// "bias" [4·units] (zeros), with peepholes "w_f_diag", "w_i_diag",
// "w_o_diag" [units], with a projection "projection/kernel" [units, P]; all
// but the bias from Initializer (default glorot-uniform).
type LSTMCell struct {
	base
	lstmSizes
	usePeepholes bool
	cellClip     float64
	hasCellClip  bool
	projClip     float64
	hasProjClip  bool
	forgetBias   float64
	initializer  tf.Initializer
	activation   ActivationFunc

	kernel, bias           *tf.Variable
	wFDiag, wIDiag, wODiag *tf.Variable
	projKernel             *tf.Variable
}

// NewLSTMCell returns an LSTMCell of numUnits units (LSTMCell(num_units)). A
// bad argument is reported, with the line of this call, by the cell's first
// Call.
//
// Options: UsePeepholes (default false), CellClip, NumProj, ProjClip,
// ForgetBias (default 1.0), StateIsTuple (default true), Initializer,
// Activation (default tf.Tanh), Name (default "lstm_cell").
func NewLSTMCell(numUnits int, opts ...Option) *LSTMCell {
	const fn = "rnn.NewLSTMCell"
	c := &LSTMCell{base: base{fn: "rnn.LSTMCell", name: "lstm_cell"}, lstmSizes: lstmSizes{numUnits: numUnits, stateIsTuple: true},
		forgetBias: 1, activation: tf.Tanh}
	o, err := parseCellOptions(fn, numUnits, opts, "use_peepholes", "cell_clip", "num_proj", "proj_clip", "forget_bias",
		"state_is_tuple", "initializer", "activation", "name")
	switch {
	case err != nil:
		c.err = err
	case o.Given["num_proj"] && o.NumProj <= 0:
		c.err = errorf("%s: num_proj must be positive, got %d", fn, o.NumProj)
	case o.Given["cell_clip"] && o.CellClip < 0:
		c.err = errorf("%s: cell_clip must not be negative, got %v", fn, o.CellClip)
	case o.Given["proj_clip"] && o.ProjClip < 0:
		c.err = errorf("%s: proj_clip must not be negative, got %v", fn, o.ProjClip)
	case o.Given["activation"] && o.Activation == nil:
		c.err = errorf("%s: the activation is nil", fn)
	default:
		c.usePeepholes = o.UsePeepholes
		c.cellClip, c.hasCellClip = o.CellClip, o.Given["cell_clip"]
		c.numProj = o.NumProj
		// TF applies proj_clip only with a projection.
		c.projClip, c.hasProjClip = o.ProjClip, o.Given["proj_clip"] && c.numProj > 0
		c.forgetBias, c.stateIsTuple = o.ForgetBias, o.StateIsTuple
		c.initializer = o.Initializer
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
func (c *LSTMCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// UsePeepholes reports whether the cell has peephole connections.
func (c *LSTMCell) UsePeepholes() bool { return c.usePeepholes }

// CellClip returns the cell-state clip value and whether there is one.
func (c *LSTMCell) CellClip() (float64, bool) { return c.cellClip, c.hasCellClip }

// NumProj returns the projection's size, 0 without a projection.
func (c *LSTMCell) NumProj() int { return c.numProj }

// ProjClip returns the projection's clip value and whether there is one.
func (c *LSTMCell) ProjClip() (float64, bool) { return c.projClip, c.hasProjClip }

// ForgetBias returns the bias added to the forget gate.
func (c *LSTMCell) ForgetBias() float64 { return c.forgetBias }

// StateIsTuple reports whether the state is two tensors (c, m).
func (c *LSTMCell) StateIsTuple() bool { return c.stateIsTuple }

// Activation returns the cell's activation function.
func (c *LSTMCell) Activation() ActivationFunc { return c.activation }

// Kernel returns the kernel variable [depth+P, 4·units], nil before the
// first Call.
func (c *LSTMCell) Kernel() *tf.Variable { return c.kernel }

// Bias returns the bias variable [4·units], nil before the first Call.
func (c *LSTMCell) Bias() *tf.Variable { return c.bias }

// Peepholes returns the peephole variables w_f_diag, w_i_diag and w_o_diag
// [units], nil without peepholes or before the first Call.
func (c *LSTMCell) Peepholes() (wFDiag, wIDiag, wODiag *tf.Variable) {
	return c.wFDiag, c.wIDiag, c.wODiag
}

// ProjKernel returns the projection variable [units, P], nil without a
// projection or before the first Call.
func (c *LSTMCell) ProjKernel() *tf.Variable { return c.projKernel }

// Call computes one step; see LSTMCell.
func (c *LSTMCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(c.StateSize())
	U, P := c.numUnits, c.projSize()
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.kernel = v.get("kernel", tf.Shape{depth + P, 4 * U}, c.initializer)
		c.bias = v.get("bias", tf.Shape{4 * U}, tf.ZerosInitializer())
		if c.usePeepholes {
			c.wFDiag = v.get("w_f_diag", tf.Shape{U}, c.initializer)
			c.wIDiag = v.get("w_i_diag", tf.Shape{U}, c.initializer)
			c.wODiag = v.get("w_o_diag", tf.Shape{U}, c.initializer)
		}
		if c.numProj > 0 {
			c.projKernel = v.get("projection/kernel", tf.Shape{U, P}, c.initializer)
		}
		return v.err
	})
	if err != nil {
		return fail(err, n)
	}
	cPrev, mPrev := splitLSTMState(state, c.stateIsTuple, U, P)
	gates := tf.Split(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{inputs, mPrev}, 1), c.kernel), c.bias), 4, 1)
	if len(gates) != 4 {
		return fail(gates[0].Err(), n)
	}
	var peep *peepholes
	if c.usePeepholes {
		peep = &peepholes{c.wIDiag, c.wFDiag, c.wODiag}
	}
	newC, m := lstmUpdate(gates, cPrev, c.forgetBias, peep, c.cellClip, c.hasCellClip, c.activation)
	if c.numProj > 0 {
		m = tf.MatMul(m, c.projKernel)
		if c.hasProjClip {
			m = tf.ClipByValue(m, -c.projClip, c.projClip)
		}
	}
	return m, joinLSTMState(newC, m, c.stateIsTuple)
}

// lstmSizes are the sizes of an LSTM cell, as BasicLSTMCell, LSTMCell,
// LSTMBlockCell, LayerNormBasicLSTMCell, CoupledInputForgetGateLSTMCell and
// NASCell: numUnits units, an output projection to numProj (0: none, the
// output has the units), the state (c, m) (TF's m is BasicLSTMCell's h) as
// two tensors or, without stateIsTuple, as one.
type lstmSizes struct {
	numUnits     int
	numProj      int // 0: none
	stateIsTuple bool
}

// projSize returns P: the projection's size, or the number of units.
func (s lstmSizes) projSize() int {
	if s.numProj > 0 {
		return s.numProj
	}
	return s.numUnits
}

// StateSize returns [units, P] (c, m), or [units+P] without StateIsTuple.
func (s lstmSizes) StateSize() []int {
	if !s.stateIsTuple {
		return []int{s.numUnits + s.projSize()}
	}
	return []int{s.numUnits, s.projSize()}
}

// StateKinds returns [StateLSTMC, StateLSTMH], or [StatePlain] without
// StateIsTuple.
func (s lstmSizes) StateKinds() []StateKind {
	if !s.stateIsTuple {
		return []StateKind{StatePlain}
	}
	return []StateKind{StateLSTMC, StateLSTMH}
}

// OutputSize returns P, the projection's size or the number of units.
func (s lstmSizes) OutputSize() int { return s.projSize() }

// NumUnits returns the number of units.
func (s lstmSizes) NumUnits() int { return s.numUnits }

// peepholes are an LSTM's diagonal peephole weights [units].
type peepholes struct{ wI, wF, wO *tf.Variable }

// lstmUpdate is the LSTM update shared by LSTMCell and LSTMBlockCell (TF's
// LSTMCell.call and the LSTMBlockCell kernel compute the same): from the
// gates i, j, f, o and the previous cell state,
//
//	c' = sigmoid(f + forget_bias + w_f_diag·c)·c + sigmoid(i + w_i_diag·c)·act(j)
//	c' = clip(c', -clip, clip)                    (when doClip)
//	m' = sigmoid(o + w_o_diag·c')·act(c')
//
// the peephole terms only when peep is not nil.
func lstmUpdate(gates []*tf.Tensor, cPrev *tf.Tensor, forgetBias float64, peep *peepholes, clip float64, doClip bool, act ActivationFunc) (newC, m *tf.Tensor) {
	i, j, f, o := gates[0], gates[1], gates[2], gates[3]
	if peep != nil {
		newC = tf.Add(
			tf.Mul(tf.Sigmoid(tf.Add(tf.Add(f, forgetBias), tf.Mul(peep.wF, cPrev))), cPrev),
			tf.Mul(tf.Sigmoid(tf.Add(i, tf.Mul(peep.wI, cPrev))), act(j)))
	} else {
		newC = tf.Add(tf.Mul(tf.Sigmoid(tf.Add(f, forgetBias)), cPrev), tf.Mul(tf.Sigmoid(i), act(j)))
	}
	if doClip {
		newC = tf.ClipByValue(newC, -clip, clip)
	}
	if peep != nil {
		m = tf.Mul(tf.Sigmoid(tf.Add(o, tf.Mul(peep.wO, newC))), act(newC))
	} else {
		m = tf.Mul(tf.Sigmoid(o), act(newC))
	}
	return newC, m
}
