package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// LSTMBlockCell is TF's LSTMBlockCell (tf.contrib.rnn.LSTMBlockCell, from
// lstm_ops.py): TF's monolithic LSTM cell op, an LSTM with optional
// peepholes and cell clipping whose variables are compatible with
// LSTMCell's. Each step computes, as the LSTMBlockCell kernel,
//
//	i, ci, f, o = split([inputs, h]·kernel + bias, 4, axis 1)
//	i  = sigmoid(i + w_i_diag·c)
//	f  = sigmoid(f + forget_bias + w_f_diag·c)
//	c' = tanh(ci)·i + c·f
//	c' = clip(c', -cell_clip, cell_clip)        (only when cell_clip > 0)
//	h' = tanh(c')·sigmoid(o + w_o_diag·c')
//
// (the w_*_diag terms with UsePeephole only) and returns h' as its output
// and (c', h') as its state. These are LSTMCell's formulas, which this cell
// shares; unlike LSTMCell, a cell_clip of 0 or below means no clipping (the
// kernel's -1 default), the activation is always tanh and there is no
// projection.
//
// Its variables, made on the first Call under the current variable scope,
// are TF's, in TF's order: "<scope>/lstm_cell/kernel" [depth+units,
// 4·units] (glorot-uniform), "bias" [4·units] (zeros), and with peepholes
// "w_i_diag", "w_f_diag", "w_o_diag" [units] (glorot-uniform).
//
// nn.DynamicRNN runs it with the fused LSTM kernels, as LSTMCell.
type LSTMBlockCell struct {
	base
	lstmSizes
	forgetBias  float64
	cellClip    float64
	usePeephole bool

	kernel, bias           *tf.Variable
	wIDiag, wFDiag, wODiag *tf.Variable
}

// NewLSTMBlockCell returns an LSTMBlockCell of numUnits units
// (LSTMBlockCell(num_units)). A bad argument is reported, with the line of
// this call, by the cell's first Call.
//
// Options: ForgetBias (default 1.0), CellClip (default none; 0 or below:
// none), UsePeephole (default false; UsePeepholes, LSTMCell's spelling, is
// taken too), Name (default "lstm_cell").
func NewLSTMBlockCell(numUnits int, opts ...Option) *LSTMBlockCell {
	const fn = "rnn.NewLSTMBlockCell"
	c := &LSTMBlockCell{base: base{fn: "rnn.LSTMBlockCell", name: "lstm_cell"}, lstmSizes: lstmSizes{numUnits: numUnits, stateIsTuple: true}, forgetBias: 1, cellClip: -1}
	o, err := parseCellOptions(fn, numUnits, opts, "forget_bias", "cell_clip", "use_peephole", "use_peepholes", "name")
	switch {
	case err != nil:
		c.err = err
	default:
		c.forgetBias, c.usePeephole = o.ForgetBias, o.UsePeepholes
		if o.Given["cell_clip"] {
			c.cellClip = o.CellClip
		}
		if o.Name != "" {
			c.name = o.Name
		}
	}
	return c
}

// ZeroState returns zeros for c and h.
func (c *LSTMBlockCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// ForgetBias returns the bias added to the forget gate.
func (c *LSTMBlockCell) ForgetBias() float64 { return c.forgetBias }

// CellClip returns the cell-state clip value and whether the cell clips
// (only a value above 0 clips, as TF's kernel).
func (c *LSTMBlockCell) CellClip() (float64, bool) { return c.cellClip, c.cellClip > 0 }

// UsePeephole reports whether the cell has peephole connections.
func (c *LSTMBlockCell) UsePeephole() bool { return c.usePeephole }

// Kernel returns the kernel variable [depth+units, 4·units], nil before the
// first Call.
func (c *LSTMBlockCell) Kernel() *tf.Variable { return c.kernel }

// Bias returns the bias variable [4·units], nil before the first Call.
func (c *LSTMBlockCell) Bias() *tf.Variable { return c.bias }

// Peepholes returns the peephole variables w_f_diag, w_i_diag and w_o_diag
// [units] (LSTMCell.Peepholes' order), nil without peepholes or before the
// first Call.
func (c *LSTMBlockCell) Peepholes() (wFDiag, wIDiag, wODiag *tf.Variable) {
	return c.wFDiag, c.wIDiag, c.wODiag
}

// Call computes one step; see LSTMBlockCell.
func (c *LSTMBlockCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	U := c.numUnits
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		v := &variables{dtype: dt}
		c.kernel = v.get("kernel", tf.Shape{depth + U, 4 * U}, nil)
		c.bias = v.get("bias", tf.Shape{4 * U}, tf.ZerosInitializer())
		if c.usePeephole {
			c.wIDiag = v.get("w_i_diag", tf.Shape{U}, nil)
			c.wFDiag = v.get("w_f_diag", tf.Shape{U}, nil)
			c.wODiag = v.get("w_o_diag", tf.Shape{U}, nil)
		}
		return v.err
	})
	if err != nil {
		return fail(err, 2)
	}
	gates := tf.Split(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{inputs, state[1]}, 1), c.kernel), c.bias), 4, 1)
	if len(gates) != 4 {
		return fail(gates[0].Err(), 2)
	}
	var peep *peepholes
	if c.usePeephole {
		peep = &peepholes{c.wIDiag, c.wFDiag, c.wODiag}
	}
	clip, doClip := c.CellClip()
	newC, h := lstmUpdate(gates, state[0], c.forgetBias, peep, clip, doClip, tf.Tanh)
	return h, []*tf.Tensor{newC, h}
}
