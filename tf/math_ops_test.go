package tf_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

type binaryCase struct {
	name string
	op   func(x, y any, opts ...tf.Option) *tf.Tensor
	ref  func(x, y float64) float64
	// positive restricts inputs to positive values (Pow's base).
	positive bool
}

var binaryCases = []binaryCase{
	{"Add", tf.Add, func(x, y float64) float64 { return x + y }, false},
	{"Sub", tf.Sub, func(x, y float64) float64 { return x - y }, false},
	{"Mul", tf.Mul, func(x, y float64) float64 { return x * y }, false},
	{"Div", tf.Div, func(x, y float64) float64 { return x / y }, false},
	{"Pow", tf.Pow, math.Pow, true},
	{"Maximum", tf.Maximum, func(x, y float64) float64 {
		if x > y {
			return x
		}
		return y
	}, false},
	{"Minimum", tf.Minimum, func(x, y float64) float64 {
		if x < y {
			return x
		}
		return y
	}, false},
}

// broadcastCases are pairs of input shapes and numpy's broadcast result.
var broadcastCases = []struct{ a, b, out []int }{
	{[]int{4, 5}, []int{4, 5}, []int{4, 5}},
	{[]int{4, 5}, []int{1, 5}, []int{4, 5}},
	{[]int{4, 5}, []int{5}, []int{4, 5}},
	{[]int{4, 1}, []int{1, 5}, []int{4, 5}},
	{[]int{}, []int{4, 5}, []int{4, 5}},
	{[]int{4, 5}, []int{}, []int{4, 5}},
	{[]int{2, 1, 3}, []int{4, 1}, []int{2, 4, 3}},
	{[]int{5}, []int{4, 1}, []int{4, 5}},
	{[]int{3, 1}, []int{3}, []int{3, 3}},
}

func binaryInputs(c binaryCase, as, bs []int) ([]float64, []float64) {
	a, b := wobble(prod(as), 0), wobble(prod(bs), 1.7)
	if c.positive {
		for i := range a {
			a[i] = math.Abs(a[i]) + 0.5
		}
	}
	return a, b
}

func TestBinaryOpsBroadcastValues(t *testing.T) {
	for _, c := range binaryCases {
		for _, bc := range broadcastCases {
			for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
				t.Run(fmt.Sprintf("%s/%v+%v/%s", c.name, bc.a, bc.b, dt), func(t *testing.T) {
					newGraph(t)
					a, b := binaryInputs(c, bc.a, bc.b)
					x := tf.Placeholder(dt, tf.Shape(bc.a))
					y := tf.Placeholder(dt, tf.Shape(bc.b))
					z := c.op(x, y)
					checkShape(t, "static shape", z.Shape(), bc.out)
					feed := session.Feed{x: dense64(bc.a, a), y: dense64(bc.b, b)}
					if dt == tf.Float32 {
						a, b = round32(a), round32(b)
						feed = session.Feed{x: dense32(bc.a, a), y: dense32(bc.b, b)}
					}
					got := eval(t, z, feed)
					checkShape(t, "result shape", got.Shape(), bc.out)
					checkClose(t, "values", got.Float64s(), refBroadcast(a, bc.a, b, bc.b, bc.out, c.ref))
					if got.DType() != dt {
						t.Errorf("dtype %s, want %s", got.DType(), dt)
					}
				})
			}
		}
	}
}

// With None dimensions the static shape is as known as broadcasting allows,
// and the values follow the fed shapes.
func TestBinaryOpsUnknownDims(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 5})
	y := tf.Placeholder(tf.Float64, tf.Shape{5})
	z := tf.Add(x, y)
	checkShape(t, "static", z.Shape(), []int{tf.None, 5})
	a, b := seq(15, 0, 1), seq(5, 100, 10)
	for _, n := range []int{1, 3} {
		got := runAll(t, g, z, session.Feed{x: dense64([]int{n, 5}, a[:n*5]), y: dense64([]int{5}, b)})[0]
		checkShape(t, "run", got.Shape(), []int{n, 5})
		checkClose(t, "values", got.Float64s(), refBroadcast(a[:n*5], []int{n, 5}, b, []int{5}, []int{n, 5}, func(x, y float64) float64 { return x + y }))
	}
	u := tf.Placeholder(tf.Float64, nil)
	if s := tf.Mul(u, y).Shape(); s != nil {
		t.Errorf("unknown rank times [5]: shape %v, want unknown (nil)", s)
	}
}

