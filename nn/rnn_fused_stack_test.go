package nn_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// stackCase is DynamicRNN on an LSTM, GRU or MultiRNNCell the fused stack
// op runs.
type stackCase struct {
	name      string
	cell      func() rnncell.Cell
	dtype     tf.DType
	B, T, I   int
	timeMajor bool
	lens      []int32
	initState bool // feed the initial state (else zeros from DType)
}

func lstm(n int, opts ...rnncell.Option) func() rnncell.Cell {
	return func() rnncell.Cell { return rnncell.NewLSTMCell(n, opts...) }
}

func multi(cells ...func() rnncell.Cell) func() rnncell.Cell {
	return func() rnncell.Cell {
		list := make([]rnncell.Cell, len(cells))
		for i, c := range cells {
			list[i] = c()
		}
		return rnncell.NewMultiRNNCell(list)
	}
}

var (
	basicLSTM = func() rnncell.Cell { return rnncell.NewBasicLSTMCell(4) }
	gru       = func() rnncell.Cell { return rnncell.NewGRUCell(4) }
	reluRNN   = func() rnncell.Cell { return rnncell.NewBasicRNNCell(3, rnncell.Activation(tf.Relu)) }
)

var stackCases = []stackCase{
	{name: "BasicLSTMCell", cell: basicLSTM, dtype: tf.Float64, B: 3, T: 4, I: 2},
	{name: "BasicLSTMCell lengths", cell: basicLSTM, dtype: tf.Float64, B: 4, T: 5, I: 2, lens: []int32{5, 0, 2, 3}, initState: true},
	{name: "BasicLSTMCell forget bias time major", cell: func() rnncell.Cell { return rnncell.NewBasicLSTMCell(3, rnncell.ForgetBias(0.3)) },
		dtype: tf.Float64, B: 3, T: 4, I: 2, timeMajor: true, lens: []int32{1, 4, 2}, initState: true},
	{name: "LSTMCell peepholes", cell: lstm(4, rnncell.UsePeepholes(true)), dtype: tf.Float64, B: 3, T: 4, I: 2, lens: []int32{4, 2, 3}, initState: true},
	{name: "LSTMCell clip", cell: lstm(4, rnncell.UsePeepholes(true), rnncell.CellClip(0.5)), dtype: tf.Float64, B: 3, T: 4, I: 2, initState: true},
	{name: "LSTMCell projection", cell: lstm(4, rnncell.NumProj(3), rnncell.ProjClip(0.4)), dtype: tf.Float64, B: 3, T: 4, I: 2, lens: []int32{3, 4, 1}, initState: true},
	{name: "LSTMCell all", cell: lstm(5, rnncell.UsePeepholes(true), rnncell.CellClip(0.7), rnncell.NumProj(3), rnncell.ForgetBias(0.5)),
		dtype: tf.Float64, B: 3, T: 4, I: 2, lens: []int32{3, 0, 4}, initState: true},
	{name: "GRUCell", cell: gru, dtype: tf.Float64, B: 3, T: 4, I: 2},
	{name: "GRUCell lengths", cell: gru, dtype: tf.Float64, B: 4, T: 5, I: 2, lens: []int32{5, 0, 2, 3}, initState: true},
	{name: "MultiRNNCell LSTM", cell: multi(basicLSTM, basicLSTM, basicLSTM), dtype: tf.Float64, B: 3, T: 4, I: 2, lens: []int32{4, 1, 3}},
	{name: "MultiRNNCell ReLU", cell: multi(reluRNN, reluRNN, reluRNN), dtype: tf.Float64, B: 3, T: 4, I: 2, lens: []int32{4, 0, 2}, initState: true},
	{name: "MultiRNNCell mixed", cell: multi(lstm(4, rnncell.NumProj(3), rnncell.UsePeepholes(true)), gru, reluRNN),
		dtype: tf.Float64, B: 3, T: 4, I: 2, timeMajor: true, lens: []int32{2, 4, 3}, initState: true},
	{name: "float32 MultiRNNCell", cell: multi(basicLSTM, gru), dtype: tf.Float32, B: 3, T: 4, I: 2, lens: []int32{4, 2, 3}, initState: true},
	{name: "LSTMBlockCell peephole clip", cell: func() rnncell.Cell {
		return rnncell.NewLSTMBlockCell(4, rnncell.UsePeephole(true), rnncell.CellClip(0.5), rnncell.ForgetBias(0.3))
	}, dtype: tf.Float64, B: 3, T: 4, I: 2, lens: []int32{4, 2, 3}, initState: true},
	{name: "MultiRNNCell GRUBlockCell, GRUBlockCellV2, LSTMBlockCell", cell: multi(
		func() rnncell.Cell { return rnncell.NewGRUBlockCell(3) }, func() rnncell.Cell { return rnncell.NewGRUBlockCellV2(4) },
		func() rnncell.Cell { return rnncell.NewLSTMBlockCell(2) }), dtype: tf.Float64, B: 3, T: 4, I: 2, lens: []int32{2, 4, 0}, initState: true},
}

