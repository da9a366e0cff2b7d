package tf_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// Values of the binary ops of math_ops_binary.go computed independently
// (Python's math.atan2 and math.fmod, numpy's floor_divide and mod), on
// inputs exact in float32.
var binA = []float64{7.5, -7.5, 7.5, -7.5, 0.25, -3.0, 5.0, 0.125, -2.0, 6.0, 0.0, math.Copysign(0, -1)}
var binB = []float64{2.0, 2.0, -2.0, -2.0, 0.5, 1.5, -0.75, 4.0, 0.5, -3.0, 3.0, -1.0}
var moreBinaryWant = map[string][]float64{
	"Atan2":             {1.3101939350475555, -1.3101939350475555, 1.8313987185422376, -1.8313987185422376, 0.4636476090008061, -1.1071487177940904, 1.719686274404394, 0.031239833430268277, -1.3258176636680326, 2.0344439357957027, 0.0, -3.141592653589793},
	"SquaredDifference": {30.25, 90.25, 90.25, 30.25, 0.0625, 20.25, 33.0625, 15.015625, 6.25, 81.0, 9.0, 1.0},
	"FloorDiv":          {3.0, -4.0, -4.0, 3.0, 0.0, -2.0, -7.0, 0.0, -4.0, -2.0, 0.0, 0.0},
	"FloorMod":          {1.5, 0.5, -0.5, -1.5, 0.25, 0.0, -0.25, 0.125, 0.0, -0.0, 0.0, -0.0},
	"TruncateMod":       {1.5, -1.5, 1.5, -1.5, 0.25, -0.0, 0.5, 0.125, -0.0, 0.0, 0.0, -0.0},
}

var moreBinaryOps = map[string]func(x, y any, opts ...tf.Option) *tf.Tensor{
	"Atan2": tf.Atan2, "SquaredDifference": tf.SquaredDifference, "FloorDiv": tf.FloorDiv,
	"FloorMod": tf.FloorMod, "TruncateMod": tf.TruncateMod,
}

func TestMoreBinaryOpsValues(t *testing.T) {
	for name, want := range moreBinaryWant {
		for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
			t.Run(name+"/"+dt.String(), func(t *testing.T) {
				newGraph(t)
				x := tf.Constant(binA, dt)
				y := tf.Constant(binB, dt)
				got := eval(t, moreBinaryOps[name](x, y), nil)
				if got.DType() != dt {
					t.Errorf("dtype %s, want %s", got.DType(), dt)
				}
				tol := 1e-15
				if dt == tf.Float32 {
					tol = 1e-7
				}
				checkCloseTol(t, name, got.Float64s(), want, tol, tol)
			})
		}
	}
	newGraph(t)
	if got := eval(t, tf.Mod(tf.Constant(binA, tf.Float64), binB), nil); true {
		checkClose(t, "Mod", got.Float64s(), moreBinaryWant["FloorMod"])
	}
}

// The reference functions of the broadcast test, written from the
// definitions (not the kernels' formulas).
var moreBinaryRefs = map[string]func(x, y float64) float64{
	"Atan2":             math.Atan2,
	"SquaredDifference": func(x, y float64) float64 { return (x - y) * (x - y) },
	"FloorDiv":          func(x, y float64) float64 { return math.Floor(x / y) },
	"FloorMod":          func(x, y float64) float64 { return x - math.Floor(x/y)*y },
	"TruncateMod":       func(x, y float64) float64 { return x - math.Trunc(x/y)*y },
}

func TestMoreBinaryOpsBroadcast(t *testing.T) {
	for name, ref := range moreBinaryRefs {
		for _, bc := range broadcastCases {
			newGraph(t)
			a, b := wobble(prod(bc.a), 0), wobble(prod(bc.b), 1.7)
			x := tf.Placeholder(tf.Float64, tf.Shape(bc.a))
			y := tf.Placeholder(tf.Float64, tf.Shape(bc.b))
			z := moreBinaryOps[name](x, y)
			checkShape(t, name+" static shape", z.Shape(), bc.out)
			got := eval(t, z, session.Feed{x: dense64(bc.a, a), y: dense64(bc.b, b)})
			checkShape(t, name+" shape", got.Shape(), bc.out)
			checkCloseTol(t, name, got.Float64s(), refBroadcast(a, bc.a, b, bc.b, bc.out, ref), 1e-12, 1e-12)
		}
	}
}

