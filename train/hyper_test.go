package train_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
	"github.com/gorgoflow/gorgoflow/train"
)

// TestTensorHyperparameters: a learning rate (and momentum, epsilon) given
// as a placeholder is read at every run, as TF's convert_to_tensor'd
// hyperparameters; the reference applies the fed values.
func TestTensorHyperparameters(t *testing.T) {
	lrs := []float64{0.1, 0.05, 0.2}
	cases := []struct {
		name string
		opt  func(lr, h *tf.Tensor) train.Optimizer
		hv   []float64
		ref  func(t int, lr, h float64, p, g []float64, s map[string][]float64)
	}{
		{"GradientDescent", func(lr, _ *tf.Tensor) train.Optimizer { return train.NewGradientDescentOptimizer(lr) }, nil,
			func(_ int, lr, _ float64, p, g []float64, _ map[string][]float64) {
				for i := range p {
					p[i] -= lr * g[i]
				}
			}},
		{"Momentum", func(lr, h *tf.Tensor) train.Optimizer { return train.NewMomentumOptimizer(lr, h) }, []float64{0.9, 0.5, 0.7},
			func(_ int, lr, mom float64, p, g []float64, s map[string][]float64) {
				a := slot(s, "a", len(p), 0)
				for i := range p {
					a[i] = mom*a[i] + g[i]
					p[i] -= lr * a[i]
				}
			}},
		{"Adam", func(lr, h *tf.Tensor) train.Optimizer { return train.NewAdamOptimizer(lr, train.Epsilon(h)) }, []float64{1e-8, 0.1, 0.01},
			func(t int, lr, eps float64, p, g []float64, s map[string][]float64) {
				m, v := slot(s, "m", len(p), 0), slot(s, "v", len(p), 0)
				lrT := lr * math.Sqrt(1-math.Pow(0.999, float64(t))) / (1 - math.Pow(0.9, float64(t)))
				for i := range p {
					m[i] = 0.9*m[i] + 0.1*g[i]
					v[i] = 0.999*v[i] + 0.001*g[i]*g[i]
					p[i] -= lrT * m[i] / (math.Sqrt(v[i]) + eps)
				}
			}},
		{"RMSProp", func(lr, h *tf.Tensor) train.Optimizer {
			return train.NewRMSPropOptimizer(lr, train.Decay(h), train.WithMomentum(0.5))
		}, []float64{0.9, 0.8, 0.99},
			func(_ int, lr, decay float64, p, g []float64, s map[string][]float64) {
				ms, mom := slot(s, "ms", len(p), 1), slot(s, "mom", len(p), 0)
				for i := range p {
					ms[i] = decay*ms[i] + (1-decay)*g[i]*g[i]
					mom[i] = 0.5*mom[i] + lr*g[i]/math.Sqrt(ms[i]+1e-10)
					p[i] -= mom[i]
				}
			}},
		{"ProximalAdagrad", func(lr, h *tf.Tensor) train.Optimizer {
			return train.NewProximalAdagradOptimizer(lr, train.L1RegularizationStrength(h))
		}, []float64{0.01, 0, 0.1},
			func(_ int, lr, l1 float64, p, g []float64, s map[string][]float64) {
				acc := slot(s, "acc", len(p), 0.1)
				for i := range p {
					acc[i] += g[i] * g[i]
					a := lr / math.Sqrt(acc[i])
					p[i] = fobos(p[i]-a*g[i], a, l1, 0)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			m := buildModel()
			// The learning rate in float32, cast to the variables' float64
			// as TF casts it: the reference uses the float32 values.
			lr := tf.Placeholder(tf.Float32, tf.Shape{}, tf.Name("learning_rate"))
			h := tf.Placeholder(tf.Float64, tf.Shape{}, tf.Name("h"))
			op := c.opt(lr, h).Minimize(m.loss)
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			sess.MustRun(tf.GlobalVariablesInitializer(), nil)
			w, b := flat(w0), append([]float64(nil), b0...)
			sw, sb := map[string][]float64{}, map[string][]float64{}
			for i, l := range lrs {
				feed := session.Feed{lr: float32(l)}
				hv := 0.0
				if c.hv != nil {
					hv = c.hv[i]
					feed[h] = hv
				}
				if _, err := sess.Run(op, feed); err != nil {
					t.Fatal(err)
				}
				_, dw, db := refLossGrad(w, b)
				c.ref(i+1, float64(float32(l)), hv, w, dw, sw)
				c.ref(i+1, float64(float32(l)), hv, b, db, sb)
			}
			got := sess.MustRun(m.W, nil)[0].Float64s()
			if ok, d := tftest.AllClose(got, w, 1e-12, 1e-10); !ok {
				t.Errorf("W: %s\n got  %v\n want %v", d, got, w)
			}
			_, err := sess.Run(op, nil)
			if err == nil || !strings.Contains(err.Error(), "learning_rate") {
				t.Errorf("step without the learning rate fed: %v", err)
			}
		})
	}
}

func TestHyperparameterErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	m := buildModel()
	vec := tf.Placeholder(tf.Float64, tf.Shape{2})
	str := tf.Placeholder(tf.Bool, tf.Shape{})
	cases := []struct {
		name string
		op   *tf.Operation
		want string
	}{
		{"vector learning rate", train.NewGradientDescentOptimizer(vec).Minimize(m.loss), "learning_rate \"Placeholder:0\" has shape [2]; it must be a scalar"},
		{"string learning rate", train.NewAdamOptimizer(str).Minimize(m.loss), "must be a real number"},
		{"slice learning rate", train.NewAdagradOptimizer([]float64{1}).Minimize(m.loss), "must be a number or a scalar *tf.Tensor, not []float64"},
		{"nil momentum", train.NewMomentumOptimizer(0.1, nil).Minimize(m.loss), "momentum is nil"},
		{"tensor Ftrl l1", train.NewFtrlOptimizer(0.1, train.L1RegularizationStrength(tf.Constant(0.1, tf.Float64))).Minimize(m.loss), "l1_regularization_strength must be a number here"},
		{"negative Ftrl power", train.NewFtrlOptimizer(0.1, train.LearningRatePower(0.5)).Minimize(m.loss), "learning_rate_power 0.5 needs to be negative or zero"},
		{"AdagradDA without step", train.NewAdagradDAOptimizer(0.1, nil).Minimize(m.loss), "AdagradDA needs the global step"},
		{"ProximalAdagrad accumulator", train.NewProximalAdagradOptimizer(0.1, train.InitialAccumulatorValue(0)).Minimize(m.loss), "initial_accumulator_value must be positive"},
		{"Adadelta option", train.NewAdadeltaOptimizer(0.1, train.Beta1(0.5)).Minimize(m.loss), "train.NewAdadeltaOptimizer does not take the option beta1"},
	}
	for _, c := range cases {
		err := c.op.Err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), "optimizer made at hyper_test.go:") {
			t.Errorf("%s: error %v does not name the constructor's line", c.name, err)
		}
	}
}

