package rnncell_test

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

func varNames(g *tf.Graph) string {
	var names []string
	for _, v := range g.Variables() {
		names = append(names, v.Name())
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// TestEmbeddingWrapper runs an EmbeddingWrapper(BasicRNNCell(3), 5, 2) over
// integer ids with StaticRNN and checks TF's variable names, the values
// against plain loops, and that the embedding's gradient is sparse.
func TestEmbeddingWrapper(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	ids := [][]int32{{4, 0}, {1, 1}, {3, 2}}
	var in []*tf.Tensor
	for _, v := range ids {
		in = append(in, tf.Constant(v, tf.Int32))
	}
	cell := rnncell.NewEmbeddingWrapper(rnncell.NewBasicRNNCell(3), 5, 2)
	outs, state := nn.StaticRNN(cell, in, rnncell.DType(tf.Float64))
	if state[0].Err() != nil {
		t.Fatal(state[0].Err())
	}
	if got, want := varNames(g), "rnn/embedding_wrapper/basic_rnn_cell/bias rnn/embedding_wrapper/basic_rnn_cell/kernel rnn/embedding_wrapper/embedding"; got != want {
		t.Errorf("variables %q, want %q", got, want)
	}
	loss := tf.ReduceSum(tf.Square(tf.AddN(outs[0], outs[1], outs[2])))
	gr, err := tf.Gradients([]*tf.Tensor{loss}, []any{cell.Embedding()})
	if err != nil {
		t.Fatal(err)
	}
	if tf.IndexedSlicesOf(gr[0]) == nil {
		t.Errorf("the embedding's gradient is dense")
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	vals := sess.MustRun([]tf.Fetch{cell.Embedding(), g.Variables()[1], g.Variables()[2], state[0]}, nil)
	emb := vals[0].Float64s()
	for _, x := range emb {
		if math.Abs(x) >= math.Sqrt(3) {
			t.Errorf("embedding value %v outside [-sqrt(3), sqrt(3))", x)
		}
	}
	var k, b []float64
	for i, v := range g.Variables()[1:3] {
		if strings.HasSuffix(v.Name(), "kernel") {
			k = vals[1+i].Float64s()
		} else {
			b = vals[1+i].Float64s()
		}
	}
	for ex := 0; ex < 2; ex++ {
		h := make([]float64, 3)
		for _, step := range ids {
			x := append(append([]float64{}, emb[int(step[ex])*2:int(step[ex])*2+2]...), h...)
			nh := make([]float64, 3)
			for j := range nh {
				s := b[j]
				for i, v := range x {
					s += v * k[i*3+j]
				}
				nh[j] = math.Tanh(s)
			}
			h = nh
		}
		if ok, msg := tftest.AllClose(vals[3].Float64s()[ex*3:ex*3+3], h, 1e-12, 1e-12); !ok {
			t.Errorf("final state of example %d: %s", ex, msg)
		}
	}
}

func TestInputProjectionWrapper(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{2, 4})
	cell := rnncell.NewInputProjectionWrapper(rnncell.NewBasicRNNCell(3), 2)
	outs, _ := nn.StaticRNN(cell, []*tf.Tensor{x, x}, rnncell.DType(tf.Float64))
	if outs[1].Err() != nil {
		t.Fatal(outs[1].Err())
	}
	want := "rnn/input_projection_wrapper/basic_rnn_cell/bias rnn/input_projection_wrapper/basic_rnn_cell/kernel rnn/input_projection_wrapper/bias rnn/input_projection_wrapper/kernel"
	if got := varNames(g); got != want {
		t.Errorf("variables %q, want %q", got, want)
	}
	if s := cell.Kernel().Shape(); !s.Equal(tf.Shape{4, 2}) {
		t.Errorf("kernel shape %v", s)
	}
	y := tf.ReduceSum(tf.Mul(outs[1], tf.Constant([]float64{1, -2, 0.5}, tf.Float64)))
	tftest.CheckGradients(t, g, y, []*tf.Tensor{x}, session.Feed{x: [][]float64{{1, 0.5, -1, 2}, {0.3, -0.2, 0.8, 0}}}, 1e-6, 1e-8)
	if err := rnncell.NewInputProjectionWrapper(rnncell.NewBasicRNNCell(3), 0).ZeroState(2, tf.Float32)[0].Err(); err == nil || !strings.Contains(err.Error(), "num_proj must be > 0") {
		t.Errorf("num_proj 0: %v", err)
	}
	if err := rnncell.NewEmbeddingWrapper(nil, 3, 2).ZeroState(2, tf.Float32)[0].Err(); err == nil || !strings.Contains(err.Error(), "cell is nil") {
		t.Errorf("nil cell: %v", err)
	}
}

// TestCopy: a copy made before the first Call makes its own variables; the
// same cell in two loops shares them; a called cell cannot be copied.
func TestCopy(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float32, tf.Shape{2, 4})
	cell := rnncell.NewOutputProjectionWrapper(rnncell.NewBasicRNNCell(3), 2)
	cp, err := rnncell.Copy(cell)
	if err != nil {
		t.Fatal(err)
	}
	nn.StaticRNN(cp, []*tf.Tensor{x}, rnncell.DType(tf.Float32), rnncell.Scope("encoder"))
	nn.StaticRNN(cell, []*tf.Tensor{x}, rnncell.DType(tf.Float32), rnncell.Scope("decoder"))
	nn.StaticRNN(cell, []*tf.Tensor{x}, rnncell.DType(tf.Float32), rnncell.Scope("again"))
	want := "decoder/output_projection_wrapper/basic_rnn_cell/bias decoder/output_projection_wrapper/basic_rnn_cell/kernel decoder/output_projection_wrapper/bias decoder/output_projection_wrapper/kernel " +
		"encoder/output_projection_wrapper/basic_rnn_cell/bias encoder/output_projection_wrapper/basic_rnn_cell/kernel encoder/output_projection_wrapper/bias encoder/output_projection_wrapper/kernel"
	if got := varNames(g); got != want {
		t.Errorf("variables:\n%s\nwant\n%s", got, want)
	}
	if _, err := rnncell.Copy(cell); err == nil || !strings.Contains(err.Error(), "copy a cell before its first use") {
		t.Errorf("copy of a called cell: %v", err)
	}
	if _, err := rnncell.Copy(nil); err == nil {
		t.Errorf("copy of nil: no error")
	}
}
