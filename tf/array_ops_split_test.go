package tf_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// TestSplit: tf.split by a number of pieces and by sizes (one -1), along
// any axis, negative axes; shapes with None; values against hand-indexed
// slices; gradients by central differences; errors.
func TestSplit(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 6})
	xv := seq(12, 1, 1) // [[1..6], [7..12]]
	feed := session.Feed{x: dense64([]int{2, 6}, xv)}
	cases := []struct {
		name   string
		pieces []*tf.Tensor
		want   [][]float64
		shapes []tf.Shape
	}{
		{"num 3 axis 1", tf.Split(x, 3, 1), [][]float64{{1, 2, 7, 8}, {3, 4, 9, 10}, {5, 6, 11, 12}},
			[]tf.Shape{{tf.None, 2}, {tf.None, 2}, {tf.None, 2}}},
		{"sizes [1 -1 2] axis -1", tf.Split(x, []int{1, -1, 2}, -1), [][]float64{{1, 7}, {2, 3, 4, 8, 9, 10}, {5, 6, 11, 12}},
			[]tf.Shape{{tf.None, 1}, {tf.None, 3}, {tf.None, 2}}},
		{"num 2 axis 0 (unknown)", tf.Split(x, 2, 0), [][]float64{{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}},
			[]tf.Shape{{tf.None, 6}, {tf.None, 6}}},
	}
	for _, c := range cases {
		if len(c.pieces) != len(c.want) {
			t.Fatalf("%s: %d pieces, want %d (%v)", c.name, len(c.pieces), len(c.want), c.pieces[0].Err())
		}
		vals := runAll(t, g, c.pieces, feed)
		for i, p := range c.pieces {
			if !p.Shape().Equal(c.shapes[i]) {
				t.Errorf("%s: piece %d has static shape %v, want %v", c.name, i, p.Shape(), c.shapes[i])
			}
			checkClose(t, c.name, vals[i].Float64s(), c.want[i])
		}
		// Weighted so that each piece's gradient differs.
		var y *tf.Tensor
		for i, p := range c.pieces {
			term := tf.ReduceSum(tf.Mul(tf.Square(p), float64(i+1)))
			if i == 1 {
				continue // a piece nothing depends on gets zeros
			}
			if y == nil {
				y = term
			} else {
				y = tf.Add(y, term)
			}
		}
		tftest.CheckGradients(t, g, y, []*tf.Tensor{x}, feed, 1e-6, 1e-8)
	}
	wantErr(t, "6 into 4", tf.Split(x, 4, 1)[0].Err(), "evenly divide", "split_dim of size 6")
	wantErr(t, "sizes too large", tf.Split(x, []int{4, 4}, 1)[0].Err(), "add up to 8")
	wantErr(t, "two -1", tf.Split(x, []int{-1, -1}, 1)[0].Err(), "more than one -1")
	wantErr(t, "axis 2", tf.Split(x, 2, 2)[0].Err(), "axis")
	wantErr(t, "bad type", tf.Split(x, 2.5, 1)[0].Err(), "array_ops_split_test.go:", "float64")
	wantErr(t, "run time", runErr(tf.Split(x, 2, 0)[0], session.Feed{x: dense64([]int{3, 6}, seq(18, 0, 1))}), "evenly divide")
}

// TestFloorLog1p: values against math.Floor and math.Log1p; Floor has no
// gradient (nothing flows back), Log1p's is checked by central differences.
func TestFloorLog1p(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{5})
	xv := []float64{-1.5, -0.25, 0, 0.75, 2.5}
	feed := session.Feed{x: xv}
	vals := runAll(t, g, []*tf.Tensor{tf.Floor(x), tf.Log1p(tf.Abs(x))}, feed)
	var wf, wl []float64
	for _, v := range xv {
		wf, wl = append(wf, math.Floor(v)), append(wl, math.Log1p(math.Abs(v)))
	}
	checkClose(t, "Floor", vals[0].Float64s(), wf)
	checkClose(t, "Log1p", vals[1].Float64s(), wl)
	grads, err := tf.Gradients([]*tf.Tensor{tf.ReduceSum(tf.Add(tf.Floor(x), x))}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "d(floor(x)+x)/dx", eval(t, grads[0], feed).Float64s(), []float64{1, 1, 1, 1, 1})
	pos := tf.Placeholder(tf.Float64, tf.Shape{3})
	tftest.CheckGradients(t, g, tf.ReduceSum(tf.Log1p(pos)), []*tf.Tensor{pos}, session.Feed{pos: []float64{0.1, 1, 3}}, 1e-6, 1e-8)
}

