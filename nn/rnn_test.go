package nn_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// plainCell is h' = tanh(x·Wx + h·Wh + b) with its weights given as tensors
// (placeholders in the tests, so that gradient checks can perturb them).
// With acc set it has a second state a' = a/2 + h', to exercise tuple states.
// With concat set it computes the products as concat([x, h])·W, W the rows
// of Wx then Wh (BasicRNNCell's form, which the generic loop hoists
// differently from two products).
type plainCell struct {
	wx, wh, b *tf.Tensor
	w         *tf.Tensor // concat([wx, wh], 0), with concat
	n         int
	acc       bool
}

func (c *plainCell) StateSize() []int {
	if c.acc {
		return []int{c.n, c.n}
	}
	return []int{c.n}
}
func (c *plainCell) OutputSize() int { return c.n }
func (c *plainCell) ZeroState(batch any, dt tf.DType) []*tf.Tensor {
	return rnn.ZeroState(c, batch, dt)
}
func (c *plainCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	var h *tf.Tensor
	if c.w != nil {
		h = tf.Tanh(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{x, s[0]}, 1), c.w), c.b))
	} else {
		h = tf.Tanh(tf.Add(tf.Add(tf.MatMul(x, c.wx), tf.MatMul(s[0], c.wh)), c.b))
	}
	if !c.acc {
		return h, []*tf.Tensor{h}
	}
	return h, []*tf.Tensor{h, tf.Add(tf.Mul(s[1], 0.5), h)}
}

// ref computes the loop in plain Go: x is [B][T][I]; it returns outputs
// [B][T][n] and the final h and a (a only for acc).
func ref(x [][][]float64, wx, wh [][]float64, b []float64, h0, a0 [][]float64, lens []int, acc bool) (out [][][]float64, h, a [][]float64) {
	B, n := len(x), len(b)
	out = make([][][]float64, B)
	h = make([][]float64, B)
	a = make([][]float64, B)
	for i := 0; i < B; i++ {
		T := len(x[i])
		hi := append([]float64(nil), h0[i]...)
		ai := append([]float64(nil), a0[i]...)
		out[i] = make([][]float64, T)
		for t := 0; t < T; t++ {
			out[i][t] = make([]float64, n)
			if lens != nil && t >= lens[i] {
				continue
			}
			nh := make([]float64, n)
			for j := 0; j < n; j++ {
				s := b[j]
				for k := range x[i][t] {
					s += x[i][t][k] * wx[k][j]
				}
				for k := range hi {
					s += hi[k] * wh[k][j]
				}
				nh[j] = math.Tanh(s)
			}
			hi = nh
			if acc {
				for j := range ai {
					ai[j] = ai[j]/2 + hi[j]
				}
			}
			copy(out[i][t], hi)
		}
		h[i], a[i] = hi, ai
	}
	return out, h, a
}

// randMat and flat3 are rnntest's, short.
var (
	randMat = rnntest.RandMat
	flat3   = rnntest.Flat3
)

func rand3(r *rand.Rand, a, b, c int) [][][]float64 {
	m := make([][][]float64, a)
	for i := range m {
		m[i] = randMat(r, b, c)
	}
	return m
}

func transpose01(m [][][]float64) [][][]float64 {
	if len(m) == 0 {
		return nil
	}
	o := make([][][]float64, len(m[0]))
	for t := range o {
		o[t] = make([][]float64, len(m))
		for b := range m {
			o[t][b] = m[b][t]
		}
	}
	return o
}

type loopCase struct {
	name      string
	lens      []int
	timeMajor bool
	acc       bool
	initial   bool
	concat    bool
}

var loopCases = []loopCase{
	{name: "plain"},
	{name: "time_major", timeMajor: true},
	{name: "seq_len", lens: []int{3, 0, 1}},
	{name: "seq_len_time_major_initial", lens: []int{2, 3, 0}, timeMajor: true, initial: true},
	{name: "tuple_state", acc: true, initial: true},
	{name: "tuple_state_seq_len", acc: true, lens: []int{1, 3, 2}, initial: true},
	{name: "concat", concat: true},
	{name: "concat_seq_len_time_major_initial", lens: []int{2, 3, 0}, timeMajor: true, initial: true, concat: true},
	{name: "concat_tuple_state_seq_len", acc: true, lens: []int{1, 3, 2}, initial: true, concat: true},
}