func TestMoreBinaryOpsIntegers(t *testing.T) {
	for _, dt := range []tf.DType{tf.Int32, tf.Int64} {
		g := newGraph(t)
		x := tf.Constant([]int{7, -7, 7, -7, 6, -6, 0, 1, -1, 13}, dt)
		y := tf.Constant([]int{2, 2, -2, -2, 3, 3, 5, 4, 4, -5}, dt)
		out := runAll(t, g, []*tf.Tensor{tf.FloorDiv(x, y), tf.FloorMod(x, y), tf.TruncateDiv(x, y), tf.TruncateMod(x, y), tf.SquaredDifference(x, y)}, nil)
		// numpy's floor_divide and mod, C's / and %, by hand.
		checkClose(t, dt.String()+" floordiv", out[0].Float64s(), []float64{3, -4, -4, 3, 2, -2, 0, 0, -1, -3})
		checkClose(t, dt.String()+" floormod", out[1].Float64s(), []float64{1, 1, -1, -1, 0, 0, 0, 1, 3, -2})
		checkClose(t, dt.String()+" truncatediv", out[2].Float64s(), []float64{3, -3, -3, 3, 2, -2, 0, 0, 0, -2})
		checkClose(t, dt.String()+" truncatemod", out[3].Float64s(), []float64{1, -1, 1, -1, 0, 0, 0, 1, -1, 3})
		checkClose(t, dt.String()+" squared difference", out[4].Float64s(), []float64{25, 81, 81, 25, 9, 81, 25, 9, 25, 324})
		for _, o := range out {
			if o.DType() != dt {
				t.Errorf("dtype %s, want %s", o.DType(), dt)
			}
		}
		zero := tf.Constant([]int{1, 0}, dt)
		for name, op := range map[string]func(x, y any, opts ...tf.Option) *tf.Tensor{
			"FloorDiv": tf.FloorDiv, "FloorMod": tf.FloorMod, "TruncateDiv": tf.TruncateDiv, "TruncateMod": tf.TruncateMod,
		} {
			wantErr(t, name+" by zero", runErr(op(tf.Constant([]int{3, 4}, dt), zero), nil), "Integer division by zero")
		}
	}
}

func TestTruediv(t *testing.T) {
	g := newGraph(t)
	i := tf.Truediv(tf.Constant([]int32{7, -7, 1}, tf.Int32), tf.Constant([]int32{2, 2, 3}, tf.Int32))
	if i.DType() != tf.Float64 {
		t.Errorf("int32 truediv has dtype %s, want float64 (as TF)", i.DType())
	}
	f := tf.Truediv(tf.Constant([]float32{7, 1}, tf.Float32), 2)
	if f.DType() != tf.Float32 {
		t.Errorf("float32 truediv has dtype %s", f.DType())
	}
	out := runAll(t, g, []*tf.Tensor{i, f}, nil)
	checkClose(t, "int32", out[0].Float64s(), []float64{3.5, -3.5, 1.0 / 3})
	checkClose(t, "float32", out[1].Float64s(), []float64{3.5, 0.5})
	wantErr(t, "mixed", tf.Truediv(tf.Constant([]int32{1}, tf.Int32), tf.Constant([]float32{1}, tf.Float32)).Err(),
		"tf.Truediv", "int32", "float32", "math_ops_binary_test.go:")
}

func TestMoreBinaryOpsErrors(t *testing.T) {
	newGraph(t)
	i := tf.Constant([]int32{1, 2}, tf.Int32)
	f := tf.Constant([]float32{1, 2}, tf.Float32)
	wantErr(t, "Atan2 of ints", tf.Atan2(i, i).Err(), "tf.Atan2", "int32", "floating-point", "math_ops_binary_test.go:")
	wantErr(t, "TruncateDiv of floats", tf.TruncateDiv(f, f).Err(), "tf.TruncateDiv", "float32", "integer", "math_ops_binary_test.go:")
	wantErr(t, "FloorMod shapes", tf.FloorMod(tf.Zeros(tf.Shape{2, 3}, tf.Float32), tf.Zeros(tf.Shape{2}, tf.Float32)).Err(), "tf.FloorMod", "[2,3]", "[2]")
	wantErr(t, "SquaredDifference dtypes", tf.SquaredDifference(f, tf.Constant([]float64{1, 2}, tf.Float64)).Err(), "tf.SquaredDifference", "float32", "float64")
}

