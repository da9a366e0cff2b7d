package rnn_test

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// refReversePrefix reverses each sequence's first lens[b] steps (all with
// nil lens): TF's reverse_sequence along time, in plain Go.
func refReversePrefix(x [][][]float64, lens []int) [][][]float64 {
	out := make([][][]float64, len(x))
	for b := range x {
		L := len(x[b])
		if lens != nil {
			L = lens[b]
		}
		out[b] = make([][]float64, len(x[b]))
		for t := range x[b] {
			out[b][t] = x[b][t]
			if t < L {
				out[b][t] = x[b][L-1-t]
			}
		}
	}
	return out
}

// refStackBidirectional is stack_bidirectional_dynamic_rnn of tanh
// BasicRNNCells in plain Go: per layer the forward refRNN, the backward
// refRNN over the reversed prefixes reversed back, their outputs
// concatenated as the next layer's inputs. w[l][d] are layer l's kernel
// and bias of direction d.
func refStackBidirectional(x [][][]float64, w [][2][2][][]float64, lens []int) (out [][][]float64, states [][2][][]float64) {
	for l := range w {
		fo, fh := refRNN(x, w[l][0][0], w[l][0][1][0], nil, lens, math.Tanh)
		bo, bh := refRNN(refReversePrefix(x, lens), w[l][1][0], w[l][1][1][0], nil, lens, math.Tanh)
		bo = refReversePrefix(bo, lens)
		next := make([][][]float64, len(x))
		for b := range x {
			next[b] = make([][]float64, len(x[b]))
			for t := range x[b] {
				next[b][t] = append(append([]float64{}, fo[b][t]...), bo[b][t]...)
			}
		}
		x = next
		states = append(states, [2][][]float64{fh, bh})
	}
	return x, states
}

// stackModel builds the two stacked bidirectional RNNs over X.
type stackBidi struct {
	g          *tf.Graph
	X, lens    *tf.Tensor
	outs       *tf.Tensor
	fw, bw     [][]*tf.Tensor
	cellsFw    []rnn.Cell
	cellsBw    []rnn.Cell
	sess       *session.Session
	feed       session.Feed
	x          [][][]float64
	weights    [][2][2][][]float64
	lensValues []int
}

func newStackBidi(t *testing.T, B, T, I int, units []int, lens []int) *stackBidi {
	t.Helper()
	m := &stackBidi{g: tf.NewGraph(), lensValues: lens}
	defer m.g.AsDefault()()
	r := rand.New(rand.NewSource(8))
	m.X = tf.Placeholder(tf.Float64, tf.Shape{tf.None, tf.None, I}, tf.Name("X"))
	for _, n := range units {
		m.cellsFw = append(m.cellsFw, rnn.NewBasicRNNCell(n))
		m.cellsBw = append(m.cellsBw, rnn.NewBasicRNNCell(n))
	}
	opts := []rnn.Option{rnn.DType(tf.Float64)}
	if lens != nil {
		l := make([]int32, len(lens))
		for i, v := range lens {
			l[i] = int32(v)
		}
		m.lens = tf.Constant(l, tf.Int32)
		opts = append(opts, rnn.SequenceLength(m.lens))
	}
	m.outs, m.fw, m.bw = rnn.StackBidirectionalDynamicRNN(m.cellsFw, m.cellsBw, m.X, opts...)
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	m.sess = session.New(session.WithGraph(m.g))
	m.sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	in := I
	for l, n := range units {
		var lw [2][2][][]float64
		for d, c := range []rnn.Cell{m.cellsFw[l], m.cellsBw[l]} {
			K, b := randMat(r, in+n, n), randMat(r, 1, n)
			bc := c.(*rnn.BasicRNNCell)
			if err := m.sess.LoadVariable(bc.Kernel(), K); err != nil {
				t.Fatal(err)
			}
			if err := m.sess.LoadVariable(bc.Bias(), b[0]); err != nil {
				t.Fatal(err)
			}
			lw[d] = [2][][]float64{K, b}
		}
		m.weights = append(m.weights, lw)
		in = 2 * n
	}
	m.x = make([][][]float64, B)
	for b := range m.x {
		m.x[b] = randMat(r, T, I)
	}
	m.feed = session.Feed{m.X: m.x}
	return m
}

