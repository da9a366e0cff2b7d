package tf_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// ---- OneHot ----

// refOneHot is tf.one_hot by its definition: out[.., k, ..] = on where
// indices[..] == k, the depth axis inserted at position pos.
func refOneHot(idx []int, is []int, depth, pos int, on, off float64) ([]float64, []int) {
	os := append(append(append([]int{}, is[:pos]...), depth), is[pos:]...)
	out := make([]float64, prod(os))
	for i := range out {
		oi := unravel(i, os)
		ii := append(append([]int{}, oi[:pos]...), oi[pos+1:]...)
		out[i] = off
		if idx[ravel(ii, is)] == oi[pos] {
			out[i] = on
		}
	}
	return out, os
}

func TestOneHot(t *testing.T) {
	// Worked by hand: out-of-range indices give rows of zeros.
	newGraph(t)
	y := tf.OneHot([]int{0, 2, -1, 1, 3}, 3)
	shapeIs(t, y, tf.Shape{5, 3})
	check(t, eval(t, y, nil), tf.Float32, []int{5, 3}, []float64{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0})
	check(t, eval(t, tf.OneHot([]int{0, 2}, 3, tf.Axis(0)), nil), tf.Float32, []int{3, 2}, []float64{1, 0, 0, 0, 0, 1})
	check(t, eval(t, tf.OneHot(1, 3), nil), tf.Float32, []int{3}, []float64{0, 1, 0})
	check(t, eval(t, tf.OneHot([]int{1}, 0), nil), tf.Float32, []int{1, 0}, []float64{})

	idx := [][]int{{0, 3, 1}, {2, 2, -4}}
	flatIdx := []int{0, 3, 1, 2, 2, -4}
	vals := map[tf.DType][2]any{
		tf.Float32: {float32(2.5), float32(-1)}, tf.Float64: {7.25, 0.5}, tf.Int32: {int32(5), int32(-2)},
		tf.Int64: {int64(9), int64(3)}, tf.Bool: {true, false},
	}
	num := map[any]float64{true: 1, false: 0}
	for _, dt := range allDTypes {
		for _, axis := range []int{-1, 0, 1, 2} {
			for _, idt := range []tf.DType{tf.Int32, tf.Int64} {
				t.Run(fmt.Sprintf("%s/axis%d/%s", dt, axis, idt), func(t *testing.T) {
					newGraph(t)
					on, off := vals[dt][0], vals[dt][1]
					y := tf.OneHot(tf.Constant(idx, idt), 4, tf.OnValue(on), tf.OffValue(off), tf.Axis(axis), tf.WithDType(dt))
					pos := axis
					if pos < 0 {
						pos = 2
					}
					onF, offF := toF(on, num), toF(off, num)
					want, os := refOneHot(flatIdx, []int{2, 3}, 4, pos, onF, offF)
					shapeIs(t, y, tf.Shape(os))
					check(t, eval(t, y, nil), dt, os, want)
				})
			}
		}
	}
}

func toF(v any, num map[any]float64) float64 {
	switch x := v.(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	}
	return num[v]
}

// The dtype rules of TF's one_hot: WithDType, else on_value's, else
// off_value's, else float32.
func TestOneHotDTypes(t *testing.T) {
	newGraph(t)
	for _, tc := range []struct {
		y    *tf.Tensor
		dt   tf.DType
		want []float64
	}{
		{tf.OneHot([]int{1}, 2, tf.OnValue(1)), tf.Int32, []float64{0, 1}},
		{tf.OneHot([]int{1}, 2, tf.OnValue(3.0)), tf.Float32, []float64{0, 3}},
		{tf.OneHot([]int{1}, 2, tf.OffValue(int64(4))), tf.Int64, []float64{4, 1}},
		{tf.OneHot([]int{1}, 2, tf.WithDType(tf.Float64)), tf.Float64, []float64{0, 1}},
		{tf.OneHot([]int{1}, 2, tf.WithDType(tf.Bool)), tf.Bool, []float64{0, 1}},
		{tf.OneHot([]int{1}, 2, tf.OnValue(2), tf.WithDType(tf.Float64)), tf.Float64, []float64{0, 2}},
		{tf.OneHot([]int64{0}, 2, tf.OnValue(tf.Constant(5.0, tf.Float64)), tf.OffValue(-1)), tf.Float64, []float64{5, -1}},
	} {
		check(t, eval(t, tc.y, nil), tc.dt, []int{1, 2}, tc.want)
	}
}