// stackModel is DynamicRNN on a stack case's cell with a loss mixing its
// outputs and every final state tensor with fixed random weights.
type stackModel struct {
	g        *tf.Graph
	X        *tf.Tensor
	init     []*tf.Tensor // placeholders of the initial state (initState)
	outs     *tf.Tensor
	final    []*tf.Tensor
	loss     *tf.Tensor
	vars     []*tf.Variable
	grads    []*tf.Tensor // of X, the initial state, the variables
	loopType string
	sess     *session.Session
	feed     session.Feed
	values   [][]float64 // the variables' values
}

func buildStackModel(t *testing.T, tc stackCase, generic bool) *stackModel {
	t.Helper()
	defer nn.SetGenericOnly(generic)()
	m := &stackModel{g: tf.NewGraph()}
	defer m.g.AsDefault()()
	r := rand.New(rand.NewSource(9))
	xShape := tf.Shape{tc.B, tc.T, tc.I}
	if tc.timeMajor {
		xShape = tf.Shape{tc.T, tc.B, tc.I}
	}
	m.X = tf.Placeholder(tc.dtype, tf.Shape{tf.None, tf.None, tc.I}, tf.Name("X"))
	cell := tc.cell()
	opts := []rnncell.Option{rnncell.TimeMajor(tc.timeMajor)}
	if tc.initState {
		for i, n := range cell.StateSize() {
			m.init = append(m.init, tf.Placeholder(tc.dtype, tf.Shape{tf.None, n}, tf.Name(fmt.Sprint("s", i))))
		}
		opts = append(opts, rnncell.InitialState(m.init...))
	} else {
		opts = append(opts, rnncell.DType(tc.dtype))
	}
	if tc.lens != nil {
		opts = append(opts, rnncell.SequenceLength(tf.Constant(tc.lens, tf.Int32)))
	}
	m.outs, m.final = nn.DynamicRNN(cell, m.X, opts...)
	if err := m.outs.Err(); err != nil {
		t.Fatal(err)
	}
	H := cell.OutputSize()
	w := randVals(r, shapeSize(xShape)/tc.I*H)
	loss := tf.ReduceSum(tf.Mul(m.outs, tf.Reshape(tf.Constant(w, tc.dtype), []int{xShape[0], xShape[1], H})))
	for i, s := range m.final {
		n := cell.StateSize()[i]
		ws := randVals(r, tc.B*n)
		loss = tf.Add(loss, tf.ReduceSum(tf.Mul(tf.Square(s), tf.Reshape(tf.Constant(ws, tc.dtype), []int{tc.B, n}))))
	}
	m.loss = loss
	m.vars, m.grads = gradientsByAll(t, m.g, loss, m.X, m.init)
	m.loopType = lastLoopOp(m.g)
	// The same values for both paths.
	m.sess, m.values = randomSession(t, m.g, m.vars, r, tc.dtype)
	m.feed = session.Feed{m.X: tensorOf(randVals(r, shapeSize(xShape)), tc.dtype, xShape...)}
	for i, p := range m.init {
		n := cell.StateSize()[i]
		m.feed[p] = tensorOf(randVals(r, tc.B*n), tc.dtype, tc.B, n)
	}
	return m
}

