package layers_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// affine computes act(x W + b) for x [rows, in] with plain loops.
func affine(x []float64, in int, w []float64, b []float64, act func(float64) float64) []float64 {
	out := len(b)
	rows := len(x) / in
	y := make([]float64, rows*out)
	for r := 0; r < rows; r++ {
		for j := 0; j < out; j++ {
			s := b[j]
			for k := 0; k < in; k++ {
				s += x[r*in+k] * w[k*out+j]
			}
			y[r*out+j] = act(s)
		}
	}
	return y
}

func relu(v float64) float64   { return math.Max(v, 0) }
func linear(v float64) float64 { return v }

func TestVariablesAndNames(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	tf.SetRandomSeed(42)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 28})
	layers.FullyConnected(x, 150)
	layers.FullyConnected(x, 10, layers.ActivationFn(nil))
	layers.Dense(x, 5)
	layers.Dense(x, 5, layers.Name("out"))
	func() {
		defer tf.VariableScope("rnn", tf.ReuseInherit)()
		layers.FullyConnected(x, 3)
	}()
	layers.FullyConnected(x, 4, layers.Scope("mine"))
	want := []struct {
		name  string
		shape tf.Shape
	}{
		{"fully_connected/weights", tf.Shape{28, 150}}, {"fully_connected/biases", tf.Shape{150}},
		{"fully_connected_1/weights", tf.Shape{28, 10}}, {"fully_connected_1/biases", tf.Shape{10}},
		{"dense/kernel", tf.Shape{28, 5}}, {"dense/bias", tf.Shape{5}},
		{"out/kernel", tf.Shape{28, 5}}, {"out/bias", tf.Shape{5}},
		{"rnn/fully_connected/weights", tf.Shape{28, 3}}, {"rnn/fully_connected/biases", tf.Shape{3}},
		{"mine/weights", tf.Shape{28, 4}}, {"mine/biases", tf.Shape{4}},
	}
	vars := g.TrainableVariables()
	if len(vars) != len(want) {
		t.Fatalf("%d variables, want %d: %v", len(vars), len(want), vars)
	}
	for i, v := range vars {
		if v.Name() != want[i].name || !v.Shape().Equal(want[i].shape) || v.DType() != tf.Float32 {
			t.Errorf("variable %d: %s, want %s %v float32", i, v, want[i].name, want[i].shape)
		}
	}
	// Initializers: glorot-uniform within sqrt(6/(in+out)), biases zeros.
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for _, v := range vars {
		vals := sess.MustEval(v, nil).Float64s()
		if strings.HasSuffix(v.Name(), "bias") || strings.HasSuffix(v.Name(), "biases") {
			for _, b := range vals {
				if b != 0 {
					t.Errorf("%s: bias %v, want 0", v.Name(), b)
				}
			}
			continue
		}
		limit := math.Sqrt(6 / float64(v.Shape()[0]+v.Shape()[1]))
		lo, hi, mean := math.Inf(1), math.Inf(-1), 0.0
		for _, w := range vals {
			lo, hi = math.Min(lo, w), math.Max(hi, w)
			mean += w / float64(len(vals))
		}
		if lo < -limit || hi > limit {
			t.Errorf("%s: values in [%v, %v], outside ±%v", v.Name(), lo, hi, limit)
		}
		// A uniform sample spans most of its range and centres on 0.
		if len(vals) >= 100 && (hi < 0.8*limit || lo > -0.8*limit || math.Abs(mean) > 0.3*limit) {
			t.Errorf("%s: %d values in [%v, %v] mean %v do not look uniform on ±%v", v.Name(), len(vals), lo, hi, mean, limit)
		}
	}
}

