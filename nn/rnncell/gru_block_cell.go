package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// GRUBlockCell is TF's GRUBlockCell and GRUBlockCellV2
// (tf.contrib.rnn.GRUBlockCell, tf.contrib.rnn.GRUBlockCellV2, from
// gru_ops.py): TF's monolithic GRU cell op. Each step computes, as the
// GRUBlockCell kernel,
//
//	r, u = split(sigmoid([inputs, h]·w_ru + b_ru), 2, axis 1)
//	c    = tanh([inputs, r·h]·w_c + b_c)
//	h'   = (1 - u)·c + u·h
//
// GRUCell's formula with tanh, which this cell shares, and returns h' as
// its output and its state.
//
// The two TF classes differ only in their variables' names, made on the
// first Call under the current variable scope in TF's order. GRUBlockCellV2
// (NewGRUBlockCellV2) names them as GRUCell: "<scope>/gru_cell/gates/kernel"
// [depth+units, 2·units], "gates/bias" [2·units] (1.0),
// "candidate/kernel" [depth+units, units], "candidate/bias" [units] (zeros).
// GRUBlockCell (NewGRUBlockCell) names them after the op's inputs, as TF
// 1.15's gru_ops.py: "w_ru" [depth+units, 2·units], "b_ru" [2·units]
// (1.0), "w_c" [depth+units, units], "b_c" [units] (zeros). The kernels are
// glorot-uniform.
//
// nn.DynamicRNN runs it with the fused GRU kernels, as GRUCell.
type GRUBlockCell struct {
	base
	unitSizes
	v2 bool

	gateKernel, gateBias           *tf.Variable
	candidateKernel, candidateBias *tf.Variable
}

// GRUBlockCellV2 is TF's GRUBlockCellV2: the GRUBlockCell type, made by
// NewGRUBlockCellV2 with GRUCell's variable names.
type GRUBlockCellV2 = GRUBlockCell

// NewGRUBlockCell returns a GRUBlockCell of numUnits units
// (GRUBlockCell(num_units)) with the variable names of the op's inputs:
// w_ru, b_ru, w_c, b_c. A bad argument is reported, with the line of this call, by the
// cell's first Call.
//
// Options: Name (default "gru_cell").
func NewGRUBlockCell(numUnits int, opts ...Option) *GRUBlockCell {
	return newGRUBlockCell("rnn.NewGRUBlockCell", "rnn.GRUBlockCell", false, numUnits, opts)
}

// NewGRUBlockCellV2 returns a GRUBlockCellV2 of numUnits units
// (GRUBlockCellV2(num_units)): GRUBlockCell with GRUCell's variable names
// gates/kernel, gates/bias, candidate/kernel, candidate/bias. A bad argument
// is reported, with the line of this call, by the cell's first Call.
//
// Options: Name (default "gru_cell").
func NewGRUBlockCellV2(numUnits int, opts ...Option) *GRUBlockCellV2 {
	return newGRUBlockCell("rnn.NewGRUBlockCellV2", "rnn.GRUBlockCellV2", true, numUnits, opts)
}

func newGRUBlockCell(fn, typ string, v2 bool, numUnits int, opts []Option) *GRUBlockCell {
	c := &GRUBlockCell{base: base{fn: typ, name: "gru_cell"}, unitSizes: unitSizes{numUnits}, v2: v2}
	o, err := parseCellOptions(fn, numUnits, opts, "name")
	switch {
	case err != nil:
		c.err = err
	case o.Name != "":
		c.name = o.Name
	}
	return c
}

// ZeroState returns zeros [batch, units].
func (c *GRUBlockCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	return ZeroState(c, batchSize, dtype)
}

// IsV2 reports whether the cell is a GRUBlockCellV2 (GRUCell's variable
// names).
func (c *GRUBlockCell) IsV2() bool { return c.v2 }

// Gates returns the gates' kernel [depth+units, 2·units] and bias
// [2·units], nil before the first Call.
func (c *GRUBlockCell) Gates() (kernel, bias *tf.Variable) { return c.gateKernel, c.gateBias }

// Candidate returns the candidate's kernel [depth+units, units] and bias
// [units], nil before the first Call.
func (c *GRUBlockCell) Candidate() (kernel, bias *tf.Variable) {
	return c.candidateKernel, c.candidateBias
}

// Call computes one step; see GRUBlockCell.
func (c *GRUBlockCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	U := c.numUnits
	err := c.prepare(inputs, state, c.StateSize(), func(depth int, dt tf.DType) error {
		names := [4]string{"w_ru", "b_ru", "w_c", "b_c"}
		if c.v2 {
			names = [4]string{"gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"}
		}
		v := &variables{dtype: dt}
		c.gateKernel = v.get(names[0], tf.Shape{depth + U, 2 * U}, nil)
		c.gateBias = v.get(names[1], tf.Shape{2 * U}, tf.ConstantInitializer(1))
		c.candidateKernel = v.get(names[2], tf.Shape{depth + U, U}, nil)
		c.candidateBias = v.get(names[3], tf.Shape{U}, tf.ZerosInitializer())
		return v.err
	})
	if err != nil {
		return fail(err, 1)
	}
	newH := gruUpdate(inputs, state[0], c.gateKernel, c.gateBias, c.candidateKernel, c.candidateBias, tf.Tanh)
	return newH, []*tf.Tensor{newH}
}