// loopGraph builds DynamicRNN over plainCell with every weight a placeholder.
type loopGraph struct {
	g                 *tf.Graph
	X, Wx, Wh, b, h0  *tf.Tensor
	a0, seq           *tf.Tensor
	outputs           *tf.Tensor
	state             []*tf.Tensor
	xv, wx, wh, h0v   [][]float64
	x3                [][][]float64
	bv                []float64
	a0v               [][]float64
	feed              session.Feed
	B, T, I, N        int
	lens              []int
	timeMajor, acc    bool
	initial, haveSeqs bool
}

func newLoopGraph(t *testing.T, c loopCase, opts ...rnn.Option) *loopGraph {
	t.Helper()
	r := rand.New(rand.NewSource(1))
	L := &loopGraph{g: tf.NewGraph(), B: 3, T: 3, I: 2, N: 4, lens: c.lens, timeMajor: c.timeMajor, acc: c.acc, initial: c.initial}
	defer L.g.AsDefault()()
	xshape := tf.Shape{tf.None, tf.None, L.I}
	L.X = tf.Placeholder(tf.Float64, xshape, tf.Name("X"))
	L.Wx = tf.Placeholder(tf.Float64, tf.Shape{L.I, L.N}, tf.Name("Wx"))
	L.Wh = tf.Placeholder(tf.Float64, tf.Shape{L.N, L.N}, tf.Name("Wh"))
	L.b = tf.Placeholder(tf.Float64, tf.Shape{L.N}, tf.Name("b"))
	cell := &plainCell{wx: L.Wx, wh: L.Wh, b: L.b, n: L.N, acc: c.acc}
	if c.concat {
		cell.w = tf.Concat([]*tf.Tensor{L.Wx, L.Wh}, 0)
	}
	L.x3 = rand3(r, L.B, L.T, L.I)
	L.wx, L.wh, L.bv = randMat(r, L.I, L.N), randMat(r, L.N, L.N), randMat(r, 1, L.N)[0]
	L.h0v, L.a0v = make([][]float64, L.B), make([][]float64, L.B)
	for i := range L.h0v {
		L.h0v[i], L.a0v[i] = make([]float64, L.N), make([]float64, L.N)
	}
	xfeed := L.x3
	if c.timeMajor {
		xfeed = transpose01(L.x3)
		opts = append(opts, rnn.TimeMajor(true))
	}
	L.feed = session.Feed{L.X: xfeed, L.Wx: L.wx, L.Wh: L.wh, L.b: L.bv}
	if c.initial {
		L.h0v, L.a0v = randMat(r, L.B, L.N), randMat(r, L.B, L.N)
		L.h0 = tf.Placeholder(tf.Float64, tf.Shape{tf.None, L.N}, tf.Name("h0"))
		init := []*tf.Tensor{L.h0}
		L.feed[L.h0] = L.h0v
		if c.acc {
			L.a0 = tf.Placeholder(tf.Float64, tf.Shape{tf.None, L.N}, tf.Name("a0"))
			init = append(init, L.a0)
			L.feed[L.a0] = L.a0v
		}
		opts = append(opts, rnn.InitialState(init...))
	} else {
		opts = append(opts, rnn.DType(tf.Float64))
	}
	if c.lens != nil {
		L.seq = tf.Placeholder(tf.Int32, tf.Shape{tf.None}, tf.Name("seq"))
		l32 := make([]int32, len(c.lens))
		for i, v := range c.lens {
			l32[i] = int32(v)
		}
		L.feed[L.seq] = l32
		opts = append(opts, rnn.SequenceLength(L.seq))
	}
	L.outputs, L.state = nn.DynamicRNN(cell, L.X, opts...)
	if err := L.g.Err(); err != nil {
		t.Fatal(err)
	}
	return L
}