func TestValuesRank2And3(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x2 := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
	x3 := tf.Placeholder(tf.Float64, tf.Shape{tf.None, tf.None, 3})
	fc := layers.FullyConnected(x2, 4)                                // ReLU
	lin := layers.FullyConnected(x2, 4, layers.ActivationFn(nil))     // linear
	fc3 := layers.FullyConnected(x3, 2, layers.ActivationFn(nn.Tanh)) // rank 3
	dense := layers.Dense(x3, 2)                                      // linear, rank 3
	denseAct := layers.Dense(x2, 4, layers.Activation(nn.Elu), layers.UseBias(false))
	if !fc3.Shape().Equal(tf.Shape{tf.None, tf.None, 2}) {
		t.Errorf("rank-3 output shape %v", fc3.Shape())
	}
	vars := g.TrainableVariables()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	// Nonzero biases, so that they are tested.
	for _, v := range vars {
		if v.Shape().Rank() == 1 {
			b := make([]float64, v.Shape()[0])
			for i := range b {
				b[i] = 0.1 * float64(i+1) * math.Pow(-1, float64(i))
			}
			if err := v.Load(b, sess); err != nil {
				t.Fatal(err)
			}
		}
	}
	val := func(v *tf.Variable) []float64 { return sess.MustEval(v, nil).Float64s() }
	xa := [][]float64{{1, -2, 0.5}, {0.3, 0.8, -1.5}}
	xb := [][][]float64{{{1, 2, 3}, {-1, 0, 1}}, {{0.5, 0.5, -2}, {2, -3, 0.1}}, {{0, 0, 0}, {1, 1, 1}}}
	out := sess.MustRun([]*tf.Tensor{fc, lin, fc3, dense, denseAct}, session.Feed{x2: xa, x3: xb})
	flat2 := append(append([]float64{}, xa[0]...), xa[1]...)
	var flat3 []float64
	for _, a := range xb {
		for _, r := range a {
			flat3 = append(flat3, r...)
		}
	}
	want := [][]float64{
		affine(flat2, 3, val(vars[0]), val(vars[1]), relu),
		affine(flat2, 3, val(vars[2]), val(vars[3]), linear),
		affine(flat3, 3, val(vars[4]), val(vars[5]), math.Tanh),
		affine(flat3, 3, val(vars[6]), val(vars[7]), linear),
		affine(flat2, 3, val(vars[8]), make([]float64, 4), func(v float64) float64 {
			if v > 0 {
				return v
			}
			return math.Exp(v) - 1
		}),
	}
	for i := range want {
		if ok, d := tftest.AllClose(out[i].Float64s(), want[i], 1e-12, 1e-12); !ok {
			t.Errorf("output %d: %s", i, d)
		}
	}
	if got := out[2].Shape(); fmt.Sprint(got) != "(3, 2, 2)" {
		t.Errorf("rank-3 output has shape %v", got)
	}
	if len(vars) != 9 {
		t.Errorf("%d variables, want 9 (use_bias false makes no bias)", len(vars))
	}
	// Gradients of the rank-3 layer reach its weights.
	grads, err := tf.Gradients([]*tf.Tensor{tf.ReduceSum(fc3)}, []any{vars[4], vars[5]})
	if err != nil || grads[0] == nil || grads[1] == nil {
		t.Fatalf("gradients: %v %v", grads, err)
	}
	gv := sess.MustRun(grads, session.Feed{x3: xb})
	w, b := val(vars[4]), val(vars[5])
	dw, db := make([]float64, 6), make([]float64, 2)
	for r := 0; r < 6; r++ {
		for j := 0; j < 2; j++ {
			s := b[j]
			for k := 0; k < 3; k++ {
				s += flat3[r*3+k] * w[k*2+j]
			}
			d := 1 - math.Tanh(s)*math.Tanh(s)
			db[j] += d
			for k := 0; k < 3; k++ {
				dw[k*2+j] += d * flat3[r*3+k]
			}
		}
	}
	for i, want := range [][]float64{dw, db} {
		if ok, d := tftest.AllClose(gv[i].Float64s(), want, 1e-12, 1e-12); !ok {
			t.Errorf("gradient %d: %s", i, d)
		}
	}
}

func TestErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	cases := []struct {
		t    *tf.Tensor
		want string
	}{
		{layers.FullyConnected(tf.Placeholder(tf.Float32, tf.Shape{tf.None}), 3), "need rank 2 or more"},
		{layers.FullyConnected(tf.Placeholder(tf.Float32, tf.Shape{2, tf.None}), 3), "layers.FullyConnected at layers_test.go:199: inputs"},
		{layers.FullyConnected(tf.Placeholder(tf.Int32, tf.Shape{2, 3}), 3), "want float32 or float64"},
		{layers.Dense(tf.Placeholder(tf.Float32, tf.Shape{2, 3}), 3, layers.ActivationFn(nil)), "layers.Dense at layers_test.go:201 does not take the option activation_fn"},
		{layers.Dense(tf.Placeholder(tf.Float32, tf.Shape{2, 3}), 0), "must be positive"},
		{layers.Dense(nil, 3), "layers.Dense at layers_test.go:203: inputs is a nil *tf.Tensor"},
	}
	for i, c := range cases {
		if err := c.t.Err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: error %v, want it to contain %q", i, err, c.want)
		}
	}
	// The same explicit scope twice, without reuse, is TF's error.
	x := tf.Placeholder(tf.Float32, tf.Shape{2, 3})
	layers.FullyConnected(x, 3, layers.Scope("s"))
	if err := layers.FullyConnected(x, 3, layers.Scope("s")).Err(); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second layer in scope s: %v", err)
	}
}

// TestDenseLayerSharesVariables checks that a DenseLayer makes its
// variables once, named as tf.layers.Dense names them, and applies the same
// ones from any later call and scope.
func TestDenseLayerSharesVariables(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
	d := layers.NewDense(2, layers.UseBias(false))
	y1 := d.Apply(x)
	closeScope := tf.VariableScope("other", tf.ReuseInherit)
	y2 := d.Apply(tf.Mul(x, 2.0))
	closeScope()
	e := layers.NewDense(4, layers.Name("proj"))
	z := e.Apply(tf.Reshape(x, []int{-1, 1, 3}))
	var names []string
	for _, v := range g.Variables() {
		names = append(names, v.Name()+" "+fmt.Sprint(v.Shape()))
	}
	if got, want := strings.Join(names, " "), "dense/kernel [3,2] proj/kernel [3,4] proj/bias [4]"; got != want {
		t.Errorf("variables %s, want %s", got, want)
	}
	if d.Kernel() == nil || d.Bias() != nil || d.Units() != 2 {
		t.Errorf("Kernel %v, Bias %v, Units %d", d.Kernel(), d.Bias(), d.Units())
	}
	if s := fmt.Sprint(z.Shape()); s != "[?,1,4]" {
		t.Errorf("rank-3 output shape %s", s)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(func() *tf.Operation { defer g.AsDefault()(); return tf.GlobalVariablesInitializer() }(), nil)
	vals := sess.MustRun([]*tf.Tensor{y1, y2}, session.Feed{x: [][]float64{{1, 2, 3}}})
	a, b := vals[0].Float64s(), vals[1].Float64s()
	for i := range a {
		if b[i] != 2*a[i] {
			t.Errorf("second Apply %v, want twice the first %v", b, a)
		}
	}
	if err := d.Apply(tf.Placeholder(tf.Float64, tf.Shape{1, 5})).Err(); err == nil || !strings.Contains(err.Error(), "built for float64 inputs of depth 3") {
		t.Errorf("wrong depth: error %v", err)
	}
}
