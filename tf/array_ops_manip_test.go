package tf_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// ---- helpers (independent of the code under test) ----

// fill returns n values, value i f(i).
func fill[T any](n int, f func(i int) T) []T {
	v := make([]T, n)
	for i := range v {
		v[i] = f(i)
	}
	return v
}

// iotaDense returns a tensor of shape and dtype holding start, start+1, ...
// (bools alternate, starting with true when start is odd).
func iotaDense(shape []int, dt tf.DType, start int) *tensor.Dense {
	n := 1
	for _, d := range shape {
		n *= d
	}
	var back any
	switch dt {
	case tf.Float32:
		back = fill(n, func(i int) float32 { return float32(start + i) })
	case tf.Float64:
		back = fill(n, func(i int) float64 { return float64(start + i) })
	case tf.Int32:
		back = fill(n, func(i int) int32 { return int32(start + i) })
	case tf.Int64:
		back = fill(n, func(i int) int64 { return int64(start + i) })
	case tf.Bool:
		back = fill(n, func(i int) bool { return (start+i)%2 == 1 })
	}
	if len(shape) == 0 {
		return tensor.New(tensor.WithShape(), tensor.WithBacking(back))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(back))
}

// flat returns the elements of d as float64s (bools as 0 and 1).
func flat(d *tensor.Dense) []float64 {
	var out []float64
	switch x := tfimpl.Backing(d).(type) {
	case []bool:
		for _, v := range x {
			out = append(out, map[bool]float64{false: 0, true: 1}[v])
		}
	case []float32:
		for _, v := range x {
			out = append(out, float64(v))
		}
	case []float64:
		out = append(out, x...)
	case []int32:
		for _, v := range x {
			out = append(out, float64(v))
		}
	case []int64:
		for _, v := range x {
			out = append(out, float64(v))
		}
	}
	return out
}

func ravel(idx, shape []int) int {
	o := 0
	for d := range shape {
		o = o*shape[d] + idx[d]
	}
	return o
}

// check compares a result's dtype, shape and values.
func check(t *testing.T, got *tf.Array, dt tf.DType, shape []int, want []float64) {
	t.Helper()
	if got.DType() != dt {
		t.Errorf("dtype %s, want %s", got.DType(), dt)
	}
	gs := []int(got.Shape())
	if len(gs) != len(shape) || (len(shape) > 0 && !reflect.DeepEqual(gs, shape)) {
		t.Errorf("shape %v, want %v", gs, shape)
		return
	}
	g := flat(got.Dense)
	if len(g) != len(want) {
		t.Fatalf("%d values, want %d", len(g), len(want))
	}
	for i := range g {
		if g[i] != want[i] {
			t.Errorf("value %d (index %v) = %v, want %v; got %v want %v", i, unravel(i, shape), g[i], want[i], g, want)
			return
		}
	}
}

func aWantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func shapeIs(t *testing.T, x *tf.Tensor, want tf.Shape) {
	t.Helper()
	if x.Err() != nil {
		t.Fatalf("build error: %v", x.Err())
	}
	if want == nil {
		if x.Shape() != nil {
			t.Errorf("static shape %v, want unknown rank", x.Shape())
		}
		return
	}
	if x.Shape() == nil || !x.Shape().Equal(want) {
		t.Errorf("static shape %v, want %v", x.Shape(), want)
	}
}

var allDTypes = []tf.DType{tf.Float32, tf.Float64, tf.Int32, tf.Int64, tf.Bool}

// ---- Transpose ----

func refTranspose(in []float64, shape, perm []int) ([]float64, []int) {
	if perm == nil {
		for i := len(shape) - 1; i >= 0; i-- {
			perm = append(perm, i)
		}
	}
	os := make([]int, len(perm))
	for i, p := range perm {
		os[i] = shape[p]
	}
	out := make([]float64, len(in))
	for i, v := range in {
		idx := unravel(i, shape)
		oi := make([]int, len(perm))
		for k, p := range perm {
			oi[k] = idx[p]
		}
		out[ravel(oi, os)] = v
	}
	return out, os
}

func TestTransposeValues(t *testing.T) {
	// Worked by hand: [[0 1 2] [3 4 5]]^T.
	newGraph(t)
	y := tf.Transpose(tf.Constant([][]float32{{0, 1, 2}, {3, 4, 5}}, tf.Invalid), nil)
	check(t, eval(t, y, nil), tf.Float32, []int{3, 2}, []float64{0, 3, 1, 4, 2, 5})

	tests := []struct {
		shape []int
		perm  []int
	}{
		{[]int{}, nil},
		{[]int{5}, nil},
		{[]int{5}, []int{0}},
		{[]int{2, 3}, []int{0, 1}},
		{[]int{2, 3, 4}, []int{1, 0, 2}},
		{[]int{2, 3, 4}, []int{2, 0, 1}},
		{[]int{2, 3, 4}, []int{1, 2, 0}},
		{[]int{2, 3, 4}, nil},
		{[]int{2, 1, 3, 2}, []int{3, 1, 0, 2}},
		{[]int{2, 3, 2, 2}, []int{1, 0, 2, 3}},
		{[]int{3, 2, 2, 2}, []int{0, 2, 1, 3}},
		{[]int{0, 3}, nil},
		{[]int{2, 0, 3}, []int{2, 0, 1}},
	}
	for _, tc := range tests {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("%v/%v/%s", tc.shape, tc.perm, dt), func(t *testing.T) {
				newGraph(t)
				x := iotaDense(tc.shape, dt, 1)
				y := tf.Transpose(tf.Constant(x, tf.Invalid), tc.perm)
				want, ws := refTranspose(flat(x), tc.shape, tc.perm)
				shapeIs(t, y, tf.Shape(ws))
				check(t, eval(t, y, nil), dt, ws, want)
			})
		}
	}
}

