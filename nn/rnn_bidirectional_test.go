package nn_test

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// An independent float64 reference of TF's bidirectional_dynamic_rnn: the
// cells' formulas (rnntest's, from TF's rnn_cell_impl), the forward loop
// over each sequence's valid prefix, the backward loop over the same
// prefix from its last step down, zero outputs past the length.

// refCell is one step of a cell: output and new state from input and state.
type refCell struct {
	sizes []int
	step  func(x []float64, s [][]float64) ([]float64, [][]float64)
}

// refVars are the variables' values by name.
type refVars = rnntest.Weights

// refBasicRNNCell, refBasicLSTMCell and refGRUCell are rnntest's
// references of TF's BasicRNNCell (tanh), BasicLSTMCell (forget bias 1) and
// GRUCell, with their variables under scope.
func refBasicRNNCell(v refVars, scope string, n int) refCell {
	return refCell{[]int{n}, rnntest.BasicRNN(v, scope+"/basic_rnn_cell", n, math.Tanh)}
}

func refBasicLSTMCell(v refVars, scope string, n int) refCell {
	return refCell{[]int{n, n}, rnntest.BasicLSTM(v, scope+"/basic_lstm_cell", n, 1, false)}
}

func refGRUCell(v refVars, scope string, n int) refCell {
	return refCell{[]int{n}, rnntest.GRU(v, scope+"/gru_cell", n)}
}

// refBidirectional runs fw and bw over x (x[b][t] the input of sequence b
// at step t) with lengths lens (nil: all T) from the initial states init
// (init[b] per state tensor), and returns outputs [dir][b][t] and final
// states [dir][k][b].
func refBidirectional(fw, bw refCell, x [][][]float64, lens []int, initFw, initBw [][][]float64) (outs [2][][][]float64, final [2][][][]float64) {
	B, T := len(x), len(x[0])
	for d, c := range []refCell{fw, bw} {
		init := [][][][]float64{initFw, initBw}[d]
		outs[d] = make([][][]float64, B)
		final[d] = make([][][]float64, len(c.sizes))
		for k := range final[d] {
			final[d][k] = make([][]float64, B)
		}
		for b := 0; b < B; b++ {
			L := T
			if lens != nil {
				L = lens[b]
			}
			s := make([][]float64, len(c.sizes))
			for k, n := range c.sizes {
				s[k] = make([]float64, n)
				if init != nil {
					s[k] = init[k][b]
				}
			}
			outs[d][b] = make([][]float64, T)
			for t := range outs[d][b] {
				outs[d][b][t] = make([]float64, outSize(c))
			}
			for i := 0; i < L; i++ {
				t := i
				if d == 1 {
					t = L - 1 - i
				}
				y, ns := c.step(x[b][t], s)
				outs[d][b][t] = y
				s = ns
			}
			for k := range s {
				final[d][k][b] = s[k]
			}
		}
	}
	return outs, final
}

// outSize is a reference cell's output size: its last state's (h).
func outSize(c refCell) int { return c.sizes[len(c.sizes)-1] }

type bidiCase struct {
	name      string
	fw, bw    func() rnncell.Cell
	fwRef     func(refVars, string) refCell
	bwRef     func(refVars, string) refCell
	dtype     tf.DType
	B, T, I   int
	timeMajor bool
	lens      []int // nil: no SequenceLength
	lens64    bool
	initState bool
	loops     []string // the loop ops' types, forward then backward
}

func bidiLSTM(v refVars, s string) refCell  { return refBasicLSTMCell(v, s, 4) }
func bidiGRU(v refVars, s string) refCell   { return refGRUCell(v, s, 3) }
func bidiBasic(v refVars, s string) refCell { return refBasicRNNCell(v, s, 3) }

var (
	newLSTM4  = func() rnncell.Cell { return rnncell.NewBasicLSTMCell(4) }
	newGRU3   = func() rnncell.Cell { return rnncell.NewGRUCell(3) }
	newBasic3 = func() rnncell.Cell { return rnncell.NewBasicRNNCell(3) }
)

