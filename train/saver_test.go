package train_test

import (
	"math"
	"math/rand/v2"
	"path/filepath"
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

// tsModel is the chapter's time-series RNN (BasicRNNCell with ReLU in an
// OutputProjectionWrapper, dynamic_rnn, MSE, Adam), small.
type tsModel struct {
	g          *tf.Graph
	X, y, loss *tf.Tensor
	trainOp    *tf.Operation
	init       *tf.Operation
	saver      *train.Saver
	step       *tf.Variable
}

const tsSteps, tsNeurons = 5, 8

func newTSModel(t *testing.T, stacked bool) *tsModel {
	t.Helper()
	m := &tsModel{g: tf.NewGraph()}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(42)
	m.X = placeholder.New(tf.Float32, tf.Shape{tf.None, tsSteps, 1}, placeholder.Name("X"))
	m.y = placeholder.New(tf.Float32, tf.Shape{tf.None, tsSteps, 1}, placeholder.Name("y"))
	var outputs *tf.Tensor
	if stacked {
		cell := rnn.NewBasicRNNCell(tsNeurons, rnn.Activation(tf.Relu))
		rnnOutputs, _ := nn.DynamicRNN(cell, m.X, rnn.DType(tf.Float32))
		stackedOut := layers.FullyConnected(tf.Reshape(rnnOutputs, []int{-1, tsNeurons}), 1, layers.ActivationFn(nil))
		outputs = tf.Reshape(stackedOut, []int{-1, tsSteps, 1})
	} else {
		cell := rnn.NewOutputProjectionWrapper(rnn.NewBasicRNNCell(tsNeurons, rnn.Activation(tf.Relu)), 1)
		outputs, _ = nn.DynamicRNN(cell, m.X, rnn.DType(tf.Float32))
	}
	m.loss = tf.ReduceMean(tf.Square(tf.Sub(outputs, m.y)))
	m.step = train.GetOrCreateGlobalStep()
	m.trainOp = train.NewAdamOptimizer(0.01).Minimize(m.loss, train.GlobalStep(m.step))
	m.init = tf.GlobalVariablesInitializer()
	m.saver = train.NewSaver()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	if err := m.saver.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func tsBatch(rng *rand.Rand) (x, y [][][]float32) {
	for b := 0; b < 4; b++ {
		t0 := rng.Float64() * 30
		var xs, ys [][]float32
		for i := 0; i < tsSteps; i++ {
			f := func(t float64) float32 { return float32(t*math.Sin(t)/3 + 2*math.Sin(5*t)) }
			xs = append(xs, []float32{f(t0 + 0.1*float64(i))})
			ys = append(ys, []float32{f(t0 + 0.1*float64(i+1))})
		}
		x, y = append(x, xs), append(y, ys)
	}
	return x, y
}

func (m *tsModel) session(t *testing.T) *session.Session {
	t.Helper()
	s := session.New(session.WithGraph(m.g))
	t.Cleanup(func() { s.Close() })
	return s
}

// steps trains on the batches of seed i (for i in from..to-1) and returns
// the losses.
func (m *tsModel) steps(t *testing.T, s *session.Session, from, to int) []float32 {
	t.Helper()
	var out []float32
	for i := from; i < to; i++ {
		x, y := tsBatch(rand.New(rand.NewPCG(uint64(i), 7)))
		v, err := s.Run([]tf.Fetch{m.loss, m.trainOp}, session.Feed{m.X: x, m.y: y})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v[0].Float32s()[0])
	}
	return out
}

// values returns every variable's value.
func values(t *testing.T, s *session.Session, g *tf.Graph) map[string]*tf.Array {
	t.Helper()
	out := map[string]*tf.Array{}
	for _, v := range g.Variables() {
		a, err := s.Eval(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[v.Name()] = a
	}
	return out
}

func sameBits(a, b *tf.Array) bool {
	if !tf.Shape(a.Shape()).Equal(tf.Shape(b.Shape())) || a.DType() != b.DType() {
		return false
	}
	switch a.DType() {
	case tf.Float32:
		x, y := a.Float32s(), b.Float32s()
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
				return false
			}
		}
		return true
	case tf.Float64:
		x, y := a.Float64s(), b.Float64s()
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	case tf.Int64:
		x, y := a.Int64s(), b.Int64s()
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	return false
}

func TestSaverNamesAreTFs(t *testing.T) {
	m := newTSModel(t, false)
	got := strings.Join(m.saver.Variables(), " ")
	want := "beta1_power beta2_power global_step " +
		"rnn/output_projection_wrapper/basic_rnn_cell/bias rnn/output_projection_wrapper/basic_rnn_cell/bias/Adam rnn/output_projection_wrapper/basic_rnn_cell/bias/Adam_1 " +
		"rnn/output_projection_wrapper/basic_rnn_cell/kernel rnn/output_projection_wrapper/basic_rnn_cell/kernel/Adam rnn/output_projection_wrapper/basic_rnn_cell/kernel/Adam_1 " +
		"rnn/output_projection_wrapper/bias rnn/output_projection_wrapper/bias/Adam rnn/output_projection_wrapper/bias/Adam_1 " +
		"rnn/output_projection_wrapper/kernel rnn/output_projection_wrapper/kernel/Adam rnn/output_projection_wrapper/kernel/Adam_1"
	if got != want {
		t.Errorf("saved names\n got %s\nwant %s", got, want)
	}
}

// TestSaverRoundTripAndResume: every variable (weights, Adam's slots and
// powers, the global step) comes back bit for bit, and a model restored
// mid-training continues with the losses of one that never stopped.
func TestSaverRoundTripAndResume(t *testing.T) {
	for _, stacked := range []bool{false, true} {
		dir := t.TempDir()
		m := newTSModel(t, stacked)
		s := m.session(t)
		s.MustRun(m.init, nil)
		m.steps(t, s, 0, 5)
		prefix, err := m.saver.Save(s, filepath.Join(dir, "model.ckpt"), train.GlobalStep(m.step))
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(dir, "model.ckpt-5"); prefix != want {
			t.Errorf("Save returned %q, want %q", prefix, want)
		}
		before := values(t, s, m.g)
		uninterrupted := m.steps(t, s, 5, 10)

		// A new process: a new graph and session, restored, no initializer.
		m2 := newTSModel(t, stacked)
		s2 := m2.session(t)
		if got := train.LatestCheckpoint(dir); got != prefix {
			t.Fatalf("LatestCheckpoint = %q, want %q", got, prefix)
		}
		if err := m2.saver.Restore(s2, train.LatestCheckpoint(dir)); err != nil {
			t.Fatal(err)
		}
		after := values(t, s2, m2.g)
		if len(after) != len(before) || len(before) < 10 {
			t.Fatalf("%d variables before, %d after", len(before), len(after))
		}
		for name, a := range before {
			if !sameBits(a, after[name]) {
				t.Errorf("stacked=%v: %s differs after restore:\n%v\n%v", stacked, name, a, after[name])
			}
		}
		resumed := m2.steps(t, s2, 5, 10)
		for i := range resumed {
			if math.Float32bits(resumed[i]) != math.Float32bits(uninterrupted[i]) {
				t.Errorf("stacked=%v: step %d: loss %v after restore, %v without stopping", stacked, i, resumed[i], uninterrupted[i])
			}
		}
	}
}
