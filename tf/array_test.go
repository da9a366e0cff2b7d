package tf_test

import (
	"fmt"
	"math"
	"reflect"
	"strings"
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

// fmt's precision and verb act as numpy's printoptions; the expected strings
// are numpy 1.24's str() under np.printoptions(precision=3) (maxprec) and
// (precision=3, floatmode='fixed', suppress=True).
func TestArrayFormatPrecision(t *testing.T) {
	a := tf.NewArray(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{-0.0664006, 0.9625767, 0.68105793, 0.9977755, -0.719789, -1.5})))
	b := tf.NewArray(tensor.New(tensor.WithShape(3), tensor.WithBacking([]float64{1.5, 2.0, 3.25})))
	c := tf.NewArray(tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1e-6, 1.0})))
	i := tf.NewArray(tensor.New(tensor.WithShape(2), tensor.WithBacking([]int32{7, -12})))
	s := tf.NewArray(tensor.New(tensor.FromScalar(float32(0.123456))))
	tests := []struct {
		format string
		a      *tf.Array
		want   string
	}{
		{"%.3v", a, "[[-0.066  0.963  0.681]\n [ 0.998 -0.72  -1.5  ]]"},
		{"%.3g", a, "[[-0.066  0.963  0.681]\n [ 0.998 -0.72  -1.5  ]]"},
		{"%.3f", a, "[[-0.066  0.963  0.681]\n [ 0.998 -0.720 -1.500]]"},
		{"%.3v", b, "[1.5  2.   3.25]"},
		{"%.2f", b, "[1.50 2.00 3.25]"},
		{"%.3f", c, "[0.000 1.000]"},
		{"%.3e", c, "[1.000e-06 1.000e+00]"},
		{"%v", b, "[1.5  2.   3.25]"},
		{"%s", c, "[1.e-06 1.e+00]"},
		{"%7.2f", b, "[   1.50    2.00    3.25]"},
		{"%.2f", i, "[  7 -12]"},
		{"%4v", i, "[   7  -12]"},
		{"%.2f", s, "0.12"},
		{"%.3e", s, "1.235e-01"},
		{"%8.2f", s, "    0.12"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, tt.a); got != tt.want {
			t.Errorf("Sprintf(%q) =\n%q\nwant\n%q", tt.format, got, tt.want)
		}
	}
}

// Reshape takes numpy's -1; impossible shapes are errors naming the sizes.
func TestArrayReshape(t *testing.T) {
	data := make([]float32, 2*28*28)
	for _, c := range []struct {
		dims, want []int
		err        string
	}{
		{[]int{-1, 28, 28}, []int{2, 28, 28}, ""},
		{[]int{2, -1}, []int{2, 784}, ""},
		{[]int{1568}, []int{1568}, ""},
		{[]int{-1, 5}, nil, "cannot reshape array of size 1568 into shape [-1 5]"},
		{[]int{-1, -1}, nil, "can only specify one unknown dimension"},
		{[]int{3, 28, 28}, nil, "cannot reshape array of size 1568 into shape [3 28 28]"},
		{[]int{-2, 784}, nil, "dimension 0 is -2"},
	} {
		a := tf.NewArray(tensor.New(tensor.WithShape(2, 784), tensor.WithBacking(data)))
		err := a.Reshape(c.dims...)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Reshape%v: err %v, want %q", c.dims, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual([]int(a.Shape()), c.want) {
			t.Errorf("Reshape%v: shape %v err %v, want %v", c.dims, a.Shape(), err, c.want)
		}
	}
}