func TestMoreBinaryOpsGradients(t *testing.T) {
	shapes := [][2][]int{{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{3, 1}, {1, 4}}, {{}, {3, 4}}}
	for _, name := range []string{"Atan2", "SquaredDifference", "FloorMod"} {
		for _, s := range shapes {
			g := newGraph(t)
			a, b := wobble(prod(s[0]), 0.3), wobble(prod(s[1]), 2.1)
			if name == "FloorMod" {
				// Away from the jumps where x/y is whole.
				for i := range a {
					a[i] = math.Floor(a[i]*4) + 0.37
				}
				for i := range b {
					b[i] = math.Copysign(math.Abs(b[i])+0.6, b[i])
				}
			}
			x := tf.Placeholder(tf.Float64, tf.Shape(s[0]))
			y := tf.Placeholder(tf.Float64, tf.Shape(s[1]))
			z := moreBinaryOps[name](x, y)
			w := tf.Constant(dense64([]int{3, 4}, seq(12, 0.5, 0.25)), tf.Float64)
			tftest.CheckGradients(t, g, tf.Mul(z, w), []*tf.Tensor{x, y}, session.Feed{x: dense64(s[0], a), y: dense64(s[1], b)}, gradH, gradTol)
		}
	}
	// FloorDiv and TruncateDiv have no gradient (TF registers None);
	// TruncateMod has none registered: tf.Gradients fails, as TF's.
	newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{2})
	d, err := tf.Gradients([]*tf.Tensor{tf.Add(tf.FloorDiv(x, 2.0), tf.Mul(x, 0.0))}, []any{x})
	if err != nil || d[0] == nil {
		t.Fatalf("gradient through FloorDiv and Mul: %v, %v", d, err)
	}
	_, err = tf.Gradients([]*tf.Tensor{tf.TruncateMod(x, 2.0)}, []any{x})
	wantErr(t, "TruncateMod gradient", err, "no gradient", "TruncateMod")
}

func TestLogicalOps(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([][]bool{{false, false}, {true, true}}, tf.Bool)
	y := tf.Constant([]bool{false, true}, tf.Bool)
	ops := []*tf.Tensor{tf.LogicalAnd(x, y), tf.LogicalOr(x, y), tf.LogicalXor(x, y), tf.LogicalNot(x), tf.LogicalAnd(x, true)}
	want := [][]bool{
		{false, false, false, true},
		{false, true, true, true},
		{false, true, true, false},
		{true, true, false, false},
		{false, false, true, true},
	}
	out := runAll(t, g, ops, nil)
	for k, o := range out {
		checkShape(t, "shape", o.Shape(), []int{2, 2})
		got := o.Data().([]bool)
		for i := range want[k] {
			if got[i] != want[k][i] {
				t.Errorf("op %d (%s): got %v, want %v", k, ops[k].Op().Type(), got, want[k])
				break
			}
		}
	}
	if n := ops[2].Name(); n != "LogicalXor/LogicalAnd_1:0" {
		t.Errorf("LogicalXor's output is %q, want TF 1.x's LogicalXor/LogicalAnd_1:0", n)
	}
	f := tf.Constant([]float32{1}, tf.Float32)
	wantErr(t, "And of floats", tf.LogicalAnd(f, f).Err(), "tf.LogicalAnd", "float32", "want bool", "math_ops_binary_test.go:")
	wantErr(t, "Not of floats", tf.LogicalNot(f).Err(), "tf.LogicalNot", "float32", "want bool")
	wantErr(t, "Xor of floats", tf.LogicalXor(f, f).Err(), "LogicalOr", "float32", "want bool", "math_ops_binary_test.go:")
}

// DivNoNan is x/y, and 0 where y is 0, with TF's gradient (0 there too).
func TestDivNoNan(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{4})
	y := tf.Placeholder(tf.Float64, tf.Shape{4})
	z := tf.DivNoNan(x, y)
	d, err := tf.Gradients([]*tf.Tensor{z}, []any{x, y})
	if err != nil {
		t.Fatal(err)
	}
	feed := session.Feed{x: []float64{3, -1, 0, 5}, y: []float64{2, 0, 0, -4}}
	out := runAll(t, g, []*tf.Tensor{z, d[0], d[1]}, feed)
	checkClose(t, "values", out[0].Float64s(), []float64{1.5, 0, 0, -1.25})
	checkClose(t, "dx", out[1].Float64s(), []float64{0.5, 0, 0, -0.25})       // 1/y
	checkClose(t, "dy", out[2].Float64s(), []float64{-0.75, 0, 0, -5.0 / 16}) // -x/y²
	w := tf.Constant([]float64{1, -2, 0.5, 3}, tf.Float64)
	tftest.CheckGradients(t, g, tf.Mul(tf.DivNoNan(x, y), w), []*tf.Tensor{x, y}, session.Feed{x: []float64{3, -1, 0.5, 5}, y: []float64{2, -0.7, 1.5, -4}}, gradH, gradTol)
	wantErr(t, "ints", tf.DivNoNan(tf.Constant([]int32{1}, tf.Int32), tf.Constant([]int32{1}, tf.Int32)).Err(), "tf.DivNoNan", "int32", "floating-point", "math_ops_binary_test.go:")
}
