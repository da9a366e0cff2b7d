package nn_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// fusedCase is one configuration of DynamicRNN on a BasicRNNCell.
type fusedCase struct {
	name      string
	dtype     tf.DType
	act       rnn.ActivationFunc
	B, T, I   int
	U         int
	timeMajor bool
	lens      []int32 // nil: no sequence_length
	initState bool    // feed an initial state
	useOuts   bool    // the loss reads the outputs
	useFinal  bool    // the loss reads the final state
}

var fusedCases = []fusedCase{
	{name: "tanh", dtype: tf.Float64, act: tf.Tanh, B: 3, T: 4, I: 2, U: 5, useOuts: true, useFinal: true},
	{name: "relu", dtype: tf.Float64, act: tf.Relu, B: 3, T: 4, I: 2, U: 5, useOuts: true, useFinal: true},
	{name: "nn.Relu", dtype: tf.Float64, act: nn.Relu, B: 2, T: 3, I: 3, U: 4, useOuts: true},
	{name: "nn.Tanh final only", dtype: tf.Float64, act: nn.Tanh, B: 2, T: 3, I: 3, U: 4, useFinal: true},
	{name: "time major", dtype: tf.Float64, act: tf.Tanh, B: 3, T: 4, I: 2, U: 3, timeMajor: true, useOuts: true, useFinal: true},
	{name: "lengths", dtype: tf.Float64, act: tf.Tanh, B: 4, T: 5, I: 2, U: 3, lens: []int32{5, 0, 2, 3}, useOuts: true, useFinal: true},
	{name: "lengths time major relu", dtype: tf.Float64, act: tf.Relu, B: 3, T: 4, I: 2, U: 3, timeMajor: true, lens: []int32{1, 4, 0}, useOuts: true, useFinal: true},
	{name: "initial state", dtype: tf.Float64, act: tf.Tanh, B: 2, T: 3, I: 2, U: 3, initState: true, lens: []int32{3, 1}, useOuts: true, useFinal: true},
	{name: "batch 1", dtype: tf.Float64, act: tf.Tanh, B: 1, T: 3, I: 2, U: 3, useOuts: true, useFinal: true},
	{name: "float32", dtype: tf.Float32, act: tf.Tanh, B: 3, T: 4, I: 2, U: 5, lens: []int32{4, 2, 0}, useOuts: true, useFinal: true},
}

// fusedModel is DynamicRNN on a BasicRNNCell with a loss mixing its outputs
// and final state with fixed random weights.
type fusedModel struct {
	g            *tf.Graph
	X, H0        *tf.Tensor
	cell         *rnn.BasicRNNCell
	outs, final  *tf.Tensor
	loss         *tf.Tensor
	grads        []*tf.Tensor // of X, [H0,] kernel, bias
	loopType     string
	sess         *session.Session
	feed         session.Feed
	kernel, bias []float64
}

