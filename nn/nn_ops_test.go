package nn_test

import (
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// Reference values of this file come from PyTorch (torch.nn.functional's
// softplus, softsign, relu6, selu, normalize, binary_cross_entropy_with_logits
// with pos_weight, poisson_nll_loss; float64), an implementation
// independent of gorgoflow's and TF's.

var opsX = [][]float64{{0.3, -1.2, 0.8, 2.0}, {-0.4, 0.1, 1.5, -2.2}, {1.1, 0.9, -0.6, 7.5}, {-30.0, 30.0, 6.0, 0.0}}

func flat(m [][]float64) []float64 {
	var out []float64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

func closeTo(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if ok, msg := tftest.AllClose(got, want, tol, tol); !ok {
		t.Errorf("%s: %s\n got  %v\n want %v", what, msg, got, want)
	}
}

func TestMoreActivationValues(t *testing.T) {
	cases := []struct {
		name string
		op   func(x any, opts ...tf.Option) *tf.Tensor
		want [][]float64
	}{
		{"Softplus", nn.Softplus, [][]float64{{0.8543552444685272, 0.26328246733803123, 1.1711006659477778, 2.1269280110429727}, {0.5130152523999526, 0.744396660073571, 1.7014132779827524, 0.1050833197686959}, {1.3873353251154308, 1.2411538747320878, 0.4374879504858857, 7.500552931475361}, {9.357622968839737e-14, 30.0, 6.00247568513773, 0.6931471805599453}}},
		{"Softsign", nn.Softsign, [][]float64{{0.23076923076923075, -0.5454545454545454, 0.4444444444444445, 0.6666666666666666}, {-0.28571428571428575, 0.09090909090909091, 0.6, -0.6875}, {0.5238095238095238, 0.4736842105263158, -0.37499999999999994, 0.8823529411764706}, {-0.967741935483871, 0.967741935483871, 0.8571428571428571, 0.0}}},
		{"Relu6", nn.Relu6, [][]float64{{0.3, 0.0, 0.8, 2.0}, {0.0, 0.1, 1.5, 0.0}, {1.1, 0.9, 0.0, 6.0}, {0.0, 6.0, 6.0, 0.0}}},
		{"Selu", nn.Selu, [][]float64{{0.31521029620664415, -1.228569995417489, 0.8405607898843844, 2.101401974710961}, {-0.5796101097553361, 0.10507009873554805, 1.5760514810332207, -1.56329638116675}, {1.1557710860910286, 0.9456308886199324, -0.7932339651810983, 7.880257405166104}, {-1.758099340847212, 31.521029620664414, 6.304205924132883, 0.0}}},
		{"Crelu", nn.Crelu, [][]float64{{0.3, 0.0, 0.8, 2.0, 0.0, 1.2, 0.0, 0.0}, {0.0, 0.1, 1.5, 0.0, 0.4, 0.0, 0.0, 2.2}, {1.1, 0.9, 0.0, 7.5, 0.0, 0.0, 0.6, 0.0}, {0.0, 30.0, 6.0, 0.0, 30.0, 0.0, 0.0, -0.0}}},
	}
	for _, c := range cases {
		for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
			g := tf.NewGraph()
			restore := g.AsDefault()
			y := c.op(tf.Constant(opsX, dt))
			restore()
			if y.DType() != dt {
				t.Errorf("%s: dtype %s, want %s", c.name, y.DType(), dt)
			}
			tol := 1e-13
			if dt == tf.Float32 {
				tol = 1e-6
			}
			closeTo(t, c.name+" "+dt.String(), runAll(t, g, []*tf.Tensor{y}, nil)[0], flat(c.want), tol)
		}
	}
	g := tf.NewGraph()
	defer g.AsDefault()()
	r := nn.Relu6(tf.Constant([]int32{-3, 2, 9}, tf.Int32))
	closeTo(t, "Relu6 int32", runAll(t, g, []*tf.Tensor{r}, nil)[0], []float64{0, 2, 6}, 0)
	if n := nn.Crelu(tf.Constant(opsX, tf.Float32)).Op().Name(); n != "CRelu/Relu" {
		t.Errorf("Crelu's op is %q, want CRelu/Relu", n)
	}
	c0 := nn.Crelu(tf.Constant(opsX, tf.Float32), tf.Axis(0))
	if s := c0.Shape(); !s.Equal(tf.Shape{8, 4}) {
		t.Errorf("Crelu axis 0 shape %v, want [8 4]", s)
	}
}

func TestL2LossAndNormalize(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Constant(opsX, tf.Float64)
	l := nn.L2Loss(x)
	if !l.Shape().Equal(tf.Shape{}) {
		t.Errorf("L2Loss shape %v, want scalar", l.Shape())
	}
	n1 := nn.L2Normalize(x, tf.Axis(1))
	nAll := nn.L2Normalize(x)
	zeros := nn.L2Normalize(tf.Zeros(tf.Shape{2}, tf.Float64), tf.Epsilon(1e-4))
	out := runAll(t, g, []*tf.Tensor{l, n1, nAll, zeros, nn.L2Loss(tf.Constant(opsX, tf.Float32))}, nil)
	closeTo(t, "L2Loss", out[0], []float64{954.03}, 1e-12)
	closeTo(t, "L2Normalize axis 1", out[1], flat([][]float64{{0.12077545233427119, -0.48310180933708474, 0.32206787289138983, 0.8051696822284746}, {-0.1484539238050411, 0.037113480951260276, 0.5567022142689041, -0.8164965809277261}, {0.1436589666073064, 0.11753915449688705, -0.07835943633125804, 0.9794929541407255}, {-0.7001400420140049, 0.7001400420140049, 0.140028008402801, 0.0}}), 1e-14)
	closeTo(t, "L2Normalize all", out[2], flat([][]float64{{0.006867920212116528, -0.02747168084846611, 0.01831445389897741, 0.04578613474744352}, {-0.009157226949488706, 0.0022893067373721764, 0.03433960106058264, -0.05036474822218788}, {0.02518237411109394, 0.020603760636349586, -0.013735840424233056, 0.1716980053029132}, {-0.6867920212116528, 0.6867920212116528, 0.13735840424233056, 0.0}}), 1e-14)
	closeTo(t, "L2Normalize of zeros", out[3], []float64{0, 0}, 0)
	closeTo(t, "L2Loss float32", out[4], []float64{954.03}, 1e-6)
}

func TestMoments(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Constant(opsX, tf.Float64)
	m0, v0 := nn.Moments(x, []int{0})
	m01, v01 := nn.Moments(x, []int{0, 1}, tf.KeepDims(true))
	if !m0.Shape().Equal(tf.Shape{4}) || !m01.Shape().Equal(tf.Shape{1, 1}) {
		t.Errorf("shapes %v, %v; want [4], [1 1]", m0.Shape(), m01.Shape())
	}
	if m0.Op().Name() != "moments/Squeeze" || v01.Op().Name() != "moments_1/variance" {
		t.Errorf("names %q, %q", m0.Op().Name(), v01.Op().Name())
	}
	out := runAll(t, g, []*tf.Tensor{m0, v0, m01, v01}, nil)
	closeTo(t, "mean axis 0", out[0], []float64{-7.25, 7.45, 1.9249999999999998, 1.825}, 1e-13)
	closeTo(t, "variance axis 0", out[1], []float64{172.80249999999998, 170.0625, 6.1068750000000005, 12.941874999999998}, 1e-12)
	closeTo(t, "mean all", out[2], []float64{0.9875}, 1e-13)
	closeTo(t, "variance all", out[3], []float64{118.27859375}, 1e-12)
}

func TestBatchNormalization(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 4})
	mean, variance := []float64{0.1, -0.2, 0.3, 0.0}, []float64{1.5, 0.25, 2.0, 0.5}
	offset, scale := []float64{0.5, 0.0, -1.0, 2.0}, []float64{2.0, 1.0, 0.5, -1.0}
	y := nn.BatchNormalization(x, mean, variance, offset, scale, 1e-3)
	y0 := nn.BatchNormalization(x, mean, variance, nil, nil, 1e-3)
	out := runAll(t, g, []*tf.Tensor{y, y0}, session.Feed{x: opsX})
	closeTo(t, "batch_normalization", out[0], flat([][]float64{{0.8264898205631824, -1.996011960139498, -0.8232674823112744, -0.8256029332034154}, {-0.31622455140795613, 0.5988035880418495, -0.5758419575470586, 5.108163226523757}, {2.1324491028159125, 2.195613156153448, -1.318118531839706, -8.596010999512806}, {-48.63671799475896, 60.27956119621284, 1.0147507016514719, 2.0}}), 1e-12)
	closeTo(t, "without offset and scale", out[1], flat([][]float64{{0.16324491028159122, -1.996011960139498, 0.35346503537745116, 2.8256029332034154}, {-0.40811227570397807, 0.5988035880418495, 0.8483160849058827, -3.108163226523757}, {0.8162245514079561, 2.195613156153448, -0.636237063679412, 10.596010999512806}, {-24.56835899737948, 60.27956119621284, 4.029501403302944, 0.0}}), 1e-12)
	if n := y.Op().Name(); n != "batchnorm/Add_1" {
		t.Errorf("output op %q, want it in scope batchnorm", n)
	}
	wantErrParts(t, "nil mean", nn.BatchNormalization(x, nil, variance, nil, nil, 1e-3).Err(), "nn.BatchNormalization", "mean is nil", "nn_ops_test.go:")
	wantErrParts(t, "int32 variance", nn.BatchNormalization(x, mean, tf.Constant([]int32{1, 1, 1, 1}, tf.Int32), nil, nil, 1e-3).Err(),
		"nn.BatchNormalization", "variance has dtype int32", "nn_ops_test.go:")
}