var bidiCases = []bidiCase{
	{name: "LSTM fw GRU bw lengths", fw: newLSTM4, bw: newGRU3, fwRef: bidiLSTM, bwRef: bidiGRU, dtype: tf.Float64,
		B: 4, T: 5, I: 2, lens: []int{5, 0, 2, 3}, loops: []string{"DynamicRNNStack", "DynamicRNNStack"}},
	{name: "LSTM both no lengths", fw: newLSTM4, bw: newLSTM4, fwRef: bidiLSTM, bwRef: bidiLSTM, dtype: tf.Float64,
		B: 3, T: 4, I: 3, loops: []string{"DynamicRNNStack", "DynamicRNNStack"}},
	{name: "BasicRNN time major int64 lengths initial states", fw: newBasic3, bw: newBasic3, fwRef: bidiBasic, bwRef: bidiBasic,
		dtype: tf.Float64, B: 3, T: 4, I: 2, timeMajor: true, lens: []int{1, 4, 3}, lens64: true, initState: true,
		loops: []string{"DynamicRNNFused", "DynamicRNNFused"}},
	{name: "GRU fw LSTM bw time major initial states", fw: newGRU3, bw: newLSTM4, fwRef: bidiGRU, bwRef: bidiLSTM, dtype: tf.Float64,
		B: 2, T: 3, I: 2, timeMajor: true, initState: true, loops: []string{"DynamicRNNStack", "DynamicRNNStack"}},
	{name: "float32 LSTM fw BasicRNN bw lengths", fw: newLSTM4, bw: newBasic3, fwRef: bidiLSTM, bwRef: bidiBasic, dtype: tf.Float32,
		B: 4, T: 6, I: 3, lens: []int{6, 1, 0, 4}, initState: true, loops: []string{"DynamicRNNStack", "DynamicRNNFused"}},
	{name: "float32 GRU both", fw: newGRU3, bw: newGRU3, fwRef: bidiGRU, bwRef: bidiGRU, dtype: tf.Float32,
		B: 2, T: 5, I: 2, lens: []int{3, 5}, loops: []string{"DynamicRNNStack", "DynamicRNNStack"}},
}

// bidiModel is BidirectionalDynamicRNN on a case's cells with a loss
// mixing both outputs and every final state with fixed random weights.
type bidiModel struct {
	g          *tf.Graph
	X          *tf.Tensor
	initFw     []*tf.Tensor
	initBw     []*tf.Tensor
	outs       []*tf.Tensor
	states     [][]*tf.Tensor
	loss       *tf.Tensor
	vars       []*tf.Variable
	grads      []*tf.Tensor
	sess       *session.Session
	feed       session.Feed
	values     refVars
	x          [][][]float64 // x[b][t]
	iFw, iBw   [][][]float64 // initial states [k][b]
	loopTypes  []string
	cellFw     rnncell.Cell
	cellBw     rnncell.Cell
	lensTensor *tf.Tensor
}

