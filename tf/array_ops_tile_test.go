package tf_test

import (
	"fmt"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// ---- Tile ----

func refTile(in []float64, xs, m []int) ([]float64, []int) {
	os := make([]int, len(xs))
	for i := range xs {
		os[i] = xs[i] * m[i]
	}
	out := make([]float64, prod(os))
	for i := range out {
		oi := unravel(i, os)
		for d := range oi {
			oi[d] %= xs[d]
		}
		out[i] = in[ravel(oi, xs)]
	}
	return out, os
}

func TestTile(t *testing.T) {
	newGraph(t)
	// Worked by hand.
	y := tf.Tile(tf.Constant([][]float32{{1, 2}, {3, 4}}, tf.Invalid), []int{2, 3})
	check(t, eval(t, y, nil), tf.Float32, []int{4, 6}, []float64{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4})
	check(t, eval(t, tf.Tile(tf.Constant(5.0, tf.Float64), []int{}), nil), tf.Float64, []int{}, []float64{5})

	for _, tc := range []struct{ xs, m []int }{
		{[]int{3}, []int{2}}, {[]int{2, 3}, []int{1, 1}}, {[]int{2, 1, 3}, []int{2, 3, 1}}, {[]int{2, 3}, []int{0, 2}},
		{[]int{1, 2, 2, 1}, []int{3, 1, 2, 2}},
	} {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("%v%v/%s", tc.xs, tc.m, dt), func(t *testing.T) {
				newGraph(t)
				x := iotaDense(tc.xs, dt, 1)
				want, os := refTile(flat(x), tc.xs, tc.m)
				y := tf.Tile(tf.Constant(x, tf.Invalid), tf.Constant(tc.m, tf.Int64))
				shapeIs(t, y, tf.Shape(os))
				check(t, eval(t, y, nil), dt, os, want)
			})
		}
	}

	newGraph(t)
	x := tf.Placeholder(tf.Int32, tf.Shape{tf.None, 2})
	y = tf.Tile(x, []int32{2, 3})
	shapeIs(t, y, tf.Shape{tf.None, 6})
	shapeIs(t, tf.Tile(x, []int{0, 1}), tf.Shape{0, 2})
	shapeIs(t, tf.Tile(tf.Placeholder(tf.Float32, nil), []int{2, 1}), tf.Shape{tf.None, tf.None})
	xv := iotaDense([]int{3, 2}, tf.Int32, 0)
	want, os := refTile(flat(xv), []int{3, 2}, []int{2, 3})
	check(t, eval(t, y, session.Feed{x: xv}), tf.Int32, os, want)

	for _, tc := range []struct {
		y    *tf.Tensor
		want []string
	}{
		{tf.Tile(x, []int{2}), []string{"Expected multiples argument to be a vector of length 2 but got length 1"}},
		{tf.Tile(x, []int{2, -1}), []string{"Expected multiples[1] >= 0, but got -1"}},
		{tf.Tile(x, [][]int{{2, 1}}), []string{"multiples has shape [1,2]; want a vector"}},
		{tf.Tile(x, []float32{2, 1}), []string{"multiples has dtype float32"}},
		{tf.Tile(x, tf.Placeholder(tf.Int32, tf.Shape{2})), []string{"multiples is tensor", "known only at run time"}},
	} {
		aWantErr(t, tc.y.Err(), append(tc.want, "tf.Tile", "array_ops_tile_test.go:")...)
	}
}

// ---- Pad ----

// refPadIndex maps position i of a padded axis to the input index it
// reads, by walking back and forth across the input as numpy's pad modes
// are described (-1 for a constant).
func refPadIndex(i, before, n int, mode string) int {
	j := i - before
	if j >= 0 && j < n {
		return j
	}
	switch mode {
	case "CONSTANT":
		return -1
	case "REFLECT": // mirror about the edge elements: ... 2 1 | 0 1 2 | 1 0 ...
		if j < 0 {
			return -j
		}
		return (n - 1) - (j - (n - 1))
	default: // SYMMETRIC, mirror about the edges: ... 1 0 | 0 1 2 | 2 1 ...
		if j < 0 {
			return -1 - j
		}
		return (n - 1) - (j - n)
	}
}