// TestPlaceholderWithDefault: the default unless fed; shapes checked.
func TestPlaceholderWithDefault(t *testing.T) {
	g := newGraph(t)
	keep := tf.PlaceholderWithDefault(1.0, tf.Shape{})
	if keep.DType() != tf.Float32 || !keep.Shape().Equal(tf.Shape{}) {
		t.Errorf("keep is %v%v; want float32[]", keep.DType(), keep.Shape())
	}
	y := tf.Mul(keep, 3.0)
	if got := eval(t, y, nil).Float64s(); got[0] != 3 {
		t.Errorf("unfed: %v, want 3", got)
	}
	if got := eval(t, y, session.Feed{keep: 0.5}).Float64s(); got[0] != 1.5 {
		t.Errorf("fed 0.5: %v, want 1.5", got)
	}
	v := tf.PlaceholderWithDefault(tf.Constant([]float64{1, 2, 3}, tf.Float64), tf.Shape{tf.None})
	if got := eval(t, tf.ReduceSum(v), nil).Float64s(); got[0] != 6 {
		t.Errorf("vector default: %v, want 6", got)
	}
	// The gradient flows to the default when it is not fed.
	d := tf.Placeholder(tf.Float64, tf.Shape{3})
	pd := tf.PlaceholderWithDefault(d, tf.Shape{tf.None})
	tftest.CheckGradients(t, g, tf.ReduceSum(tf.Square(pd)), []*tf.Tensor{d}, session.Feed{d: []float64{0.5, -1, 2}}, 1e-6, 1e-8)
	wantErr(t, "bad shape", tf.PlaceholderWithDefault(tf.Constant([]float64{1, 2, 3}, tf.Float64), tf.Shape{2}).Err(), "not compatible")
	_ = g
}

// TestRandomOfRunTimeShape: tf.RandomUniform(tf.ShapeOf(x)) takes x's shape
// at each Run, the batch None; other shape tensors are refused.
func TestRandomOfRunTimeShape(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	u := tf.RandomUniform(tf.ShapeOf(x), tf.Float64, tf.Minval(2), tf.Maxval(3))
	if !u.Shape().Equal(tf.Shape{tf.None, 3}) {
		t.Errorf("static shape %v, want [?,3]", u.Shape())
	}
	for _, b := range []int{1, 4} {
		v := eval(t, u, session.Feed{x: dense32([]int{b, 3}, seq(3*b, 0, 1))})
		checkShape(t, "RandomUniform(ShapeOf(x))", v.Shape(), []int{b, 3})
		for _, e := range v.Float64s() {
			if e < 2 || e >= 3 {
				t.Fatalf("value %v outside [2, 3)", e)
			}
		}
	}
	wantErr(t, "not ShapeOf", tf.RandomNormal(tf.Constant([]int32{2, 3}, tf.Int32), tf.Float32).Err(), "is not tf.ShapeOf(x)", "array_ops_split_test.go:")
	wantErr(t, "unknown Shape", tf.RandomNormal(tf.Shape{tf.None, 3}, tf.Float32).Err(), "must be fully known")
	_ = g
}

// TestDevice: ops built in a tf.Device scope record it; scopes nest.
func TestDevice(t *testing.T) {
	newGraph(t)
	a := tf.Constant(1.0, tf.Float32)
	closeGPU := tf.Device("/gpu:0")
	b := tf.Add(a, a)
	closeCPU := tf.Device("/cpu:0")
	c := tf.Add(b, a)
	closeCPU()
	d := tf.Add(c, a)
	closeGPU()
	e := tf.Add(d, a)
	for _, x := range []struct {
		t    *tf.Tensor
		want string
	}{{a, ""}, {b, "/gpu:0"}, {c, "/cpu:0"}, {d, "/gpu:0"}, {e, ""}} {
		if got := x.t.Op().Device(); got != x.want {
			t.Errorf("%s: device %q, want %q", x.t.Name(), got, x.want)
		}
	}
	if got := eval(t, e, nil).Float64s(); got[0] != 5 {
		t.Errorf("value %v, want 5", got)
	}
}
