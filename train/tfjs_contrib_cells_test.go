package train_test

import (
	"os/exec"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
)

// TestContribCellsRunInTensorFlowJS: classifiers on the cells of
// tf.contrib.rnn, exported as GraphDefs, give in TensorFlow.js the outputs,
// final states, loss and variable gradients gorgoflow gives (1e-5), with
// and without sequence_length.
func TestContribCellsRunInTensorFlowJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs; .ci/run installs it): the exported GraphDefs are not run with TensorFlow.js")
	}
	cases := []struct {
		name string
		cell func() rnn.Cell
		seq  bool
	}{
		{"LSTMBlockCell peephole clip (fused)", func() rnn.Cell { return rnn.NewLSTMBlockCell(4, rnn.UsePeephole(true), rnn.CellClip(0.8)) }, true},
		{"GRUBlockCellV2 (fused)", func() rnn.Cell { return rnn.NewGRUBlockCellV2(4) }, false},
		{"LayerNormBasicLSTMCell", func() rnn.Cell { return rnn.NewLayerNormBasicLSTMCell(4) }, true},
		// With layer_norm its B is unused and has no gradient (as in TF),
		// which the model's fetches cannot hold: layer normalization is
		// LayerNormBasicLSTMCell's case.
		{"CoupledInputForgetGateLSTMCell", func() rnn.Cell {
			return rnn.NewCoupledInputForgetGateLSTMCell(4, rnn.UsePeepholes(true), rnn.NumProj(3), rnn.ProjClip(0.9), rnn.NumUnitShards(2))
		}, true},
		{"UGRNNCell, IntersectionRNNCell", func() rnn.Cell {
			return rnn.NewMultiRNNCell([]rnn.Cell{rnn.NewUGRNNCell(3), rnn.NewIntersectionRNNCell(4, rnn.NumInProj(4))})
		}, false},
		{"NASCell", func() rnn.Cell { return rnn.NewNASCell(4, rnn.NumProj(2), rnn.UseBias(true)) }, true},
		{"HighwayWrapper", func() rnn.Cell {
			return rnn.NewHighwayWrapper(rnn.NewGRUCell(3), rnn.CoupleCarryTransformGates(false))
		}, false},
		{"AttentionCellWrapper", func() rnn.Cell { return rnn.NewAttentionCellWrapper(rnn.NewLSTMCell(4), 3) }, true},
		{"AttentionCellWrapper, state not a tuple", func() rnn.Cell {
			return rnn.NewAttentionCellWrapper(rnn.NewGRUCell(4), 2, rnn.StateIsTuple(false), rnn.AttnVecSize(3))
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			compareWithTFJS(t, node, rnnModel(t, c.cell, c.seq, false, false))
		})
	}
}