func TestWeightedCrossEntropyAndLogPoisson(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Constant(opsX, tf.Float64)
	z := tf.Constant([][]float64{{0.0, 1.0, 0.5, 1.0}, {1.0, 0.0, 0.25, 0.0}, {0.3, 1.0, 0.0, 1.0}, {1.0, 0.0, 1.0, 0.5}}, tf.Float64)
	c := tf.Constant([][]float64{{0.0, 1.0, 3.0, 0.5}, {2.0, 0.0, 4.0, 1.0}, {7.0, 1.5, 0.0, 10.0}, {1.0, 2.0, 0.0, 3.0}}, tf.Float64)
	w := nn.WeightedCrossEntropyWithLogits(z, x, 2.5)
	if n := w.Op().Name(); !strings.HasPrefix(n, "logistic_loss/") {
		t.Errorf("output op %q, want it in scope logistic_loss", n)
	}
	out := runAll(t, g, []*tf.Tensor{w, nn.LogPoissonLoss(c, x), nn.LogPoissonLoss(c, x, tf.ComputeFullLoss(true))}, nil)
	closeTo(t, "weighted_cross_entropy_with_logits", out[0], flat([][]float64{{0.854355244468527, 3.658206168345078, 1.049426165408611, 0.3173200276074315}, {2.2825381309998813, 0.7443966600735709, 1.4019432572262847, 0.105083319768696}, {1.1866362214173747, 0.8528846868302198, 0.4374879504858856, 0.0013823286884018639}, {75.00000000000023, 30.000000000000092, 0.0061892128443258925, 1.2130075659799042}}), 1e-12)
	closeTo(t, "log_poisson_loss", out[1], flat([][]float64{{1.3498588075760032, 1.5011942119122021, -0.17445907150753248, 6.38905609893065}, {1.4703200460356394, 1.1051709180756477, -1.5183109296619355, 2.310803158362334}, {-4.695833976053567, 1.1096031111569498, 0.5488116360940265, 1733.0424144560632}, {30.000000000000092, 10686474581464.463, 403.4287934927351, 1.0}}), 1e-12)
	closeTo(t, "log_poisson_loss full", out[2], flat([][]float64{{1.3498588075760032, 1.5011942119122021, 1.5896224720355243, 6.38905609893065}, {2.122126530640175, 1.1051709180756477, 1.6389522285822449, 2.310803158362334}, {3.817430675065955, 1.3394718605779512, 0.5488116360940265, 1748.1384964657054}, {30.000000000000092, 10686474581465.115, 403.4287934927351, 2.764081543543057}}), 1e-12)
	wantErrParts(t, "shapes", nn.WeightedCrossEntropyWithLogits(tf.Zeros(tf.Shape{2, 3}, tf.Float64), x, 2.0).Err(),
		"nn.WeightedCrossEntropyWithLogits", "[4,4]", "[2,3]", "same shape", "nn_ops_test.go:")
	wantErrParts(t, "dtypes", nn.LogPoissonLoss(tf.Constant(opsX, tf.Float32), x).Err(), "nn.LogPoissonLoss", "targets has dtype float32, want float64")
}