// Go numbers on either side take the tensor's dtype.
func TestBinaryOpsGoOperands(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([]float64{1, 2, 3}, tf.Float64)
	i := tf.Constant([]int32{7, -7, 8}, tf.Int32)
	fetch := []*tf.Tensor{tf.Sub(10, x), tf.Div(x, 2), tf.Mul(i, 3), tf.Pow(2, x)}
	out := runAll(t, g, fetch, nil)
	checkClose(t, "10-x", out[0].Float64s(), []float64{9, 8, 7})
	checkClose(t, "x/2", out[1].Float64s(), []float64{0.5, 1, 1.5})
	checkClose(t, "i*3", out[2].Float64s(), []float64{21, -21, 24})
	if out[2].DType() != tf.Int32 {
		t.Errorf("i*3 has dtype %s, want int32", out[2].DType())
	}
	checkClose(t, "2**x", out[3].Float64s(), []float64{2, 4, 8})
	// 1.5 cannot become an int32 without loss.
	wantErr(t, "int32 + 1.5", tf.Add(i, 1.5).Err(), "tf.Add", "1.5", "_test.go:")
}

func TestIntegerOps(t *testing.T) {
	for _, dt := range []tf.DType{tf.Int32, tf.Int64} {
		g := newGraph(t)
		a := []int{7, -7, 7, -7, 6, -6, 0, 1, -1}
		b := []int{2, 2, -2, -2, 3, 3, 5, 4, 4}
		x := tf.Cast(tf.Constant(a, tf.Int32), dt)
		y := tf.Cast(tf.Constant(b, tf.Int32), dt)
		out := runAll(t, g, []*tf.Tensor{tf.Div(x, y), tf.Add(x, y), tf.Sub(x, y), tf.Mul(x, y), tf.Maximum(x, y), tf.Minimum(x, y), tf.Pow(x, tf.Cast(tf.Constant([]int{0, 1, 2, 3, 2, 3, 2, 5, 5}, tf.Int32), dt))}, nil)
		// Floor division (Python's //), worked by hand.
		checkClose(t, dt.String()+" floordiv", out[0].Float64s(), []float64{3, -4, -4, 3, 2, -2, 0, 0, -1})
		checkClose(t, dt.String()+" add", out[1].Float64s(), []float64{9, -5, 5, -9, 9, -3, 5, 5, 3})
		checkClose(t, dt.String()+" sub", out[2].Float64s(), []float64{5, -9, 9, -5, 3, -9, -5, -3, -5})
		checkClose(t, dt.String()+" mul", out[3].Float64s(), []float64{14, -14, -14, 14, 18, -18, 0, 4, -4})
		checkClose(t, dt.String()+" max", out[4].Float64s(), []float64{7, 2, 7, -2, 6, 3, 5, 4, 4})
		checkClose(t, dt.String()+" min", out[5].Float64s(), []float64{2, -7, -2, -7, 3, -6, 0, 1, -1})
		checkClose(t, dt.String()+" pow", out[6].Float64s(), []float64{1, -7, 49, -343, 36, -216, 0, 1, -1})
		for _, o := range out {
			if o.DType() != dt {
				t.Errorf("dtype %s, want %s", o.DType(), dt)
			}
		}
	}
}