func TestTransposeShapes(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3, 4})
	shapeIs(t, tf.Transpose(x, []int{1, 0, 2}), tf.Shape{3, tf.None, 4})
	shapeIs(t, tf.Transpose(x, nil), tf.Shape{4, 3, tf.None})
	u := tf.Placeholder(tf.Float32, nil)
	shapeIs(t, tf.Transpose(u, nil), nil)
	shapeIs(t, tf.Transpose(u, []int{1, 0}), tf.Shape{tf.None, tf.None})

	for _, tc := range []struct {
		perm []int
		want []string
	}{
		{[]int{0, 1}, []string{"perm [0 1]", "2 entries", "rank 3", "permutation of [0, 3)"}},
		{[]int{0, 1, 3}, []string{"perm [0 1 3]", "holds 3", "[0, 3)"}},
		{[]int{0, -1, 2}, []string{"perm [0 -1 2]", "holds -1"}},
		{[]int{0, 0, 1}, []string{"perm [0 0 1]", "holds 0 twice"}},
	} {
		y := tf.Transpose(x, tc.perm)
		aWantErr(t, y.Err(), append(tc.want, "tf.Transpose", "array_ops_manip_test.go:")...)
	}

	// Run time: the None dimension comes from the feed.
	newGraph(t)
	x = tf.Placeholder(tf.Int64, tf.Shape{tf.None, 3, 2})
	y := tf.Transpose(x, []int{1, 0, 2})
	xv := iotaDense([]int{4, 3, 2}, tf.Int64, 0)
	want, ws := refTranspose(flat(xv), []int{4, 3, 2}, []int{1, 0, 2})
	check(t, eval(t, y, session.Feed{x: xv}), tf.Int64, ws, want)
}

// ---- Stack, Unstack ----

func TestStack(t *testing.T) {
	// Worked by hand.
	g := newGraph(t)
	a := tf.Constant([]float32{1, 2}, tf.Invalid)
	b := tf.Constant([]float32{3, 4}, tf.Invalid)
	check(t, eval(t, tf.Stack([]*tf.Tensor{a, b}, 0), nil), tf.Float32, []int{2, 2}, []float64{1, 2, 3, 4})
	check(t, eval(t, tf.Stack([]*tf.Tensor{a, b}, 1), nil), tf.Float32, []int{2, 2}, []float64{1, 3, 2, 4})
	check(t, eval(t, tf.Stack([]*tf.Tensor{a, b}, -1), nil), tf.Float32, []int{2, 2}, []float64{1, 3, 2, 4})
	// []any mixing tensors and Go values; Go values take the tensor's dtype.
	check(t, eval(t, tf.Stack([]any{a, []float64{5, 6}}, 0), nil), tf.Float32, []int{2, 2}, []float64{1, 2, 5, 6})
	// A Go slice of values, as a Python list; scalars stack to a vector.
	check(t, eval(t, tf.Stack([]float32{7, 8, 9}, 0), nil), tf.Float32, []int{3}, []float64{7, 8, 9})
	// Variables.
	v := tf.NewVariable(tf.Constant([]float32{1, 2}, tf.Invalid))
	s := session.New(session.WithGraph(g))
	defer s.Close()
	if _, err := s.Run(tf.GlobalVariablesInitializer(), nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Eval(tf.Stack([]*tf.Variable{v, v}, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	check(t, got, tf.Float32, []int{2, 2}, []float64{1, 2, 1, 2})

	shape := []int{2, 3}
	for _, axis := range []int{0, 1, 2, -1, -2, -3} {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("axis%d/%s", axis, dt), func(t *testing.T) {
				newGraph(t)
				var vals []*tf.Tensor
				var ins [][]float64
				for k := 0; k < 3; k++ {
					d := iotaDense(shape, dt, 10*k+1)
					ins = append(ins, flat(d))
					vals = append(vals, tf.Constant(d, tf.Invalid))
				}
				ax := axis
				if ax < 0 {
					ax += 3
				}
				os := append(append(append([]int{}, shape[:ax]...), 3), shape[ax:]...)
				want := make([]float64, 18)
				for k, in := range ins {
					for i, v := range in {
						idx := unravel(i, shape)
						oi := append(append(append([]int{}, idx[:ax]...), k), idx[ax:]...)
						want[ravel(oi, os)] = v
					}
				}
				y := tf.Stack(vals, axis)
				shapeIs(t, y, tf.Shape(os))
				check(t, eval(t, y, nil), dt, os, want)
			})
		}
	}
	// Scalars.
	g = newGraph(t)
	check(t, eval(t, tf.Stack([]any{tf.Constant(int64(4), tf.Invalid), int64(5)}, -1), nil), tf.Int64, []int{2}, []float64{4, 5})
}

func TestStackErrorsAndShapes(t *testing.T) {
	newGraph(t)
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	q := tf.Placeholder(tf.Float32, tf.Shape{2, tf.None})
	shapeIs(t, tf.Stack([]*tf.Tensor{p, q}, 1), tf.Shape{2, 2, 3})
	shapeIs(t, tf.Stack([]*tf.Tensor{p, p}, 0), tf.Shape{2, tf.None, 3})
	u := tf.Placeholder(tf.Float32, nil)
	shapeIs(t, tf.Stack([]*tf.Tensor{u, p}, 0), tf.Shape{2, tf.None, 3})
	shapeIs(t, tf.Stack([]*tf.Tensor{u}, 0), nil)

	r := tf.Placeholder(tf.Float32, tf.Shape{2, 4})
	aWantErr(t, tf.Stack([]*tf.Tensor{p, p}, 3).Err(), "axis 3 is out of range [-3, 3)", "rank 2")
	aWantErr(t, tf.Stack([]*tf.Tensor{p, p}, -4).Err(), "axis -4 is out of range [-3, 3)")
	aWantErr(t, tf.Stack([]*tf.Tensor{p, r}, 0).Err(), "values[1] has shape [2,4]", "values[0] has shape [?,3]")
	aWantErr(t, tf.Stack([]any{p, tf.Placeholder(tf.Float32, tf.Shape{3})}, 0).Err(), "rank 1", "rank 2")
	aWantErr(t, tf.Stack([]any{p, tf.Placeholder(tf.Int32, tf.Shape{2, 3})}, 0).Err(), "values[1] has dtype int32", "float32")
	aWantErr(t, tf.Stack([]*tf.Tensor{}, 0).Err(), "empty")
	aWantErr(t, tf.Stack(p, 0).Err(), "*tf.Tensor", "want a slice")
	aWantErr(t, tf.Stack(nil, 0).Err(), "nil")

	// Run time: fed shapes must agree.
	newGraph(t)
	a := tf.Placeholder(tf.Float32, tf.Shape{tf.None})
	b := tf.Placeholder(tf.Float32, tf.Shape{tf.None})
	y := tf.Stack([]*tf.Tensor{a, b}, 1)
	shapeIs(t, y, tf.Shape{tf.None, 2})
	check(t, eval(t, y, session.Feed{a: []float32{1, 2, 3}, b: []float32{4, 5, 6}}), tf.Float32, []int{3, 2}, []float64{1, 4, 2, 5, 3, 6})
	aWantErr(t, runErr(y, session.Feed{a: []float32{1, 2, 3}, b: []float32{4, 5}}), "values[1] has shape [2]")
}

func TestUnstack(t *testing.T) {
	// Worked by hand.
	newGraph(t)
	x := tf.Constant([][]float32{{1, 2, 3}, {4, 5, 6}}, tf.Invalid)
	rows := tf.Unstack(x, 0)
	if len(rows) != 2 {
		t.Fatalf("%d results, want 2", len(rows))
	}
	check(t, eval(t, rows[1], nil), tf.Float32, []int{3}, []float64{4, 5, 6})
	cols := tf.Unstack(x, -1)
	if len(cols) != 3 {
		t.Fatalf("%d results, want 3", len(cols))
	}
	check(t, eval(t, cols[2], nil), tf.Float32, []int{2}, []float64{3, 6})

	shape := []int{2, 3, 4}
	for _, axis := range []int{0, 1, 2, -1, -3} {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("axis%d/%s", axis, dt), func(t *testing.T) {
				g := newGraph(t)
				xd := iotaDense(shape, dt, 1)
				ax := axis
				if ax < 0 {
					ax += 3
				}
				n := shape[ax]
				ps := append(append([]int{}, shape[:ax]...), shape[ax+1:]...)
				want := make([][]float64, n)
				for k := range want {
					want[k] = make([]float64, prod(ps))
				}
				for i, v := range flat(xd) {
					idx := unravel(i, shape)
					pi := append(append([]int{}, idx[:ax]...), idx[ax+1:]...)
					want[idx[ax]][ravel(pi, ps)] = v
				}
				outs := tf.Unstack(tf.Constant(xd, tf.Invalid), axis)
				if len(outs) != n {
					t.Fatalf("%d results, want %d", len(outs), n)
				}
				s := session.New(session.WithGraph(g))
				defer s.Close()
				vals, err := s.Run(outs, nil)
				if err != nil {
					t.Fatal(err)
				}
				for k := range outs {
					shapeIs(t, outs[k], tf.Shape(ps))
					check(t, vals[k], dt, ps, want[k])
				}
			})
		}
	}

	// Rank 1 gives scalars.
	newGraph(t)
	sc := tf.Unstack(tf.Constant([]int32{7, 8}, tf.Invalid), 0)
	if len(sc) != 2 {
		t.Fatalf("%d results, want 2", len(sc))
	}
	check(t, eval(t, sc[1], nil), tf.Int32, []int{}, []float64{8})
	// A zero-sized axis gives no tensors.
	if n := len(tf.Unstack(tf.Zeros(tf.Shape{0, 3}, tf.Float32), 0)); n != 0 {
		t.Errorf("unstack of a [0,3] tensor gave %d results, want 0", n)
	}
}

