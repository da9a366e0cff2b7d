package session_test

import (
	"math"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

var w0 = [][]float64{{1, -2}, {0.5, 3}, {-1, 0.25}}

// TestBatchSizes runs one graph built with [None, 3] on batches of 1, 4 and
// 10,000 rows in one session, assigns the variable in the batch-4 run and
// reads the new value in the others: every compiled program shares the
// session's variables.
func TestBatchSizes(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	W := tf.NewVariable(to32(w0), tf.Name("W"))
	Y := tf.MatMul(X, W)
	newW := placeholder.New(tf.Float32, tf.Shape{3, 2}, placeholder.Name("newW"))
	setW := tf.Assign(W, newW)
	init := tf.GlobalVariablesInitializer()
	if Y.Shape().String() != "[?,2]" {
		t.Fatalf("Y has static shape %v, want [?,2]", Y.Shape())
	}
	s := session.New()
	defer s.Close()
	if _, err := s.Run(init, nil); err != nil {
		t.Fatal(err)
	}
	w1 := [][]float64{{2, 0}, {0, -1}, {1, 1}}
	for _, step := range []struct {
		n      int
		assign bool // assign w1 in this run
		w      [][]float64
	}{
		{1, false, w0},
		{10000, false, w0},
		{4, true, w0}, // Y is computed with the old W, then W is set
		{1, false, w1},
		{10000, false, w1},
		{4, false, w1},
	} {
		x := batch(step.n, 3, float64(step.n%5))
		feed := session.Feed{X: to32(x)}
		fetches := []tf.Fetch{Y}
		if step.assign {
			// Y does not depend on the assignment; fetch it in a separate
			// run first so the order is defined.
			got, err := s.Run(Y, feed)
			if err != nil {
				t.Fatal(err)
			}
			checkArray(t, "Y before assign", got[0], []int{step.n, 2}, flatten(matmul(x, step.w)), 1e-6)
			feed[newW] = to32(w1)
			fetches = []tf.Fetch{setW, Y}
			if _, err := s.Run(fetches, feed); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := s.Run(fetches, feed)
		if err != nil {
			t.Fatalf("batch %d: %v", step.n, err)
		}
		checkArray(t, "Y", got[0], []int{step.n, 2}, flatten(matmul(x, step.w)), 1e-5)
	}
	wv, err := s.Eval(W, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "W", wv, []int{3, 2}, flatten(w1), 0)
	// Programs: init; Y for 1, 10000 and 4 rows; setW+Y for 4 rows; W.
	if n := session.NumPrograms(s); n != 6 {
		t.Errorf("%d programs compiled, want 6 (one per fetches and feed shapes)", n)
	}
}

// TestProgramCache checks that runs with the same fetches and feed shapes
// reuse one compiled program and that other shapes or fetches compile anew.
func TestProgramCache(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	Y := tf.Mul(X, 2.0)
	Z := tf.Add(X, 1.0)
	s := session.New()
	steps := []struct {
		fetch any
		rows  int
		want  int
	}{
		{Y, 3, 1},
		{Y, 3, 1},
		{[]*tf.Tensor{Y}, 3, 1}, // the same fetches, given as a slice
		{Y, 5, 2},
		{Y, 3, 2},
		{Z, 3, 3},
		{[]*tf.Tensor{Y, Z}, 3, 4},
		{[]*tf.Tensor{Z, Y}, 3, 5}, // another order is another program
		{[]*tf.Tensor{Y, Z}, 3, 5},
	}
	for i, st := range steps {
		x := batch(st.rows, 2, 0)
		if _, err := s.Run(st.fetch, session.Feed{X: to32(x)}); err != nil {
			t.Fatal(err)
		}
		if n := session.NumPrograms(s); n != st.want {
			t.Fatalf("step %d: %d programs, want %d", i, n, st.want)
		}
	}
}

// TestFetchKinds runs fetches of every kind and checks results keep
// Python's order, with nil for operations.
func TestFetchKinds(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	b := tf.NewVariable([]float32{10, 20}, tf.Name("b"))
	Y := tf.Add(X, b)
	S := tf.ReduceSum(Y)
	init := tf.GlobalVariablesInitializer()
	s := session.New()
	x := [][]float32{{1, 2}, {3, 4}}
	feed := session.Feed{X: x}

	out, err := s.Run(init, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0] != nil {
		t.Fatalf("Run(init) = %v, want one nil entry", out)
	}
	yWant := []float64{11, 22, 13, 24}
	out, err = s.Run([]tf.Fetch{S, init, Y, b}, feed)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 4 {
		t.Fatalf("got %d results, want 4", len(out))
	}
	checkArray(t, "S", out[0], []int{}, []float64{70}, 0)
	if out[1] != nil {
		t.Errorf("result for the init op is %v, want nil", out[1])
	}
	checkArray(t, "Y", out[2], []int{2, 2}, yWant, 0)
	checkArray(t, "b", out[3], []int{2}, []float64{10, 20}, 0)

	out, err = s.Run([]*tf.Tensor{Y, S, Y}, feed)
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y", out[0], []int{2, 2}, yWant, 0)
	checkArray(t, "S", out[1], []int{}, []float64{70}, 0)
	checkArray(t, "Y again", out[2], []int{2, 2}, yWant, 0)

	out, err = s.Run([]*tf.Operation{init, Y.Op()}, feed)
	if err != nil || len(out) != 2 || out[0] != nil || out[1] != nil {
		t.Fatalf("Run([]*tf.Operation) = %v, %v; want two nil entries", out, err)
	}
	out, err = s.Run([]*tf.Variable{b}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "b", out[0], []int{2}, []float64{10, 20}, 0)
	out, err = s.Run(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "b", out[0], []int{2}, []float64{10, 20}, 0)
	// Python's sess.run([outputs, states]): an []any, flattened in order.
	out, err = s.Run([]any{S, []*tf.Tensor{Y, S}, init}, feed)
	if err != nil || len(out) != 4 || out[3] != nil {
		t.Fatalf("Run([]any{S, []*tf.Tensor{Y, S}, init}) = %v, %v; want 4 results, the last nil", out, err)
	}
	checkArray(t, "S", out[0], []int{}, []float64{70}, 0)
	checkArray(t, "Y in the list", out[1], []int{2, 2}, yWant, 0)
	checkArray(t, "S in the list", out[2], []int{}, []float64{70}, 0)
	if _, err := s.Run([]any{S, 3}, feed); err == nil || !strings.Contains(err.Error(), "fetches[1]") {
		t.Errorf("Run([]any{S, 3}): error %v, want one naming fetches[1]", err)
	}
	out, err = s.Run([]tf.Fetch{}, nil)
	if err != nil || len(out) != 0 {
		t.Fatalf("Run of no fetches = %v, %v; want no results", out, err)
	}

	// Results belong to the caller: changing one changes nothing in the session.
	bv, _ := s.Eval(b, nil)
	bv.Dense.Set(0, float32(-1))
	checkArray(t, "b after changing a result", s.MustEval(b, nil), []int{2}, []float64{10, 20}, 0)

	// Results print as numpy prints arrays.
	if got, want := s.MustEval(Y, feed).String(), "[[11. 22.]\n [13. 24.]]"; got != want {
		t.Errorf("Y prints as\n%s\nwant\n%s", got, want)
	}
}

// TestEvalAndMust checks Eval and the Must helpers: Must panics only for
// errors, Eval refuses operations.
func TestEvalAndMust(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None}, placeholder.Name("X"))
	Y := tf.Square(X)
	s := session.New()
	v, err := s.Eval(Y, session.Feed{X: []float32{1, -2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Eval", v, []int{3}, []float64{1, 4, 9}, 0)
	checkArray(t, "MustEval", s.MustEval(Y, session.Feed{X: []float32{4}}), []int{1}, []float64{16}, 0)
	checkArray(t, "MustRun", s.MustRun(Y, session.Feed{X: []float32{5}})[0], []int{1}, []float64{25}, 0)

	_, err = s.Eval(Y.Op(), session.Feed{X: []float32{1}})
	wantErr(t, err, "operation", "no value")

	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			r := recover()
			if r == nil {
				t.Errorf("%s did not panic", name)
				return
			}
			if err, ok := r.(error); !ok || !strings.Contains(err.Error(), "You must feed a value for placeholder tensor 'X'") {
				t.Errorf("%s panicked with %v, want the missing-feed error", name, r)
			}
		}()
		f()
	}
	mustPanic("MustRun", func() { s.MustRun(Y, nil) })
	mustPanic("MustEval", func() { s.MustEval(Y, nil) })
	checkArray(t, "after panics", s.MustEval(Y, session.Feed{X: []float32{3}}), []int{1}, []float64{9}, 0)
}

// TestFeedIntermediate feeds a tensor that is not a placeholder: its
// producer (and everything only it needs) is not run.
func TestFeedIntermediate(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	H := tf.AddOp(tf.OpSpec{Def: countDef, Inputs: []any{tf.Mul(X, 3.0)}}).Output(0)
	Y := tf.Add(H, 1.0)
	s := session.New()

	before := countRuns.Load()
	y, err := s.Eval(Y, session.Feed{X: [][]float32{{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y from X", y, []int{1, 2}, []float64{4, 7}, 0)
	if n := countRuns.Load() - before; n != 1 {
		t.Fatalf("producer ran %d times, want 1", n)
	}

	// X is not fed and need not be: H replaces everything above it.
	before = countRuns.Load()
	y, err = s.Eval(Y, session.Feed{H: [][]float32{{10, 20}, {30, 40}, {50, 60}}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y from H", y, []int{3, 2}, []float64{11, 21, 31, 41, 51, 61}, 0)
	if n := countRuns.Load() - before; n != 0 {
		t.Fatalf("producer of a fed tensor ran %d times, want 0", n)
	}

	// Fetching a fed tensor returns the fed value.
	h, err := s.Eval(H, session.Feed{H: [][]float64{{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "H fed and fetched", h, []int{1, 2}, []float64{1, 2}, 0)

	// Feeding a tensor the fetches do not need is allowed.
	unused := placeholder.New(tf.Int32, tf.Shape{}, placeholder.Name("unused"))
	y, err = s.Eval(Y, session.Feed{X: [][]float32{{0, 1}}, unused: 3})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y with an unused feed", y, []int{1, 2}, []float64{1, 4}, 0)

	// A fed value must still match the tensor's static shape.
	_, err = s.Eval(Y, session.Feed{H: []float32{1, 2}})
	wantErr(t, err, "Cannot feed value of shape [2]", "which has shape [?,2]")
}

// TestSessionsAreIndependent checks that two sessions on one graph keep
// their own variable values, and WithGraph picks the graph.
func TestSessionsAreIndependent(t *testing.T) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	v := tf.NewVariable(float32(1), tf.Name("v"))
	inc := tf.Assign(v, tf.Add(v, 1.0))
	init := tf.GlobalVariablesInitializer()
	restore()

	other := newGraph(t) // the default graph is now another one
	a := session.New(session.WithGraph(g))
	b := session.New(session.WithGraph(g))
	if a.Graph() != g || session.New().Graph() != other {
		t.Fatal("WithGraph or the default graph is not the session's graph")
	}
	a.MustRun(init, nil)
	b.MustRun(init, nil)
	for range 3 {
		a.MustRun(inc, nil)
	}
	checkArray(t, "v in a", a.MustEval(v, nil), []int{}, []float64{4}, 0)
	checkArray(t, "v in b", b.MustEval(v, nil), []int{}, []float64{1}, 0)
	if err := v.Load(float32(-5), b); err != nil {
		t.Fatal(err)
	}
	checkArray(t, "v in b after Load", b.MustEval(v, nil), []int{}, []float64{-5}, 0)
	checkArray(t, "v in a after Load in b", a.MustEval(v, nil), []int{}, []float64{4}, 0)
}

// TestFeedDenseNotAliased checks that a fed *tensor.Dense is read, not kept:
// changing it after Run does not change the result.
func TestFeedDenseNotAliased(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{2}, placeholder.Name("X"))
	Y := tf.Identity(X)
	s := session.New()
	d := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2}))
	y := s.MustEval(Y, session.Feed{X: d})
	d.Set(0, float32(100))
	checkArray(t, "Y", y, []int{2}, []float64{1, 2}, 0)
}

// TestLoopBody runs a loop body (tfimpl.NewFunc) through a kernel: the body
// reads the session's variables (so it sees assignments made by other
// programs) and computes what a plain loop does.
func TestLoopBody(t *testing.T) {
	g := newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	W := tf.NewVariable(to32(w0), tf.Name("W"))
	f, err := tfimpl.NewFunc(g, "body", []tf.Spec{{DType: tf.Float32, Shape: tf.Shape{tf.None, 3}}}, func(a []*tf.Tensor) []*tf.Tensor {
		return []*tf.Tensor{tf.Tanh(tf.MatMul(a[0], W))}
	})
	if err != nil {
		t.Fatal(err)
	}
	Y := applyFunc(f, X)
	setW := tf.Assign(W, tf.Mul(W, 2.0))
	s := session.New()
	s.MustRun(tf.GlobalVariablesInitializer(), nil)
	ref := func(x, w [][]float64) []float64 {
		out := flatten(matmul(x, w))
		for i, v := range out {
			out[i] = math.Tanh(v)
		}
		return out
	}
	w := w0
	for i, n := range []int{2, 5, 2, 2} {
		if i == 3 {
			s.MustRun(setW, nil)
			w = [][]float64{{2, -4}, {1, 6}, {-2, 0.5}}
		}
		x := batch(n, 3, 0.1*float64(i))
		y, err := s.Eval(Y, session.Feed{X: to32(x)})
		if err != nil {
			t.Fatal(err)
		}
		checkArray(t, "Y", y, []int{n, 2}, ref(x, w), 1e-6)
	}
}