func buildBidiModel(t *testing.T, tc bidiCase, generic bool) *bidiModel {
	t.Helper()
	defer nn.SetGenericOnly(generic)()
	m := &bidiModel{g: tf.NewGraph(), values: refVars{}}
	defer m.g.AsDefault()()
	r := rand.New(rand.NewSource(17))
	m.X = tf.Placeholder(tc.dtype, tf.Shape{tf.None, tf.None, tc.I}, tf.Name("X"))
	m.cellFw, m.cellBw = tc.fw(), tc.bw()
	opts := []rnncell.Option{rnncell.TimeMajor(tc.timeMajor)}
	if tc.initState {
		for i, n := range m.cellFw.StateSize() {
			m.initFw = append(m.initFw, tf.Placeholder(tc.dtype, tf.Shape{tf.None, n}, tf.Name(fmt.Sprint("fw", i))))
		}
		for i, n := range m.cellBw.StateSize() {
			m.initBw = append(m.initBw, tf.Placeholder(tc.dtype, tf.Shape{tf.None, n}, tf.Name(fmt.Sprint("bw", i))))
		}
		opts = append(opts, rnncell.InitialStateFw(m.initFw...), rnncell.InitialStateBw(m.initBw...))
	} else {
		opts = append(opts, rnncell.DType(tc.dtype))
	}
	if tc.lens != nil {
		if tc.lens64 {
			l := make([]int64, len(tc.lens))
			for i, v := range tc.lens {
				l[i] = int64(v)
			}
			m.lensTensor = tf.Constant(l, tf.Int64)
		} else {
			m.lensTensor = tf.Placeholder(tf.Int32, tf.Shape{tf.None}, tf.Name("lens"))
		}
		opts = append(opts, rnncell.SequenceLength(m.lensTensor))
	}
	m.outs, m.states = nn.BidirectionalDynamicRNN(m.cellFw, m.cellBw, m.X, opts...)
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	B, T := tc.B, tc.T
	loss := tf.Constant(0.0, tc.dtype)
	for d, o := range m.outs {
		H := []rncell{m.cellFw, m.cellBw}[d].OutputSize()
		sh := []int{B, T, H}
		if tc.timeMajor {
			sh = []int{T, B, H}
		}
		loss = tf.Add(loss, tf.ReduceSum(tf.Mul(o, tf.Reshape(tf.Constant(randVals(r, B*T*H), tc.dtype), sh))))
	}
	for d, st := range m.states {
		for i, s := range st {
			n := []rncell{m.cellFw, m.cellBw}[d].StateSize()[i]
			loss = tf.Add(loss, tf.ReduceSum(tf.Mul(tf.Square(s), tf.Reshape(tf.Constant(randVals(r, B*n), tc.dtype), []int{B, n}))))
		}
	}
	m.loss = loss
	m.vars, m.grads = gradientsByAll(t, m.g, loss, m.X, append(append([]*tf.Tensor{}, m.initFw...), m.initBw...))
	m.loopTypes = loopOps(m.g)
	var values [][]float64
	m.sess, values = randomSession(t, m.g, m.vars, r, tc.dtype)
	for i, v := range m.vars {
		m.values[v.Name()] = values[i]
	}
	xv := randVals(r, B*T*tc.I)
	if tc.dtype == tf.Float32 {
		for i := range xv {
			xv[i] = float64(float32(xv[i]))
		}
	}
	m.x = make([][][]float64, B)
	for b := range m.x {
		m.x[b] = make([][]float64, T)
		for s := range m.x[b] {
			off := (b*T + s) * tc.I
			if tc.timeMajor {
				off = (s*B + b) * tc.I
			}
			m.x[b][s] = xv[off : off+tc.I]
		}
	}
	xShape := []int{B, T, tc.I}
	if tc.timeMajor {
		xShape = []int{T, B, tc.I}
	}
	m.feed = session.Feed{m.X: tensorOf(xv, tc.dtype, xShape...)}
	if tc.lens != nil && !tc.lens64 {
		l := make([]int32, len(tc.lens))
		for i, v := range tc.lens {
			l[i] = int32(v)
		}
		m.feed[m.lensTensor] = l
	}
	feedInit := func(ps []*tf.Tensor, cell rnncell.Cell) [][][]float64 {
		var out [][][]float64
		for i, p := range ps {
			n := cell.StateSize()[i]
			v := randVals(r, B*n)
			m.feed[p] = tensorOf(v, tc.dtype, B, n)
			rows := make([][]float64, B)
			for b := range rows {
				rows[b] = v[b*n : (b+1)*n]
			}
			out = append(out, rows)
		}
		return out
	}
	m.iFw, m.iBw = feedInit(m.initFw, m.cellFw), feedInit(m.initBw, m.cellBw)
	return m
}

// rncell is rnncell.Cell, short.
type rncell = rnncell.Cell

func (m *bidiModel) run(t *testing.T, extra ...*tf.Tensor) [][]float64 {
	t.Helper()
	fetches := append([]*tf.Tensor{m.outs[0], m.outs[1], m.loss}, m.states[0]...)
	fetches = append(append(append(fetches, m.states[1]...), m.grads...), extra...)
	return runFloat64s(t, m.sess, fetches, m.feed)
}