func TestUnstackShapes(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3, 2})
	outs := tf.Unstack(x, 1)
	if len(outs) != 3 {
		t.Fatalf("%d results, want 3", len(outs))
	}
	shapeIs(t, outs[0], tf.Shape{tf.None, 2})
	xv := iotaDense([]int{2, 3, 2}, tf.Float32, 0)
	check(t, eval(t, outs[2], session.Feed{x: xv}), tf.Float32, []int{2, 2}, []float64{4, 5, 10, 11})

	bad := tf.Unstack(x, 0)
	if len(bad) != 1 {
		t.Fatalf("failed unstack gave %d tensors, want 1 error tensor", len(bad))
	}
	aWantErr(t, bad[0].Err(), "Cannot infer num from shape [?,3,2]", "tf.Unpack")
	aWantErr(t, tf.Unstack(tf.Placeholder(tf.Float32, nil), 0)[0].Err(), "Cannot infer num")
	aWantErr(t, tf.Unstack(x, 3)[0].Err(), "axis 3 is out of range [-3, 3)")
	aWantErr(t, tf.Unstack(x, -4)[0].Err(), "axis -4 is out of range [-3, 3)")
	aWantErr(t, tf.Unstack(x, 1, tf.Num(4))[0].Err(), "must equal 4", "[?,3,2]")
	aWantErr(t, tf.Unstack(x, 0, tf.Seed(1))[0].Err(), "does not take the option seed")

	// Num makes a None axis unstackable; the fed size must match it.
	byNum := tf.Unstack(x, 0, tf.Num(2))
	if len(byNum) != 2 {
		t.Fatalf("%d results, want 2", len(byNum))
	}
	shapeIs(t, byNum[1], tf.Shape{3, 2})
	check(t, eval(t, byNum[1], session.Feed{x: xv}), tf.Float32, []int{3, 2}, []float64{6, 7, 8, 9, 10, 11})
	aWantErr(t, runErr(byNum[1], session.Feed{x: iotaDense([]int{3, 3, 2}, tf.Float32, 0)}), "must equal 2")
}

// ---- Concat ----