// Incompatible shapes fail at build time with the op, both specs and the
// caller's line in the message; later ops and Run carry the error.
func TestBroadcastErrors(t *testing.T) {
	cases := []struct {
		a, b   tf.Shape
		as, bs string
	}{
		{tf.Shape{4, 5}, tf.Shape{4}, "[4,5]", "[4]"},
		{tf.Shape{4, 5}, tf.Shape{5, 4}, "[4,5]", "[5,4]"},
		{tf.Shape{2, 3, 4}, tf.Shape{3, 3}, "[2,3,4]", "[3,3]"},
		{tf.Shape{tf.None, 3}, tf.Shape{4}, "[?,3]", "[4]"},
	}
	for _, c := range binaryCases {
		for _, sc := range cases {
			g := newGraph(t)
			x := tf.Placeholder(tf.Float32, sc.a)
			y := tf.Placeholder(tf.Float32, sc.b)
			z := c.op(x, y)
			wantErr(t, c.name, z.Err(), c.name, sc.as, sc.bs, "math_ops_test.go:")
			if g.Err() == nil {
				t.Errorf("%s: graph has no error", c.name)
			}
			w := tf.Square(z)
			if w.Err() == nil {
				t.Errorf("%s: op built on a failed tensor has no error", c.name)
			}
			wantErr(t, c.name+" run", runErr(w, nil), sc.as)
		}
	}
	g := newGraph(t)
	_ = g
	wantErr(t, "dtypes", tf.Add(tf.Placeholder(tf.Float32, tf.Shape{2}), tf.Placeholder(tf.Float64, tf.Shape{2})).Err(), "Add", "float32", "float64", "_test.go:")
	wantErr(t, "bool add", tf.Add(tf.Constant([]bool{true}, tf.Bool), tf.Constant([]bool{true}, tf.Bool)).Err(), "Add", "bool")
}

// With None, the conflict shows only at run time, as an error of Run.
func TestBroadcastRunTimeError(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None})
	y := tf.Placeholder(tf.Float64, tf.Shape{3})
	z := tf.Add(x, y)
	if z.Err() != nil {
		t.Fatal(z.Err())
	}
	if err := runErr(z, session.Feed{x: []float64{1, 2}, y: []float64{1, 2, 3}}); err == nil {
		t.Error("adding shapes [2] and [3] ran")
	}
}

type unaryCase struct {
	name string
	op   func(x any, opts ...tf.Option) *tf.Tensor
	ref  func(float64) float64
	// domain maps a test input into the op's domain, away from kinks.
	domain func(float64) float64
	ints   bool // defined on integers too
}

var unaryCases = []unaryCase{
	{"Neg", tf.Neg, func(x float64) float64 { return -x }, nil, true},
	{"Abs", tf.Abs, math.Abs, nil, true},
	{"Sign", tf.Sign, func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return 0
	}, nil, true},
	{"Square", tf.Square, func(x float64) float64 { return x * x }, nil, true},
	{"Tanh", tf.Tanh, func(x float64) float64 {
		e := math.Exp(2 * x)
		return (e - 1) / (e + 1)
	}, nil, false},
	{"Sigmoid", tf.Sigmoid, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, nil, false},
	{"Relu", tf.Relu, func(x float64) float64 { return math.Max(x, 0) }, nil, true},
	{"Exp", tf.Exp, math.Exp, nil, false},
	{"Log", tf.Log, math.Log, func(x float64) float64 { return math.Abs(x) + 0.1 }, false},
	{"Sqrt", tf.Sqrt, math.Sqrt, func(x float64) float64 { return math.Abs(x) + 0.1 }, false},
}

func TestUnaryOpsValues(t *testing.T) {
	for _, c := range unaryCases {
		for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				g := newGraph(t)
				in := append(wobble(11, 0.2), 0, -30, 30)
				if c.domain != nil {
					for i := range in {
						in[i] = c.domain(in[i])
					}
				}
				x := tf.Placeholder(dt, tf.Shape{tf.None, 7})
				feed := session.Feed{x: dense64([]int{2, 7}, in)}
				if dt == tf.Float32 {
					in = round32(in)
					feed = session.Feed{x: dense32([]int{2, 7}, in)}
				}
				want := make([]float64, len(in))
				for i, v := range in {
					want[i] = c.ref(v)
				}
				y := c.op(x)
				checkShape(t, "static", y.Shape(), []int{tf.None, 7})
				got := runAll(t, g, y, feed)[0]
				checkShape(t, "run", got.Shape(), []int{2, 7})
				checkClose(t, "values", got.Float64s(), want)
			})
		}
	}
}

