package tf_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// moreUnaryCases are the unary ops of math_ops_unary.go with inputs exact
// in float32 and their values computed independently (Python's math
// module and numpy.round, float64).
var moreUnaryCases = []struct {
	name   string
	op     func(x any, opts ...tf.Option) *tf.Tensor
	smooth bool // differentiable at the inputs (else TF registers no gradient)
	in     []float64
	want   []float64
}{
	{"Round", tf.Round, false,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-2.0, -2.0, -1.0, -0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 2.0, -3.0, 6.0}},
	{"Ceil", tf.Ceil, false,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-2.0, -1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0, -3.0, 7.0}},
	{"Rsqrt", tf.Rsqrt, true,
		[]float64{0.25, 0.5, 1.0, 2.0, 4.5, 9.0, 100.0, 0.0625},
		[]float64{2.0, 1.414213562373095, 1.0, 0.7071067811865475, 0.47140452079103173, 0.3333333333333333, 0.1, 4.0}},
	{"Reciprocal", tf.Reciprocal, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-0.4, -0.6666666666666666, -1.1428571428571428, -2.0, 4.0, 2.0, 0.8888888888888888, 0.6666666666666666, 0.4, -0.3333333333333333, 0.15384615384615385}},
	{"Sin", tf.Sin, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-0.5984721441039565, -0.9974949866040544, -0.7675435022360271, -0.479425538604203, 0.0, 0.24740395925452294, 0.479425538604203, 0.9022675940990952, 0.9974949866040544, 0.5984721441039565, -0.1411200080598672, 0.21511998808781552}},
	{"Cos", tf.Cos, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-0.8011436155469337, 0.0707372016677029, 0.6409968581633251, 0.8775825618903728, 1.0, 0.9689124217106447, 0.8775825618903728, 0.4311765167986662, 0.0707372016677029, -0.8011436155469337, -0.9899924966004454, 0.9765876257280235}},
	{"Tan", tf.Tan, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{0.7470222972386603, -14.101419947171719, -1.197421629234348, -0.5463024898437905, 0.0, 0.25534192122103627, 0.5463024898437905, 2.092571276372179, 14.101419947171719, -0.7470222972386603, 0.1425465430742778, 0.22027720034589682}},
	{"Atan", tf.Atan, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-1.1902899496825317, -0.982793723247329, -0.7188299996216245, -0.4636476090008061, 0.0, 0.24497866312686414, 0.4636476090008061, 0.844153986113171, 0.982793723247329, 1.1902899496825317, -1.2490457723982544, 1.4181469983996315}},
	{"Sinh", tf.Sinh, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-6.0502044810397875, -2.1292794550948173, -0.9910066371442947, -0.5210953054937474, 0.0, 0.2526123168081683, 0.5210953054937474, 1.3777821907798407, 2.1292794550948173, 6.0502044810397875, -10.017874927409903, 332.5700648025844}},
	{"Cosh", tf.Cosh, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{6.132289479663686, 2.352409615243247, 1.4078686568228032, 1.1276259652063807, 1.0, 1.0314130998795732, 1.1276259652063807, 1.7024346581381904, 2.352409615243247, 6.132289479663686, 10.067661995777765, 332.5715682417774}},
	{"Expm1", tf.Expm1, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-0.9179150013761013, -0.7768698398515702, -0.5831379803214916, -0.3934693402873666, 0.0, 0.2840254166877415, 0.6487212707001282, 2.080216848918031, 3.481689070338065, 11.182493960703473, -0.950212931632136, 664.1416330443618}},
	{"Erf", tf.Erf, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{-0.999593047982555, -0.9661051464753108, -0.7840750610598597, -0.5204998778130465, 0.0, 0.2763263901682369, 0.5204998778130465, 0.8883882317017078, 0.9661051464753108, 0.999593047982555, -0.9999779095030014, 1.0}},
	{"Erfc", tf.Erfc, true,
		[]float64{-2.5, -1.5, -0.875, -0.5, 0.0, 0.25, 0.5, 1.125, 1.5, 2.5, -3.0, 6.5},
		[]float64{1.999593047982555, 1.9661051464753108, 1.7840750610598597, 1.5204998778130465, 1.0, 0.7236736098317631, 0.4795001221869535, 0.11161176829829222, 0.033894853524689274, 0.0004069520174449589, 1.9999779095030015, 3.8421483271206475e-20}},
}