func checkNear(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if ok, msg := tftest.AllClose(got, want, 1e-12, 1e-10); !ok {
		t.Errorf("%s: %s", what, msg)
	}
}

// flat3 is rnntest's, short.
var flat3 = rnntest.Flat3

func TestStackBidirectionalDynamicRNN(t *testing.T) {
	for _, lens := range [][]int{nil, {5, 0, 2}} {
		t.Run(fmt.Sprint("lengths ", lens), func(t *testing.T) {
			m := newStackBidi(t, 3, 5, 2, []int{3, 2}, lens)
			defer m.sess.Close()
			// The lengths' constant shape gives the batch.
			wantShape := tf.Shape{tf.None, tf.None, 4}
			if lens != nil {
				wantShape[0] = len(lens)
			}
			if !m.outs.Shape().Equal(wantShape) {
				t.Errorf("outputs have shape %v, want %v", m.outs.Shape(), wantShape)
			}
			fetches := []*tf.Tensor{m.outs}
			for l := range m.fw {
				fetches = append(fetches, m.fw[l][0], m.bw[l][0])
			}
			vals := m.sess.MustRun(fetches, m.feed)
			wantOut, wantStates := refStackBidirectional(m.x, m.weights, lens)
			checkNear(t, "outputs", vals[0].Float64s(), flat3(wantOut))
			for l := range wantStates {
				checkNear(t, fmt.Sprintf("layer %d state_fw", l), vals[1+2*l].Float64s(), flat(wantStates[l][0]))
				checkNear(t, fmt.Sprintf("layer %d state_bw", l), vals[2+2*l].Float64s(), flat(wantStates[l][1]))
			}

			// The static stack on the unstacked inputs, with the same
			// cells (so the same variables), gives the same numbers.
			restore := m.g.AsDefault()
			steps := tf.Unstack(tf.Transpose(m.X, []int{1, 0, 2}), 0, tf.Num(5))
			opts := []rnn.Option{rnn.DType(tf.Float64)}
			if m.lens != nil {
				opts = append(opts, rnn.SequenceLength(m.lens))
			}
			souts, sfw, sbw := rnn.StackBidirectionalRNN(m.cellsFw, m.cellsBw, steps, opts...)
			restore()
			if err := m.g.Err(); err != nil {
				t.Fatal(err)
			}
			sf := []*tf.Tensor{tf.Transpose(tf.Stack(souts, 0), []int{1, 0, 2})}
			for l := range sfw {
				sf = append(sf, sfw[l][0], sbw[l][0])
			}
			svals := m.sess.MustRun(sf, m.feed)
			for i := range svals {
				checkNear(t, fmt.Sprintf("static fetch %d", i), svals[i].Float64s(), vals[i].Float64s())
			}

			// Gradients of the inputs by central differences, through both
			// stacks with their sequence lengths.
			restore = m.g.AsDefault()
			loss := tf.Add(tf.ReduceSum(tf.Square(m.outs)), tf.ReduceSum(tf.Mul(sf[0], 0.5)))
			for _, s := range append(append(append([]*tf.Tensor{}, sf[1:]...), m.fw[1]...), m.bw[0]...) {
				loss = tf.Add(loss, tf.ReduceSum(tf.Square(s)))
			}
			restore()
			tftest.CheckGradients(t, m.g, loss, []*tf.Tensor{m.X}, m.feed, 1e-6, 1e-6)
		})
	}
}

