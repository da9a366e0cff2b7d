package tf_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// keptShape returns shape with the reduced axes removed (or kept as 1).
func keptShape(shape []int, red []bool, keep bool) []int {
	out := []int{}
	for d, r := range red {
		switch {
		case !r:
			out = append(out, shape[d])
		case keep:
			out = append(out, 1)
		}
	}
	return out
}

// groupsOf returns, for each output element of a reduction (kept dims,
// row-major), the input values reduced into it: refReduce over the
// elements' indices, each output element numbering its group.
func groupsOf(x []float64, shape []int, red []bool) [][]float64 {
	var found [][]float64
	idx := make([]float64, len(x))
	for i := range idx {
		idx[i] = float64(i)
	}
	ids, _ := refReduce(idx, shape, red, -1, func(id, i float64) float64 {
		if id < 0 {
			id = float64(len(found))
			found = append(found, nil)
		}
		found[int(id)] = append(found[int(id)], x[int(i)])
		return id
	})
	groups := make([][]float64, len(ids))
	for o, id := range ids {
		if id >= 0 {
			groups[o] = found[int(id)]
		}
	}
	return groups
}

// The composite and product reductions against plain loops over each
// output element's values, every axis case, with and without keepdims.
func TestMoreReductionValues(t *testing.T) {
	type ref func(vals []float64) float64
	lse := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += math.Exp(x)
		}
		return math.Log(s)
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	variance := func(v []float64) float64 {
		m, s := mean(v), 0.0
		for _, x := range v {
			s += (x - m) * (x - m)
		}
		return s / float64(len(v))
	}
	cases := []struct {
		name string
		op   func(x any, opts ...tf.Option) *tf.Tensor
		ref  ref
	}{
		{"ReduceProd", tf.ReduceProd, func(v []float64) float64 {
			p := 1.0
			for _, x := range v {
				p *= x
			}
			return p
		}},
		{"ReduceLogSumExp", tf.ReduceLogSumExp, lse},
		{"ReduceVariance", tf.ReduceVariance, variance},
		{"ReduceStd", tf.ReduceStd, func(v []float64) float64 { return math.Sqrt(variance(v)) }},
	}
	shape := []int{2, 3, 4}
	in := wobble(24, 0.3)
	for _, c := range cases {
		for _, ac := range axisCases {
			for _, keep := range []bool{false, true} {
				for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
					t.Run(fmt.Sprintf("%s/%v/keep=%v/%s", c.name, ac.axes, keep, dt), func(t *testing.T) {
						g := newGraph(t)
						x := tf.Cast(tf.Placeholder(tf.Float64, tf.Shape{2, tf.None, 4}), dt)
						y := c.op(x, reduceOpts(ac.axes, keep)...)
						if y.Err() != nil {
							t.Fatal(y.Err())
						}
						if y.DType() != dt {
							t.Errorf("dtype %s, want %s", y.DType(), dt)
						}
						vals := in
						if dt == tf.Float32 {
							vals = round32(in)
						}
						var want []float64
						for _, grp := range groupsOf(vals, shape, ac.red) {
							want = append(want, c.ref(grp))
						}
						got := runAll(t, g, y, session.Feed{x.Op().Inputs()[0]: dense64(shape, in)})[0]
						checkShape(t, "shape", got.Shape(), keptShape(shape, ac.red, keep))
						tol := 1e-12
						if dt == tf.Float32 {
							tol = 3e-6
						}
						checkCloseTol(t, c.name, got.Float64s(), want, tol, tol)
					})
				}
			}
		}
	}
}