// TopK's ties go to the lower index, as TF documents (PyTorch's topk does
// not promise that, so these are by hand).
func TestTopK(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	in := [][]float64{{3, 1, 3, 2, -1}, {0, 4, 4, 4, 9}}
	for _, dt := range []tf.DType{tf.Float32, tf.Float64, tf.Int32, tf.Int64} {
		v, i := nn.TopK(tf.Constant(in, dt), 3)
		vu, iu := nn.TopK(tf.Constant(in, dt), 3, tf.Sorted(false))
		if v.DType() != dt || i.DType() != tf.Int32 {
			t.Errorf("dtypes %s, %s; want %s, int32", v.DType(), i.DType(), dt)
		}
		if !v.Shape().Equal(tf.Shape{2, 3}) {
			t.Errorf("shape %v", v.Shape())
		}
		out := runAll(t, g, []*tf.Tensor{v, i, vu, iu}, nil)
		closeTo(t, "values", out[0], []float64{3, 3, 2, 9, 4, 4}, 0)
		closeTo(t, "indices", out[1], []float64{0, 2, 3, 4, 1, 2}, 0)
		closeTo(t, "unsorted values", out[2], []float64{3, 3, 2, 4, 4, 9}, 0)
		closeTo(t, "unsorted indices", out[3], []float64{0, 2, 3, 1, 2, 4}, 0)
	}
	v, _ := nn.TopK(tf.Constant([]float64{1, 2}, tf.Float64), 3)
	wantErrParts(t, "k too big", v.Err(), "TopKV2", "fewer than k = 3", "nn_ops_test.go:")
	v, _ = nn.TopK(tf.Constant(1.0, tf.Float64), 1)
	wantErrParts(t, "scalar", v.Err(), "TopKV2", "rank at least 1")
	p := tf.Placeholder(tf.Float64, tf.Shape{tf.None, tf.None})
	v, _ = nn.TopK(p, 2)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	_, err := sess.Run(v, session.Feed{p: [][]float64{{1}}})
	wantErrParts(t, "k too big at Run time", err, "1 entries", "fewer than k = 2")
}