func TestStackBidirectionalVariableNames(t *testing.T) {
	names := rnntest.VariableNames
	g := tf.NewGraph()
	restore := g.AsDefault()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4, 3})
	rnn.StackBidirectionalDynamicRNN([]rnn.Cell{rnn.NewBasicLSTMCell(2), rnn.NewGRUCell(2)}, []rnn.Cell{rnn.NewBasicLSTMCell(2), rnn.NewGRUCell(2)},
		X, rnn.DType(tf.Float32))
	restore()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range []string{"bw", "fw"} {
		want = append(want, "stack_bidirectional_rnn/cell_0/bidirectional_rnn/"+d+"/basic_lstm_cell/bias",
			"stack_bidirectional_rnn/cell_0/bidirectional_rnn/"+d+"/basic_lstm_cell/kernel")
	}
	for _, d := range []string{"bw", "fw"} {
		for _, v := range []string{"candidate/bias", "candidate/kernel", "gates/bias", "gates/kernel"} {
			want = append(want, "stack_bidirectional_rnn/cell_1/bidirectional_rnn/"+d+"/gru_cell/"+v)
		}
	}
	sort.Strings(want)
	if got := names(g); got != strings.Join(want, " ") {
		t.Errorf("StackBidirectionalDynamicRNN variables:\n got  %s\n want %s", got, strings.Join(want, " "))
	}

	g = tf.NewGraph()
	restore = g.AsDefault()
	steps := tf.Unstack(tf.Placeholder(tf.Float32, tf.Shape{3, tf.None, 2}), 0)
	rnn.StackBidirectionalRNN([]rnn.Cell{rnn.NewBasicRNNCell(2)}, []rnn.Cell{rnn.NewBasicRNNCell(2)}, steps, rnn.DType(tf.Float32))
	restore()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	w := "stack_bidirectional_rnn/cell_0/bw/basic_rnn_cell/bias stack_bidirectional_rnn/cell_0/bw/basic_rnn_cell/kernel " +
		"stack_bidirectional_rnn/cell_0/fw/basic_rnn_cell/bias stack_bidirectional_rnn/cell_0/fw/basic_rnn_cell/kernel"
	if got := names(g); got != w {
		t.Errorf("StackBidirectionalRNN variables:\n got  %s\n want %s", got, w)
	}
}

func TestStackBidirectionalErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4, 3})
	steps := tf.Unstack(X, 1)
	c := func() []rnn.Cell { return []rnn.Cell{rnn.NewBasicRNNCell(2)} }
	z := tf.Zeros(tf.Shape{2, 2}, tf.Float32)
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"no fw cells", func() error {
			o, _, _ := rnn.StackBidirectionalDynamicRNN(nil, c(), X, rnn.DType(tf.Float32))
			return o.Err()
		}(),
			[]string{"rnn.StackBidirectionalDynamicRNN at stack_bidirectional_test.go:", "at least one fw cell"}},
		{"depths", func() error {
			_, s, _ := rnn.StackBidirectionalDynamicRNN(append(c(), c()...), c(), X, rnn.DType(tf.Float32))
			return s[0][0].Err()
		}(), []string{"same depth: 2 fw cells, 1 bw cells"}},
		{"initial states count", func() error {
			o, _, _ := rnn.StackBidirectionalRNN(c(), c(), steps, rnn.InitialStatesFw([]*tf.Tensor{z}, []*tf.Tensor{z}), rnn.DType(tf.Float32))
			return o[0].Err()
		}(), []string{"rnn.StackBidirectionalRNN at stack_bidirectional_test.go:", "initial_states_fw", "2 states for 1 layers"}},
		{"swap_memory", func() error {
			o, _, _ := rnn.StackBidirectionalRNN(c(), c(), steps, rnn.SwapMemory(true))
			return o[0].Err()
		}(), []string{"rnn.StackBidirectionalRNN", "swap_memory"}},
		{"layer error", func() error {
			o, _, _ := rnn.StackBidirectionalDynamicRNN(c(), c(), X)
			return o.Err()
		}(), []string{"layer 0", "dtype"}},
	}
	for _, tc := range cases {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(tc.err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tc.name, tc.err, w)
			}
		}
	}
}