func TestReduceProdIntegersAndEmpty(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([][]int32{{2, -3, 4}, {1, 0, 5}}, tf.Int32)
	e := tf.Zeros(tf.Shape{2, 0}, tf.Float32)
	out := runAll(t, g, []*tf.Tensor{tf.ReduceProd(x, tf.Axis(1)), tf.ReduceProd(x), tf.ReduceProd(e, tf.Axis(1))}, nil)
	checkClose(t, "rows", out[0].Float64s(), []float64{-24, 0})
	checkClose(t, "all", out[1].Float64s(), []float64{0})
	checkClose(t, "empty", out[2].Float64s(), []float64{1, 1})
	if out[0].DType() != tf.Int32 {
		t.Errorf("dtype %s", out[0].DType())
	}
}

// The gradient of a product is exact with zeros in x: each element gets
// the product of the others (by hand: with one zero only the zero's
// gradient is non-zero; with two, all are zero).
func TestReduceProdGradient(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{3, 3})
	y := tf.ReduceProd(x, tf.Axis(1))
	d, err := tf.Gradients([]*tf.Tensor{y}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	feed := session.Feed{x: dense64([]int{3, 3}, []float64{2, 3, 4, 2, 0, 5, 0, 7, 0})}
	got := runAll(t, g, d[0], feed)[0]
	checkClose(t, "dx", got.Float64s(), []float64{12, 8, 6, 0, 10, 0, 0, 0, 0})
	for _, ac := range axisCases {
		for _, keep := range []bool{false, true} {
			g := newGraph(t)
			x := tf.Placeholder(tf.Float64, tf.Shape{2, 3, 4})
			vals := wobble(24, 0.7)
			vals[5], vals[17], vals[18] = 0, 0, 0
			y := tf.ReduceProd(x, reduceOpts(ac.axes, keep)...)
			w := tf.Add(tf.ZerosLike(y), 1.5)
			tftest.CheckGradients(t, g, tf.Mul(y, w), []*tf.Tensor{x}, session.Feed{x: dense64([]int{2, 3, 4}, vals)}, gradH, gradTol)
		}
	}
}

func TestMoreReductionGradients(t *testing.T) {
	for _, op := range []func(x any, opts ...tf.Option) *tf.Tensor{tf.ReduceLogSumExp, tf.ReduceVariance, tf.ReduceStd} {
		for _, ac := range axisCases[:9] {
			for _, keep := range []bool{false, true} {
				g := newGraph(t)
				x := tf.Placeholder(tf.Float64, tf.Shape{2, 3, 4})
				y := op(x, reduceOpts(ac.axes, keep)...)
				w := tf.Mul(tf.OnesLike(y), tf.Add(tf.Square(y), 0.5)) // a non-linear function of y
				tftest.CheckGradients(t, g, w, []*tf.Tensor{x}, session.Feed{x: dense64([]int{2, 3, 4}, wobble(24, 1.1))}, gradH, 1e-5)
			}
		}
	}
}

// TF's log-sum-exp subtracts the maximum: huge logits stay finite, -inf
// rows give -inf, +inf gives +inf.
func TestReduceLogSumExpExtremes(t *testing.T) {
	g := newGraph(t)
	inf := math.Inf(1)
	x := tf.Constant([][]float64{{1000, 1000}, {-1000, -1000}, {math.Inf(-1), math.Inf(-1)}, {inf, 0}, {0, math.Log(3)}}, tf.Float64)
	y := tf.ReduceLogSumExp(x, tf.Axis(1))
	got := runAll(t, g, y, nil)[0]
	checkClose(t, "lse", got.Float64s(), []float64{1000 + math.Ln2, -1000 + math.Ln2, math.Inf(-1), inf, math.Log(4)})
	if n := y.Op().Name(); n != "ReduceLogSumExp/Add" {
		t.Errorf("output op %q, want it in scope ReduceLogSumExp", n)
	}
	// The gradient is softmax and flows through no StopGradient.
	newGraph(t)
	z := tf.Placeholder(tf.Float64, tf.Shape{2})
	d, err := tf.Gradients([]*tf.Tensor{tf.ReduceLogSumExp(z)}, []any{z})
	if err != nil {
		t.Fatal(err)
	}
	got = runAll(t, z.Graph(), d[0], session.Feed{z: []float64{1000, 1000 + math.Log(3)}})[0]
	checkClose(t, "softmax", got.Float64s(), []float64{0.25, 0.75})
}