func TestConcat(t *testing.T) {
	// Worked by hand.
	newGraph(t)
	a := tf.Constant([][]int32{{1, 2}, {3, 4}}, tf.Invalid)
	b := tf.Constant([][]int32{{5}, {6}}, tf.Invalid)
	c := tf.Constant([][]int32{{7, 8}}, tf.Invalid)
	check(t, eval(t, tf.Concat([]*tf.Tensor{a, b}, 1), nil), tf.Int32, []int{2, 3}, []float64{1, 2, 5, 3, 4, 6})
	check(t, eval(t, tf.Concat([]*tf.Tensor{a, c}, 0), nil), tf.Int32, []int{3, 2}, []float64{1, 2, 3, 4, 7, 8})
	check(t, eval(t, tf.Concat([]any{b, a, b}, -1), nil), tf.Int32, []int{2, 4}, []float64{5, 1, 2, 5, 6, 3, 4, 6})
	check(t, eval(t, tf.Concat([]any{[]float32{1}, []float32{2, 3}}, 0), nil), tf.Float32, []int{3}, []float64{1, 2, 3})
	check(t, eval(t, tf.Concat([]*tf.Tensor{a}, 0), nil), tf.Int32, []int{2, 2}, []float64{1, 2, 3, 4})

	for _, dt := range allDTypes {
		for _, axis := range []int{0, 1, 2, -1} {
			t.Run(fmt.Sprintf("axis%d/%s", axis, dt), func(t *testing.T) {
				newGraph(t)
				ax := axis
				if ax < 0 {
					ax += 3
				}
				sizes := []int{2, 0, 3}
				var vals []*tf.Tensor
				var ins [][]float64
				var shapes [][]int
				os := []int{2, 3, 2}
				os[ax] = 0
				for k, sz := range sizes {
					s := []int{2, 3, 2}
					s[ax] = sz
					d := iotaDense(s, dt, 100*k+1)
					vals = append(vals, tf.Constant(d, tf.Invalid))
					ins = append(ins, flat(d))
					shapes = append(shapes, s)
					os[ax] += sz
				}
				want := make([]float64, prod(os))
				off := 0
				for k, in := range ins {
					for i, v := range in {
						idx := unravel(i, shapes[k])
						idx[ax] += off
						want[ravel(idx, os)] = v
					}
					off += sizes[k]
				}
				y := tf.Concat(vals, axis)
				shapeIs(t, y, tf.Shape(os))
				check(t, eval(t, y, nil), dt, os, want)
			})
		}
	}
}

func TestConcatErrorsAndShapes(t *testing.T) {
	newGraph(t)
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	q := tf.Placeholder(tf.Float32, tf.Shape{2, 3})
	r := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2})
	shapeIs(t, tf.Concat([]*tf.Tensor{p, q}, 0), tf.Shape{tf.None, 3})
	shapeIs(t, tf.Concat([]*tf.Tensor{q, q}, 0), tf.Shape{4, 3})
	shapeIs(t, tf.Concat([]*tf.Tensor{p, r}, 1), tf.Shape{tf.None, 5})
	shapeIs(t, tf.Concat([]*tf.Tensor{q, r}, 1), tf.Shape{2, 5})
	shapeIs(t, tf.Concat([]*tf.Tensor{q, tf.Placeholder(tf.Float32, nil)}, 1), tf.Shape{2, tf.None})
	shapeIs(t, tf.Concat([]*tf.Tensor{tf.Placeholder(tf.Float32, nil)}, 1), nil)

	aWantErr(t, tf.Concat([]*tf.Tensor{q, r}, 0).Err(), "dimension 1 of values[1] (shape [?,2]) is 2", "has 3")
	aWantErr(t, tf.Concat([]*tf.Tensor{q, tf.Placeholder(tf.Float32, tf.Shape{3})}, 0).Err(), "rank 1", "rank 2")
	aWantErr(t, tf.Concat([]*tf.Tensor{q, q}, 2).Err(), "axis 2 is out of range [-2, 2)")
	aWantErr(t, tf.Concat([]*tf.Tensor{q, q}, -3).Err(), "axis -3 is out of range [-2, 2)")
	aWantErr(t, tf.Concat([]any{1.0, 2.0}, 0).Err(), "scalars")
	aWantErr(t, tf.Concat([]any{q, tf.Placeholder(tf.Int32, tf.Shape{2, 3})}, 0).Err(), "values[1] has dtype int32")
	aWantErr(t, tf.Concat([]*tf.Tensor{}, 0).Err(), "empty")

	newGraph(t)
	a := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 2})
	b := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 1})
	y := tf.Concat([]*tf.Tensor{a, b}, 1)
	check(t, eval(t, y, session.Feed{a: [][]float64{{1, 2}}, b: [][]float64{{3}}}), tf.Float64, []int{1, 3}, []float64{1, 2, 3})
	aWantErr(t, runErr(y, session.Feed{a: [][]float64{{1, 2}}, b: [][]float64{{3}, {4}}}), "dimension 0")
}

// ---- Slice ----

func TestSliceOf(t *testing.T) {
	// Worked by hand: rows 1..2, all columns from 1.
	newGraph(t)
	x := tf.Constant([][]float32{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}, tf.Invalid)
	check(t, eval(t, tf.Slice(x, []int{1, 1}, []int{2, -1}), nil), tf.Float32, []int{2, 3}, []float64{5, 6, 7, 9, 10, 11})
	check(t, eval(t, tf.Slice(x, []int{0, 2}, []int{-1, 1}), nil), tf.Float32, []int{3, 1}, []float64{2, 6, 10})
	check(t, eval(t, tf.Slice(x, []int{3, 0}, []int{-1, -1}), nil), tf.Float32, []int{0, 4}, []float64{})
	check(t, eval(t, tf.Slice(x, []int{1, 1}, []int{0, 2}), nil), tf.Float32, []int{0, 2}, []float64{})
	check(t, eval(t, tf.Slice(3.5, []int{}, []int{}), nil), tf.Float32, []int{}, []float64{3.5})

	tests := []struct {
		shape, begin, size []int
	}{
		{[]int{5}, []int{2}, []int{2}},
		{[]int{5}, []int{0}, []int{-1}},
		{[]int{5}, []int{5}, []int{-1}},
		{[]int{3, 4}, []int{0, 0}, []int{3, 4}},
		{[]int{2, 3, 4}, []int{1, 0, 1}, []int{1, -1, 2}},
		{[]int{2, 3, 4}, []int{0, 1, 3}, []int{2, 2, 1}},
		{[]int{2, 3, 4, 2}, []int{1, 1, 1, 1}, []int{-1, -1, 2, -1}},
	}
	for _, tc := range tests {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("%v/%v/%v/%s", tc.shape, tc.begin, tc.size, dt), func(t *testing.T) {
				newGraph(t)
				xd := iotaDense(tc.shape, dt, 1)
				os := make([]int, len(tc.shape))
				for i := range os {
					os[i] = tc.size[i]
					if os[i] == -1 {
						os[i] = tc.shape[i] - tc.begin[i]
					}
				}
				in := flat(xd)
				want := make([]float64, prod(os))
				for i := range want {
					idx := unravel(i, os)
					for d := range idx {
						idx[d] += tc.begin[d]
					}
					want[i] = in[ravel(idx, tc.shape)]
				}
				y := tf.Slice(tf.Constant(xd, tf.Invalid), tc.begin, tc.size)
				shapeIs(t, y, tf.Shape(os))
				check(t, eval(t, y, nil), dt, os, want)
			})
		}
	}
}