func TestOneHotShapesAndErrors(t *testing.T) {
	newGraph(t)
	ix := tf.Placeholder(tf.Int32, tf.Shape{tf.None, 3})
	shapeIs(t, tf.OneHot(ix, 5), tf.Shape{tf.None, 3, 5})
	shapeIs(t, tf.OneHot(ix, 5, tf.Axis(1)), tf.Shape{tf.None, 5, 3})
	shapeIs(t, tf.OneHot(ix, 5, tf.Axis(0)), tf.Shape{5, tf.None, 3})
	shapeIs(t, tf.OneHot(tf.Placeholder(tf.Int64, nil), 5), nil)
	y := tf.OneHot(ix, 2, tf.Axis(1))
	check(t, eval(t, y, session.Feed{ix: [][]int32{{1, 0, 5}}}), tf.Float32, []int{1, 2, 3}, []float64{0, 1, 0, 1, 0, 0})

	f := tf.Placeholder(tf.Float32, nil)
	for _, tc := range []struct {
		y    *tf.Tensor
		want []string
	}{
		{tf.OneHot(ix, -1), []string{"depth must be non-negative, got: -1"}},
		{tf.OneHot(ix, 3, tf.Axis(-2)), []string{"Expected axis to be -1 or between [0, 2]", "received: -2"}},
		{tf.OneHot(ix, 3, tf.Axis(3)), []string{"received: 3"}},
		{tf.OneHot(ix, 3, tf.Axis(0, 1)), []string{"want exactly one"}},
		{tf.OneHot([]float32{1}, 3), []string{"indices", "float32", "int32 or int64"}},
		{tf.OneHot(f, 3), []string{"indices have dtype float32"}},
		{tf.OneHot(ix, 3, tf.OnValue(f), tf.WithDType(tf.Float64)), []string{"dtype float32 of on_value does not match dtype parameter float64"}},
		{tf.OneHot(ix, 3, tf.OnValue(1.0), tf.OffValue(tf.Constant(int32(0), tf.Int32))), []string{"dtype int32 of off_value does not match dtype float32"}},
		{tf.OneHot(ix, 3, tf.OnValue([]float32{1, 2})), []string{"on_value has shape [2]; want a scalar"}},
		{tf.OneHot(ix, 3, tf.OnValue(1.5), tf.WithDType(tf.Int32)), []string{"on_value"}},
		{tf.OneHot(ix, 3, tf.Limit(2)), []string{"limit"}},
	} {
		aWantErr(t, tc.y.Err(), append(tc.want, "tf.OneHot", "array_ops_onehot_test.go:")...)
	}
}

// OneHot has no gradient (TF's _OneHotGrad): not to on_value either.
func TestOneHotNoGradient(t *testing.T) {
	newGraph(t)
	on := tf.Placeholder(tf.Float32, tf.Shape{})
	y := tf.OneHot([]int{0, 1}, 2, tf.OnValue(on))
	gr, err := tf.Gradients(tf.ReduceSum(y), []any{on})
	if err != nil {
		t.Fatal(err)
	}
	if gr[0] != nil {
		t.Errorf("gradient %v; want none", gr[0])
	}
}

// ---- SequenceMask ----

