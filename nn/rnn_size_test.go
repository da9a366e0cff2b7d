package nn_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/lower"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// trainGraph builds a small model on DynamicRNN with T steps (None when
// T < 0): final state -> sum of squares loss, gradients for the cell's
// variables and SGD updates.
type trainGraph struct {
	g      *tf.Graph
	X      *tf.Tensor
	loss   *tf.Tensor
	train  *tf.Operation
	grads  []*tf.Tensor
	nOps   int
	target *tf.Tensor
}

func newTrainGraph(t testing.TB, T int) *trainGraph {
	tg := &trainGraph{g: tf.NewGraph()}
	defer tg.g.AsDefault()()
	tf.SetRandomSeed(42)
	if T < 0 {
		T = tf.None
	}
	tg.X = tf.Placeholder(tf.Float32, tf.Shape{tf.None, T, 2}, tf.Name("X"))
	tg.target = tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4}, tf.Name("y"))
	cell := rnn.NewBasicRNNCell(4)
	_, state := nn.DynamicRNN(cell, tg.X, rnn.DType(tf.Float32))
	tg.loss = tf.ReduceMean(tf.Square(tf.Sub(state[0], tg.target)))
	vars := []any{cell.Kernel(), cell.Bias()}
	grads, err := tf.Gradients([]*tf.Tensor{tg.loss}, vars)
	if err != nil {
		t.Fatal(err)
	}
	tg.grads = grads
	var updates []*tf.Operation
	for i, v := range []*tf.Variable{cell.Kernel(), cell.Bias()} {
		updates = append(updates, tf.Assign(v, tf.Sub(v, tf.Mul(grads[i], 0.5))).Op())
	}
	tg.train = tf.Group(updates)
	if err := tg.g.Err(); err != nil {
		t.Fatal(err)
	}
	tg.nOps = len(tg.g.Operations())
	return tg
}