func TestUnaryOpsIntegers(t *testing.T) {
	for _, c := range unaryCases {
		g := newGraph(t)
		in := []int32{-3, 0, 2}
		y := c.op(tf.Constant(in, tf.Int32))
		if !c.ints {
			wantErr(t, c.name+" on int32", y.Err(), c.name, "int32", "_test.go:")
			continue
		}
		got := runAll(t, g, y, nil)[0]
		want := make([]float64, len(in))
		for i, v := range in {
			want[i] = c.ref(float64(v))
		}
		checkClose(t, c.name+" int32", got.Float64s(), want)
		if got.DType() != tf.Int32 {
			t.Errorf("%s: dtype %s", c.name, got.DType())
		}
	}
}

// Sigmoid and Tanh stay finite and exact-ish at extreme inputs.
func TestUnaryOpsExtremes(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([]float64{-800, 800}, tf.Float64)
	out := runAll(t, g, []*tf.Tensor{tf.Sigmoid(x), tf.Tanh(x)}, nil)
	checkClose(t, "sigmoid", out[0].Float64s(), []float64{0, 1})
	checkClose(t, "tanh", out[1].Float64s(), []float64{-1, 1})
}

func TestComparisons(t *testing.T) {
	g := newGraph(t)
	a := []float64{1, 2, 3, 4, 5, 6}
	b := []float64{3, 2, 1}
	x := tf.Constant(dense64([]int{2, 3}, a), tf.Float64)
	y := tf.Constant(b, tf.Float64)
	ops := []struct {
		name string
		op   func(x, y any, opts ...tf.Option) *tf.Tensor
		ref  func(x, y float64) bool
	}{
		{"Equal", tf.Equal, func(x, y float64) bool { return x == y }},
		{"NotEqual", tf.NotEqual, func(x, y float64) bool { return x != y }},
		{"Greater", tf.Greater, func(x, y float64) bool { return x > y }},
		{"GreaterEqual", tf.GreaterEqual, func(x, y float64) bool { return x >= y }},
		{"Less", tf.Less, func(x, y float64) bool { return x < y }},
		{"LessEqual", tf.LessEqual, func(x, y float64) bool { return x <= y }},
	}
	for _, o := range ops {
		z := o.op(x, y)
		if z.DType() != tf.Bool {
			t.Errorf("%s: dtype %s", o.name, z.DType())
		}
		got := runAll(t, g, z, nil)[0]
		checkShape(t, o.name, got.Shape(), []int{2, 3})
		want := refBroadcast(a, []int{2, 3}, b, []int{3}, []int{2, 3}, func(x, y float64) float64 {
			if o.ref(x, y) {
				return 1
			}
			return 0
		})
		gb := got.Bools()
		for i := range want {
			if gb[i] != (want[i] == 1) {
				t.Errorf("%s: element %d is %v", o.name, i, gb[i])
			}
		}
		// Integers compare too.
		zi := runAll(t, g, o.op(tf.Constant([]int{1, 2, 3}, tf.Int32), 2), nil)[0].Bools()
		for i, v := range []float64{1, 2, 3} {
			if zi[i] != o.ref(v, 2) {
				t.Errorf("%s int32: element %d is %v", o.name, i, zi[i])
			}
		}
	}
	bt := tf.Constant([]bool{true, false, true}, tf.Bool)
	bf := tf.Constant([]bool{true, true, false}, tf.Bool)
	out := runAll(t, g, []*tf.Tensor{tf.Equal(bt, bf), tf.NotEqual(bt, bf)}, nil)
	if e, n := out[0].Bools(), out[1].Bools(); !(e[0] && !e[1] && !e[2] && !n[0] && n[1] && n[2]) {
		t.Errorf("bool Equal %v NotEqual %v", e, n)
	}
	wantErr(t, "Greater on bools", runErr(tf.Greater(bt, bf), nil), "bool")
}

