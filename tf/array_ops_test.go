package tf_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

func TestReshape(t *testing.T) {
	cases := []struct {
		in, shape    []int
		static, want []int // static with the input's dimension 0 unknown
	}{
		{[]int{2, 3}, []int{3, 2}, []int{3, 2}, []int{3, 2}},
		{[]int{2, 3}, []int{-1}, []int{tf.None}, []int{6}},
		{[]int{2, 3}, []int{-1, 2}, []int{tf.None, 2}, []int{3, 2}},
		{[]int{2, 3}, []int{1, -1, 1}, []int{1, tf.None, 1}, []int{1, 6, 1}},
		{[]int{2, 3}, []int{6, 1}, []int{6, 1}, []int{6, 1}},
		{[]int{1, 1}, []int{}, []int{}, []int{}},
		{[]int{4, 3}, []int{2, -1, 3}, []int{2, tf.None, 3}, []int{2, 2, 3}},
		{[]int{0, 3}, []int{-1, 3}, []int{tf.None, 3}, []int{0, 3}},
	}
	for _, c := range cases {
		g := newGraph(t)
		// Static inference with the input's shape fully known.
		x := tf.Placeholder(tf.Float64, tf.Shape(c.in))
		checkShape(t, "known", tf.Reshape(x, c.shape).Shape(), c.want)
		// And with None.
		p := tf.Placeholder(tf.Float64, append(tf.Shape{tf.None}, c.in[1:]...))
		r := tf.Reshape(p, c.shape)
		checkShape(t, "None", r.Shape(), c.static)
		in := seq(prod(c.in), 1, 1)
		got := runAll(t, g, r, session.Feed{p: dense64(c.in, in)})[0]
		checkShape(t, "run", got.Shape(), c.want)
		checkClose(t, "values", got.Float64s(), in)
	}
	newGraph(t)
	u := tf.Reshape(tf.Placeholder(tf.Float32, nil), []int{-1, 4})
	checkShape(t, "unknown rank", u.Shape(), []int{tf.None, 4})
}

func TestReshapeErrors(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{2, 3})
	wantErr(t, "count", tf.Reshape(x, []int{4, 2}).Err(), "Reshape", "float32[2,3]", "6", "8", "array_ops_test.go:")
	wantErr(t, "two -1", tf.Reshape(x, []int{-1, -1}).Err(), "more than one -1")
	wantErr(t, "not a multiple", tf.Reshape(x, []int{-1, 4}).Err(), "multiple")
	wantErr(t, "negative", tf.Reshape(x, []int{-2, 3}).Err(), "negative")
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	r := tf.Reshape(p, []int{-1, 2})
	if r.Err() != nil {
		t.Fatalf("[?,3] to [-1,2] must build: %v", r.Err())
	}
	wantErr(t, "run time", runErr(r, session.Feed{p: [][]float32{{1, 2, 3}}}), "reshape")
	wantErr(t, "run time count", runErr(tf.Reshape(p, []int{4, 3}), session.Feed{p: [][]float32{{1, 2, 3}}}), "reshape")
}

func TestReshapeGradient(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
	y := tf.Mul(tf.Reshape(x, []int{3, -1}), tf.Constant(dense64([]int{3, 4}, seq(12, 1, 1)), tf.Float64))
	tftest.CheckGradients(t, g, tf.Square(y), []*tf.Tensor{x}, session.Feed{x: dense64([]int{4, 3}, wobble(12, 0))}, gradH, gradTol)
}

func TestCast(t *testing.T) {
	g := newGraph(t)
	f := tf.Constant([]float64{-2.9, -1.5, -0.2, 0, 0.7, 1.5, 2.9}, tf.Float64)
	out := runAll(t, g, []*tf.Tensor{tf.Cast(f, tf.Int32), tf.Cast(f, tf.Int64), tf.Cast(f, tf.Bool), tf.Cast(f, tf.Float32)}, nil)
	// Truncation toward zero, as C casts (TF's Cast).
	checkClose(t, "int32", out[0].Float64s(), []float64{-2, -1, 0, 0, 0, 1, 2})
	checkClose(t, "int64", out[1].Float64s(), []float64{-2, -1, 0, 0, 0, 1, 2})
	if out[0].DType() != tf.Int32 || out[1].DType() != tf.Int64 || out[2].DType() != tf.Bool || out[3].DType() != tf.Float32 {
		t.Errorf("dtypes %s %s %s %s", out[0].DType(), out[1].DType(), out[2].DType(), out[3].DType())
	}
	b := out[2].Bools()
	for i, want := range []bool{true, true, true, false, true, true, true} {
		if b[i] != want {
			t.Errorf("bool element %d: %v", i, b[i])
		}
	}
	checkClose(t, "float32", out[3].Float64s(), round32([]float64{-2.9, -1.5, -0.2, 0, 0.7, 1.5, 2.9}))
	bo := tf.Constant([]bool{true, false, true}, tf.Bool)
	out = runAll(t, g, []*tf.Tensor{tf.Cast(bo, tf.Float32), tf.Cast(bo, tf.Int64), tf.Cast(bo, tf.Bool), tf.Cast(tf.Constant([]int{0, -3, 5}, tf.Int32), tf.Bool)}, nil)
	checkClose(t, "bool to float", out[0].Float64s(), []float64{1, 0, 1})
	checkClose(t, "bool to int64", out[1].Float64s(), []float64{1, 0, 1})
	if b := out[2].Bools(); !b[0] || b[1] || !b[2] {
		t.Errorf("bool to bool %v", b)
	}
	if b := out[3].Bools(); b[0] || !b[1] || !b[2] {
		t.Errorf("int to bool %v", b)
	}
	checkClose(t, "int64 to float64", runAll(t, g, tf.Cast(tf.Constant([]int64{1 << 40, -7}, tf.Int64), tf.Float64), nil)[0].Float64s(), []float64{1 << 40, -7})
	wantErr(t, "bad dtype", tf.Cast(f, tf.DType(99)).Err(), "Cast", "array_ops_test.go:")
}