func TestBiasAdd(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Constant([][][]float64{{{1, 2}, {3, 4}, {5, 6}}}, tf.Float64) // [1, 3, 2]
	nhwc := nn.BiasAdd(x, []float64{10, 20})
	nchw := nn.BiasAdd(x, []float64{100, 200, 300}, tf.DataFormat("NCHW"))
	if n := nhwc.Op().Name(); n != "BiasAdd" {
		t.Errorf("op name %q, want BiasAdd", n)
	}
	out := runAll(t, g, []*tf.Tensor{nhwc, nchw}, nil)
	closeTo(t, "NHWC", out[0], []float64{11, 22, 13, 24, 15, 26}, 0)
	closeTo(t, "NCHW", out[1], []float64{101, 102, 203, 204, 305, 306}, 0)
	wantErrParts(t, "bias size", nn.BiasAdd(x, []float64{1, 2, 3}).Err(), "nn.BiasAdd", "3 elements", "has 2", "nn_ops_test.go:")
	wantErrParts(t, "bias rank", nn.BiasAdd(x, [][]float64{{1, 2}}).Err(), "nn.BiasAdd", "want a vector")
	wantErrParts(t, "value rank", nn.BiasAdd([]float64{1, 2}, []float64{1, 2}).Err(), "nn.BiasAdd", "rank at least 2")
	wantErrParts(t, "format", nn.BiasAdd(x, []float64{1, 2}, tf.DataFormat("NWHC")).Err(), "nn.BiasAdd", "NWHC")
	wantErrParts(t, "dtypes", nn.BiasAdd(x, tf.Constant([]float32{1, 2}, tf.Float32)).Err(), "nn.BiasAdd", "float64", "float32")
}