func TestSequenceMask(t *testing.T) {
	newGraph(t)
	// Worked by hand.
	y := tf.SequenceMask([]int{1, 3, 2}, tf.Maxlen(5))
	shapeIs(t, y, tf.Shape{3, 5})
	check(t, eval(t, y, nil), tf.Bool, []int{3, 5}, []float64{1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0})
	// maxlen defaults to max(lengths).
	y = tf.SequenceMask([]int{1, 3, 2})
	check(t, eval(t, y, nil), tf.Bool, []int{3, 3}, []float64{1, 0, 0, 1, 1, 1, 1, 1, 0})
	check(t, eval(t, tf.SequenceMask([]int64{0, 0}), nil), tf.Bool, []int{2, 0}, []float64{})
	check(t, eval(t, tf.SequenceMask(tf.Constant([]int64{2}, tf.Int64), tf.WithDType(tf.Float32)), nil), tf.Float32, []int{1, 2}, []float64{1, 1})
	if op := y.Op(); op.Type() != "Less" || op.Name() != "SequenceMask_1/Less" {
		t.Errorf("mask made by %s %q; want Less under SequenceMask_1", op.Type(), op.Name())
	}

	// Lengths of any shape, fed, cast; dtypes.
	lens := [][]int{{3, 0, 4}, {1, 2, 5}}
	for _, ldt := range []tf.DType{tf.Int32, tf.Int64, tf.Float32} {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("%s/%s", ldt, dt), func(t *testing.T) {
				newGraph(t)
				l := tf.Placeholder(ldt, tf.Shape{tf.None, 3})
				y := tf.SequenceMask(l, tf.Maxlen(4), tf.WithDType(dt))
				shapeIs(t, y, tf.Shape{tf.None, 3, 4})
				var want []float64
				for _, row := range lens {
					for _, n := range row {
						for j := 0; j < 4; j++ {
							want = append(want, map[bool]float64{true: 1, false: 0}[j < n])
						}
					}
				}
				check(t, eval(t, y, session.Feed{l: iotaLike(lens, ldt)}), dt, []int{2, 3, 4}, want)
			})
		}
	}

	newGraph(t)
	l := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	aWantErr(t, tf.SequenceMask(l).Err(), "tf.SequenceMask", "maxlen not given", "computed at run time", "array_ops_onehot_test.go:")
	aWantErr(t, tf.SequenceMask(l, tf.Maxlen(-1)).Err(), "maxlen -1 is negative")
	aWantErr(t, tf.SequenceMask([]bool{true}, tf.Maxlen(2)).Err(), "lengths have dtype bool")
	aWantErr(t, tf.SequenceMask(l, tf.Maxlen(2), tf.WithDType(tf.String)).Err(), "dtype string")
}

// iotaLike converts an int table to a dense tensor of dt.
func iotaLike(v [][]int, dt tf.DType) any {
	d, err := tfimpl.ConvertToTensor(v, dt)
	if err != nil {
		panic(err)
	}
	return d
}

// ---- Range ----

// refRange is TF's kernel by its definition: ceil(|limit-start|/|delta|)
// values (the quotient in float32 when f32), delta accumulated in the
// dtype.
func refRange(start, limit, delta float64, f32 bool) []float64 {
	var out []float64
	if f32 {
		v, l, d := float32(start), float32(limit), float32(delta)
		n := int(math.Ceil(math.Abs(float64((l - v) / d))))
		for i := 0; i < n; i++ {
			out = append(out, float64(v))
			v += d
		}
		return out
	}
	n := int(math.Ceil(math.Abs((limit - start) / delta)))
	v := start
	for i := 0; i < n; i++ {
		out = append(out, v)
		v += delta
	}
	return out
}

