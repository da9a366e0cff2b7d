package train_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
)

// TestGraphDefContribCellsAgainstTFOpDefs: the GraphDefs of classifiers on
// the cells of tf.contrib.rnn (lstm_ops, gru_ops, rnn_cell.py), trained
// by Adam over sequence lengths, are checked node by node against TF's
// OpDefs as the chapter's models are (TestGraphDefAgainstTFOpDefs).
func TestGraphDefContribCellsAgainstTFOpDefs(t *testing.T) {
	defs := tfOpDefs(t)
	cells := []struct {
		name string
		cell func() rnn.Cell
	}{
		{"LSTMBlockCell", func() rnn.Cell { return rnn.NewLSTMBlockCell(4, rnn.UsePeephole(true), rnn.CellClip(1)) }},
		{"GRUBlockCell", func() rnn.Cell { return rnn.NewGRUBlockCell(4) }},
		{"LayerNormBasicLSTMCell with dropout", func() rnn.Cell {
			return rnn.NewLayerNormBasicLSTMCell(4, rnn.DropoutKeepProb(0.8), rnn.DropoutProbSeed(3))
		}},
		{"CoupledInputForgetGateLSTMCell", func() rnn.Cell {
			return rnn.NewCoupledInputForgetGateLSTMCell(4, rnn.LayerNorm(true), rnn.UsePeepholes(true), rnn.NumProj(3), rnn.NumUnitShards(2))
		}},
		{"UGRNNCell, IntersectionRNNCell", func() rnn.Cell {
			return rnn.NewMultiRNNCell([]rnn.Cell{rnn.NewUGRNNCell(3), rnn.NewIntersectionRNNCell(4, rnn.NumInProj(4))})
		}},
		{"NASCell", func() rnn.Cell { return rnn.NewNASCell(4, rnn.NumProj(2), rnn.UseBias(true)) }},
		{"HighwayWrapper", func() rnn.Cell { return rnn.NewHighwayWrapper(rnn.NewGRUCell(3)) }},
		{"AttentionCellWrapper", func() rnn.Cell { return rnn.NewAttentionCellWrapper(rnn.NewLSTMCell(4), 3) }},
		{"AttentionCellWrapper, state not a tuple (SplitV)", func() rnn.Cell {
			return rnn.NewAttentionCellWrapper(rnn.NewGRUCell(4), 2, rnn.StateIsTuple(false))
		}},
		{"BasicLSTMCell, state not a tuple (SplitV)", func() rnn.Cell { return rnn.NewBasicLSTMCell(4, rnn.StateIsTuple(false)) }},
	}
	for _, c := range cells {
		t.Run(c.name, func(t *testing.T) {
			b := metaGraphBytes(t, seqClassifier(t, c.cell))
			problems, types := checkGraphDef(t, defs, b)
			for _, p := range problems {
				t.Error(p)
			}
			for _, op := range []string{"VariableV2", "Enter", "Merge", "Switch", "LoopCond", "NextIteration", "Exit", "TensorArrayV3"} {
				if types[op] == 0 {
					t.Errorf("no %s node", op)
				}
			}
		})
	}
}