func TestWhere(t *testing.T) {
	newGraph(t)
	cond := tf.Constant([][]bool{{true, false, true}, {false, false, true}}, tf.Bool)
	x := tf.Constant(dense64([]int{2, 3}, seq(6, 1, 1)), tf.Float64)
	y := tf.Constant(dense64([]int{2, 3}, seq(6, -1, -1)), tf.Float64)
	got := eval(t, tf.Where(cond, x, y), nil)
	checkClose(t, "same shapes", got.Float64s(), []float64{1, -2, 3, -4, -5, 6})
	// cond [3] and x [2,1] and y scalar broadcast to [2,3].
	c3 := tf.Constant([]bool{true, false, true}, tf.Bool)
	x21 := tf.Constant(dense64([]int{2, 1}, []float64{10, 20}), tf.Float64)
	w := tf.Where(c3, x21, 0.5)
	checkShape(t, "broadcast static", w.Shape(), []int{2, 3})
	got = eval(t, w, nil)
	checkShape(t, "broadcast run", got.Shape(), []int{2, 3})
	checkClose(t, "broadcast", got.Float64s(), []float64{10, 0.5, 10, 20, 0.5, 20})
	// Both Go values: x converts by itself (float32) and y follows.
	gf := eval(t, tf.Where(c3, 1.0, 2), nil)
	if gf.DType() != tf.Float32 {
		t.Errorf("Where(cond, 1.0, 2): dtype %s, want float32", gf.DType())
	}
	checkClose(t, "go values", gf.Float64s(), []float64{1, 2, 1})
	gi := eval(t, tf.Where(c3, tf.Constant([]int{1, 2, 3}, tf.Int32), tf.Constant([]int{-1, -2, -3}, tf.Int32)), nil)
	checkClose(t, "int32", gi.Float64s(), []float64{1, -2, 3})
	wantErr(t, "float cond", tf.Where(x, x, y).Err(), "Select", "bool", "_test.go:")
	wantErr(t, "dtypes", tf.Where(cond, x, tf.Constant(dense32([]int{2, 3}, seq(6, 0, 1)), tf.Float32)).Err(), "float64", "float32")
	wantErr(t, "shapes", tf.Where(cond, x, tf.Constant([]float64{1, 2}, tf.Float64)).Err(), "[2,3]", "[2]")
}

func TestZerosOnesLike(t *testing.T) {
	g := newGraph(t)
	for _, dt := range []tf.DType{tf.Float32, tf.Float64, tf.Int32, tf.Int64} {
		x := tf.Cast(tf.Constant(dense64([]int{2, 3}, seq(6, 1, 1)), tf.Float64), dt)
		out := runAll(t, g, []*tf.Tensor{tf.ZerosLike(x), tf.OnesLike(x)}, nil)
		for k, want := range []float64{0, 1} {
			if out[k].DType() != dt {
				t.Errorf("%s: dtype %s", dt, out[k].DType())
			}
			checkShape(t, dt.String(), out[k].Shape(), []int{2, 3})
			w := make([]float64, 6)
			for i := range w {
				w[i] = want
			}
			checkClose(t, dt.String(), out[k].Float64s(), w)
		}
	}
	b := tf.Constant([]bool{true, false}, tf.Bool)
	out := runAll(t, g, []*tf.Tensor{tf.ZerosLike(b), tf.OnesLike(b)}, nil)
	if z, o := out[0].Bools(), out[1].Bools(); z[0] || z[1] || !o[0] || !o[1] {
		t.Errorf("bool zeros %v ones %v", z, o)
	}
	// Unknown dimensions follow the feed.
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2})
	got := runAll(t, g, tf.OnesLike(p), session.Feed{p: [][]float32{{5, 6}, {7, 8}, {9, 1}}})[0]
	checkShape(t, "fed", got.Shape(), []int{3, 2})
}