func buildFusedModel(t *testing.T, tc fusedCase, generic bool) *fusedModel {
	t.Helper()
	defer nn.SetGenericOnly(generic)()
	m := &fusedModel{g: tf.NewGraph()}
	defer m.g.AsDefault()()
	r := rand.New(rand.NewSource(7))
	xShape := tf.Shape{tc.B, tc.T, tc.I}
	if tc.timeMajor {
		xShape = tf.Shape{tc.T, tc.B, tc.I}
	}
	m.X = tf.Placeholder(tc.dtype, tf.Shape{tf.None, tf.None, tc.I}, tf.Name("X"))
	m.cell = rnn.NewBasicRNNCell(tc.U, rnn.Activation(tc.act))
	opts := []rnn.Option{rnn.TimeMajor(tc.timeMajor)}
	if tc.initState {
		m.H0 = tf.Placeholder(tc.dtype, tf.Shape{tf.None, tc.U}, tf.Name("h0"))
		opts = append(opts, rnn.InitialState(m.H0))
	} else {
		opts = append(opts, rnn.DType(tc.dtype))
	}
	if tc.lens != nil {
		opts = append(opts, rnn.SequenceLength(tf.Constant(tc.lens, tf.Int32)))
	}
	outs, state := nn.DynamicRNN(m.cell, m.X, opts...)
	m.outs, m.final = outs, state[0]
	loss := tf.Constant(0.0, tc.dtype)
	if tc.useOuts {
		w := randVals(r, shapeSize(xShape)/tc.I*tc.U)
		loss = tf.Add(loss, tf.ReduceSum(tf.Mul(outs, tf.Reshape(tf.Constant(w, tc.dtype), []int{xShape[0], xShape[1], tc.U}))))
	}
	if tc.useFinal {
		w := randVals(r, tc.B*tc.U)
		loss = tf.Add(loss, tf.ReduceSum(tf.Mul(tf.Square(state[0]), tf.Reshape(tf.Constant(w, tc.dtype), []int{tc.B, tc.U}))))
	}
	m.loss = loss
	xs := []any{m.X}
	if tc.initState {
		xs = append(xs, m.H0)
	}
	xs = append(xs, m.cell.Kernel(), m.cell.Bias())
	grads, err := tf.Gradients([]*tf.Tensor{loss}, xs)
	if err != nil {
		t.Fatal(err)
	}
	m.grads = grads
	m.loopType = lastLoopOp(m.g)
	init := tf.GlobalVariablesInitializer()
	m.sess = session.New(session.WithGraph(m.g))
	m.sess.MustRun(init, nil)
	// The same weights for both paths, large enough for relu to cut.
	m.kernel = randVals(r, (tc.I+tc.U)*tc.U)
	m.bias = randVals(r, tc.U)
	if err := m.sess.LoadVariable(m.cell.Kernel(), tensorOf(m.kernel, tc.dtype, tc.I+tc.U, tc.U)); err != nil {
		t.Fatal(err)
	}
	if err := m.sess.LoadVariable(m.cell.Bias(), tensorOf(m.bias, tc.dtype, tc.U)); err != nil {
		t.Fatal(err)
	}
	m.feed = session.Feed{m.X: tensorOf(randVals(r, shapeSize(xShape)), tc.dtype, xShape...)}
	if tc.initState {
		m.feed[m.H0] = tensorOf(randVals(r, tc.B*tc.U), tc.dtype, tc.B, tc.U)
	}
	return m
}

func shapeSize(s tf.Shape) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

func randVals(r *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64() * 0.7
	}
	return v
}

// gradientsByAll returns g's trainable variables and the gradients of loss
// by x, by each of inits, then by each variable.
func gradientsByAll(t *testing.T, g *tf.Graph, loss, x *tf.Tensor, inits []*tf.Tensor) ([]*tf.Variable, []*tf.Tensor) {
	t.Helper()
	xs := []any{x}
	for _, p := range inits {
		xs = append(xs, p)
	}
	vars := g.TrainableVariables()
	for _, v := range vars {
		xs = append(xs, v)
	}
	grads, err := tf.Gradients([]*tf.Tensor{loss}, xs)
	if err != nil {
		t.Fatal(err)
	}
	return vars, grads
}

// randomSession returns a session on g (the default graph) with its
// variables initialized, then each of vars loaded with random values from
// r, which it returns in vars' order.
func randomSession(t *testing.T, g *tf.Graph, vars []*tf.Variable, r *rand.Rand, dt tf.DType) (*session.Session, [][]float64) {
	t.Helper()
	initOp := tf.GlobalVariablesInitializer()
	sess := session.New(session.WithGraph(g))
	sess.MustRun(initOp, nil)
	var values [][]float64
	for _, v := range vars {
		val := randVals(r, v.Shape().NumElements())
		values = append(values, val)
		if err := sess.LoadVariable(v, tensorOf(val, dt, v.Shape()...)); err != nil {
			t.Fatal(err)
		}
	}
	return sess, values
}

