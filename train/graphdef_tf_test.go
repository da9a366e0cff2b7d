package train_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// metaGraphBytes exports s's MetaGraphDef and returns its graph_def field.
func metaGraphBytes(t *testing.T, s *train.Saver) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.meta")
	if err := s.ExportMetaGraph(p); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range wireFields(t, b) {
		if f.num == 2 {
			return f.b
		}
	}
	t.Fatal("MetaGraphDef without graph_def")
	return nil
}

// seqClassifier is the chapter's variable-length model: a cell over
// padded sequences with sequence_length, its final state to logits.
func seqClassifier(t *testing.T, cell func() rnn.Cell) *train.Saver {
	t.Helper()
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 4, 3}, placeholder.Name("X"))
	y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	seq := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("seq_length"))
	_, states := nn.DynamicRNN(cell(), X, rnn.DType(tf.Float32), rnn.SequenceLength(seq))
	logits := layers.FullyConnected(states[len(states)-1], 5, layers.ActivationFn(nil))
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
	train.NewAdamOptimizer(0.01).Minimize(loss)
	tf.GlobalVariablesInitializer()
	s := train.NewSaver()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// word2vec is the chapter's skip-gram model, small: embeddings looked up
// by ids, NCE loss with log-uniform sampled classes, Adam (sparse updates
// of the embeddings and NCE weights), and the normalized embeddings'
// similarities.
func word2vec(t *testing.T) *train.Saver {
	t.Helper()
	g := tf.NewGraph()
	defer g.AsDefault()()
	tf.SetRandomSeed(3)
	labels := placeholder.New(tf.Int32, tf.Shape{8, 1}, placeholder.Name("train_labels"))
	ids := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("train_inputs"))
	embeddings := tf.NewVariable(tf.RandomUniform(tf.Shape{50, 6}, tf.Float32, tf.Minval(-1), tf.Maxval(1)), tf.Name("embeddings"))
	embed := nn.EmbeddingLookup(embeddings, ids)
	nceW := tf.NewVariable(tf.TruncatedNormal(tf.Shape{50, 6}, tf.Float32, tf.Stddev(0.4)), tf.Name("nce_weights"))
	nceB := tf.NewVariable(tf.Zeros(tf.Shape{50}, tf.Float32), tf.Name("nce_biases"))
	loss := tf.ReduceMean(nn.NCELoss(nceW, nceB, labels, embed, 4, 50))
	train.NewAdamOptimizer(0.01).Minimize(loss)
	norm := tf.Sqrt(tf.ReduceSum(tf.Square(embeddings), tf.Axis(1), tf.KeepDims(true)))
	normalized := tf.Div(embeddings, norm)
	valid := nn.EmbeddingLookup(normalized, tf.Constant([]int32{1, 2, 3}, tf.Int32))
	tf.MatMul(valid, normalized, tf.TransposeB(true))
	tf.GlobalVariablesInitializer()
	s := train.NewSaver()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGraphDefAgainstTFOpDefs checks the MetaGraphDefs of the chapter's
// models, with their training ops and saver, node by node against TF's
// OpDefs (see opdef_check_test.go).
func TestGraphDefAgainstTFOpDefs(t *testing.T) {
	defs := tfOpDefs(t)
	adam := func() train.Optimizer { return train.NewAdamOptimizer(0.01) }
	basic := func() rnn.Cell { return rnn.NewBasicRNNCell(4) }
	lstm := func() rnn.Cell { return rnn.NewBasicLSTMCell(4) }
	models := []struct {
		name  string
		saver func(t *testing.T) *train.Saver
	}{
		{"mnist_rnn BasicRNNCell Adam", func(t *testing.T) *train.Saver { return newClassifier(t, basic, adam).saver }},
		{"BasicRNNCell Momentum", func(t *testing.T) *train.Saver {
			return newClassifier(t, basic, func() train.Optimizer { return train.NewMomentumOptimizer(0.1, 0.9) }).saver
		}},
		{"BasicRNNCell RMSProp", func(t *testing.T) *train.Saver {
			return newClassifier(t, basic, func() train.Optimizer { return train.NewRMSPropOptimizer(0.01) }).saver
		}},
		{"BasicRNNCell Adagrad", func(t *testing.T) *train.Saver {
			return newClassifier(t, basic, func() train.Optimizer { return train.NewAdagradOptimizer(0.1) }).saver
		}},
		{"BasicRNNCell GradientDescent", func(t *testing.T) *train.Saver {
			return newClassifier(t, basic, func() train.Optimizer { return train.NewGradientDescentOptimizer(0.1) }).saver
		}},
		{"BasicLSTMCell Adam", func(t *testing.T) *train.Saver { return newClassifier(t, lstm, adam).saver }},
		{"BasicRNNCell Adam with a float64 placeholder learning rate", func(t *testing.T) *train.Saver {
			return newClassifier(t, basic, func() train.Optimizer {
				return train.NewAdamOptimizer(tf.Placeholder(tf.Float64, tf.Shape{}, tf.Name("lr")))
			}).saver
		}},
		{"GRUCell Adam", func(t *testing.T) *train.Saver {
			return newClassifier(t, func() rnn.Cell { return rnn.NewGRUCell(4) }, adam).saver
		}},
		{"LSTM stack (MultiRNNCell of 3 BasicLSTMCell)", func(t *testing.T) *train.Saver {
			return newClassifier(t, func() rnn.Cell {
				return rnn.NewMultiRNNCell([]rnn.Cell{rnn.NewBasicLSTMCell(4), rnn.NewBasicLSTMCell(4), rnn.NewBasicLSTMCell(4)})
			}, adam).saver
		}},
		{"time series OutputProjectionWrapper", func(t *testing.T) *train.Saver { return newTSModel(t, false).saver }},
		{"time series stacked outputs", func(t *testing.T) *train.Saver { return newTSModel(t, true).saver }},
		{"sequence_length BasicRNNCell", func(t *testing.T) *train.Saver { return seqClassifier(t, basic) }},
		{"word2vec", word2vec},
		{"sequence_length BasicLSTMCell", func(t *testing.T) *train.Saver { return seqClassifier(t, lstm) }},
	}
	for _, m := range models {
		t.Run(m.name, func(t *testing.T) {
			s := m.saver(t)
			b := metaGraphBytes(t, s)
			if !bytes.Equal(b, metaGraphBytes(t, s)) {
				t.Error("two exports of one graph differ")
			}
			problems, types := checkGraphDef(t, defs, b)
			for _, p := range problems {
				t.Error(p)
			}
			want := []string{"VariableV2", "SaveV2", "RestoreV2", "Enter", "Merge", "Switch", "LoopCond",
				"NextIteration", "Exit", "TensorArrayV3"}
			if strings.Contains(m.name, "placeholder learning rate") {
				want = append(want, "Cast", "ApplyAdam")
			}
			if m.name == "word2vec" {
				want = []string{"VariableV2", "SaveV2", "RestoreV2", "GatherV2", "LogUniformCandidateSampler", "ScatterAdd", "AssignSub"}
			}
			for _, op := range want {
				if types[op] == 0 {
					t.Errorf("no %s node", op)
				}
			}
			if t.Failed() {
				var ks []string
				for k, n := range types {
					ks = append(ks, fmt.Sprintf("%s:%d", k, n))
				}
				sort.Strings(ks)
				t.Log(strings.Join(ks, " "))
			}
		})
	}
}