func TestMoreUnaryOpsValues(t *testing.T) {
	for _, c := range moreUnaryCases {
		for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				newGraph(t)
				x := tf.Placeholder(dt, tf.Shape{tf.None})
				y := c.op(x)
				if y.DType() != dt {
					t.Errorf("dtype %s, want %s", y.DType(), dt)
				}
				feed := session.Feed{x: dense64([]int{len(c.in)}, c.in)}
				tol := 1e-15
				if dt == tf.Float32 {
					feed = session.Feed{x: dense32([]int{len(c.in)}, c.in)}
					tol = 1e-7
				}
				got := eval(t, y, feed)
				if got.DType() != dt {
					t.Errorf("result dtype %s, want %s", got.DType(), dt)
				}
				checkCloseTol(t, c.name, got.Float64s(), c.want, tol, tol)
			})
		}
	}
}

// Round is banker's rounding and the identity on integers, as TF's.
func TestRoundIntegersAndHalves(t *testing.T) {
	g := newGraph(t)
	i := tf.Constant([]int32{-3, 0, 7}, tf.Int32)
	h := tf.Constant([]float64{-3.5, -2.5, -0.5, 0.5, 1.5, 2.5, 3.5, 1e300}, tf.Float64)
	out := runAll(t, g, []*tf.Tensor{tf.Round(i), tf.Round(h)}, nil)
	checkClose(t, "int32", out[0].Float64s(), []float64{-3, 0, 7})
	if out[0].DType() != tf.Int32 {
		t.Errorf("Round of int32 has dtype %s", out[0].DType())
	}
	checkClose(t, "halves", out[1].Float64s(), []float64{-4, -2, 0, 0, 2, 2, 4, 1e300})
}

func TestMoreUnaryOpsGradients(t *testing.T) {
	for _, c := range moreUnaryCases {
		t.Run(c.name, func(t *testing.T) {
			g := newGraph(t)
			n := len(c.in)
			x := tf.Placeholder(tf.Float64, tf.Shape{n})
			y := c.op(x)
			if !c.smooth {
				d, err := tf.Gradients([]*tf.Tensor{y}, []any{x})
				if err != nil {
					t.Fatal(err)
				}
				if d[0] != nil {
					t.Errorf("gradient of %s is %v, want none (TF registers none)", c.name, d[0])
				}
				return
			}
			w := tf.Constant(seq(n, 0.5, 0.25), tf.Float64)
			tftest.CheckGradients(t, g, tf.Mul(y, w), []*tf.Tensor{x}, session.Feed{x: dense64([]int{n}, c.in)}, gradH, gradTol)
		})
	}
}

func TestMoreUnaryOpsErrors(t *testing.T) {
	newGraph(t)
	i := tf.Constant([]int32{1, 2}, tf.Int32)
	for _, c := range moreUnaryCases {
		if c.name == "Round" {
			continue
		}
		wantErr(t, c.name, c.op(i).Err(), "tf."+c.name, "int32", "floating-point", "math_ops_unary_test.go:")
	}
	wantErr(t, "IsNan of int32", tf.IsNan(i).Err(), "IsNan", "int32", "want float32 or float64", "math_ops_unary_test.go:")
	wantErr(t, "unknown option", tf.Sin(1.0, tf.Axis(0)).Err(), "tf.Sin", "axis")
}

func TestFloatClassTests(t *testing.T) {
	for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
		g := newGraph(t)
		x := tf.Constant([]float64{0, -1.5, math.NaN(), math.Inf(1), math.Inf(-1), 3e38}, dt)
		out := runAll(t, g, []*tf.Tensor{tf.IsNan(x), tf.IsInf(x), tf.IsFinite(x)}, nil)
		want := [][]bool{
			{false, false, true, false, false, false},
			{false, false, false, true, true, false},
			{true, true, false, false, false, true},
		}
		for k, name := range []string{"IsNan", "IsInf", "IsFinite"} {
			if out[k].DType() != tf.Bool {
				t.Errorf("%s has dtype %s, want bool", name, out[k].DType())
				continue
			}
			got := out[k].Data().([]bool)
			for i := range want[k] {
				if got[i] != want[k][i] {
					t.Errorf("%s %s: got %v, want %v", dt, name, got, want[k])
					break
				}
			}
		}
	}
}