func TestMoreNNGradients(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{3, 4})
	b := tf.Placeholder(tf.Float64, tf.Shape{4})
	w := tf.Constant([][]float64{{1, -2, 0.5, 3}, {0.7, 1.1, -0.3, 2}, {-1, 0.4, 2.2, 0.1}}, tf.Float64)
	xv := [][]float64{{0.3, -1.2, 0.8, 2.0}, {-0.4, 0.1, 1.5, -2.2}, {1.1, 0.9, -0.6, 6.5}}
	feed := session.Feed{x: xv, b: []float64{0.5, -1, 2, 0.25}}
	check := func(name string, y *tf.Tensor, xs ...*tf.Tensor) {
		t.Run(name, func(t *testing.T) { tftest.CheckGradients(t, g, y, xs, feed, 1e-6, 1e-7) })
	}
	check("Softplus", tf.Mul(nn.Softplus(x), w), x)
	check("Softsign", tf.Mul(nn.Softsign(x), w), x)
	check("Relu6", tf.Mul(nn.Relu6(x), w), x)
	check("Selu", tf.Mul(nn.Selu(x), w), x)
	check("Crelu", tf.Mul(nn.Crelu(x), tf.Concat([]*tf.Tensor{w, tf.Neg(w)}, 1)), x)
	check("BiasAdd", tf.Mul(nn.BiasAdd(x, b), w), x, b)
	check("BiasAddNCHW", tf.Mul(nn.BiasAdd(tf.Reshape(x, []int{1, 4, 3}), b, tf.DataFormat("NCHW")), tf.Reshape(w, []int{1, 4, 3})), x, b)
	check("L2Loss", nn.L2Loss(tf.Mul(x, w)), x)
	check("L2Normalize", tf.Mul(nn.L2Normalize(x, tf.Axis(0)), w), x)
	check("Moments", tf.Add(tf.ReduceSum(tf.Mul(func() *tf.Tensor { m, _ := nn.Moments(x, []int{1}); return m }(), []float64{1, -2, 3})),
		tf.ReduceSum(tf.Mul(func() *tf.Tensor { _, v := nn.Moments(x, []int{1}); return v }(), []float64{0.5, 2, -1}))), x)
	check("BatchNormalization", tf.Mul(nn.BatchNormalization(x, b, tf.Square(b), tf.Mul(b, 2.0), tf.Add(b, 3.0), 1e-3), w), x, b)
	check("WeightedCrossEntropy", tf.Mul(nn.WeightedCrossEntropyWithLogits(tf.Sigmoid(w), x, 2.5), w), x)
	check("LogPoissonLoss", tf.Mul(nn.LogPoissonLoss(tf.Square(w), x, tf.ComputeFullLoss(true)), w), x)
	vals, _ := nn.TopK(x, 2)
	check("TopK", tf.Mul(vals, tf.Constant([][]float64{{1, -2}, {0.5, 3}, {2, 0.25}}, tf.Float64)), x)
}

func wantErrParts(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one containing %q", what, parts)
		return
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not contain %q", what, err, p)
		}
	}
}

// TF's leaky_relu casts integer features to float32.
func TestLeakyReluIntegers(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	y := nn.LeakyRelu(tf.Constant([]int32{-10, 0, 3}, tf.Int32))
	if y.DType() != tf.Float32 {
		t.Errorf("dtype %s, want float32", y.DType())
	}
	closeTo(t, "LeakyRelu int32", runAll(t, g, []*tf.Tensor{y}, nil)[0], []float64{-2, 0, 3}, 1e-6)
}
