package session_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TestErrors drives each mistake a user can make at Run time, checks the
// error text names what was given and what was expected, and checks that
// the same session then runs normally.
func TestErrors(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	N := placeholder.New(tf.Int32, tf.Shape{}, placeholder.Name("N"))
	W := tf.NewVariable([][]float32{{1, 0}, {0, 1}, {1, 1}}, tf.Name("W"))
	Y := tf.MatMul(X, W)
	NN := tf.Add(N, 1)
	U := tf.NewVariable(float32(2), tf.Name("U")) // never initialized
	UY := tf.Mul(U, Y)

	other := tf.NewGraph()
	restore := other.AsDefault()
	oX := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	oY := tf.Identity(oX)
	restore()

	s := session.New()
	if _, err := s.Run(W.Initializer(), nil); err != nil {
		t.Fatal(err)
	}
	good := session.Feed{X: [][]float32{{1, 2, 3}}}
	checkWorks := func(t *testing.T) {
		t.Helper()
		y, err := s.Eval(Y, good)
		if err != nil {
			t.Fatalf("the session fails after the error: %v", err)
		}
		checkArray(t, "Y", y, []int{1, 2}, []float64{4, 5}, 0)
	}

	tests := []struct {
		name    string
		fetches any
		feed    session.Feed
		want    []string
	}{
		{"missing feed", Y, nil,
			[]string{"You must feed a value for placeholder tensor 'X' with dtype float and shape [?,3]"}},
		{"missing int feed", NN, nil,
			[]string{"You must feed a value for placeholder tensor 'N' with dtype int32 and shape []"}},
		{"wrong rank", Y, session.Feed{X: []float32{1, 2, 3}},
			[]string{"Cannot feed value of shape [3] for Tensor \"X:0\", which has shape [?,3]"}},
		{"wrong rank, scalar", Y, session.Feed{X: 1.0},
			[]string{"Cannot feed value of shape [] for Tensor \"X:0\", which has shape [?,3]"}},
		{"wrong dimension", Y, session.Feed{X: [][]float32{{1, 2}, {3, 4}}},
			[]string{"Cannot feed value of shape [2,2] for Tensor \"X:0\", which has shape [?,3]"}},
		{"wrong rank into a scalar", NN, session.Feed{N: []int32{1}},
			[]string{"Cannot feed value of shape [1] for Tensor \"N:0\", which has shape []"}},
		{"ragged", Y, session.Feed{X: [][]float32{{1, 2, 3}, {4, 5}}},
			[]string{"[][]float32", `"X:0"`, "ragged nested slice", "element [1] has length 2", "element [0] has length 3"}},
		{"ragged, 3 levels", Y, session.Feed{X: [][][]float32{{{1}, {2}}, {{3}}}},
			[]string{"ragged nested slice", "element [1] has length 1"}},
		{"ragged float64", Y, session.Feed{X: [][]float64{{1, 2, 3}, {4}}},
			[]string{"[][]float64", "ragged nested slice"}},
		{"bools into float32", Y, session.Feed{X: [][]bool{{true, false, true}}},
			[]string{"[][]bool", `"X:0"`, "dtype float32", "cannot convert [][]bool to float32"}},
		{"1.5 into int32", NN, session.Feed{N: 1.5},
			[]string{"float64", `"N:0"`, "dtype int32", "cannot convert 1.5 (float64) to int32 without losing its value"}},
		{"[]float32 with a fraction into int32", NN, session.Feed{N: []float32{0.5}},
			[]string{"[]float32", "int32", "0.5"}},
		{"string", Y, session.Feed{X: "abc"},
			[]string{"string", `"X:0"`, "dtype float32"}},
		{"nil value", Y, session.Feed{X: nil},
			[]string{`"X:0"`, "nil"}},
		{"uninitialized variable", UY, good,
			[]string{"Attempting to use uninitialized value U", "GlobalVariablesInitializer"}},
		{"fetch from another graph", oY, nil,
			[]string{"fetch 0", `"Identity:0"`, "not an element of this session's graph"}},
		{"feed key from another graph", Y, session.Feed{X: [][]float32{{1, 2, 3}}, oX: [][]float32{{1, 2, 3}}},
			[]string{"cannot feed", `"X:0"`, "not an element of this session's graph"}},
		{"fetch nil", nil, nil, []string{"fetches is nil"}},
		{"fetch nil tensor", (*tf.Tensor)(nil), nil, []string{"nil *tf.Tensor"}},
		{"fetch nil in a list", []tf.Fetch{Y, nil}, good, []string{"fetch 1", "nil"}},
		{"fetch nil tensor in a list", []*tf.Tensor{Y, nil}, good, []string{"fetch 1", "nil *tf.Tensor"}},
		{"fetch wrong type", "Y:0", nil, []string{"cannot fetch a string", "*tf.Tensor"}},
		{"fetch wrong slice type", []int{1}, nil, []string{"cannot fetch a []int"}},
		{"nil feed key", Y, session.Feed{X: [][]float32{{1, 2, 3}}, nil: 1.0}, []string{"feed key is a nil"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.Run(tt.fetches, tt.feed)
			if out != nil {
				t.Errorf("Run returned values %v with an error", out)
			}
			wantErr(t, err, tt.want...)
			checkWorks(t)
		})
	}

	// Initializing U afterwards makes the failed fetch work.
	s.MustRun(U.Initializer(), nil)
	uy, err := s.Eval(UY, good)
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "U*Y", uy, []int{1, 2}, []float64{8, 10}, 0)
}

