package nn_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

var logits = [][]float64{{1, 2, 3, 0.5}, {-1, 0, 4, 4}, {1000, -1000, 999, 0}}

// runAll runs fetches with feed in a new session on g and returns their
// values as float64s.
func runAll(t *testing.T, g *tf.Graph, fetches []*tf.Tensor, feed session.Feed) [][]float64 {
	t.Helper()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	return runFloat64s(t, sess, fetches, feed)
}

// refLogSoftmax computes log softmax of a row with big-number care.
func refLogSoftmax(row []float64) []float64 {
	m := row[0]
	for _, v := range row {
		m = math.Max(m, v)
	}
	s := 0.0
	for _, v := range row {
		s += math.Exp(v - m)
	}
	out := make([]float64, len(row))
	for i, v := range row {
		out[i] = v - m - math.Log(s)
	}
	return out
}

func TestActivationValues(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	in := []float64{-2, -0.5, 0, 0.5, 3}
	x := tf.Constant(in, tf.Float64)
	got := runAll(t, g, []*tf.Tensor{nn.Relu(x), nn.Elu(x), nn.LeakyRelu(x), nn.LeakyRelu(x, tf.Alpha(0.01)), nn.Sigmoid(x), nn.Tanh(x)}, nil)
	fns := []func(float64) float64{
		func(v float64) float64 { return math.Max(v, 0) },
		func(v float64) float64 {
			if v > 0 {
				return v
			}
			return math.Exp(v) - 1
		},
		func(v float64) float64 { return math.Max(v, 0.2*v) },
		func(v float64) float64 { return math.Max(v, 0.01*v) },
		func(v float64) float64 { return 1 / (1 + math.Exp(-v)) },
		math.Tanh,
	}
	names := []string{"Relu", "Elu", "LeakyRelu", "LeakyRelu(0.01)", "Sigmoid", "Tanh"}
	for i, f := range fns {
		want := make([]float64, len(in))
		for j, v := range in {
			want[j] = f(v)
		}
		if ok, d := tftest.AllClose(got[i], want, 1e-15, 1e-14); !ok {
			t.Errorf("%s: %s", names[i], d)
		}
	}
	// Activations share tf.Tanh's signature, so any can be passed as one.
	for _, f := range []func(any, ...tf.Option) *tf.Tensor{nn.Relu, nn.Elu, nn.LeakyRelu, nn.Sigmoid, nn.Tanh, tf.Tanh} {
		if f(x).Err() != nil {
			t.Error(f(x).Err())
		}
	}
	if err := nn.Elu(x, tf.Alpha(1)).Err(); err == nil || !strings.Contains(err.Error(), "does not take the option alpha") {
		t.Errorf("Elu with Alpha: error %v", err)
	}
}

func TestSoftmaxAndLosses(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	z := tf.Constant(logits, tf.Float64)
	labels := []int32{2, 3, 1}
	probs := [][]float64{{0.1, 0.2, 0.3, 0.4}, {0, 0, 1, 0}, {0.5, 0.5, 0, 0}}
	sm := nn.Softmax(z)
	lsm := nn.LogSoftmax(z)
	sm0 := nn.Softmax(z, tf.Axis(0))
	sparse := nn.SparseSoftmaxCrossEntropyWithLogits(labels, z)
	dense := nn.SoftmaxCrossEntropyWithLogits(tf.Constant(probs, tf.Float64), z)
	got := runAll(t, g, []*tf.Tensor{sm, lsm, sm0, sparse, dense}, nil)
	var wantSm, wantLsm, wantSparse, wantDense []float64
	for r, row := range logits {
		l := refLogSoftmax(row)
		d := 0.0
		for k, v := range l {
			wantLsm = append(wantLsm, v)
			wantSm = append(wantSm, math.Exp(v))
			d -= probs[r][k] * v
		}
		wantSparse = append(wantSparse, -l[labels[r]])
		wantDense = append(wantDense, d)
	}
	// softmax along axis 0: columns
	wantSm0 := make([]float64, 12)
	for k := 0; k < 4; k++ {
		col := []float64{logits[0][k], logits[1][k], logits[2][k]}
		l := refLogSoftmax(col)
		for r := range col {
			wantSm0[r*4+k] = math.Exp(l[r])
		}
	}
	for i, w := range [][]float64{wantSm, wantLsm, wantSm0, wantSparse, wantDense} {
		if ok, d := tftest.AllClose(got[i], w, 1e-12, 1e-12); !ok {
			t.Errorf("output %d: %s", i, d)
		}
	}
	// The row holding 1000 gives finite numbers.
	for _, v := range got[3] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("sparse cross entropy not finite: %v", got[3])
		}
	}
}