func TestSliceOfErrorsAndShapes(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4})
	shapeIs(t, tf.Slice(x, []int{1, 1}, []int{-1, 2}), tf.Shape{tf.None, 2})
	shapeIs(t, tf.Slice(x, []int{1, 1}, []int{2, -1}), tf.Shape{2, 3})
	shapeIs(t, tf.Slice(tf.Placeholder(tf.Float32, nil), []int{0, 1}, []int{2, -1}), tf.Shape{2, tf.None})

	q := tf.Placeholder(tf.Float32, tf.Shape{3, 4})
	aWantErr(t, tf.Slice(q, []int{4, 0}, []int{-1, -1}).Err(), "begin[0] in [0, 3]", "got 4")
	aWantErr(t, tf.Slice(q, []int{-1, 0}, []int{1, 1}).Err(), "begin[0]", "got -1")
	aWantErr(t, tf.Slice(q, []int{1, 2}, []int{1, 3}).Err(), "size[1] in [0, 2]", "got 3")
	aWantErr(t, tf.Slice(q, []int{1, 2}, []int{1, -2}).Err(), "size[1] is -2")
	aWantErr(t, tf.Slice(q, []int{1}, []int{1}).Err(), "1 entries", "rank 2")
	aWantErr(t, tf.Slice(q, []int{1, 0}, []int{1}).Err(), "begin [1 0] has 2 entries but size [1] has 1")

	newGraph(t)
	x = tf.Placeholder(tf.Int32, tf.Shape{tf.None, 3})
	y := tf.Slice(x, []int{1, 0}, []int{-1, 2})
	check(t, eval(t, y, session.Feed{x: [][]int32{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}}), tf.Int32, []int{2, 2}, []float64{4, 5, 7, 8})
	aWantErr(t, runErr(y, session.Feed{x: iotaDense([]int{0, 3}, tf.Int32, 0)}), "begin[0] in [0, 0]")
}

// ---- Gather ----

func TestGather(t *testing.T) {
	// Worked by hand.
	newGraph(t)
	p := tf.Constant([][]float32{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10, 11}}, tf.Invalid)
	check(t, eval(t, tf.Gather(p, []int{3, 0, 3}), nil), tf.Float32, []int{3, 3}, []float64{9, 10, 11, 0, 1, 2, 9, 10, 11})
	check(t, eval(t, tf.Gather(p, 2), nil), tf.Float32, []int{3}, []float64{6, 7, 8})
	check(t, eval(t, tf.Gather(p, []int64{2, 0}, tf.Axis(1)), nil), tf.Float32, []int{4, 2}, []float64{2, 0, 5, 3, 8, 6, 11, 9})
	check(t, eval(t, tf.Gather(p, [][]int{{1}, {0}}, tf.Axis(-1)), nil), tf.Float32, []int{4, 2, 1}, []float64{1, 0, 4, 3, 7, 6, 10, 9})
	check(t, eval(t, tf.Gather(p, []int{}), nil), tf.Float32, []int{0, 3}, []float64{})

	for _, dt := range allDTypes {
		for _, axis := range []int{0, 1, 2, -2} {
			for _, idt := range []tf.DType{tf.Int32, tf.Int64} {
				t.Run(fmt.Sprintf("axis%d/%s/%s", axis, dt, idt), func(t *testing.T) {
					newGraph(t)
					ps := []int{3, 4, 2}
					pd := iotaDense(ps, dt, 1)
					ax := axis
					if ax < 0 {
						ax += 3
					}
					ind := [][]int{{1, 0, 1}, {ps[ax] - 1, 0, 0}}
					is := []int{2, 3}
					idxT := tf.Constant(ind, idt)
					os := append(append(append([]int{}, ps[:ax]...), is...), ps[ax+1:]...)
					in := flat(pd)
					want := make([]float64, prod(os))
					for i := range want {
						oi := unravel(i, os)
						pi := append([]int{}, oi[:ax]...)
						pi = append(pi, ind[oi[ax]][oi[ax+1]])
						pi = append(pi, oi[ax+2:]...)
						want[i] = in[ravel(pi, ps)]
					}
					y := tf.Gather(tf.Constant(pd, tf.Invalid), idxT, tf.Axis(axis))
					shapeIs(t, y, tf.Shape(os))
					check(t, eval(t, y, nil), dt, os, want)
				})
			}
		}
	}
}

func TestGatherErrorsAndShapes(t *testing.T) {
	newGraph(t)
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	ix := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	y := tf.Gather(p, ix)
	shapeIs(t, y, tf.Shape{tf.None, 3})
	shapeIs(t, tf.Gather(p, ix, tf.Axis(1)), tf.Shape{tf.None, tf.None})
	shapeIs(t, tf.Gather(p, tf.Placeholder(tf.Int64, tf.Shape{2, 5}), tf.Axis(-1)), tf.Shape{tf.None, 2, 5})

	pv := [][]float32{{1, 2, 3}, {4, 5, 6}}
	check(t, eval(t, y, session.Feed{p: pv, ix: []int32{1, 1}}), tf.Float32, []int{2, 3}, []float64{4, 5, 6, 4, 5, 6})
	aWantErr(t, runErr(y, session.Feed{p: pv, ix: []int32{0, 2}}), "indices[1] = 2 is not in [0, 2)")
	aWantErr(t, runErr(y, session.Feed{p: pv, ix: []int32{-1}}), "indices[0] = -1 is not in [0, 2)")
	y2 := tf.Gather(p, [][]int{{0, 1}, {7, 0}}, tf.Axis(1))
	aWantErr(t, runErr(y2, session.Feed{p: pv}), "indices[1,0] = 7 is not in [0, 3)")

	aWantErr(t, tf.Gather(p, ix, tf.Axis(2)).Err(), "axis 2 is out of range [-2, 2)")
	aWantErr(t, tf.Gather(p, ix, tf.Axis(0, 1)).Err(), "want exactly one")
	aWantErr(t, tf.Gather(p, []float32{1.5}).Err(), "float32", "int32 or int64")
	aWantErr(t, tf.Gather(p, tf.Placeholder(tf.Float32, tf.Shape{2})).Err(), "indices have dtype float32")
	aWantErr(t, tf.Gather(tf.Constant(1.0, tf.Invalid), 0).Err(), "axis 0 is out of range [0, 0)")
}