func refPad(in []float64, xs []int, p [][]int, mode string, cv float64) ([]float64, []int) {
	os := make([]int, len(xs))
	for i := range xs {
		os[i] = p[i][0] + xs[i] + p[i][1]
	}
	out := make([]float64, prod(os))
	for i := range out {
		oi := unravel(i, os)
		out[i] = cv
		inside := true
		for d := range oi {
			oi[d] = refPadIndex(oi[d], p[d][0], xs[d], mode)
			inside = inside && oi[d] >= 0
		}
		if inside {
			out[i] = in[ravel(oi, xs)]
		}
	}
	return out, os
}

func TestPad(t *testing.T) {
	// Worked by hand (TF's documentation's example).
	newGraph(t)
	x := tf.Constant([][]int32{{1, 2, 3}, {4, 5, 6}}, tf.Invalid)
	p := [][]int{{1, 1}, {2, 2}}
	check(t, eval(t, tf.Pad(x, p), nil), tf.Int32, []int{4, 7}, []float64{
		0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	check(t, eval(t, tf.Pad(x, p, tf.Mode("REFLECT")), nil), tf.Int32, []int{4, 7}, []float64{
		6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1})
	check(t, eval(t, tf.Pad(x, p, tf.Mode("symmetric")), nil), tf.Int32, []int{4, 7}, []float64{
		2, 1, 1, 2, 3, 3, 2, 2, 1, 1, 2, 3, 3, 2, 5, 4, 4, 5, 6, 6, 5, 5, 4, 4, 5, 6, 6, 5})
	check(t, eval(t, tf.Pad(x, [][]int{{0, 1}, {1, 0}}, tf.ConstantValues(9)), nil), tf.Int32, []int{3, 4}, []float64{
		9, 1, 2, 3, 9, 4, 5, 6, 9, 9, 9, 9})

	vals := map[tf.DType]any{tf.Float32: float32(-2.5), tf.Float64: 3.25, tf.Int32: int32(7), tf.Int64: int64(-8), tf.Bool: true}
	num := map[any]float64{true: 1, false: 0}
	for _, tc := range []struct {
		xs []int
		p  [][]int
	}{
		{[]int{3}, [][]int{{2, 1}}}, {[]int{2, 3}, [][]int{{0, 0}, {1, 2}}}, {[]int{3, 2, 4}, [][]int{{1, 2}, {1, 1}, {3, 0}}},
		{[]int{}, [][]int{}},
	} {
		for _, mode := range []string{"CONSTANT", "REFLECT", "SYMMETRIC"} {
			for _, dt := range allDTypes {
				for _, withCV := range []bool{false, true} {
					if withCV && mode != "CONSTANT" {
						continue
					}
					t.Run(fmt.Sprintf("%v%v/%s/%s/%v", tc.xs, tc.p, mode, dt, withCV), func(t *testing.T) {
						g := newGraph(t)
						x := iotaDense(tc.xs, dt, 1)
						cv := 0.0
						opts := []tf.Option{tf.Mode(mode)}
						if withCV {
							cv = toF(vals[dt], num)
							opts = append(opts, tf.ConstantValues(vals[dt]))
						}
						want, os := refPad(flat(x), tc.xs, tc.p, mode, cv)
						y := tf.Pad(tf.Constant(x, tf.Invalid), tc.p, opts...)
						if y.Err() != nil && len(tc.p) == 0 {
							t.Fatal(y.Err())
						}
						shapeIs(t, y, tf.Shape(os))
						check(t, eval(t, y, nil), dt, os, want)
						typ := map[string]string{"CONSTANT": "Pad", "REFLECT": "MirrorPad", "SYMMETRIC": "MirrorPad"}[mode]
						if withCV {
							typ = "PadV2"
						}
						if y.Op().Type() != typ {
							t.Errorf("op type %s; want TF's %s", y.Op().Type(), typ)
						}
						_ = g
					})
				}
			}
		}
	}
}

func TestPadShapesAndErrors(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	shapeIs(t, tf.Pad(x, [][]int{{1, 2}, {0, 1}}), tf.Shape{tf.None, 4})
	shapeIs(t, tf.Pad(tf.Placeholder(tf.Float32, nil), [][]int{{1, 2}, {0, 1}}), tf.Shape{tf.None, tf.None})
	shapeIs(t, tf.Pad(x, tf.Constant([][]int64{{1, 2}, {0, 1}}, tf.Int64), tf.Mode("reflect")), tf.Shape{tf.None, 4})
	// Mirror padding of a dimension known only at run time is checked then.
	y := tf.Pad(x, [][]int{{2, 0}, {0, 0}}, tf.Mode("REFLECT"))
	aWantErr(t, runErr(y, session.Feed{x: [][]float32{{1, 2, 3}, {4, 5, 6}}}), "paddings must be less than the dimension size: 2, 0 not less than 2")
	xv := [][]float32{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
	check(t, eval(t, y, session.Feed{x: xv}), tf.Float32, []int{5, 3}, []float64{7, 8, 9, 4, 5, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9})

	for _, tc := range []struct {
		y    *tf.Tensor
		want []string
	}{
		{tf.Pad(x, [][]int{{1, 1}}), []string{"The first dimension of paddings must be the rank of inputs", "shape [?,3]"}},
		{tf.Pad(x, [][]int{{1, 1}, {0, -1}}), []string{"Paddings must be non-negative: 0 -1"}},
		{tf.Pad(x, []int{1, 1}), []string{"paddings must be a matrix with 2 columns: got shape [2]"}},
		{tf.Pad(x, [][]int{{1, 1}, {3, 0}}, tf.Mode("REFLECT")), []string{"paddings must be less than the dimension size: 3, 0 not less than 3"}},
		{tf.Pad(x, [][]int{{1, 1}, {0, 4}}, tf.Mode("SYMMETRIC")), []string{"paddings must be no greater than the dimension size: 0, 4 greater than 3"}},
		{tf.Pad(x, [][]int{{1, 1}, {0, 0}}, tf.Mode("EDGE")), []string{"Unknown padding mode: EDGE"}},
		{tf.Pad(x, [][]int{{1, 1}, {0, 0}}, tf.Mode("REFLECT"), tf.ConstantValues(1)), []string{"constant_values", "only with CONSTANT"}},
		{tf.Pad(x, [][]int{{1, 1}, {0, 0}}, tf.ConstantValues(tf.Constant(int32(1), tf.Int32))), []string{"constant_values has dtype int32; want float32"}},
		{tf.Pad(x, [][]int{{1, 1}, {0, 0}}, tf.ConstantValues([]float32{1, 2})), []string{"constant_values has shape [2]; want a scalar"}},
		{tf.Pad(x, tf.Placeholder(tf.Int32, tf.Shape{2, 2})), []string{"paddings is tensor", "known only at run time"}},
		{tf.Pad(x, tf.Stack([]any{[]int{0, 0}, tf.ShapeOf(x)}, 0), tf.Mode("REFLECT")), []string{"mode REFLECT needs paddings known when the graph is built"}},
		{tf.Pad(x, tf.ShapeOf(x)), []string{"want an int32 or int64 matrix with 2 columns"}},
	} {
		aWantErr(t, tc.y.Err(), append(tc.want, "Pad", "array_ops_tile_test.go:")...)
	}
}

// ---- BroadcastTo ----

func TestBroadcastTo(t *testing.T) {
	newGraph(t)
	check(t, eval(t, tf.BroadcastTo([]int32{1, 2, 3}, []int{2, 3}), nil), tf.Int32, []int{2, 3}, []float64{1, 2, 3, 1, 2, 3})
	check(t, eval(t, tf.BroadcastTo([][]float32{{1}, {2}}, []int{2, 2, 3}), nil), tf.Float32, []int{2, 2, 3},
		[]float64{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2})
	check(t, eval(t, tf.BroadcastTo(true, tf.Constant([]int64{2}, tf.Int64)), nil), tf.Bool, []int{2}, []float64{1, 1})

	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 1})
	y := tf.BroadcastTo(x, []int{4, 3, 2})
	shapeIs(t, y, tf.Shape{4, 3, 2})
	shapeIs(t, tf.BroadcastTo(tf.Placeholder(tf.Float32, nil), []int{2, 2}), tf.Shape{2, 2})
	check(t, eval(t, y, session.Feed{x: [][]float64{{1}, {2}, {3}}}), tf.Float64, []int{4, 3, 2},
		[]float64{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3})
	aWantErr(t, runErr(y, session.Feed{x: [][]float64{{1}, {2}}}), "Incompatible shapes: [2,1] vs. [4,3,2]")

	for _, tc := range []struct {
		y    *tf.Tensor
		want []string
	}{
		{tf.BroadcastTo([]int{1, 2}, []int{3}), []string{"Incompatible shapes: [2] vs. [3]"}},
		{tf.BroadcastTo([][]int{{1, 2}}, []int{2}), []string{"Rank of input (2) must be no greater than rank of output shape (1)"}},
		{tf.BroadcastTo(1, []int{-1}), []string{"negative dimension"}},
		{tf.BroadcastTo(1, 3), []string{"shape has shape []; want a vector"}},
	} {
		aWantErr(t, tc.y.Err(), append(tc.want, "tf.BroadcastTo", "array_ops_tile_test.go:")...)
	}
}

// ---- gradients ----

func TestTilePadBroadcastGradients(t *testing.T) {
	n := tf.None
	runGradCases(t, []gradCase{
		{"Tile", []tf.Shape{sh(n, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Tile(x[0], []int{3, 2}) }},
		{"Tile3", []tf.Shape{sh(2, 1, 3)}, [][]int{{2, 1, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Tile(x[0], []int{1, 4, 2}) }},
		{"TileSecondOrder", []tf.Shape{sh(2, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			// d/dx of sum(tile(x)^2 * w) is a TileGrad of x; its gradient is a Tile.
			y := tf.Mul(tf.Square(tf.Tile(x[0], []int{2, 2})), weights([]int{4, 6}))
			g, err := tf.Gradients(y, []any{x[0]})
			if err != nil {
				t.Fatal(err)
			}
			return g[0]
		}},
		{"PadConstant", []tf.Shape{sh(n, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Pad(x[0], [][]int{{1, 2}, {2, 0}}) }},
		{"PadV2", []tf.Shape{sh(2, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Pad(x[0], [][]int{{0, 1}, {1, 1}}, tf.ConstantValues(1.5))
		}},
		{"PadReflect", []tf.Shape{sh(n, 4)}, [][]int{{3, 4}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Pad(x[0], [][]int{{2, 1}, {3, 2}}, tf.Mode("REFLECT"))
		}},
		{"PadSymmetric", []tf.Shape{sh(3, 2, 2)}, [][]int{{3, 2, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Pad(x[0], [][]int{{3, 1}, {2, 2}, {0, 1}}, tf.Mode("SYMMETRIC"))
		}},
		{"PadSecondOrder", []tf.Shape{sh(3, 3)}, [][]int{{3, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			y1 := tf.Mul(tf.Square(tf.Pad(x[0], [][]int{{1, 2}, {2, 1}}, tf.Mode("REFLECT"))), weights([]int{6, 6}))
			y2 := tf.Mul(tf.Square(tf.Pad(x[0], [][]int{{1, 0}, {0, 1}})), weights([]int{4, 4}))
			g, err := tf.Gradients([]*tf.Tensor{y1, y2}, []any{x[0]})
			if err != nil {
				t.Fatal(err)
			}
			return g[0]
		}},
		{"BroadcastTo", []tf.Shape{sh(n, 1)}, [][]int{{3, 1}}, func(x []*tf.Tensor) *tf.Tensor { return tf.BroadcastTo(x[0], []int{2, 3, 4}) }},
		{"BroadcastToSame", []tf.Shape{sh(2, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor { return tf.BroadcastTo(x[0], []int{2, 3}) }},
	})
}