func TestReduceAllAny(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([][]bool{{true, true, false}, {true, true, true}}, tf.Bool)
	e := tf.Constant([][]bool{{}, {}}, tf.Bool)
	ops := []*tf.Tensor{
		tf.ReduceAll(x), tf.ReduceAny(x), tf.ReduceAll(x, tf.Axis(1)), tf.ReduceAny(x, tf.Axis(0), tf.KeepDims(true)),
		tf.ReduceAll(e, tf.Axis(1)), tf.ReduceAny(e, tf.Axis(-1)),
	}
	want := [][]bool{{false}, {true}, {false, true}, {true, true, true}, {true, true}, {false, false}}
	shapes := [][]int{{}, {}, {2}, {1, 3}, {2}, {2}}
	for k, o := range runAll(t, g, ops, nil) {
		checkShape(t, "shape", o.Shape(), shapes[k])
		var got []bool
		if b, ok := o.Data().([]bool); ok {
			got = b
		} else {
			got = []bool{o.Data().(bool)}
		}
		if fmt.Sprint(got) != fmt.Sprint(want[k]) {
			t.Errorf("op %d: got %v, want %v", k, got, want[k])
		}
	}
	wantErr(t, "All of floats", tf.ReduceAll(tf.Constant([]float32{1}, tf.Float32)).Err(), "tf.All", "float32 is not bool", "math_ops_reduce_more_test.go:")
	wantErr(t, "Prod of bools", tf.ReduceProd(x).Err(), "tf.Prod", "bool", "numeric")
	wantErr(t, "axis", tf.ReduceAny(x, tf.Axis(2)).Err(), "axis 2", "rank 2")
}

func TestCountNonzero(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([][]float32{{0, 1.5, 0}, {-2, 3, 0}}, tf.Float32)
	b := tf.Constant([]bool{true, false, true}, tf.Bool)
	all := tf.CountNonzero(x)
	if all.DType() != tf.Int64 {
		t.Errorf("default dtype %s, want int64", all.DType())
	}
	rows := tf.CountNonzero(x, tf.Axis(1), tf.KeepDims(true), tf.WithDType(tf.Int32))
	if rows.DType() != tf.Int32 {
		t.Errorf("dtype %s, want int32", rows.DType())
	}
	out := runAll(t, g, []*tf.Tensor{all, rows, tf.CountNonzero(b)}, nil)
	checkClose(t, "all", out[0].Float64s(), []float64{3})
	checkClose(t, "rows", out[1].Float64s(), []float64{1, 2})
	checkShape(t, "rows shape", out[1].Shape(), []int{2, 1})
	checkClose(t, "bools", out[2].Float64s(), []float64{2})
	wantErr(t, "string dtype", tf.CountNonzero(x, tf.WithDType(tf.Bool)).Err(), "tf.CountNonzero", "bool", "not numeric", "math_ops_reduce_more_test.go:")
	wantErr(t, "bad option", tf.CountNonzero(x, tf.Seed(1)).Err(), "tf.CountNonzero", "seed")
	wantErr(t, "variance of ints", tf.ReduceVariance(tf.Constant([]int32{1}, tf.Int32)).Err(), "tf.ReduceVariance", "int32", "math_ops_reduce_more_test.go:")
}

func TestStopGradient(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{2})
	y := tf.Add(tf.Mul(x, 3.0), tf.Square(tf.StopGradient(x)))
	d, err := tf.Gradients([]*tf.Tensor{y}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	out := runAll(t, g, []*tf.Tensor{y, d[0]}, session.Feed{x: []float64{1, 2}})
	checkClose(t, "value", out[0].Float64s(), []float64{4, 10})
	checkClose(t, "gradient", out[1].Float64s(), []float64{3, 3})
}