// ---- gradients ----

const (
	gradH   = 1e-6
	gradTol = 1e-6
)

func TestBinaryOpsGradients(t *testing.T) {
	for _, c := range binaryCases {
		for _, bc := range broadcastCases {
			t.Run(fmt.Sprintf("%s/%v+%v", c.name, bc.a, bc.b), func(t *testing.T) {
				g := newGraph(t)
				a, b := binaryInputs(c, bc.a, bc.b)
				if c.name == "Maximum" || c.name == "Minimum" {
					// Keep |x - y| well above the step so no pair is tied.
					for i := range b {
						b[i] = math.Floor(b[i]*2) + 0.25
					}
					for i := range a {
						a[i] = math.Floor(a[i]*2) + 0.75
					}
				}
				x := tf.Placeholder(tf.Float64, tf.Shape(bc.a))
				y := tf.Placeholder(tf.Float64, tf.Shape(bc.b))
				// Weight the output so that each element's gradient differs.
				w := tf.Constant(dense64(bc.out, seq(prod(bc.out), 0.5, 0.25)), tf.Float64)
				z := tf.Mul(c.op(x, y), w)
				tftest.CheckGradients(t, g, z, []*tf.Tensor{x, y}, session.Feed{x: dense64(bc.a, a), y: dense64(bc.b, b)}, gradH, gradTol)
			})
		}
	}
}

// The same gradients with unknown dimensions at build time.
func TestBinaryOpsGradientsUnknownDims(t *testing.T) {
	for _, c := range binaryCases {
		g := newGraph(t)
		x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
		y := tf.Placeholder(tf.Float64, tf.Shape{tf.None})
		a, b := binaryInputs(c, []int{4, 3}, []int{3})
		tftest.CheckGradients(t, g, c.op(x, y), []*tf.Tensor{x, y}, session.Feed{x: dense64([]int{4, 3}, a), y: dense64([]int{3}, b)}, gradH, gradTol)
	}
}

// Where x == y, Maximum's gradient goes to x and Minimum's to x, as TF's
// _MaximumMinimumGrad (greater_equal / less_equal masks).
func TestMaximumMinimumTieGradients(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([]float64{1, 2, 3}, tf.Float64)
	y := tf.Constant([]float64{1, 5, 0}, tf.Float64)
	for _, c := range []struct {
		op         func(x, y any, opts ...tf.Option) *tf.Tensor
		wantX, wnY []float64
	}{
		{tf.Maximum, []float64{1, 0, 1}, []float64{0, 1, 0}},
		{tf.Minimum, []float64{1, 1, 0}, []float64{0, 0, 1}},
	} {
		gr, err := tf.Gradients([]*tf.Tensor{c.op(x, y)}, []any{x, y})
		if err != nil {
			t.Fatal(err)
		}
		out := runAll(t, g, gr, nil)
		checkClose(t, "dx", out[0].Float64s(), c.wantX)
		checkClose(t, "dy", out[1].Float64s(), c.wnY)
	}
}

func TestUnaryOpsGradients(t *testing.T) {
	for _, c := range unaryCases {
		t.Run(c.name, func(t *testing.T) {
			g := newGraph(t)
			in := wobble(12, 0.9) // no zeros: Abs, Sign and Relu are smooth there
			if c.domain != nil {
				for i := range in {
					in[i] = c.domain(in[i])
				}
			}
			x := tf.Placeholder(tf.Float64, tf.Shape{3, 4})
			w := tf.Constant(dense64([]int{3, 4}, seq(12, 1, 0.5)), tf.Float64)
			tftest.CheckGradients(t, g, tf.Mul(c.op(x), w), []*tf.Tensor{x}, session.Feed{x: dense64([]int{3, 4}, in)}, gradH, gradTol)
		})
	}
}