// ---- ArgMax, ArgMin ----

func TestArgMaxArgMin(t *testing.T) {
	newGraph(t)
	// Ties take the first index, as TF.
	x := tf.Constant([][]float32{{1, 5, 5}, {7, -2, 7}, {0, 0, -1}}, tf.Invalid)
	tests := []struct {
		y     *tf.Tensor
		dt    tf.DType
		shape []int
		want  []float64
	}{
		{tf.ArgMax(x, 1), tf.Int64, []int{3}, []float64{1, 0, 0}},
		{tf.ArgMax(x, 0), tf.Int64, []int{3}, []float64{1, 0, 1}},
		{tf.ArgMax(x, -1, tf.OutputType(tf.Int32)), tf.Int32, []int{3}, []float64{1, 0, 0}},
		{tf.ArgMin(x, 1), tf.Int64, []int{3}, []float64{0, 1, 2}},
		{tf.ArgMin(x, -2), tf.Int64, []int{3}, []float64{2, 1, 2}},
		{tf.ArgMax([]int32{3, 9, 2, 9}, 0), tf.Int64, []int{}, []float64{1}},
		{tf.ArgMin([]int64{3, 9, 2, 2}, 0, tf.OutputType(tf.Int32)), tf.Int32, []int{}, []float64{2}},
		{tf.ArgMax([][]float64{{1}, {2}}, 1), tf.Int64, []int{2}, []float64{0, 0}},
		{tf.ArgMax(tf.Zeros(tf.Shape{0, 3}, tf.Float32), 1), tf.Int64, []int{0}, []float64{}},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			check(t, eval(t, tc.y, nil), tc.dt, tc.shape, tc.want)
		})
	}
	// 3-D against a reference loop.
	xd := tensor.New(tensor.WithShape(2, 3, 4), tensor.WithBacking([]float64{
		3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8,
		9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4}))
	in := flat(xd)
	for axis := 0; axis < 3; axis++ {
		xs := []int{2, 3, 4}
		os := append(append([]int{}, xs[:axis]...), xs[axis+1:]...)
		want := make([]float64, prod(os))
		wantMin := make([]float64, prod(os))
		for i := range want {
			oi := unravel(i, os)
			best, bmin := -1, -1
			for j := 0; j < xs[axis]; j++ {
				idx := append(append(append([]int{}, oi[:axis]...), j), oi[axis:]...)
				v := in[ravel(idx, xs)]
				if best < 0 || v > in[ravel(append(append(append([]int{}, oi[:axis]...), best), oi[axis:]...), xs)] {
					best = j
				}
				if bmin < 0 || v < in[ravel(append(append(append([]int{}, oi[:axis]...), bmin), oi[axis:]...), xs)] {
					bmin = j
				}
			}
			want[i], wantMin[i] = float64(best), float64(bmin)
		}
		c := tf.Constant(xd, tf.Invalid)
		check(t, eval(t, tf.ArgMax(c, axis), nil), tf.Int64, os, want)
		check(t, eval(t, tf.ArgMin(c, axis), nil), tf.Int64, os, wantMin)
	}

	newGraph(t)
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 10})
	shapeIs(t, tf.ArgMax(p, 1), tf.Shape{tf.None})
	shapeIs(t, tf.ArgMax(tf.Placeholder(tf.Float32, nil), 1), nil)
	aWantErr(t, tf.ArgMax(p, 2).Err(), "axis 2 is out of range [-2, 2)", "[?,10]")
	aWantErr(t, tf.ArgMin(p, -3).Err(), "axis -3 is out of range [-2, 2)")
	aWantErr(t, tf.ArgMax([]bool{true}, 0).Err(), "bool is not numeric")
	aWantErr(t, tf.ArgMax(p, 0, tf.OutputType(tf.Float32)).Err(), "output_type float32")
	newGraph(t)
	aWantErr(t, runErr(tf.ArgMax(tf.Zeros(tf.Shape{2, 0}, tf.Float32), 1), nil), "reduction axis 1 is empty in shape [2,0]")
	// Not differentiable: no gradient, and no error.
	q := tf.Placeholder(tf.Float32, tf.Shape{3})
	gr, err := tf.Gradients([]*tf.Tensor{tf.ArgMax(q, 0)}, []any{q})
	if err != nil || gr[0] != nil {
		t.Errorf("gradient of ArgMax = %v, %v; want nil, nil", gr, err)
	}
}

// ---- ExpandDims, Squeeze ----

func TestExpandDims(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	for _, tc := range []struct {
		axis int
		want tf.Shape
	}{
		{0, tf.Shape{1, tf.None, 3}},
		{1, tf.Shape{tf.None, 1, 3}},
		{2, tf.Shape{tf.None, 3, 1}},
		{-1, tf.Shape{tf.None, 3, 1}},
		{-3, tf.Shape{1, tf.None, 3}},
	} {
		shapeIs(t, tf.ExpandDims(x, tc.axis), tc.want)
	}
	shapeIs(t, tf.ExpandDims(tf.Placeholder(tf.Float32, nil), 0), nil)
	aWantErr(t, tf.ExpandDims(x, 3).Err(), "axis 3 is out of range [-3, 3)", "rank 2")
	aWantErr(t, tf.ExpandDims(x, -4).Err(), "axis -4 is out of range [-3, 3)")

	for _, dt := range allDTypes {
		newGraph(t)
		d := iotaDense([]int{2, 3}, dt, 0)
		y := tf.ExpandDims(tf.Constant(d, tf.Invalid), 1)
		check(t, eval(t, y, nil), dt, []int{2, 1, 3}, flat(d))
		s := tf.ExpandDims(tf.Constant(iotaDense([]int{}, dt, 1), tf.Invalid), -1)
		check(t, eval(t, s, nil), dt, []int{1}, flat(iotaDense([]int{}, dt, 1)))
	}
	newGraph(t)
	x = tf.Placeholder(tf.Float32, tf.Shape{tf.None})
	check(t, eval(t, tf.ExpandDims(x, 0), session.Feed{x: []float32{1, 2}}), tf.Float32, []int{1, 2}, []float64{1, 2})
}