func TestSparseXentFloat32Rank3(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	z := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2, 3})
	y := tf.Placeholder(tf.Int64, tf.Shape{tf.None, 2})
	loss := nn.SparseSoftmaxCrossEntropyWithLogits(y, z)
	if !loss.Shape().Equal(tf.Shape{tf.None, 2}) {
		t.Errorf("loss shape %v, want [?,2]", loss.Shape())
	}
	zv := [][][]float32{{{1, 2, 3}, {0, 0, 0}}}
	got := runAll(t, g, []*tf.Tensor{loss}, session.Feed{z: zv, y: [][]int64{{0, 2}}})
	want := []float64{-refLogSoftmax([]float64{1, 2, 3})[0], math.Log(3)}
	if ok, d := tftest.AllClose(got[0], want, 1e-6, 1e-6); !ok {
		t.Error(d)
	}
}

func TestSparseXentLabelOutOfRange(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	z := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 5})
	y := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, z))
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	zv := [][]float32{{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}}
	for _, bad := range [][]int32{{0, 7}, {-1, 0}, {5, 1}} {
		_, err := sess.Run(loss, session.Feed{z: zv, y: bad})
		if err == nil {
			t.Fatalf("labels %v: no error", bad)
		}
		msg := err.Error()
		badv := bad[0]
		if badv >= 0 && badv < 5 {
			badv = bad[1]
		}
		want := "Received a label value of " + itoa(badv) + " which is outside the valid range of [0, 5)"
		if !strings.Contains(msg, want) {
			t.Errorf("labels %v: error %q does not contain %q", bad, msg, want)
		}
	}
	// The session still works.
	if _, err := sess.Run(loss, session.Feed{z: zv, y: []int32{4, 0}}); err != nil {
		t.Errorf("after errors: %v", err)
	}
}

func itoa(v int32) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + itoa(v%10)
}

func TestShapeErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	z := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 5})
	cases := []struct {
		t    *tf.Tensor
		want string
	}{
		{nn.SparseSoftmaxCrossEntropyWithLogits(tf.Placeholder(tf.Int32, tf.Shape{tf.None, 5}), z), "labels must have the shape of logits without its last"},
		{nn.SparseSoftmaxCrossEntropyWithLogits(tf.Placeholder(tf.Float32, tf.Shape{tf.None}), z), "want int32 or int64"},
		{nn.SoftmaxCrossEntropyWithLogits(tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4}), z), "must have the same shape"},
		{nn.InTopK(z, tf.Placeholder(tf.Float32, tf.Shape{tf.None}), 1), "targets have dtype float32"},
		{nn.MeanSquaredError(tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4}), z), "must have the same shape"},
		{nn.Softmax(z, tf.Axis(2)), "axis 2 is out of range"},
	}
	for i, c := range cases {
		if err := c.t.Err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: error %v, want it to contain %q", i, err, c.want)
		}
	}
}

func TestInTopK(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	pred := [][]float32{
		{0.1, 0.3, 0.3, 0.2}, // ties at the top
		{0.1, 0.3, 0.3, 0.2},
		{0.1, 0.3, 0.3, 0.2},
		{0.5, 0.1, 0.2, 0.2},
		{0.5, float32(math.NaN()), 0.2, 0.2}, // a NaN in the row
		{0.5, 0.1, 0.2, 0.2},                 // target out of range
	}
	targets := []int32{2, 3, 0, 2, 0, 4}
	p := tf.Constant(pred, tf.Float32)
	got1, got2 := nn.InTopK(p, targets, 1), nn.InTopK(p, targets, 2)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	vals := sess.MustRun([]*tf.Tensor{got1, got2}, nil)
	// Computed by hand: k=1: class 2 ties the top (true); 3 is third; 0 last;
	// 2 ties for second (false at k=1, true at k=2 with the tie).
	want1 := []bool{true, false, false, false, false, false}
	want2 := []bool{true, false, false, true, false, false}
	for i := range want1 {
		if b := vals[0].Bools()[i]; b != want1[i] {
			t.Errorf("k=1 row %d: %v, want %v", i, b, want1[i])
		}
		if b := vals[1].Bools()[i]; b != want2[i] {
			t.Errorf("k=2 row %d: %v, want %v", i, b, want2[i])
		}
	}
}