// At the kinks TF's gradients are 0 (Abs via sign(0), Relu via x > 0).
func TestUnaryGradientsAtZero(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([]float64{0, 0}, tf.Float64)
	gr, err := tf.Gradients([]*tf.Tensor{tf.Abs(x), tf.Relu(x), tf.Sign(x)}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "d(abs+relu+sign)/dx at 0", runAll(t, g, gr, nil)[0].Float64s(), []float64{0, 0})
}

// Pow's gradient with respect to the exponent is 0 where the base is <= 0.
func TestPowGradientNonPositiveBase(t *testing.T) {
	g := newGraph(t)
	x := tf.Constant([]float64{-2, 0, 2}, tf.Float64)
	y := tf.Constant([]float64{2, 2, 3}, tf.Float64)
	gr, err := tf.Gradients([]*tf.Tensor{tf.Pow(x, y)}, []any{x, y})
	if err != nil {
		t.Fatal(err)
	}
	out := runAll(t, g, gr, nil)
	// d/dx = y x^(y-1): -4, 0, 12. d/dy = x^y log x where x > 0: 0, 0, 8 log 2.
	checkClose(t, "dx", out[0].Float64s(), []float64{-4, 0, 12})
	checkClose(t, "dy", out[1].Float64s(), []float64{0, 0, 8 * math.Ln2})
}

// Integer Div by zero and integer Pow to a negative power are run-time
// errors, as TF's kernels report them; the graph runs normally afterwards.
func TestIntegerDivPowErrors(t *testing.T) {
	g := newGraph(t)
	for _, dt := range []tf.DType{tf.Int32, tf.Int64} {
		x := tf.Cast(tf.Constant([]int{7, -7, 3}, tf.Int32), dt)
		zero := tf.Cast(tf.Constant([]int{2, 0, 1}, tf.Int32), dt)
		neg := tf.Cast(tf.Constant([]int{2, -1, 1}, tf.Int32), dt)
		wantErr(t, "int div by zero", runErr(tf.Div(x, zero), nil), "Integer division by zero")
		wantErr(t, "int pow negative", runErr(tf.Pow(x, neg), nil), "Integers to negative integer powers are not allowed")
		ok := runAll(t, g, []*tf.Tensor{tf.Div(x, tf.Cast(tf.Constant([]int{2, 2, 2}, tf.Int32), dt))}, nil)
		checkClose(t, "floor div after errors", ok[0].Float64s(), []float64{3, -4, 1})
	}
	// Floats divide by zero to ±Inf without error, as TF.
	f := runAll(t, g, []*tf.Tensor{tf.Div(tf.Constant([]float32{1, -1}, tf.Float32), tf.Constant([]float32{0, 0}, tf.Float32))}, nil)
	if v := f[0].Float64s(); !(v[0] > 1e300 && v[1] < -1e300) {
		t.Fatalf("float division by zero: got %v, want [+Inf -Inf]", v)
	}
}

// The gradient of tanh is TF's TanhGrad(y, dy) = dy·(1 - y²), itself
// differentiable (second derivatives by central differences).
func TestTanhGradGradients(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{3, 4})
	w := tf.Placeholder(tf.Float64, tf.Shape{3, 4})
	y := tf.Tanh(x)
	d, err := tf.Gradients([]*tf.Tensor{y}, []any{x}, w)
	if err != nil {
		t.Fatal(err)
	}
	if d[0].Op().Type() != "TanhGrad" {
		t.Errorf("the gradient of Tanh is a %s, want TanhGrad", d[0].Op().Type())
	}
	feed := session.Feed{x: dense64([]int{3, 4}, wobble(12, 0.9)), w: dense64([]int{3, 4}, seq(12, 1, 0.5))}
	tftest.CheckGradients(t, g, tf.Mul(d[0], tf.Constant(dense64([]int{3, 4}, seq(12, -1, 0.25)), tf.Float64)), []*tf.Tensor{x, w}, feed, gradH, gradTol)
}
