package tf_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

type reduceCase struct {
	name    string
	op      func(x any, opts ...tf.Option) *tf.Tensor
	init    float64
	combine func(acc, v float64) float64
	mean    bool
}

var reduceCases = []reduceCase{
	{"ReduceSum", tf.ReduceSum, 0, func(a, v float64) float64 { return a + v }, false},
	{"ReduceMean", tf.ReduceMean, 0, func(a, v float64) float64 { return a + v }, true},
	{"ReduceMax", tf.ReduceMax, math.Inf(-1), math.Max, false},
	{"ReduceMin", tf.ReduceMin, math.Inf(1), math.Min, false},
}

// axisCases: axes given (nil = no Axis option) and the axes they mean for a
// rank-3 input.
var axisCases = []struct {
	axes []int
	red  []bool
}{
	{nil, []bool{true, true, true}},
	{[]int{0}, []bool{true, false, false}},
	{[]int{1}, []bool{false, true, false}},
	{[]int{2}, []bool{false, false, true}},
	{[]int{-1}, []bool{false, false, true}},
	{[]int{-3}, []bool{true, false, false}},
	{[]int{0, 2}, []bool{true, false, true}},
	{[]int{2, 0}, []bool{true, false, true}},
	{[]int{1, -1}, []bool{false, true, true}},
	{[]int{0, 1, 2}, []bool{true, true, true}},
	{[]int{}, []bool{false, false, false}},
}

func reduceRef(c reduceCase, x []float64, shape []int, red []bool, keep bool, integer bool) ([]float64, []int) {
	out, os := refReduce(x, shape, red, c.init, c.combine)
	if c.mean {
		n := 1
		for d, r := range red {
			if r {
				n *= shape[d]
			}
		}
		for i := range out {
			out[i] /= float64(n)
			if integer {
				out[i] = math.Trunc(out[i])
			}
		}
	}
	if !keep {
		var s []int
		for d, r := range red {
			if !r {
				s = append(s, shape[d])
			}
		}
		os = s
	}
	return out, os
}

func reduceOpts(axes []int, keep bool) []tf.Option {
	var opts []tf.Option
	if axes != nil {
		opts = append(opts, tf.Axis(axes...))
	}
	if keep {
		opts = append(opts, tf.KeepDims(true))
	}
	return opts
}

func TestReductionValues(t *testing.T) {
	shape := []int{2, 3, 4}
	for _, c := range reduceCases {
		for _, ac := range axisCases {
			for _, keep := range []bool{false, true} {
				for _, dt := range []tf.DType{tf.Float64, tf.Float32, tf.Int32, tf.Int64} {
					t.Run(fmt.Sprintf("%s/%v/keep=%v/%s", c.name, ac.axes, keep, dt), func(t *testing.T) {
						g := newGraph(t)
						in := wobble(24, 0.3)
						if dt.IsInteger() {
							for i := range in {
								in[i] = math.Round(in[i] * 7) // -14..14, sums not multiples of counts
							}
						}
						x := tf.Cast(tf.Placeholder(tf.Float64, tf.Shape{2, tf.None, 4}), dt)
						y := c.op(x, reduceOpts(ac.axes, keep)...)
						want, ws := reduceRef(c, in, shape, ac.red, keep, dt.IsInteger())
						if dt == tf.Float32 {
							want, _ = reduceRef(c, round32(in), shape, ac.red, keep, false)
						}
						// Static shape: the None of dimension 1 stays unless reduced.
						var static []int
						for d, n := range []int{2, tf.None, 4} {
							switch {
							case !ac.red[d]:
								static = append(static, n)
							case keep:
								static = append(static, 1)
							}
						}
						checkShape(t, "static", y.Shape(), static)
						got := runAll(t, g, y, session.Feed{x.Op().Inputs()[0]: dense64(shape, in)})[0]
						if got.DType() != dt {
							t.Errorf("dtype %s, want %s", got.DType(), dt)
						}
						checkShape(t, "run", got.Shape(), ws)
						if dt == tf.Float32 {
							checkCloseTol(t, "values", got.Float64s(), want, 1e-5, 1e-5)
						} else {
							checkClose(t, "values", got.Float64s(), want)
						}
					})
				}
			}
		}
	}
}