// runFloat64s runs fetches with feed in sess and returns their values as
// float64s.
func runFloat64s(t *testing.T, sess *session.Session, fetches []*tf.Tensor, feed session.Feed) [][]float64 {
	t.Helper()
	vals, err := sess.Run(fetches, feed)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, len(vals))
	for i, v := range vals {
		out[i] = v.Float64s()
	}
	return out
}

// loopOps returns the types of g's dynamic_rnn loop ops (DynamicRNNFused,
// DynamicRNNLoop, DynamicRNNStack) in the graph's order.
func loopOps(g *tf.Graph) []string {
	var types []string
	for _, op := range g.Operations() {
		switch op.Type() {
		case "DynamicRNNFused", "DynamicRNNLoop", "DynamicRNNStack":
			types = append(types, op.Type())
		}
	}
	return types
}

// lastLoopOp returns the last of loopOps(g), "" without any.
func lastLoopOp(g *tf.Graph) string {
	types := loopOps(g)
	if len(types) == 0 {
		return ""
	}
	return types[len(types)-1]
}

// checkFetchesClose checks that the fetches fv of one run agree with gv of
// another to tol, or to tol32 in float32; errors name fetch i by name(i)
// and the runs by what ("fused vs generic").
func checkFetchesClose(t *testing.T, dt tf.DType, fv, gv [][]float64, tol, tol32 float64, name func(i int) string, what string) {
	t.Helper()
	if dt == tf.Float32 {
		tol = tol32
	}
	for i := range fv {
		if ok, msg := tftest.AllClose(fv[i], gv[i], tol, tol); !ok {
			t.Errorf("%s: %s: %s", name(i), what, msg)
		}
	}
}

// fetchNumber names fetch i "fetch i", for checkFetchesClose.
func fetchNumber(i int) string { return fmt.Sprintf("fetch %d", i) }

func tensorOf(v []float64, dt tf.DType, shape ...int) any {
	d, err := tfimpl.ConvertToTensor(v, dt)
	if err != nil {
		panic(err)
	}
	if err := d.Reshape(shape...); err != nil {
		panic(err)
	}
	return d
}

func (m *fusedModel) run(t *testing.T) [][]float64 {
	t.Helper()
	return runFloat64s(t, m.sess, append([]*tf.Tensor{m.outs, m.final, m.loss}, m.grads...), m.feed)
}

// TestDynamicRNNFusedMatchesGeneric checks the fused loop against the
// generic loop (the cell's step graph run once per step) on the same
// weights: outputs, final state, loss and every gradient.
func TestDynamicRNNFusedMatchesGeneric(t *testing.T) { testFusedMatchesGeneric(t, "DynamicRNNFused") }

// TestDynamicRNNStackMatchesGeneric is TestDynamicRNNFusedMatchesGeneric
// with the stack kernels (rnn_fused_stack.go) running the BasicRNNCell.
func TestDynamicRNNStackMatchesGeneric(t *testing.T) {
	defer nn.SetForceStack(true)()
	testFusedMatchesGeneric(t, "DynamicRNNStack")
}

func testFusedMatchesGeneric(t *testing.T, want string) {
	names := []string{"outputs", "final state", "loss", "dX", "dh0/dkernel", "dkernel/dbias", "dbias"}
	for _, tc := range fusedCases {
		t.Run(tc.name, func(t *testing.T) {
			f := buildFusedModel(t, tc, false)
			defer f.sess.Close()
			g := buildFusedModel(t, tc, true)
			defer g.sess.Close()
			if f.loopType != want || g.loopType != "DynamicRNNLoop" {
				t.Fatalf("loop ops %q and %q, want %s and DynamicRNNLoop", f.loopType, g.loopType, want)
			}
			checkFetchesClose(t, tc.dtype, f.run(t), g.run(t), 1e-6, 1e-4, func(i int) string { return names[i] }, "fused vs generic")
		})
	}
}

// TestDynamicRNNFusedGradients checks the fused loop's gradients with
// central differences: with respect to the inputs and the initial state by
// tftest.CheckGradients, and with respect to the cell's variables by
// loading perturbed values.
func TestDynamicRNNFusedGradients(t *testing.T) { testFusedGradients(t) }