func bidiTol(dt tf.DType) float64 {
	if dt == tf.Float32 {
		return 1e-5
	}
	return 1e-12
}

func checkValues(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			t.Errorf("%s[%d] = %v, want %v (and maybe more)", what, i, got[i], want[i])
			return
		}
	}
}

// TestBidirectionalDynamicRNNMatchesReference: outputs and final states of
// both directions against the float64 reference, on the fused paths and on
// the generic loop.
func TestBidirectionalDynamicRNNMatchesReference(t *testing.T) {
	for _, tc := range bidiCases {
		for _, generic := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/generic=%v", tc.name, generic), func(t *testing.T) {
				m := buildBidiModel(t, tc, generic)
				defer m.sess.Close()
				want := tc.loops
				if generic {
					want = []string{"DynamicRNNLoop", "DynamicRNNLoop"}
				}
				if strings.Join(m.loopTypes, ",") != strings.Join(want, ",") {
					t.Errorf("loop ops %v, want %v", m.loopTypes, want)
				}
				vals := m.run(t)
				fw, bw := tc.fwRef(m.values, "bidirectional_rnn/fw"), tc.bwRef(m.values, "bidirectional_rnn/bw")
				outs, final := refBidirectional(fw, bw, m.x, tc.lens, m.iFw, m.iBw)
				tol := bidiTol(tc.dtype)
				for d := 0; d < 2; d++ {
					var flatOut []float64
					if tc.timeMajor {
						for s := 0; s < tc.T; s++ {
							for b := 0; b < tc.B; b++ {
								flatOut = append(flatOut, outs[d][b][s]...)
							}
						}
					} else {
						for b := 0; b < tc.B; b++ {
							for s := 0; s < tc.T; s++ {
								flatOut = append(flatOut, outs[d][b][s]...)
							}
						}
					}
					checkValues(t, []string{"output_fw", "output_bw"}[d], vals[d], flatOut, tol)
				}
				k := 3
				for d := 0; d < 2; d++ {
					for i := range final[d] {
						var flatState []float64
						for b := 0; b < tc.B; b++ {
							flatState = append(flatState, final[d][i][b]...)
						}
						checkValues(t, fmt.Sprintf("%s state %d", []string{"fw", "bw"}[d], i), vals[k], flatState, tol)
						k++
					}
				}
			})
		}
	}
}

// TestBidirectionalDynamicRNNGradients checks the gradients of the inputs,
// the initial states and every variable by central differences (float64).
func TestBidirectionalDynamicRNNGradients(t *testing.T) {
	for _, tc := range bidiCases {
		if tc.dtype != tf.Float64 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			m := buildBidiModel(t, tc, false)
			defer m.sess.Close()
			xs := append(append([]*tf.Tensor{m.X}, m.initFw...), m.initBw...)
			tftest.CheckGradients(t, m.g, m.loss, xs, m.feed, 1e-6, 1e-6)
			vals := m.run(t)
			first := 3 + len(m.states[0]) + len(m.states[1]) + len(xs)
			for vi, v := range m.vars {
				rnntest.CheckVariableGradient(t, m.sess, m.loss, m.feed, v, m.values[v.Name()], vals[first+vi], tc.dtype, nil, 1e-6, 1e-6)
			}
		})
	}
}