// TestTFPublishedNumbers checks the optimizers against the values TF's
// own tests publish (tensorflow/python/training/ftrl_test.py,
// adagrad_da_test.py, proximal_adagrad_test.py and
// tensorflow/compiler/tests/proximal_gradient_descent_test.py: learning
// rate 3, gradients [0.1, 0.2] and [0.01, 0.02], float32), to 1e-5.
func TestTFPublishedNumbers(t *testing.T) {
	ftrl := func(opts ...train.Option) func(*tf.Variable) train.Optimizer {
		return func(*tf.Variable) train.Optimizer { return train.NewFtrlOptimizer(3.0, opts...) }
	}
	da := func(opts ...train.Option) func(*tf.Variable) train.Optimizer {
		return func(gs *tf.Variable) train.Optimizer { return train.NewAdagradDAOptimizer(3.0, gs, opts...) }
	}
	pa := func(opts ...train.Option) func(*tf.Variable) train.Optimizer {
		return func(*tf.Variable) train.Optimizer { return train.NewProximalAdagradOptimizer(3.0, opts...) }
	}
	pgd := func(opts ...train.Option) func(*tf.Variable) train.Optimizer {
		return func(*tf.Variable) train.Optimizer { return train.NewProximalGradientDescentOptimizer(3.0, opts...) }
	}
	l1 := train.L1RegularizationStrength(0.001)
	l2 := train.L2RegularizationStrength(2.0)
	cases := []struct {
		name        string
		opt         func(gs *tf.Variable) train.Optimizer
		v0, v1      []float64
		steps       int
		want0, wnt1 []float64
	}{
		{"Ftrl without regularization", ftrl(), []float64{0, 0}, []float64{0, 0}, 3,
			[]float64{-2.60260963, -4.29698515}, []float64{-0.28432083, -0.56694895}},
		{"Ftrl without regularization 2", ftrl(), []float64{1, 2}, []float64{4, 3}, 3,
			[]float64{-2.55607247, -3.98729396}, []float64{-0.28232238, -0.56096673}},
		{"Ftrl L1", ftrl(l1), []float64{1, 2}, []float64{4, 3}, 10,
			[]float64{-7.66718769, -10.91273689}, []float64{-0.93460727, -1.86147261}},
		{"Ftrl L1 L2", ftrl(l1, l2), []float64{1, 2}, []float64{4, 3}, 10,
			[]float64{-0.24059935, -0.46829352}, []float64{-0.02406147, -0.04830509}},
		{"Ftrl L1 L2 L2 shrinkage", ftrl(l1, l2, train.L2ShrinkageRegularizationStrength(0.1)), []float64{1, 2}, []float64{4, 3}, 10,
			[]float64{-0.22578995, -0.44345796}, []float64{-0.14378493, -0.13229476}},
		{"AdagradDA without regularization", da(), []float64{0, 0}, []float64{0, 0}, 1,
			[]float64{-0.904534, -1.603567}, []float64{-0.094821, -0.189358}},
		{"AdagradDA without regularization 2", da(), []float64{1, 2}, []float64{4, 3}, 1,
			[]float64{-0.904534, -1.603567}, []float64{-0.094821, -0.189358}},
		{"AdagradDA L1", da(l1), []float64{1, 2}, []float64{4, 3}, 1,
			[]float64{-0.895489, -1.59555}, []float64{-0.085339, -0.17989}},
		{"AdagradDA L1 L2", da(l1, l2), []float64{1, 2}, []float64{4, 3}, 1,
			[]float64{-0.046907, -0.093659}, []float64{-0.004275, -0.009023}},
		{"ProximalAdagrad L1", pa(l1), []float64{1, 2}, []float64{4, 3}, 10,
			[]float64{-6.663634, -9.190331}, []float64{2.959304, 1.029232}},
		{"ProximalAdagrad L1 L2", pa(l1, l2), []float64{1, 2}, []float64{4, 3}, 10,
			[]float64{-0.0495, -0.0995}, []float64{-0.0045, -0.0095}},
		{"ProximalGradientDescent L1", pgd(l1), []float64{1, 2}, []float64{4, 3}, 10,
			[]float64{-1.988, -3.988001}, []float64{3.67, 2.37}},
		{"ProximalGradientDescent L1 L2", pgd(l1, l2), []float64{1, 2}, []float64{4, 3}, 10,
			[]float64{-0.0495, -0.0995}, []float64{-0.0045, -0.0095}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			var0 := tf.NewVariable(tf.Cast(tf.Constant(c.v0, tf.Float64), tf.Float32))
			var1 := tf.NewVariable(tf.Cast(tf.Constant(c.v1, tf.Float64), tf.Float32))
			g0 := tf.Constant([]float32{0.1, 0.2}, tf.Float32)
			g1 := tf.Constant([]float32{0.01, 0.02}, tf.Float32)
			gs := train.GetOrCreateGlobalStep()
			op := c.opt(gs).ApplyGradients([]train.GradVar{{Grad: g0, Var: var0}, {Grad: g1, Var: var1}}, train.GlobalStep(gs))
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			sess.MustRun(tf.GlobalVariablesInitializer(), nil)
			for range c.steps {
				sess.MustRun(op, nil)
			}
			out := sess.MustRun([]tf.Fetch{var0, var1}, nil)
			if ok, d := tftest.AllClose(out[0].Float64s(), c.want0, 1e-6, 1e-5); !ok {
				t.Errorf("var0: %s", d)
			}
			if ok, d := tftest.AllClose(out[1].Float64s(), c.wnt1, 1e-6, 1e-5); !ok {
				t.Errorf("var1: %s", d)
			}
		})
	}
}

