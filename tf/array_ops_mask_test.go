package tf_test

import (
	"fmt"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// refBooleanMask keeps, along the mask's axes from axis, the slices where
// mask (flat, row-major) is true.
func refBooleanMask(in []float64, xs []int, mask []bool, ms []int, axis int) ([]float64, []int) {
	count := 0
	for _, b := range mask {
		if b {
			count++
		}
	}
	os := append(append(append([]int{}, xs[:axis]...), count), xs[axis+len(ms):]...)
	var out []float64
	outer, inner := prod(xs[:axis]), prod(xs[axis+len(ms):])
	for o := 0; o < outer; o++ {
		for m, b := range mask {
			if !b {
				continue
			}
			for j := 0; j < inner; j++ {
				out = append(out, in[(o*len(mask)+m)*inner+j])
			}
		}
	}
	return out, os
}

func TestBooleanMask(t *testing.T) {
	newGraph(t)
	// TF's documentation's examples.
	check(t, eval(t, tf.BooleanMask([]int32{0, 1, 2, 3}, []bool{true, false, true, false}), nil), tf.Int32, []int{2}, []float64{0, 2})
	y := tf.BooleanMask([][]float32{{1, 2}, {3, 4}, {5, 6}}, []bool{true, false, true})
	check(t, eval(t, y, nil), tf.Float32, []int{2, 2}, []float64{1, 2, 5, 6})
	if y.Op().Name() != "boolean_mask_1" {
		t.Errorf("name %q; want TF's boolean_mask (the second: boolean_mask_1)", y.Op().Name())
	}

	xs := []int{2, 3, 2}
	for _, tc := range []struct {
		mask [][]bool
		axis int
	}{{[][]bool{{true, false, true}, {false, true, true}}, 0}, {[][]bool{{false, true}, {true, true}, {false, false}}, 1}} {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("axis%d/%s", tc.axis, dt), func(t *testing.T) {
				newGraph(t)
				x := iotaDense(xs, dt, 1)
				var flatMask []bool
				for _, r := range tc.mask {
					flatMask = append(flatMask, r...)
				}
				ms := []int{len(tc.mask), len(tc.mask[0])}
				want, os := refBooleanMask(flat(x), xs, flatMask, ms, tc.axis)
				y := tf.BooleanMask(tf.Constant(x, tf.Invalid), tf.Constant(tc.mask, tf.Bool), tf.Axis(tc.axis))
				shapeIs(t, y, tf.Shape(os))
				check(t, eval(t, y, nil), dt, os, want)
			})
		}
	}

	newGraph(t)
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	y = tf.BooleanMask(p, []bool{false, true, true}, tf.Axis(1))
	shapeIs(t, y, tf.Shape{tf.None, 2})
	check(t, eval(t, y, session.Feed{p: [][]float32{{1, 2, 3}, {4, 5, 6}}}), tf.Float32, []int{2, 2}, []float64{2, 3, 5, 6})
	for _, tc := range []struct {
		y    *tf.Tensor
		want []string
	}{
		{tf.BooleanMask(p, tf.Greater(p, 0.0)), []string{"mask is tensor", "Greater op", "known only at run time", "tf.Cast(mask, dtype)"}},
		{tf.BooleanMask(p, []bool{true, false}, tf.Axis(1)), []string{"Shapes [3] and [2] are incompatible"}},
		{tf.BooleanMask(p, [][][]bool{{{true}}}), []string{"does not fit a tensor of shape [?,3]"}},
		{tf.BooleanMask(p, true), []string{"mask cannot be scalar"}},
		{tf.BooleanMask(p, []int{1, 0}), []string{"mask has dtype int32; want bool"}},
		{tf.BooleanMask(p, []bool{true}, tf.Axis(-1)), []string{"axis -1 is negative"}},
	} {
		aWantErr(t, tc.y.Err(), append(tc.want, "BooleanMask", "array_ops_mask_test.go:")...)
	}
}

func TestBooleanMaskGradients(t *testing.T) {
	n := tf.None
	runGradCases(t, []gradCase{
		{"Rows", []tf.Shape{sh(4, 2)}, [][]int{{4, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.BooleanMask(x[0], []bool{true, false, true, true})
		}},
		{"Axis1Matrix", []tf.Shape{sh(n, 2, 3)}, [][]int{{2, 2, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.BooleanMask(x[0], [][]bool{{true, false, true}, {false, true, false}}, tf.Axis(1))
		}},
		{"SecondOrder", []tf.Shape{sh(3, 2)}, [][]int{{3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			y := tf.Mul(tf.Square(tf.BooleanMask(x[0], []bool{true, false, true})), weights([]int{2, 2}))
			g, err := tf.Gradients(y, []any{x[0]})
			if err != nil {
				t.Fatal(err)
			}
			return g[0]
		}},
	})
}