// TestBuildErrors checks that a shape error at build time names the op, the
// input shapes and the caller's file:line, that Run returns it, and that
// ops built on the failed tensor carry it.
func TestBuildErrors(t *testing.T) {
	g := newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	B := tf.Constant(make([][]float32, 4), tf.Float32) // placeholder for shape only
	_ = B
	W := tf.Constant([][]float32{{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}}, tf.Float32)
	Y, site := tf.MatMul(X, W), here()
	Z := tf.Tanh(Y)
	parts := []string{"MatMul", "float32[?,3]", "float32[4,5]", site}
	wantErr(t, Y.Err(), parts...)
	wantErr(t, Z.Err(), parts...)
	wantErr(t, g.Err(), parts...)

	s := session.New()
	_, err := s.Run(Y, session.Feed{X: [][]float32{{1, 2, 3}}})
	wantErr(t, err, parts...)
	_, err = s.Run([]tf.Fetch{X, Z}, session.Feed{X: [][]float32{{1, 2, 3}}})
	wantErr(t, err, append(parts, "fetch 1")...)
	_, err = s.Run(X, session.Feed{Y: [][]float32{{1}}})
	wantErr(t, err, append(parts, "feed key")...)
	x, err := s.Eval(X, session.Feed{X: [][]float32{{1, 2, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "X", x, []int{1, 3}, []float64{1, 2, 3}, 0)
}

// TestRunShapeErrors checks shape errors that only show at Run time, when
// None dimensions become known: the error names the op, the concrete input
// shapes and where the op was built.
func TestRunShapeErrors(t *testing.T) {
	newGraph(t)
	A := placeholder.New(tf.Float32, tf.Shape{tf.None, tf.None}, placeholder.Name("A"))
	W := tf.Constant([][]float32{{1, 2}, {3, 4}, {5, 6}}, tf.Float32)
	Y, site := tf.MatMul(A, W), here()
	if Y.Err() != nil {
		t.Fatal(Y.Err())
	}
	s := session.New()
	_, err := s.Run(Y, session.Feed{A: [][]float32{{1, 2}}})
	wantErr(t, err, "MatMul", "float32[1,2]", "float32[3,2]", site)
	y, err := s.Eval(Y, session.Feed{A: [][]float32{{1, 0, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y", y, []int{1, 2}, []float64{6, 8}, 0)
}

// TestNoFeedTensors checks that tensors inside a loop body (tfimpl.NewFunc)
// cannot be fed or fetched from the outer session and that the body runs.
func TestNoFeedTensors(t *testing.T) {
	g := newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	W := tf.NewVariable([][]float32{{1, 2}, {3, 4}}, tf.Name("W"))
	var inner *tf.Tensor
	f, err := tfimpl.NewFunc(g, "body", []tf.Spec{{DType: tf.Float32, Shape: tf.Shape{tf.None, 2}}}, func(a []*tf.Tensor) []*tf.Tensor {
		inner = tf.MatMul(a[0], W)
		return []*tf.Tensor{tf.Add(inner, 1.0)}
	})
	if err != nil {
		t.Fatal(err)
	}
	Y := applyFunc(f, X)
	if Y.Err() != nil {
		t.Fatal(Y.Err())
	}
	s := session.New()
	s.MustRun(tf.GlobalVariablesInitializer(), nil)
	good := session.Feed{X: [][]float32{{1, 1}}}
	checkWorks := func() {
		t.Helper()
		y, err := s.Eval(Y, good)
		if err != nil {
			t.Fatal(err)
		}
		checkArray(t, "Y", y, []int{1, 2}, []float64{5, 7}, 0)
	}
	checkWorks()
	for _, tt := range []struct {
		name string
		t    *tf.Tensor
	}{
		{"body argument", f.Args[0]},
		{"body tensor", inner},
		{"captured variable", f.Params[0]},
	} {
		_, err := s.Run(Y, session.Feed{X: [][]float32{{1, 1}}, tt.t: [][]float32{{1, 1}}})
		wantErr(t, err, tt.t.Name(), "may not be fed", "loop body")
		_, err = s.Run(tt.t, good)
		wantErr(t, err, tt.t.Name(), "loop body")
		checkWorks()
	}
}

// TestPanickingKernel checks that a kernel's panic becomes an error naming
// the op, and the session keeps working; likewise a panic in shape
// inference at Run time.
func TestPanickingKernel(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None}, placeholder.Name("X"))
	P, site := tf.AddOp(tf.OpSpec{Def: panicDef, Name: "risky", Inputs: []any{X}}).Output(0), here()
	Y := tf.Mul(P, 2.0)
	s := session.New()
	run := func(x []float32) (*tf.Array, error) { return s.Eval(Y, session.Feed{X: x}) }
	y, err := run([]float32{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y", y, []int{2}, []float64{2, 4}, 0)
	_, err = run([]float32{-1, 2})
	wantErr(t, err, "PanicOnNegative", `"risky"`, site, "panic", "nil map")
	y, err = run([]float32{3, 2}) // the same compiled program, after its panic
	if err != nil {
		t.Fatalf("after the panic: %v", err)
	}
	checkArray(t, "Y", y, []int{2}, []float64{6, 4}, 0)

	_, err = run(make([]float32, 7))
	wantErr(t, err, "seven rows", "risky")
	y, err = run([]float32{5})
	if err != nil {
		t.Fatalf("after the panic: %v", err)
	}
	checkArray(t, "Y", y, []int{1}, []float64{10}, 0)
}

// TestClosedSession checks that Run after Close fails with TF's message.
func TestClosedSession(t *testing.T) {
	newGraph(t)
	v := tf.NewVariable(float32(1), tf.Name("v"))
	init := tf.GlobalVariablesInitializer()
	s := session.New()
	s.MustRun(init, nil)
	s.MustEval(v, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Run(v, nil)
	wantErr(t, err, "Attempted to use a closed Session.")
	_, err = s.Eval(v, nil)
	wantErr(t, err, "Attempted to use a closed Session.")
	err = v.Load(float32(3), s)
	wantErr(t, err, "Attempted to use a closed Session.")
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