func TestDynamicRNNGraphDoesNotGrowWithSteps(t *testing.T) {
	a, b := newTrainGraph(t, 2), newTrainGraph(t, 1000)
	if a.nOps != b.nOps {
		t.Errorf("graph with T=2 has %d ops, with T=1000 %d", a.nOps, b.nOps)
	}
	typesOf := func(g *tf.Graph) string {
		var s []string
		for _, op := range g.Operations() {
			s = append(s, op.Type())
		}
		return strings.Join(s, ",")
	}
	if typesOf(a.g) != typesOf(b.g) {
		t.Errorf("op types differ:\n%s\n%s", typesOf(a.g), typesOf(b.g))
	}
	// The compiled training programs have the same size too.
	nodes := func(tg *trainGraph, T int) int {
		p, err := lower.Compile([]*tf.Tensor{tg.loss}, []*tf.Operation{tg.train}, map[*tf.Tensor]tf.Spec{
			tg.X:      {DType: tf.Float32, Shape: tf.Shape{3, T, 2}},
			tg.target: {DType: tf.Float32, Shape: tf.Shape{3, 4}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return p.NodeCount()
	}
	if na, nb := nodes(a, 2), nodes(b, 1000); na != nb {
		t.Errorf("compiled program with T=2 has %d nodes, with T=1000 %d", na, nb)
	}
}

func seqFeed(r *rand.Rand, B, T int) ([][][]float32, [][]float32) {
	x := make([][][]float32, B)
	y := make([][]float32, B)
	for b := range x {
		x[b] = make([][]float32, T)
		for t := range x[b] {
			x[b][t] = []float32{r.Float32()*2 - 1, r.Float32()*2 - 1}
		}
		// The target depends on the first steps, far from the last one.
		y[b] = []float32{0.5 * x[b][0][0], -0.3, 0.2, 0}
	}
	return x, y
}

// T=1000 trains: the loss of a fixed batch decreases under SGD, with the time
// dimension None (each length is compiled on first use, the body once).
func TestDynamicRNNTrainsThousandSteps(t *testing.T) {
	tg := newTrainGraph(t, -1)
	sess := session.New(session.WithGraph(tg.g))
	defer sess.Close()
	restore := tg.g.AsDefault()
	init := tf.GlobalVariablesInitializer()
	restore()
	sess.MustRun(init, nil)
	r := rand.New(rand.NewSource(5))
	x, y := seqFeed(r, 2, 1000)
	feed := session.Feed{tg.X: x, tg.target: y}
	first := sess.MustEval(tg.loss, feed).Float64s()[0]
	for i := 0; i < 5; i++ {
		sess.MustRun(tg.train, feed)
	}
	last := sess.MustEval(tg.loss, feed).Float64s()[0]
	if !(last < 0.7*first) {
		t.Errorf("loss went from %v to %v in 5 SGD steps over 1000 time steps", first, last)
	}
	// Another length in the same session.
	x2, y2 := seqFeed(r, 3, 7)
	if _, err := sess.Run(tg.train, session.Feed{tg.X: x2, tg.target: y2}); err != nil {
		t.Fatal(err)
	}
}

func TestDynamicRNNErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2, 3}, tf.Name("X"))
	seq := tf.Placeholder(tf.Int32, tf.Shape{tf.None}, tf.Name("seq"))
	cell := rnn.NewBasicRNNCell(5)
	out, state := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32), rnn.SequenceLength(seq), rnn.SwapMemory(true))
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	xv := [][][]float32{{{0, 1, 2}, {9, 8, 7}}, {{3, 4, 5}, {0, 0, 0}}}
	for _, c := range []struct {
		lens []int32
		want string
	}{
		{[]int32{2, 3}, "sequence_length[1] = 3 is outside [0, 2]"},
		{[]int32{-1, 0}, "sequence_length[0] = -1 is outside [0, 2]"},
		{[]int32{2, 1, 1}, "sequence_length has 3 entries, but the batch size is 2"},
	} {
		_, err := sess.Run([]*tf.Tensor{out, state[0]}, session.Feed{X: xv, seq: c.lens})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("lengths %v: error %v, want one containing %q", c.lens, err, c.want)
		}
	}
	// The session still works, and lengths 0 and 2 are fine.
	if _, err := sess.Run([]*tf.Tensor{out, state[0]}, session.Feed{X: xv, seq: []int32{0, 2}}); err != nil {
		t.Fatal(err)
	}

	// Build-time errors.
	for _, c := range []struct {
		name string
		run  func() *tf.Tensor
		want string
	}{
		{"no dtype", func() *tf.Tensor { o, _ := nn.DynamicRNN(rnn.NewBasicRNNCell(2), X); return o }, "you must give a dtype"},
		{"rank 2 inputs", func() *tf.Tensor {
			o, _ := nn.DynamicRNN(rnn.NewBasicRNNCell(2), tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3}), rnn.DType(tf.Float32))
			return o
		}, "want rank 3"},
		{"unknown depth", func() *tf.Tensor {
			o, _ := nn.DynamicRNN(rnn.NewBasicRNNCell(2), tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2, tf.None}), rnn.DType(tf.Float32))
			return o
		}, "Input size (depth of inputs) must be accessible"},
		{"lengths of a known wrong size", func() *tf.Tensor {
			o, _ := nn.DynamicRNN(rnn.NewBasicRNNCell(2), tf.Placeholder(tf.Float32, tf.Shape{4, 2, 3}), rnn.DType(tf.Float32),
				rnn.SequenceLength(tf.Constant([]int32{1, 2, 3}, tf.Int32)))
			return o
		}, "sequence_length has 3 entries, but the batch size is 4"},
		{"float lengths", func() *tf.Tensor {
			o, _ := nn.DynamicRNN(rnn.NewBasicRNNCell(2), X, rnn.DType(tf.Float32), rnn.SequenceLength(tf.Constant([]float32{1, 2}, tf.Float32)))
			return o
		}, "want int32 or int64"},
		{"option not taken", func() *tf.Tensor {
			o, _ := nn.DynamicRNN(rnn.NewBasicRNNCell(2), X, rnn.DType(tf.Float32), rnn.Activation(tf.Relu))
			return o
		}, "does not take the option activation"},
		{"wrong initial state", func() *tf.Tensor {
			o, _ := nn.DynamicRNN(rnn.NewBasicRNNCell(2), X, rnn.InitialState(tf.Zeros(tf.Shape{2, 3}, tf.Float32)))
			return o
		}, "want [batch, 2]"},
	} {
		o := c.run()
		if o.Err() == nil || !strings.Contains(o.Err().Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, o.Err(), c.want)
		}
	}
}