func (m *stackModel) run(t *testing.T) [][]float64 {
	t.Helper()
	return runFloat64s(t, m.sess, append(append([]*tf.Tensor{m.outs, m.loss}, m.final...), m.grads...), m.feed)
}

// TestDynamicRNNStackCellsMatchGeneric checks the fused stack op against
// the generic loop (the cell's step graph run once per step) on the same
// weights: outputs, loss, final states and every gradient.
func TestDynamicRNNStackCellsMatchGeneric(t *testing.T) {
	for _, tc := range stackCases {
		t.Run(tc.name, func(t *testing.T) {
			f := buildStackModel(t, tc, false)
			defer f.sess.Close()
			g := buildStackModel(t, tc, true)
			defer g.sess.Close()
			if f.loopType != "DynamicRNNStack" || g.loopType != "DynamicRNNLoop" {
				t.Fatalf("loop ops %q and %q, want DynamicRNNStack and DynamicRNNLoop", f.loopType, g.loopType)
			}
			checkFetchesClose(t, tc.dtype, f.run(t), g.run(t), 1e-6, 1e-4, fetchNumber, "fused vs generic")
		})
	}
}

// TestDynamicRNNStackCellsGradients checks the fused stack op's gradients
// by central differences: of the inputs and initial state with
// tftest.CheckGradients, of the variables by loading perturbed values.
// The user-written splitCell (generic loop, W_h's gradient deferred) is
// checked alike.
func TestDynamicRNNStackCellsGradients(t *testing.T) {
	for _, tc := range append(append([]stackCase(nil), stackCases...), splitCases...) {
		if tc.dtype != tf.Float64 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			m := buildStackModel(t, tc, false)
			defer m.sess.Close()
			xs := append([]*tf.Tensor{m.X}, m.init...)
			tftest.CheckGradients(t, m.g, m.loss, xs, m.feed, 1e-6, 1e-6)
			vals := m.run(t)
			first := 2 + len(m.final) + len(xs)
			for vi, v := range m.vars {
				rnntest.CheckVariableGradient(t, m.sess, m.loss, m.feed, v, m.values[vi], vals[first+vi], tc.dtype, nil, 1e-6, 1e-6)
			}
		})
	}
}

// TestDynamicRNNStackOnlyStandardCells checks that cells the stack kernels
// do not compute get the generic loop: another activation, a wrapped
// cell, a stack holding one.
func TestDynamicRNNStackOnlyStandardCells(t *testing.T) {
	for _, c := range []struct {
		name string
		cell func() rnncell.Cell
	}{
		{"LSTM relu", func() rnncell.Cell { return rnncell.NewBasicLSTMCell(3, rnncell.Activation(tf.Relu)) }},
		{"GRU sigmoid", func() rnncell.Cell { return rnncell.NewGRUCell(3, rnncell.Activation(tf.Sigmoid)) }},
		{"dropout", func() rnncell.Cell { return rnncell.NewDropoutWrapper(rnncell.NewGRUCell(3)) }},
		{"stack with a wrapper", multi(basicLSTM, func() rnncell.Cell {
			return rnncell.NewOutputProjectionWrapper(rnncell.NewBasicLSTMCell(3), 2)
		})},
	} {
		g := tf.NewGraph()
		restore := g.AsDefault()
		X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3, 2})
		nn.DynamicRNN(c.cell(), X, rnncell.DType(tf.Float64))
		restore()
		for _, op := range g.Operations() {
			if op.Type() == "DynamicRNNStack" || op.Type() == "DynamicRNNFused" {
				t.Errorf("%s got the fused loop", c.name)
			}
		}
	}
}