func TestDynamicRNNMatchesReference(t *testing.T) {
	for _, c := range loopCases {
		t.Run(c.name, func(t *testing.T) {
			L := newLoopGraph(t, c)
			sess := session.New(session.WithGraph(L.g))
			defer sess.Close()
			vals, err := sess.Run(append([]*tf.Tensor{L.outputs}, L.state...), L.feed)
			if err != nil {
				t.Fatal(err)
			}
			out, h, a := ref(L.x3, L.wx, L.wh, L.bv, L.h0v, L.a0v, c.lens, c.acc)
			want := out
			if c.timeMajor {
				want = transpose01(out)
			}
			if ok, msg := tftest.AllClose(vals[0].Float64s(), flat3(want), 1e-12, 1e-12); !ok {
				t.Errorf("outputs: %s", msg)
			}
			if ok, msg := tftest.AllClose(vals[1].Float64s(), flat(h), 1e-12, 1e-12); !ok {
				t.Errorf("final state: %s", msg)
			}
			if c.acc {
				if ok, msg := tftest.AllClose(vals[2].Float64s(), flat(a), 1e-12, 1e-12); !ok {
					t.Errorf("final state 1: %s", msg)
				}
			}
			wantShape := []int{L.B, L.T, L.N}
			if c.timeMajor {
				wantShape = []int{L.T, L.B, L.N}
			}
			if got := vals[0].Shape(); !tf.Shape(got).Equal(tf.Shape(wantShape)) {
				t.Errorf("outputs shape %v, want %v", got, wantShape)
			}
		})
	}
}

// TestDynamicRNNGradients checks DynamicRNN's gradients with central
// differences, with the batch run whole and in parts of one row each
// (split: the generic loop's goroutines).
func TestDynamicRNNGradients(t *testing.T) {
	for _, split := range []bool{false, true} {
		if split {
			defer nn.SetMinPartRows(1)()
		}
		testDynamicRNNGradients(t, split)
	}
}

func testDynamicRNNGradients(t *testing.T, split bool) {
	for _, c := range loopCases {
		name := c.name
		if split {
			name += "_split"
		}
		t.Run(name, func(t *testing.T) {
			L := newLoopGraph(t, c)
			restore := L.g.AsDefault()
			// A loss that weighs every output and state element differently.
			r := rand.New(rand.NewSource(2))
			wo := rand3(r, L.B, L.T, L.N)
			if c.timeMajor {
				wo = transpose01(wo)
			}
			loss := tf.ReduceSum(tf.Mul(L.outputs, tf.Constant(wo, tf.Float64)))
			for _, s := range L.state {
				loss = tf.Add(loss, tf.ReduceSum(tf.Mul(s, tf.Constant(randMat(r, L.B, L.N), tf.Float64))))
			}
			restore()
			xs := []*tf.Tensor{L.X, L.Wx, L.Wh, L.b}
			if c.initial {
				xs = append(xs, L.h0)
				if c.acc {
					xs = append(xs, L.a0)
				}
			}
			tftest.CheckGradients(t, L.g, loss, xs, L.feed, 1e-6, 1e-7)
		})
	}
}

// A loss on some outputs only (L7): gradients flow to the earlier steps.
func TestDynamicRNNGradientOfOneOutput(t *testing.T) {
	L := newLoopGraph(t, loopCase{name: "last"})
	restore := L.g.AsDefault()
	loss := tf.ReduceSum(tf.Square(L.state[0]))
	restore()
	tftest.CheckGradients(t, L.g, loss, []*tf.Tensor{L.X, L.Wx, L.Wh, L.b}, L.feed, 1e-6, 1e-7)
}

func TestDynamicRNNTimeMayDifferBetweenRuns(t *testing.T) {
	L := newLoopGraph(t, loopCase{name: "none"})
	sess := session.New(session.WithGraph(L.g))
	defer sess.Close()
	r := rand.New(rand.NewSource(3))
	for _, T := range []int{1, 5, 2} {
		x := rand3(r, 2, T, L.I)
		L.feed[L.X] = x
		vals, err := sess.Run([]*tf.Tensor{L.outputs, L.state[0]}, L.feed)
		if err != nil {
			t.Fatalf("T=%d: %v", T, err)
		}
		out, h, _ := ref(x, L.wx, L.wh, L.bv, L.h0v[:2], L.a0v[:2], nil, false)
		if ok, msg := tftest.AllClose(vals[0].Float64s(), flat3(out), 1e-12, 1e-12); !ok {
			t.Errorf("T=%d outputs: %s", T, msg)
		}
		if ok, msg := tftest.AllClose(vals[1].Float64s(), flat(h), 1e-12, 1e-12); !ok {
			t.Errorf("T=%d state: %s", T, msg)
		}
	}
}
