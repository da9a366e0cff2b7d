package train_test

import (
	"math/rand/v2"
	"os/exec"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// bidiModel is a bidirectional classifier (tf.nn.bidirectional_dynamic_rnn
// over 5 steps of 3 inputs, both final h's to 4 logits, sparse softmax
// cross entropy), with sequence_length (ReverseSequence) or without
// (ReverseV2), or the stacked version; it fetches both outputs, the
// logits, the loss and every variable's gradient.
func bidiModel(t *testing.T, cellFw, cellBw func() rnn.Cell, seq, timeMajor, stacked bool) *tfjsModel {
	t.Helper()
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(13)
	X, _ := rnnInputs(m, rand.New(rand.NewPCG(7, 8)), timeMajor)
	opts := []rnn.Option{rnn.DType(tf.Float32), rnn.TimeMajor(timeMajor)}
	if seq {
		lens := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("seq_length"))
		m.feeds[lens] = []int32{5, 2, 0}
		opts = append(opts, rnn.SequenceLength(lens))
	}
	var outputs []*tf.Tensor
	var last []*tf.Tensor
	if stacked {
		out, fw, bw := rnn.StackBidirectionalDynamicRNN([]rnn.Cell{cellFw(), cellFw()}, []rnn.Cell{cellBw(), cellBw()}, X, opts...)
		outputs = []*tf.Tensor{out}
		last = []*tf.Tensor{fw[1][len(fw[1])-1], bw[1][len(bw[1])-1]}
	} else {
		var states [][]*tf.Tensor
		outputs, states = nn.BidirectionalDynamicRNN(cellFw(), cellBw(), X, opts...)
		last = []*tf.Tensor{states[0][len(states[0])-1], states[1][len(states[1])-1]}
	}
	y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	m.feeds[y] = []int32{1, 3, 0}
	logits := layers.FullyConnected(tf.Concat(last, 1), 4, layers.ActivationFn(nil))
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
	vars := tf.TrainableVariables()
	xsAny := make([]any, len(vars))
	for i, v := range vars {
		xsAny[i] = v
	}
	grads, err := tf.Gradients(loss, xsAny)
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append(append(append(outputs, last...), logits, loss), grads...)
	m.init = tf.GlobalVariablesInitializer()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	bidiBasic = func() rnn.Cell { return rnn.NewBasicRNNCell(4) }
	bidiLSTM  = func() rnn.Cell { return rnn.NewBasicLSTMCell(3) }
	bidiGRU   = func() rnn.Cell { return rnn.NewGRUCell(4) }
)

// TestBidirectionalGraphDefAgainstTFOpDefs checks the exported
// bidirectional models, with Adam's training ops, node by node against
// TF's OpDefs: the ReverseV2 and ReverseSequence nodes included.
func TestBidirectionalGraphDefAgainstTFOpDefs(t *testing.T) {
	defs := tfOpDefs(t)
	cases := []struct {
		name                  string
		seq, timeMajor, stack bool
		reverseOp             string
	}{
		{"lengths", true, false, false, "ReverseSequence"},
		{"no lengths", false, false, false, "ReverseV2"},
		{"time major lengths", true, true, false, "ReverseSequence"},
		{"stacked lengths", true, false, true, "ReverseSequence"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := bidiModel(t, bidiLSTM, bidiGRU, c.seq, c.timeMajor, c.stack)
			restore := m.g.AsDefault()
			train.NewAdamOptimizer(0.01).Minimize(m.fetches[len(m.fetches)-len(m.g.TrainableVariables())-1])
			s := train.NewSaver()
			restore()
			if err := m.g.Err(); err != nil {
				t.Fatal(err)
			}
			problems, types := checkGraphDef(t, defs, metaGraphBytes(t, s))
			for _, p := range problems {
				t.Error(p)
			}
			for _, op := range []string{c.reverseOp, "Enter", "Exit", "TensorArrayV3", "VariableV2", "ApplyAdam"} {
				if types[op] == 0 {
					t.Errorf("no %s node (types %v)", op, types)
				}
			}
		})
	}
}

// TestBidirectionalGraphDefRunsInTensorFlowJS runs the exported
// bidirectional models without sequence lengths (TensorFlow.js has no
// ReverseSequence kernel) in TensorFlow.js: both directions' outputs, the
// loss and every gradient through both while loops and the reversals.
func TestBidirectionalGraphDefRunsInTensorFlowJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs; .ci/run installs it): the exported GraphDefs are not run with TensorFlow.js")
	}
	cases := []struct {
		name             string
		fw, bw           func() rnn.Cell
		timeMajor, stack bool
	}{
		{"BasicRNNCell (fused loops)", bidiBasic, bidiBasic, false, false},
		{"BasicLSTMCell fw GRUCell bw", bidiLSTM, bidiGRU, false, false},
		{"GRUCell time major", bidiGRU, bidiGRU, true, false},
		{"stacked BasicLSTMCell", bidiLSTM, bidiLSTM, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			compareWithTFJS(t, node, bidiModel(t, c.fw, c.bw, false, c.timeMajor, c.stack))
		})
	}
}