// TestOptimizerVariablesAndNames: variables() lists the slots and non-slot
// variables sorted by name, get_name the optimizer's name, get_slot_names
// the sorted slot names, as TF's Optimizer.
func TestOptimizerVariablesAndNames(t *testing.T) {
	cases := []struct {
		opt   train.Optimizer
		name  string
		slots string
		vars  string
	}{
		{train.NewAdamOptimizer(0.1), "Adam", "m,v", "W/Adam,W/Adam_1,b/Adam,b/Adam_1,beta1_power,beta2_power"},
		{train.NewRMSPropOptimizer(0.1, train.Centered(true), train.Name("rms")), "rms", "mg,momentum,rms", "W/rms,W/rms_1,W/rms_2,b/rms,b/rms_1,b/rms_2"},
		{train.NewMomentumOptimizer(0.1, 0.9), "Momentum", "momentum", "W/Momentum,b/Momentum"},
		{train.NewGradientDescentOptimizer(0.1), "GradientDescent", "", ""},
		{train.NewFtrlOptimizer(0.1), "Ftrl", "accum,linear", "W/Ftrl,W/Ftrl_1,b/Ftrl,b/Ftrl_1"},
	}
	for _, c := range cases {
		g := tf.NewGraph()
		func() {
			defer g.AsDefault()()
			m := buildModel()
			c.opt.Minimize(m.loss)
			var names []string
			for _, v := range c.opt.Variables() {
				names = append(names, v.Name())
			}
			if got := strings.Join(names, ","); got != c.vars {
				t.Errorf("%s: Variables() %s, want %s", c.name, got, c.vars)
			}
		}()
		if c.opt.GetName() != c.name {
			t.Errorf("GetName() %q, want %q", c.opt.GetName(), c.name)
		}
		if got := strings.Join(c.opt.SlotNames(), ","); got != c.slots {
			t.Errorf("%s: SlotNames() %s, want %s", c.name, got, c.slots)
		}
		if len(c.opt.Variables()) != 0 {
			t.Errorf("%s: Variables() outside the optimizer's graph: %v", c.name, c.opt.Variables())
		}
	}
}