// Cast between float types passes gradients through; into or out of
// integers it stops them (nil), as TF's _CastGrad.
func TestCastGradient(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{4})
	y := tf.Mul(tf.Cast(tf.Square(tf.Cast(x, tf.Float32)), tf.Float64), x)
	feed := session.Feed{x: []float64{0.5, -1, 1.5, 2}}
	// float32 in the middle: loosen the tolerance to float32's precision.
	tftest.CheckGradients(t, g, y, []*tf.Tensor{x}, feed, 1e-3, 1e-3)
	// d/dx x²·x = 3x², exact for these inputs even through float32.
	gr, err := tf.Gradients([]*tf.Tensor{y}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "exact", runAll(t, g, gr, feed)[0].Float64s(), []float64{0.75, 3, 6.75, 12})
	gr, err = tf.Gradients([]*tf.Tensor{tf.Cast(tf.Cast(x, tf.Int32), tf.Float64)}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	if gr[0] != nil {
		t.Errorf("gradient through an int cast is %v, want nil", gr[0])
	}
}

func TestIdentityConstGroup(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None})
	id := tf.Identity(x, tf.Name("same"))
	if id.Name() != "same:0" {
		t.Errorf("name %q", id.Name())
	}
	checkShape(t, "identity static", id.Shape(), []int{tf.None})
	checkClose(t, "identity", runAll(t, g, id, session.Feed{x: []float64{1, 2}})[0].Float64s(), []float64{1, 2})
	tftest.CheckGradients(t, g, tf.Mul(tf.Identity(x), tf.Constant([]float64{3, -4}, tf.Float64)), []*tf.Tensor{x}, session.Feed{x: []float64{1, 2}}, gradH, gradTol)

	c := tf.Constant([][]int64{{1, 2}, {3, 4}}, tf.Invalid)
	if c.DType() != tf.Int64 {
		t.Errorf("Constant of int64s: dtype %s", c.DType())
	}
	checkShape(t, "const", c.Shape(), []int{2, 2})
	wantErr(t, "const lossy", tf.Constant(1.5, tf.Int32).Err(), "Constant", "1.5", "array_ops_test.go:")
	wantErr(t, "const ragged", tf.Constant([][]float64{{1, 2}, {3}}, tf.Float64).Err(), "[1]")

	v := tf.NewVariable(0.0, tf.WithDType(tf.Float64))
	w := tf.NewVariable(1.0, tf.WithDType(tf.Float64))
	grp := tf.Group([]*tf.Operation{v.Initializer(), w.Initializer()}, tf.Name("both"))
	if grp.Name() != "both" || grp.Type() != "NoOp" {
		t.Errorf("group %v", grp)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if _, err := sess.Run(grp, nil); err != nil {
		t.Fatal(err)
	}
	vals, err := sess.Run([]tf.Fetch{v, w}, nil)
	if err != nil {
		t.Fatalf("variables after running the group: %v", err)
	}
	checkClose(t, "group ran both", []float64{vals[0].Float64s()[0], vals[1].Float64s()[0]}, []float64{0, 1})
	if err := tf.Group([]*tf.Operation{nil}).Err(); err == nil {
		t.Error("Group of a nil op has no error")
	}

	fl := runAll(t, g, []*tf.Tensor{tf.Fill(tf.Shape{2, 2}, 2.5, tf.Float64), tf.Zeros(tf.Shape{3}, tf.Int32), tf.Ones(tf.Shape{2}, tf.Invalid)}, nil)
	checkClose(t, "fill", fl[0].Float64s(), []float64{2.5, 2.5, 2.5, 2.5})
	checkClose(t, "zeros", fl[1].Float64s(), []float64{0, 0, 0})
	if fl[2].DType() != tf.Float32 || math.Abs(fl[2].Float64s()[1]-1) > 0 {
		t.Errorf("ones: %v %s", fl[2].Float64s(), fl[2].DType())
	}
	wantErr(t, "fill None", tf.Fill(tf.Shape{tf.None}, 1, tf.Float32).Err(), "fully known", "array_ops_test.go:")
}