// TF's integer mean truncates toward zero: mean([-3, -4]) = -3, mean([3, 4]) = 3.
func TestReduceMeanIntegerTruncates(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([][]int32{{-3, -4}, {3, 4}}, tf.Int32)
	checkClose(t, "mean", eval(t, tf.ReduceMean(x, tf.Axis(1)), nil).Float64s(), []float64{-3, 3})
	_ = g
}

// Reducing an axis of size 0 gives the reduction's identity, as TF: 0 for
// sums, NaN (0/0) for float means, -inf / +inf for max / min.
func TestReductionsOfEmptyAxis(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
	feed := session.Feed{x: dense64([]int{0, 3}, nil)}
	out := runAll(t, g, []*tf.Tensor{
		tf.ReduceSum(x, tf.Axis(0)), tf.ReduceMean(x, tf.Axis(0)),
		tf.ReduceMax(x, tf.Axis(0)), tf.ReduceMin(x, tf.Axis(0)),
		tf.ReduceSum(x, tf.Axis(1)), tf.ReduceMean(x),
	}, feed)
	nan, inf := math.NaN(), math.Inf(1)
	checkClose(t, "sum", out[0].Float64s(), []float64{0, 0, 0})
	checkClose(t, "mean", out[1].Float64s(), []float64{nan, nan, nan})
	checkClose(t, "max", out[2].Float64s(), []float64{-inf, -inf, -inf})
	checkClose(t, "min", out[3].Float64s(), []float64{inf, inf, inf})
	checkShape(t, "sum over the other axis", out[4].Shape(), []int{0})
	checkClose(t, "mean of all", out[5].Float64s(), []float64{nan})
}

func TestReductionErrors(t *testing.T) {
	for _, c := range reduceCases {
		newGraph(t)
		x := tf.Placeholder(tf.Float32, tf.Shape{2, 3})
		wantErr(t, c.name, c.op(x, tf.Axis(2)).Err(), c.name[len("Reduce"):], "axis 2", "rank 2", "math_ops_reduce_test.go:")
		wantErr(t, c.name, c.op(x, tf.Axis(-3)).Err(), "axis -3")
		wantErr(t, c.name, c.op(tf.Constant([]bool{true}, tf.Bool)).Err(), "bool")
		wantErr(t, c.name, c.op(x, tf.Seed(1)).Err(), "seed")
	}
}

func TestReductionGradients(t *testing.T) {
	shape := []int{2, 3, 4}
	for _, c := range reduceCases {
		for _, ac := range axisCases {
			for _, keep := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%v/keep=%v", c.name, ac.axes, keep), func(t *testing.T) {
					g := newGraph(t)
					x := tf.Placeholder(tf.Float64, tf.Shape{2, tf.None, 4})
					y := c.op(x, reduceOpts(ac.axes, keep)...)
					// Weight the outputs (broadcast against y's run-time shape).
					y = tf.Mul(y, tf.Add(tf.Square(y), 1))
					tftest.CheckGradients(t, g, y, []*tf.Tensor{x}, session.Feed{x: dense64(shape, wobble(24, 0.3))}, gradH, gradTol)
				})
			}
		}
	}
}

// Tied extremes share the gradient equally, as TF's _MaxGrad / _MinGrad.
func TestMaxMinGradientTies(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([][]float64{{1, 3, 3}, {2, 0, 2}, {5, 5, 5}}, tf.Float64)
	for _, c := range []struct {
		y    *tf.Tensor
		want []float64
	}{
		{tf.ReduceMax(x, tf.Axis(1)), []float64{0, 0.5, 0.5, 0.5, 0, 0.5, 1. / 3, 1. / 3, 1. / 3}},
		{tf.ReduceMin(x, tf.Axis(1)), []float64{1, 0, 0, 0, 1, 0, 1. / 3, 1. / 3, 1. / 3}},
		{tf.ReduceMax(x), []float64{0, 0, 0, 0, 0, 0, 1. / 3, 1. / 3, 1. / 3}},
		{tf.ReduceMin(x, tf.Axis(0), tf.KeepDims(true)), []float64{1, 0, 0, 0, 1, 1, 0, 0, 0}},
	} {
		gr, err := tf.Gradients([]*tf.Tensor{c.y}, []any{x})
		if err != nil {
			t.Fatal(err)
		}
		checkClose(t, c.y.Name(), runAll(t, g, gr, nil)[0].Float64s(), c.want)
	}
}