func TestSqueeze(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{1, 3, 1})
	shapeIs(t, tf.Squeeze(x), tf.Shape{3})
	shapeIs(t, tf.Squeeze(x, tf.Axis(0)), tf.Shape{3, 1})
	shapeIs(t, tf.Squeeze(x, tf.Axis(-1)), tf.Shape{1, 3})
	shapeIs(t, tf.Squeeze(x, tf.Axis(0, 2)), tf.Shape{3})
	shapeIs(t, tf.Squeeze(tf.Placeholder(tf.Float32, tf.Shape{3})), tf.Shape{3})
	shapeIs(t, tf.Squeeze(tf.Placeholder(tf.Float32, tf.Shape{1})), tf.Shape{})
	shapeIs(t, tf.Squeeze(tf.Placeholder(tf.Float32, nil)), nil)
	// None dims: squeezing all gives an unknown shape (as TF); named axes are
	// assumed to be 1.
	n := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 1, tf.None})
	shapeIs(t, tf.Squeeze(n), nil)
	shapeIs(t, tf.Squeeze(n, tf.Axis(1)), tf.Shape{tf.None, tf.None})
	shapeIs(t, tf.Squeeze(n, tf.Axis(0, 1)), tf.Shape{tf.None})

	aWantErr(t, tf.Squeeze(x, tf.Axis(1)).Err(), "cannot squeeze axis 1 of shape [1,3,1]", "is 3, want 1")
	aWantErr(t, tf.Squeeze(x, tf.Axis(3)).Err(), "axis 3 is out of range [-3, 3)")
	aWantErr(t, tf.Squeeze(x, tf.Axis(-4)).Err(), "axis -4 is out of range [-3, 3)")
	aWantErr(t, tf.Squeeze(x, tf.KeepDims(true)).Err(), "does not take the option keepdims")

	for _, dt := range allDTypes {
		newGraph(t)
		d := iotaDense([]int{1, 2, 1, 3}, dt, 2)
		y := tf.Squeeze(tf.Constant(d, tf.Invalid))
		check(t, eval(t, y, nil), dt, []int{2, 3}, flat(d))
	}
	newGraph(t)
	n = tf.Placeholder(tf.Float32, tf.Shape{tf.None, 1, tf.None})
	check(t, eval(t, tf.Squeeze(n), session.Feed{n: iotaDense([]int{1, 1, 2}, tf.Float32, 0)}), tf.Float32, []int{2}, []float64{0, 1})
	y := tf.Squeeze(n, tf.Axis(0))
	check(t, eval(t, y, session.Feed{n: iotaDense([]int{1, 1, 2}, tf.Float32, 0)}), tf.Float32, []int{1, 2}, []float64{0, 1})
	aWantErr(t, runErr(y, session.Feed{n: iotaDense([]int{2, 1, 2}, tf.Float32, 0)}), "cannot squeeze axis 0", "is 2, want 1")
}

// ---- ShapeOf, Size, Rank ----

func TestShapeSizeRank(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	s, n, r := tf.ShapeOf(x), tf.Size(x), tf.Rank(x)
	shapeIs(t, s, tf.Shape{2})
	shapeIs(t, n, tf.Shape{})
	shapeIs(t, r, tf.Shape{})
	shapeIs(t, tf.ShapeOf(tf.Placeholder(tf.Float32, nil)), tf.Shape{tf.None})
	feed := session.Feed{x: iotaDense([]int{4, 3}, tf.Float32, 0)}
	check(t, eval(t, s, feed), tf.Int32, []int{2}, []float64{4, 3})
	check(t, eval(t, n, feed), tf.Int32, []int{}, []float64{12})
	check(t, eval(t, r, feed), tf.Int32, []int{}, []float64{2})
	check(t, eval(t, tf.ShapeOf(x, tf.OutputType(tf.Int64)), feed), tf.Int64, []int{2}, []float64{4, 3})
	check(t, eval(t, tf.Size(x, tf.OutputType(tf.Int64)), feed), tf.Int64, []int{}, []float64{12})
	check(t, eval(t, tf.ShapeOf(true), nil), tf.Int32, []int{0}, []float64{})
	check(t, eval(t, tf.Size(tf.Zeros(tf.Shape{2, 0}, tf.Int32)), nil), tf.Int32, []int{}, []float64{0})
	aWantErr(t, tf.Rank(x, tf.OutputType(tf.Int64)).Err(), "does not take the option output_type")
}

// ---- gradients ----

// weights returns a constant of shape with distinct values, so a gradient
// check of sum(y * w) sees where each element of y goes.
func weights(shape []int) *tf.Tensor {
	w := make([]float64, prod(shape))
	for i := range w {
		w[i] = float64(i%7) - 2.5 + 0.13*float64(i)
	}
	if len(shape) == 0 {
		return tf.Constant(w[0], tf.Float64)
	}
	return tf.Constant(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(w)), tf.Invalid)
}

// gradCase is a gradCheck: the float64 placeholders' static shapes, the
// shapes of the values fed to them, and the function of them to check.
type gradCase struct {
	name   string
	shapes []tf.Shape
	vals   [][]int
	build  func(xs []*tf.Tensor) *tf.Tensor
}

// runGradCases runs gradCheck on each case, as a subtest of its name.
func runGradCases(t *testing.T, cases []gradCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { gradCheck(t, tc.shapes, tc.vals, tc.build) })
	}
}

// sh is a static shape, short for the gradCase tables.
func sh(d ...int) tf.Shape { return tf.Shape(d) }

// gradCheck builds y = build(xs) for float64 placeholders of the given static
// shapes, weights it, and checks d sum(y*w)/dxs numerically at vals.
func gradCheck(t *testing.T, shapes []tf.Shape, vals [][]int, build func(xs []*tf.Tensor) *tf.Tensor) {
	t.Helper()
	g := newGraph(t)
	xs := make([]*tf.Tensor, len(shapes))
	feed := session.Feed{}
	for i, s := range shapes {
		xs[i] = tf.Placeholder(tf.Float64, s)
		d := iotaDense(vals[i], tf.Float64, 0)
		for j, v := range d.Float64s() {
			d.Float64s()[j] = 0.3*v - 1.1 + 0.05*v*v
		}
		feed[xs[i]] = d
	}
	y := build(xs)
	if y.Err() != nil {
		t.Fatalf("build: %v", y.Err())
	}
	yv := eval(t, y, feed)
	z := tf.Mul(y, weights(yv.Shape()))
	tftest.CheckGradients(t, g, z, xs, feed, 1e-6, 1e-7)
}