func TestRange(t *testing.T) {
	newGraph(t)
	for _, tc := range []struct {
		y    *tf.Tensor
		dt   tf.DType
		want []float64
	}{
		{tf.Range(5), tf.Int32, []float64{0, 1, 2, 3, 4}},
		{tf.Range(2, tf.Limit(10), tf.Delta(3)), tf.Int32, []float64{2, 5, 8}},
		{tf.Range(10, tf.Limit(2), tf.Delta(-3)), tf.Int32, []float64{10, 7, 4}},
		{tf.Range(0), tf.Int32, []float64{}},
		{tf.Range(int64(3)), tf.Int64, []float64{0, 1, 2}},
		{tf.Range(3, tf.WithDType(tf.Float64)), tf.Float64, []float64{0, 1, 2}},
		{tf.Range(2.5), tf.Float32, []float64{0, 1, 2}},
		{tf.Range(1, tf.Limit(int64(4)), tf.Delta(2.0)), tf.Int64, []float64{1, 3}},
		{tf.Range(0, tf.Limit(2), tf.Delta(0.5)), tf.Float32, []float64{0, 0.5, 1, 1.5}},
		{tf.Range(tf.Constant(int64(4), tf.Int64), tf.Delta(2)), tf.Int64, []float64{0, 2}},
		{tf.Range(1.5, tf.Limit(4), tf.WithDType(tf.Float64)), tf.Float64, []float64{1.5, 2.5, 3.5}},
		{tf.Range(-3, tf.Limit(-7), tf.Delta(-2)), tf.Int32, []float64{-3, -5}},
	} {
		got := eval(t, tc.y, nil)
		shapeIs(t, tc.y, tf.Shape{len(tc.want)})
		check(t, got, tc.dt, []int{len(tc.want)}, tc.want)
	}
	// Float steps accumulate in the dtype, as TF's kernel.
	for _, tc := range []struct {
		start, limit, delta float64
		dt                  tf.DType
	}{{0, 1, 0.1, tf.Float32}, {0, 1, 0.1, tf.Float64}, {-1, 2.05, 0.35, tf.Float32}, {5, -3.3, -0.7, tf.Float64}} {
		y := tf.Range(tc.start, tf.Limit(tc.limit), tf.Delta(tc.delta), tf.WithDType(tc.dt))
		want := refRange(tc.start, tc.limit, tc.delta, tc.dt == tf.Float32)
		got := eval(t, y, nil)
		checkShape(t, "range", got.Shape(), []int{len(want)})
		checkClose(t, fmt.Sprintf("range(%v, %v, %v)", tc.start, tc.limit, tc.delta), got.Float64s(), want)
	}
	newGraph(t)
	if n := tf.Range(3).Op().Name(); n != "range" {
		t.Errorf("op name %q; want TF's default name range", n)
	}

	p := tf.Placeholder(tf.Int32, tf.Shape{})
	for _, tc := range []struct {
		y    *tf.Tensor
		want []string
	}{
		{tf.Range(0, tf.Limit(5), tf.Delta(0)), []string{"Requires delta != 0: 0"}},
		{tf.Range(5, tf.Limit(2)), []string{"Requires start <= limit when delta > 0: 5/2"}},
		{tf.Range(2, tf.Limit(5), tf.Delta(-1)), []string{"Requires start >= limit when delta < 0: 2/5"}},
		{tf.Range(0.5, tf.Limit(3), tf.WithDType(tf.Int32)), []string{"start", "0.5", "int32"}},
		{tf.Range(p), []string{"limit is tensor", "Placeholder op", "known only at run time", "computed from constants and tensor shapes"}},
		{tf.Range([]int{1, 2}), []string{"limit has shape [2]; want a scalar"}},
		{tf.Range(true), []string{"limit has dtype bool"}},
		{tf.Range(3, tf.WithDType(tf.Bool)), []string{"dtype bool; want int32, int64, float32 or float64"}},
	} {
		aWantErr(t, tc.y.Err(), append(tc.want, "tf.Range", "array_ops_onehot_test.go:")...)
	}
}

// ---- LinSpace ----

