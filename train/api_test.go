package train_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
	"github.com/gorgoflow/gorgoflow/train"
)

func TestGlobalStepAndNames(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	m := buildModel()
	gs := train.GetOrCreateGlobalStep()
	if gs.Name() != "global_step" || gs.DType() != tf.Int64 || gs.IsTrainable() || len(gs.Shape()) != 0 {
		t.Fatalf("global step %v", gs)
	}
	if train.GetOrCreateGlobalStep() != gs || train.GetGlobalStep() != gs {
		t.Error("GetOrCreateGlobalStep made a second global step")
	}
	if err := train.NewGlobalStep().Err(); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second NewGlobalStep: %v", err)
	}
	op := train.NewAdamOptimizer(0.01).Minimize(m.loss, train.GlobalStep(gs))
	if op.Err() != nil {
		t.Fatal(op.Err())
	}
	if op.Name() != "Adam" {
		t.Errorf("training op named %q, want Adam", op.Name())
	}
	names := map[string]bool{}
	for _, v := range g.Variables() {
		names[v.Name()] = true
	}
	for _, n := range []string{"W/Adam", "W/Adam_1", "b/Adam", "b/Adam_1", "beta1_power", "beta2_power"} {
		if !names[n] {
			t.Errorf("no variable %q among %v", n, names)
		}
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for i := 0; i < 3; i++ {
		sess.MustRun(op, nil)
	}
	vals := sess.MustRun([]tf.Fetch{gs, g.Tensor("beta1_power"), g.Tensor("beta2_power")}, nil)
	if got := vals[0].Int64s()[0]; got != 3 {
		t.Errorf("global step %d after 3 steps, want 3", got)
	}
	if got := vals[1].Float64s()[0]; math.Abs(got-math.Pow(0.9, 4)) > 1e-15 {
		t.Errorf("beta1_power %v after 3 steps, want 0.9^4", got)
	}
	if got := vals[2].Float64s()[0]; math.Abs(got-math.Pow(0.999, 4)) > 1e-15 {
		t.Errorf("beta2_power %v after 3 steps, want 0.999^4", got)
	}
}

// Gradient clipping as the chapter's text does it: compute, clip, apply.
func TestComputeClipApply(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	m := buildModel()
	opt := train.NewGradientDescentOptimizer(0.5)
	gv, err := opt.ComputeGradients(m.loss)
	if err != nil {
		t.Fatal(err)
	}
	if len(gv) != 2 || gv[0].Var != m.W || gv[1].Var != m.b {
		t.Fatalf("grads and vars %v", gv)
	}
	capped := make([]train.GradVar, len(gv))
	for i, p := range gv {
		capped[i] = train.GradVar{Grad: tf.ClipByValue(p.Grad, -0.2, 0.2), Var: p.Var}
	}
	op := opt.ApplyGradients(capped)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	sess.MustRun(op, nil)
	_, dw, db := refLossGrad(flat(w0), b0)
	clip := func(v float64) float64 { return math.Max(-0.2, math.Min(0.2, v)) }
	wantW, wantB := flat(w0), append([]float64{}, b0...)
	for i := range wantW {
		wantW[i] -= 0.5 * clip(dw[i])
	}
	for i := range wantB {
		wantB[i] -= 0.5 * clip(db[i])
	}
	vals := sess.MustRun([]tf.Fetch{m.W, m.b}, nil)
	if ok, d := tftest.AllClose(vals[0].Float64s(), wantW, 1e-15, 1e-14); !ok {
		t.Error("W:", d)
	}
	if ok, d := tftest.AllClose(vals[1].Float64s(), wantB, 1e-15, 1e-14); !ok {
		t.Error("b:", d)
	}
}

func TestVarListAndFloat32(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	a := tf.NewVariable([]float32{1, 2}, tf.Name("a"))
	c := tf.NewVariable([]float32{3, 4}, tf.Name("c"))
	loss := tf.ReduceSum(tf.Square(tf.Mul(a, c)))
	op := train.NewMomentumOptimizer(0.01, 0.9).Minimize(loss, train.VarList(a))
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	sess.MustRun(op, nil)
	vals := sess.MustRun([]tf.Fetch{a, c}, nil)
	// d/da sum((a c)^2) = 2 a c^2: 18 and 64.
	want := []float64{1 - 0.01*18, 2 - 0.01*64}
	if ok, d := tftest.AllClose(vals[0].Float64s(), want, 1e-6, 1e-6); !ok {
		t.Error("a:", d)
	}
	if ok, d := tftest.AllClose(vals[1].Float64s(), []float64{3, 4}, 0, 0); !ok {
		t.Error("c changed though not in VarList:", d)
	}
	if vals[0].DType() != tf.Float32 {
		t.Errorf("a is %s after the step", vals[0].DType())
	}
}

func TestErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	w := tf.NewVariable([]float64{1, 2}, tf.Name("w"))
	u := tf.NewVariable([]float64{1}, tf.Name("u"))
	x := tf.Placeholder(tf.Float64, tf.Shape{2})
	loss := tf.ReduceSum(tf.Mul(w, x))
	cases := []struct {
		name string
		op   *tf.Operation
		want string
	}{
		{"no gradient", train.NewAdamOptimizer(0.1).Minimize(loss, train.VarList(u)), "No gradients provided for any variable"},
		{"no variables", func() *tf.Operation {
			g2 := tf.NewGraph()
			defer g2.AsDefault()()
			return train.NewAdamOptimizer(0.1).Minimize(tf.ReduceSum(tf.Placeholder(tf.Float64, tf.Shape{2})))
		}(), "No variables to optimize"},
		{"bad option", train.NewAdamOptimizer(0.1, train.Decay(0.9)).Minimize(loss), "train.NewAdamOptimizer does not take the option decay"},
		{"bad method option", train.NewAdamOptimizer(0.1).ApplyGradients(nil, train.VarList(w)), "does not take the option var_list"},
		{"bad beta", train.NewAdamOptimizer(0.1, train.Beta1(1)).Minimize(loss), "must lie in [0, 1)"},
		{"bad accumulator", train.NewAdagradOptimizer(0.1, train.InitialAccumulatorValue(0)).Minimize(loss), "must be positive"},
		{"int loss", train.NewAdamOptimizer(0.1).Minimize(tf.Cast(loss, tf.Int32)), "must be float32 or float64"},
		{"failed loss", train.NewAdamOptimizer(0.1).Minimize(tf.MatMul(x, x)), "tf.MatMul"},
		{"wrong gradient shape", train.NewGradientDescentOptimizer(0.1).ApplyGradients([]train.GradVar{{Grad: tf.Constant([]float64{1, 2, 3}, tf.Float64), Var: w}}), "does not fit it"},
	}
	for _, c := range cases {
		if err := c.op.Err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
	// Running before initializing names the variable.
	op := train.NewAdamOptimizer(0.1).Minimize(loss)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if err := w.Load([]float64{1, 2}, sess); err != nil {
		t.Fatal(err)
	}
	_, err := sess.Run(op, session.Feed{x: []float64{1, 1}})
	if err == nil || !strings.Contains(err.Error(), "uninitialized") {
		t.Errorf("step before slots are initialized: %v", err)
	}
}

// TestApplyFedGradients applies gradients fed through placeholders (as a
// user clipping or averaging gradients outside the graph does): the update
// ops depend on the gradients' ops, placeholders included, and a fed
// placeholder meets that dependency. W after two steps is checked against
// W - lr*g1 - lr*g2 computed here.
func TestApplyFedGradients(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	w := tf.NewVariable([]float64{1, 2, 3}, tf.Name("w"))
	grad := tf.Placeholder(tf.Float64, tf.Shape{3})
	step := train.NewGradientDescentOptimizer(0.5).ApplyGradients([]train.GradVar{{Grad: grad, Var: w}})
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	want := []float64{1, 2, 3}
	for _, gv := range [][]float64{{2, -4, 0.5}, {1, 1, 1}} {
		if _, err := sess.Run(step, session.Feed{grad: gv}); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i] -= 0.5 * gv[i]
		}
	}
	if got := sess.MustRun(w, nil)[0].Float64s(); !slices.Equal(got, want) {
		t.Errorf("w = %v, want %v", got, want)
	}
	_, err := sess.Run(step, nil)
	if err == nil || !strings.Contains(err.Error(), "You must feed a value for placeholder") {
		t.Errorf("step without the gradient fed: %v, want the missing feed named", err)
	}
}