// TestBidirectionalVariableNames: TF's names, for each entry point.
func TestBidirectionalVariableNames(t *testing.T) {
	names := rnntest.VariableNames
	g := tf.NewGraph()
	restore := g.AsDefault()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 5, 3})
	nn.BidirectionalDynamicRNN(rnncell.NewBasicLSTMCell(4), rnncell.NewGRUCell(2), X, rnncell.DType(tf.Float32))
	restore()
	want := "bidirectional_rnn/bw/gru_cell/candidate/bias bidirectional_rnn/bw/gru_cell/candidate/kernel " +
		"bidirectional_rnn/bw/gru_cell/gates/bias bidirectional_rnn/bw/gru_cell/gates/kernel " +
		"bidirectional_rnn/fw/basic_lstm_cell/bias bidirectional_rnn/fw/basic_lstm_cell/kernel"
	if got := names(g); got != want {
		t.Errorf("BidirectionalDynamicRNN variables:\n got  %s\n want %s", got, want)
	}

	g = tf.NewGraph()
	restore = g.AsDefault()
	steps := tf.Unstack(tf.Placeholder(tf.Float32, tf.Shape{3, tf.None, 2}), 0)
	nn.StaticBidirectionalRNN(rnncell.NewBasicRNNCell(4), rnncell.NewBasicRNNCell(4), steps, rnncell.DType(tf.Float32), rnncell.Scope("birnn"))
	restore()
	want = "birnn/bw/basic_rnn_cell/bias birnn/bw/basic_rnn_cell/kernel birnn/fw/basic_rnn_cell/bias birnn/fw/basic_rnn_cell/kernel"
	if got := names(g); got != want {
		t.Errorf("StaticBidirectionalRNN variables:\n got  %s\n want %s", got, want)
	}
	if err := g.Err(); err != nil {
		t.Error(err)
	}
}

// TestStaticBidirectionalMatchesDynamic: static_bidirectional_rnn on the
// unstacked inputs, with the same cells (so the same variables), gives the
// dynamic outputs concatenated along depth and the same states.
func TestStaticBidirectionalMatchesDynamic(t *testing.T) {
	for _, tc := range bidiCases {
		if tc.timeMajor {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			m := buildBidiModel(t, tc, false)
			defer m.sess.Close()
			restore := m.g.AsDefault()
			steps := tf.Unstack(tf.Transpose(m.X, []int{1, 0, 2}), 0, tf.Num(tc.T))
			opts := []rnncell.Option{rnncell.Scope("static")}
			if tc.initState {
				opts = append(opts, rnncell.InitialStateFw(m.initFw...), rnncell.InitialStateBw(m.initBw...))
			} else {
				opts = append(opts, rnncell.DType(tc.dtype))
			}
			if tc.lens != nil {
				opts = append(opts, rnncell.SequenceLength(m.lensTensor))
			}
			outs, stFw, stBw := nn.StaticBidirectionalRNN(m.cellFw, m.cellBw, steps, opts...)
			restore()
			if err := m.g.Err(); err != nil {
				t.Fatal(err)
			}
			if len(outs) != tc.T {
				t.Fatalf("%d outputs, want %d", len(outs), tc.T)
			}
			static := tf.Transpose(tf.Stack(outs, 0), []int{1, 0, 2})
			dynamic := tf.Concat(m.outs, 2)
			fetches := append([]*tf.Tensor{static, dynamic}, append(append(append([]*tf.Tensor{}, stFw...), stBw...), append(m.states[0], m.states[1]...)...)...)
			vals, err := m.sess.Run(fetches, m.feed)
			if err != nil {
				t.Fatal(err)
			}
			tol := bidiTol(tc.dtype)
			checkValues(t, "static outputs", vals[0].Float64s(), vals[1].Float64s(), tol)
			n := len(stFw) + len(stBw)
			for i := 0; i < n; i++ {
				checkValues(t, fmt.Sprintf("state %d", i), vals[2+i].Float64s(), vals[2+n+i].Float64s(), tol)
			}
		})
	}
}

// TestStaticBidirectionalRNNGradients: central differences through
// static_bidirectional_rnn with sequence_length.
func TestStaticBidirectionalRNNGradients(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	r := rand.New(rand.NewSource(3))
	X := tf.Placeholder(tf.Float64, tf.Shape{4, 3, 2})
	h0 := tf.Placeholder(tf.Float64, tf.Shape{3, 2})
	steps := tf.Unstack(X, 0)
	lens := tf.Constant([]int32{4, 0, 2}, tf.Int32)
	outs, stFw, stBw := nn.StaticBidirectionalRNN(rnncell.NewGRUCell(2), rnncell.NewBasicLSTMCell(3), steps,
		rnncell.SequenceLength(lens), rnncell.InitialStateFw(h0), rnncell.DType(tf.Float64))
	loss := tf.ReduceSum(tf.Mul(tf.Stack(outs, 0), tf.Constant(tensorOf(randVals(r, 4*3*5), tf.Float64, 4, 3, 5), tf.Float64)))
	for _, s := range append(stFw, stBw...) {
		loss = tf.Add(loss, tf.ReduceSum(tf.Square(s)))
	}
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	feed := session.Feed{X: tensorOf(randVals(r, 24), tf.Float64, 4, 3, 2), h0: tensorOf(randVals(r, 6), tf.Float64, 3, 2)}
	tftest.CheckGradients(t, g, loss, []*tf.Tensor{X, h0}, feed, 1e-6, 1e-6)
}

func TestBidirectionalErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4, 3})
	lstm := func() rnncell.Cell { return rnncell.NewBasicLSTMCell(2) }
	cases := []struct {
		name  string
		build func() *tf.Tensor
		want  []string
	}{
		{"nil cell_fw", func() *tf.Tensor {
			o, _ := nn.BidirectionalDynamicRNN(nil, lstm(), X, rnncell.DType(tf.Float32))
			return o[0]
		}, []string{"nn.BidirectionalDynamicRNN at rnn_bidirectional_test.go:", "cell_fw is nil"}},
		{"no dtype", func() *tf.Tensor {
			o, _ := nn.BidirectionalDynamicRNN(lstm(), lstm(), X)
			return o[1]
		}, []string{"nn.BidirectionalDynamicRNN at rnn_bidirectional_test.go:", "forward direction", "you must give a dtype"}},
		{"initial_state", func() *tf.Tensor {
			o, _ := nn.BidirectionalDynamicRNN(lstm(), lstm(), X, rnncell.InitialState(nil))
			return o[0]
		}, []string{"nn.BidirectionalDynamicRNN", "initial_state"}},
		{"bad bw initial state", func() *tf.Tensor {
			_, s := nn.BidirectionalDynamicRNN(lstm(), lstm(), X, rnncell.DType(tf.Float32), rnncell.InitialStateBw(tf.Zeros(tf.Shape{2, 2}, tf.Float32)))
			return s[1][0]
		}, []string{"backward direction", "initial state has 1 tensors, the cell's state has 2"}},
		{"rank 2 inputs", func() *tf.Tensor {
			o, _ := nn.BidirectionalDynamicRNN(lstm(), lstm(), tf.Placeholder(tf.Float32, tf.Shape{2, 3}), rnncell.DType(tf.Float32))
			return o[0]
		}, []string{"inputs", "want rank 3"}},
		{"static empty", func() *tf.Tensor {
			o, _, _ := nn.StaticBidirectionalRNN(lstm(), lstm(), nil, rnncell.DType(tf.Float32))
			return o[0]
		}, []string{"nn.StaticBidirectionalRNN at rnn_bidirectional_test.go:", "inputs must not be empty"}},
		{"static time major", func() *tf.Tensor {
			_, s, _ := nn.StaticBidirectionalRNN(lstm(), lstm(), tf.Unstack(X, 1), rnncell.TimeMajor(true))
			return s[0]
		}, []string{"nn.StaticBidirectionalRNN", "time_major"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.build().Err()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}

	// A length longer than the time axis: an error at Run time, and the
	// session still works.
	g = tf.NewGraph()
	defer g.AsDefault()()
	X = tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None, 2})
	lens := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	outs, _ := nn.BidirectionalDynamicRNN(rnncell.NewGRUCell(2), rnncell.NewGRUCell(2), X, rnncell.DType(tf.Float32), rnncell.SequenceLength(lens))
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	x := [][][]float32{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}
	_, err := sess.Run(outs, session.Feed{X: x, lens: []int32{2, 3}})
	if err == nil || !strings.Contains(err.Error(), "sequence_length[1] = 3") && !strings.Contains(err.Error(), "seq_lengths[1] = 3") {
		t.Errorf("length 3 of 2 steps: error %v, want one naming the length", err)
	}
	if _, err := sess.Run(outs, session.Feed{X: x, lens: []int32{2, 1}}); err != nil {
		t.Errorf("after the error: %v", err)
	}
}