func TestLinSpace(t *testing.T) {
	newGraph(t)
	check(t, eval(t, tf.LinSpace(10.0, 12.0, 3), nil), tf.Float32, []int{3}, []float64{10, 11, 12})
	check(t, eval(t, tf.Linspace(-1.0, 1.0, 5), nil), tf.Float32, []int{5}, []float64{-1, -0.5, 0, 0.5, 1})
	check(t, eval(t, tf.LinSpace(3.0, 9.0, 1), nil), tf.Float32, []int{1}, []float64{3})
	check(t, eval(t, tf.LinSpace(0, 1, 2), nil), tf.Float32, []int{2}, []float64{0, 1})
	// float64 and tensors: start + i*step, the last exactly stop.
	start := tf.Placeholder(tf.Float64, tf.Shape{})
	y := tf.LinSpace(start, 1.0, 7)
	shapeIs(t, y, tf.Shape{7})
	step := (1.0 - 0.1) / 6
	want := []float64{0.1, 0.1 + step, 0.1 + 2*step, 0.1 + 3*step, 0.1 + 4*step, 0.1 + 5*step, 1}
	got := eval(t, y, session.Feed{start: 0.1})
	check(t, got, tf.Float64, []int{7}, want)
	// float32 arithmetic.
	y = tf.LinSpace(float32(0.1), float32(0.7), 4)
	s32 := (float32(0.7) - float32(0.1)) / 3
	check(t, eval(t, y, nil), tf.Float32, []int{4}, []float64{float64(float32(0.1)), float64(float32(0.1) + s32), float64(float32(0.1) + 2*s32), float64(float32(0.7))})

	aWantErr(t, tf.LinSpace(0.0, 1.0, 0).Err(), "tf.LinSpace", "Requires num > 0: 0", "array_ops_onehot_test.go:")
	aWantErr(t, tf.LinSpace(tf.Constant(int32(0), tf.Int32), 1, 3).Err(), "start has dtype int32; want float32 or float64")
	aWantErr(t, tf.LinSpace(start, tf.Constant(1.0, tf.Float32), 3).Err(), "stop has dtype float32 but start has float64")
	aWantErr(t, tf.LinSpace(tf.Placeholder(tf.Float32, tf.Shape{2}), 1.0, 3).Err(), "start must be a scalar")
	gr, err := tf.Gradients(tf.ReduceSum(y), []any{start})
	if err != nil || gr[0] != nil {
		t.Errorf("gradients %v, %v; want none (LinSpace is not differentiable in TF 1.x)", gr, err)
	}
}

// ---- Eye ----

func TestEye(t *testing.T) {
	newGraph(t)
	check(t, eval(t, tf.Eye(2), nil), tf.Float32, []int{2, 2}, []float64{1, 0, 0, 1})
	check(t, eval(t, tf.Eye(2, tf.NumColumns(3)), nil), tf.Float32, []int{2, 3}, []float64{1, 0, 0, 0, 1, 0})
	check(t, eval(t, tf.Eye(3, tf.NumColumns(2), tf.WithDType(tf.Int64)), nil), tf.Int64, []int{3, 2}, []float64{1, 0, 0, 1, 0, 0})
	check(t, eval(t, tf.Eye(2, tf.BatchShape(3), tf.WithDType(tf.Bool)), nil), tf.Bool, []int{3, 2, 2},
		[]float64{1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1})
	check(t, eval(t, tf.Eye(0), nil), tf.Float32, []int{0, 0}, []float64{})
	for _, tc := range []struct {
		shape []int
		n, m  int
	}{{[]int{2, 1}, 4, 4}, {nil, 5, 3}, {[]int{2}, 1, 6}} {
		y := tf.Eye(tc.n, tf.NumColumns(tc.m), tf.BatchShape(tc.shape...), tf.WithDType(tf.Float64))
		os := append(append([]int{}, tc.shape...), tc.n, tc.m)
		want := make([]float64, prod(os))
		for i := range want {
			ix := unravel(i, os)
			if ix[len(ix)-1] == ix[len(ix)-2] {
				want[i] = 1
			}
		}
		check(t, eval(t, y, nil), tf.Float64, os, want)
	}
	aWantErr(t, tf.Eye(-1).Err(), "tf.Eye", "num_rows -1", "non-negative", "array_ops_onehot_test.go:")
	aWantErr(t, tf.Eye(2, tf.BatchShape(-1)).Err(), "batch_shape [-1]")
	aWantErr(t, tf.Eye(2, tf.WithDType(tf.String)).Err(), "dtype string")
}