// TestAdamTensorBetas: beta1 and beta2 given as tensors start the beta
// powers and multiply them at each step; the GraphDef passes TF's OpDefs.
func TestAdamTensorBetas(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	m := buildModel()
	b1 := tf.Constant(0.5, tf.Float64)
	b2 := tf.PlaceholderWithDefault(tf.Constant(0.7, tf.Float32), tf.Shape{})
	op := train.NewAdamOptimizer(0.1, train.Beta1(b1), train.Beta2(b2), train.Epsilon(0.3)).Minimize(m.loss)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for range 3 {
		sess.MustRun(op, nil)
	}
	_, w, _ := runRef(3, func(t int, p, g []float64, s map[string][]float64) {
		mm, v := slot(s, "m", len(p), 0), slot(s, "v", len(p), 0)
		b2 := float64(float32(0.7)) // the float32 placeholder, cast to float64
		lrT := 0.1 * math.Sqrt(1-math.Pow(b2, float64(t))) / (1 - math.Pow(0.5, float64(t)))
		for i := range p {
			mm[i] = 0.5*mm[i] + 0.5*g[i]
			v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
			p[i] -= lrT * mm[i] / (math.Sqrt(v[i]) + 0.3)
		}
	})
	if ok, d := tftest.AllClose(sess.MustRun(m.W, nil)[0].Float64s(), w, 1e-12, 1e-10); !ok {
		t.Errorf("W: %s", d)
	}
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	problems, _ := checkGraphDef(t, tfOpDefs(t), gd.Marshal())
	for _, p := range problems {
		t.Error(p)
	}
}