// TestDynamicRNNStackGradients is TestDynamicRNNFusedGradients with the
// stack kernels.
func TestDynamicRNNStackGradients(t *testing.T) {
	defer nn.SetForceStack(true)()
	testFusedGradients(t)
}

func testFusedGradients(t *testing.T) {
	for _, tc := range fusedCases {
		if tc.dtype != tf.Float64 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			m := buildFusedModel(t, tc, false)
			defer m.sess.Close()
			xs := []*tf.Tensor{m.X}
			if tc.initState {
				xs = append(xs, m.H0)
			}
			tftest.CheckGradients(t, m.g, m.loss, xs, m.feed, 1e-6, 1e-6)
			vals := m.run(t)
			nx := len(xs)
			for _, v := range []struct {
				v    *tf.Variable
				p    []float64
				grad []float64
			}{{m.cell.Kernel(), m.kernel, vals[3+nx]}, {m.cell.Bias(), m.bias, vals[4+nx]}} {
				rnntest.CheckVariableGradient(t, m.sess, m.loss, m.feed, v.v, v.p, v.grad, tc.dtype, nil, 1e-6, 1e-6)
			}
		})
	}
}

// TestDynamicRNNFusedOnlyForKnownSteps checks that cells the fused loop
// cannot run (another activation) get the generic loop.
func TestDynamicRNNFusedOnlyForKnownSteps(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3, 2})
	nn.DynamicRNN(rnn.NewBasicRNNCell(3, rnn.Activation(tf.Sigmoid)), X, rnn.DType(tf.Float64))
	for _, op := range g.Operations() {
		if op.Type() == "DynamicRNNFused" {
			t.Fatal("a sigmoid BasicRNNCell got the fused loop")
		}
	}
}

// TestDynamicRNNFusedPartialFetches checks the fused loop against the
// generic loop when a Run reads only some of its outputs (the fused op then
// skips the others: without a gradient it keeps no saved states), and when
// it fetches the weight gradients without the input's.
func TestDynamicRNNFusedPartialFetches(t *testing.T) { testFusedPartialFetches(t) }

// TestDynamicRNNStackPartialFetches is TestDynamicRNNFusedPartialFetches
// with the stack kernels.
func TestDynamicRNNStackPartialFetches(t *testing.T) {
	defer nn.SetForceStack(true)()
	testFusedPartialFetches(t)
}

func testFusedPartialFetches(t *testing.T) {
	for _, tc := range fusedCases {
		t.Run(tc.name, func(t *testing.T) {
			f := buildFusedModel(t, tc, false)
			defer f.sess.Close()
			g := buildFusedModel(t, tc, true)
			defer g.sess.Close()
			tol := 1e-6
			if tc.dtype == tf.Float32 {
				tol = 1e-4
			}
			sets := []struct {
				name string
				pick func(m *fusedModel) []*tf.Tensor
			}{
				{"outputs and final state", func(m *fusedModel) []*tf.Tensor { return []*tf.Tensor{m.outs, m.final} }},
				{"final state", func(m *fusedModel) []*tf.Tensor { return []*tf.Tensor{m.final} }},
				{"outputs", func(m *fusedModel) []*tf.Tensor { return []*tf.Tensor{m.outs} }},
				{"weight gradients", func(m *fusedModel) []*tf.Tensor { return m.grads[len(m.grads)-2:] }},
			}
			for _, set := range sets {
				fv, err := f.sess.Run(set.pick(f), f.feed)
				if err != nil {
					t.Fatal(err)
				}
				gv, err := g.sess.Run(set.pick(g), g.feed)
				if err != nil {
					t.Fatal(err)
				}
				for i := range fv {
					if ok, msg := tftest.AllClose(fv[i].Float64s(), gv[i].Float64s(), tol, tol); !ok {
						t.Errorf("%s, value %d: fused vs generic: %s", set.name, i, msg)
					}
				}
			}
		})
	}
}
