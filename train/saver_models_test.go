package train_test

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// classifier is the chapter's MNIST model, small: a cell over 4 steps of 3
// inputs, its final state to 5 logits, sparse softmax cross entropy.
type classifier struct {
	g       *tf.Graph
	X, y    *tf.Tensor
	loss    *tf.Tensor
	trainOp *tf.Operation
	init    *tf.Operation
	saver   *train.Saver
}

func newClassifier(t *testing.T, cell func() rnn.Cell, opt func() train.Optimizer) *classifier {
	t.Helper()
	m := &classifier{g: tf.NewGraph()}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(7)
	m.X = placeholder.New(tf.Float32, tf.Shape{tf.None, 4, 3}, placeholder.Name("X"))
	m.y = placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	_, states := nn.DynamicRNN(cell(), m.X, rnn.DType(tf.Float32))
	logits := layers.FullyConnected(states[len(states)-1], 5, layers.ActivationFn(nil))
	m.loss = tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(m.y, logits))
	m.trainOp = opt().Minimize(m.loss)
	m.init = tf.GlobalVariablesInitializer()
	m.saver = train.NewSaver()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *classifier) steps(t *testing.T, s *session.Session, from, to int) []float32 {
	t.Helper()
	var out []float32
	for i := from; i < to; i++ {
		rng := rand.New(rand.NewPCG(uint64(i), 3))
		var xs [][][]float32
		var ys []int32
		for b := 0; b < 6; b++ {
			var seq [][]float32
			for k := 0; k < 4; k++ {
				seq = append(seq, []float32{rng.Float32(), rng.Float32() - 0.5, rng.Float32() * 2})
			}
			xs = append(xs, seq)
			ys = append(ys, int32(rng.IntN(5)))
		}
		v, err := s.Run([]tf.Fetch{m.loss, m.trainOp}, session.Feed{m.X: xs, m.y: ys})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v[0].Float32s()[0])
	}
	return out
}

// TestSaverChapterModels: for the chapter's cells and TF's optimizers,
// every variable (weights and slots, under TF's names) round-trips bit for
// bit, and training resumed from the checkpoint gives the losses of
// training that never stopped.
func TestSaverChapterModels(t *testing.T) {
	cells := []struct {
		name  string
		cell  func() rnn.Cell
		names []string
	}{
		{"BasicRNNCell", func() rnn.Cell { return rnn.NewBasicRNNCell(4) }, []string{"rnn/basic_rnn_cell/kernel", "rnn/basic_rnn_cell/bias"}},
		{"BasicLSTMCell", func() rnn.Cell { return rnn.NewBasicLSTMCell(4) }, []string{"rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"}},
		{"GRUCell", func() rnn.Cell { return rnn.NewGRUCell(4) }, []string{"rnn/gru_cell/gates/kernel", "rnn/gru_cell/gates/bias", "rnn/gru_cell/candidate/kernel", "rnn/gru_cell/candidate/bias"}},
		{"MultiRNNCell", func() rnn.Cell {
			return rnn.NewMultiRNNCell([]rnn.Cell{rnn.NewBasicRNNCell(4), rnn.NewBasicRNNCell(4)})
		}, []string{"rnn/multi_rnn_cell/cell_0/basic_rnn_cell/kernel", "rnn/multi_rnn_cell/cell_1/basic_rnn_cell/bias"}},
	}
	opts := []struct {
		name  string
		opt   func() train.Optimizer
		slots []string
	}{
		{"Adam", func() train.Optimizer { return train.NewAdamOptimizer(0.01) }, []string{"/Adam", "/Adam_1", "beta1_power", "beta2_power"}},
		{"Momentum", func() train.Optimizer { return train.NewMomentumOptimizer(0.1, 0.9) }, []string{"/Momentum"}},
		{"RMSProp", func() train.Optimizer { return train.NewRMSPropOptimizer(0.01) }, []string{"/RMSProp", "/RMSProp_1"}},
		{"Adagrad", func() train.Optimizer { return train.NewAdagradOptimizer(0.1) }, []string{"/Adagrad"}},
	}
	for _, c := range cells {
		for _, o := range opts {
			if c.name != "BasicRNNCell" && o.name != "Adam" {
				continue // every cell with Adam, every optimizer with BasicRNNCell
			}
			t.Run(c.name+"/"+o.name, func(t *testing.T) {
				m := newClassifier(t, c.cell, o.opt)
				names := strings.Join(m.saver.Variables(), " ") + " "
				for _, n := range append(c.names, "fully_connected/weights", "fully_connected/biases") {
					if !strings.Contains(names, n+" ") {
						t.Errorf("no variable %q among %s", n, names)
					}
					for _, s := range o.slots {
						if strings.HasPrefix(s, "/") && !strings.Contains(names, n+s+" ") {
							t.Errorf("no slot %q among %s", n+s, names)
						}
					}
				}
				for _, s := range o.slots {
					if !strings.HasPrefix(s, "/") && !strings.Contains(names, s+" ") {
						t.Errorf("no %q among %s", s, names)
					}
				}
				s := session.New(session.WithGraph(m.g))
				defer s.Close()
				s.MustRun(m.init, nil)
				m.steps(t, s, 0, 3)
				prefix, err := m.saver.Save(s, filepath.Join(t.TempDir(), "m"))
				if err != nil {
					t.Fatal(err)
				}
				before := values(t, s, m.g)
				want := m.steps(t, s, 3, 6)

				m2 := newClassifier(t, c.cell, o.opt)
				s2 := session.New(session.WithGraph(m2.g))
				defer s2.Close()
				if err := m2.saver.Restore(s2, prefix); err != nil {
					t.Fatal(err)
				}
				after := values(t, s2, m2.g)
				var keys []string
				for k := range before {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					if !sameBits(before[k], after[k]) {
						t.Errorf("%s differs after restore", k)
					}
				}
				got := m2.steps(t, s2, 3, 6)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Errorf("resumed step %d: loss %v, uninterrupted %v", i, got[i], want[i])
					}
				}
			})
		}
	}
}