func TestArrayOpGradients(t *testing.T) {
	n := tf.None
	runGradCases(t, []gradCase{
		{"Transpose102", []tf.Shape{sh(n, 3, 2)}, [][]int{{2, 3, 2}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Transpose(x[0], []int{1, 0, 2}) }},
		{"Transpose201", []tf.Shape{sh(2, 3, 4)}, [][]int{{2, 3, 4}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Transpose(x[0], []int{2, 0, 1}) }},
		{"TransposeNil", []tf.Shape{sh(2, n, 4)}, [][]int{{2, 3, 4}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Transpose(x[0], nil) }},
		{"Stack0", []tf.Shape{sh(n, 3), sh(n, 3)}, [][]int{{2, 3}, {2, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Stack(x, 0) }},
		{"Stack-1", []tf.Shape{sh(2, 3), sh(2, 3), sh(2, 3)}, [][]int{{2, 3}, {2, 3}, {2, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Stack(x, -1) }},
		{"Unstack1Partial", []tf.Shape{sh(n, 3, 2)}, [][]int{{2, 3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			u := tf.Unstack(x[0], 1)
			return tf.Add(tf.Mul(u[0], 2.0), tf.Mul(u[2], -3.0)) // u[1] unused
		}},
		{"Unstack0Num", []tf.Shape{sh(n, 2)}, [][]int{{3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			u := tf.Unstack(x[0], 0, tf.Num(3))
			return tf.Stack([]*tf.Tensor{u[2], u[0], u[1], u[0]}, 1)
		}},
		{"Concat1", []tf.Shape{sh(n, 2), sh(n, 3), sh(n, 1)}, [][]int{{2, 2}, {2, 3}, {2, 1}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Concat(x, 1) }},
		{"Concat0Repeat", []tf.Shape{sh(2, 3), sh(1, 3)}, [][]int{{2, 3}, {1, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Concat([]any{x[0], x[1], x[0]}, 0) }},
		{"Slice", []tf.Shape{sh(n, 4, 3)}, [][]int{{3, 4, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Slice(x[0], []int{1, 1, 0}, []int{-1, 2, 2}) }},
		{"GatherRepeat", []tf.Shape{sh(4, 3)}, [][]int{{4, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Gather(x[0], []int{2, 0, 2, 3}) }},
		{"GatherAxis1", []tf.Shape{sh(n, 4, 2)}, [][]int{{2, 4, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Gather(x[0], [][]int64{{3, 3}, {0, 1}}, tf.Axis(1))
		}},
		{"ExpandDims", []tf.Shape{sh(n, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.ExpandDims(x[0], 1) }},
		{"Squeeze", []tf.Shape{sh(n, 1, 3)}, [][]int{{2, 1, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Squeeze(x[0], tf.Axis(1)) }},
		{"SqueezeUnknown", []tf.Shape{sh(n, 1, 3)}, [][]int{{2, 1, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Squeeze(x[0]) }},
		{"RNNPattern", []tf.Shape{sh(n, 3, 2)}, [][]int{{2, 3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			steps := tf.Unstack(tf.Transpose(x[0], []int{1, 0, 2}), 0)
			outs := make([]*tf.Tensor, len(steps))
			for i, s := range steps {
				outs[i] = tf.Tanh(tf.Mul(s, float64(i+1)))
			}
			return tf.Transpose(tf.Stack(outs, 0), []int{1, 0, 2})
		}},
	})
}

// Gather gives no gradient to its indices, and an int params has none.
func TestGatherGradientIndices(t *testing.T) {
	newGraph(t)
	p := tf.Placeholder(tf.Float32, tf.Shape{3})
	ix := tf.Placeholder(tf.Int32, tf.Shape{2})
	gr, err := tf.Gradients([]*tf.Tensor{tf.Gather(p, ix)}, []any{p, ix})
	if err != nil {
		t.Fatal(err)
	}
	if gr[0] == nil || gr[1] != nil {
		t.Errorf("gradients = %v; want one for params and nil for indices", gr)
	}
}

// The pattern of listing L3 of chapter 14 (static_rnn on [None, n_steps,
// n_inputs] inputs): X_seqs = tf.unstack(tf.transpose(X, perm=[1, 0, 2]))
// and outputs = tf.transpose(tf.stack(output_seqs), perm=[1, 0, 2]).
func ExampleUnstack() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	nSteps, nInputs := 2, 3
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, nSteps, nInputs})
	XSeqs := tf.Unstack(tf.Transpose(X, []int{1, 0, 2}), 0)
	fmt.Println(len(XSeqs), XSeqs[0].Shape())

	outputSeqs := make([]*tf.Tensor, len(XSeqs))
	for i, x := range XSeqs {
		outputSeqs[i] = tf.Mul(x, 10.0) // stands in for the RNN cell
	}
	outputs := tf.Transpose(tf.Stack(outputSeqs, 0), []int{1, 0, 2})
	fmt.Println(outputs.Shape())

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	XBatch := [][][]float32{
		{{0, 1, 2}, {9, 8, 7}}, // instance 0: t = 0, t = 1
		{{3, 4, 5}, {0, 0, 0}}, // instance 1
	}
	vals := sess.MustRun([]tf.Fetch{XSeqs[1], outputs}, session.Feed{X: XBatch})
	fmt.Println(vals[0].Float64s())
	fmt.Println(vals[1].Shape(), vals[1].Float64s())
	// Output:
	// 2 [?,3]
	// [?,2,3]
	// [9 8 7 0 0 0]
	// (2, 2, 3) [0 10 20 90 80 70 30 40 50 0 0 0]
}

// BenchmarkTransposeUnstackStack runs the listing L3 data movement on an
// MNIST-sized batch: [150, 28, 28] transposed, unstacked into 28 steps,
// stacked and transposed back.
func BenchmarkTransposeUnstackStack(b *testing.B) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 28, 28})
	steps := tf.Unstack(tf.Transpose(X, []int{1, 0, 2}), 0)
	y := tf.Transpose(tf.Stack(steps, 0), []int{1, 0, 2})
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	feed := session.Feed{X: iotaDense([]int{150, 28, 28}, tf.Float32, 0)}
	if _, err := sess.Run(y, feed); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sess.Run(y, feed); err != nil {
			b.Fatal(err)
		}
	}
}
