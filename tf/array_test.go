package tf_test

import (
	"fmt"
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/tf"
)

// The expected strings are numpy's str(array) (numpy >= 1.14 defaults:
// precision 8, floatmode "maxprec", sign "-"), worked out by hand from
// numpy's arrayprint rules: decimal points aligned, fractional digits the
// fewest that represent each value (at most 8), scientific notation when
// max >= 1e8, min < 1e-4 or max/min > 1e3 (of the non-zero |values|), inf
// and nan right-aligned in the column width. 0-d results print as numpy
// scalars (Python's float repr).
func TestArrayString(t *testing.T) {
	f64 := func(shape []int, v ...float64) *tensor.Dense { return dense64(shape, v) }
	f32 := func(shape []int, v ...float64) *tensor.Dense { return dense32(shape, v) }
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		d    *tensor.Dense
		want string
	}{
		{"matrix", f64([]int{2, 2}, 1, 2, 3, 4), "[[1. 2.]\n [3. 4.]]"},
		{"float32 matrix", f32([]int{2, 2}, 1, 2, 3, 4), "[[1. 2.]\n [3. 4.]]"},
		{"vector", f64([]int{3}, 0.5, 1, 2), "[0.5 1.  2. ]"},
		{"negatives", f64([]int{2}, -0.5, 1.25), "[-0.5   1.25]"},
		{"fractions", f64([]int{2}, 0.1, 0.25), "[0.1  0.25]"},
		{"third float64", f64([]int{2}, 1.0/3, -2.0/3), "[ 0.33333333 -0.66666667]"},
		{"third float32", f32([]int{1}, 1.0/3), "[0.33333334]"},
		{"sum noise", f64([]int{1}, 0.1+0.2), "[0.3]"},
		{"big columns", f64([]int{2, 2}, -0.45652324, -0.68064117, 0.40938237, 0.63104498), "[[-0.45652324 -0.68064117]\n [ 0.40938237  0.63104498]]"},
		{"large", f64([]int{2}, 1, 1e8), "[1.e+00 1.e+08]"},
		{"wide range", f64([]int{2}, 1, 2000), "[1.e+00 2.e+03]"},
		{"not wide", f64([]int{2}, 1, 999), "[  1. 999.]"},
		{"small", f64([]int{2}, 1.5e-5, 1), "[1.5e-05 1.0e+00]"},
		{"small negative", f64([]int{2}, -1e-5, 2.25), "[-1.00e-05  2.25e+00]"},
		{"nan", f64([]int{2}, 1.5, nan), "[1.5 nan]"},
		{"-inf", f64([]int{2}, -inf, 1), "[-inf   1.]"},
		{"inf", f64([]int{3}, inf, -2.5, 0), "[ inf -2.5  0. ]"},
		{"zeros", f64([]int{2}, 0, 0), "[0. 0.]"},
		{"3-d ints", tensor.New(tensor.WithShape(2, 2, 2), tensor.WithBacking([]int32{0, 1, 2, 3, 4, 5, 6, 7})), "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]"},
		{"ints", tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]int64{1, -20, 300, 4})), "[[  1 -20]\n [300   4]]"},
		{"bools", tensor.New(tensor.WithShape(2), tensor.WithBacking([]bool{true, false})), "[ True False]"},
		{"bool matrix", tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]bool{false, false, true, false})), "[[False False]\n [ True False]]"},
		{"empty", f64([]int{0}), "[]"},
		{"scalar", f64(nil, 2), "2.0"},
		{"scalar float32", f32(nil, 0.1), "0.1"},
		{"scalar small", f64(nil, 1e-5), "1e-05"},
		{"scalar negative", f64(nil, -1.5), "-1.5"},
		{"scalar int", tensor.New(tensor.FromScalar(int32(-3))), "-3"},
		{"scalar bool", tensor.New(tensor.FromScalar(true)), "True"},
	}
	for _, c := range cases {
		a := tf.NewArray(c.d)
		if got := a.String(); got != c.want {
			t.Errorf("%s:\n got  %q\n want %q", c.name, got, c.want)
		}
		if got := fmt.Sprint(a); got != c.want {
			t.Errorf("%s: fmt.Sprint gives %q", c.name, got)
		}
	}
}