func TestMeanSquaredError(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	y := [][]float64{{1, 2}, {3, 4}, {-1, 0.5}}
	p := [][]float64{{1.5, 2}, {2, 4.25}, {0, 0}}
	mse := nn.MeanSquaredError(y, tf.Constant(p, tf.Float64))
	got := runAll(t, g, []*tf.Tensor{mse}, nil)
	s := 0.0
	for i := range y {
		for j := range y[i] {
			d := p[i][j] - y[i][j]
			s += d * d
		}
	}
	if want := s / 6; math.Abs(got[0][0]-want) > 1e-15 {
		t.Errorf("MSE %v, want %v", got[0][0], want)
	}
	if !strings.HasPrefix(mse.Name(), "mean_squared_error/") {
		t.Errorf("MSE tensor named %q", mse.Name())
	}
}

func TestGradients(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{3, 4})
	p := tf.Placeholder(tf.Float64, tf.Shape{3, 4})
	// fixed weights make the sum a general function of each output
	w := tf.Constant([][]float64{{1, -2, 0.5, 3}, {0.7, 1.1, -0.3, 2}, {-1, 0.4, 2.2, 0.1}}, tf.Float64)
	r := tf.Constant([]float64{1, -2, 0.5}, tf.Float64)
	xv := [][]float64{{0.3, -1.2, 0.8, 2.0}, {-0.4, 0.1, 1.5, -2.2}, {1.1, 0.9, -0.6, 0.05}}
	pv := [][]float64{{0.1, 0.2, 0.3, 0.4}, {0.25, 0.25, 0.4, 0.1}, {0.7, 0.1, 0.1, 0.1}}
	feed := session.Feed{x: xv, p: pv}
	check := func(name string, y *tf.Tensor, xs ...*tf.Tensor) {
		t.Run(name, func(t *testing.T) { tftest.CheckGradients(t, g, y, xs, feed, 1e-6, 1e-7) })
	}
	check("Elu", tf.Mul(nn.Elu(x), w), x)
	check("LeakyRelu", tf.Mul(nn.LeakyRelu(x, tf.Alpha(0.1)), w), x)
	check("Relu", tf.Mul(nn.Relu(x), w), x)
	check("Sigmoid", tf.Mul(nn.Sigmoid(x), w), x)
	check("Tanh", tf.Mul(nn.Tanh(x), w), x)
	check("Softmax", tf.Mul(nn.Softmax(x), w), x)
	check("SoftmaxAxis0", tf.Mul(nn.Softmax(x, tf.Axis(0)), w), x)
	check("LogSoftmax", tf.Mul(nn.LogSoftmax(x), w), x)
	check("SparseXent", tf.Mul(nn.SparseSoftmaxCrossEntropyWithLogits([]int32{3, 0, 2}, x), r), x)
	check("Xent", tf.Mul(nn.SoftmaxCrossEntropyWithLogits(p, x), r), x)
	check("XentV2", tf.Mul(nn.SoftmaxCrossEntropyWithLogitsV2(p, x), r), x, p)
	check("MSE", nn.MeanSquaredError(p, x), x)
	// v1 gives labels no gradient, as TF 1.x's function.
	grads, err := tf.Gradients([]*tf.Tensor{nn.SoftmaxCrossEntropyWithLogits(p, x)}, []any{p})
	if err != nil || grads[0] != nil {
		t.Errorf("labels gradient of SoftmaxCrossEntropyWithLogits: %v, %v; want none", grads, err)
	}
}
