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

// References written from TF 1.x's documented update formulas
// (tensorflow/core/kernels/training_ops.cc), in float64 with plain loops.

func sgnf(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func adadeltaRef(lr, rho, eps float64) func(p, g []float64, s map[string][]float64, off int) {
	return func(p, g []float64, s map[string][]float64, off int) {
		acc, accU := slot(s, "acc", 64, 0)[off:], slot(s, "accU", 64, 0)[off:]
		for i := range p {
			acc[i] = rho*acc[i] + (1-rho)*g[i]*g[i]
			u := math.Sqrt(accU[i]+eps) / math.Sqrt(acc[i]+eps) * g[i]
			p[i] -= lr * u
			accU[i] = rho*accU[i] + (1-rho)*u*u
		}
	}
}

func ftrlRef(lr, lrPower, init, l1, l2, shrink float64) func(p, g []float64, s map[string][]float64, off int) {
	return func(p, g []float64, s map[string][]float64, off int) {
		acc, lin := slot(s, "acc", 64, init)[off:], slot(s, "lin", 64, 0)[off:]
		for i := range p {
			gs := g[i] + 2*shrink*p[i]
			na := acc[i] + g[i]*g[i]
			sigma := (math.Pow(na, -lrPower) - math.Pow(acc[i], -lrPower)) / lr
			lin[i] += gs - sigma*p[i]
			if math.Abs(lin[i]) > l1 {
				p[i] = (l1*sgnf(lin[i]) - lin[i]) / (math.Pow(na, -lrPower)/lr + 2*l2)
			} else {
				p[i] = 0
			}
			acc[i] = na
		}
	}
}

func fobos(prox, lr, l1, l2 float64) float64 {
	return sgnf(prox) * math.Max(math.Abs(prox)-lr*l1, 0) / (1 + lr*l2)
}

func proximalGDRef(lr, l1, l2 float64) func(p, g []float64, s map[string][]float64, off int) {
	return func(p, g []float64, _ map[string][]float64, _ int) {
		for i := range p {
			p[i] = fobos(p[i]-lr*g[i], lr, l1, l2)
		}
	}
}

func proximalAdagradRef(lr, init, l1, l2 float64) func(p, g []float64, s map[string][]float64, off int) {
	return func(p, g []float64, s map[string][]float64, off int) {
		acc := slot(s, "acc", 64, init)[off:]
		for i := range p {
			acc[i] += g[i] * g[i]
			a := lr / math.Sqrt(acc[i])
			p[i] = fobos(p[i]-a*g[i], a, l1, l2)
		}
	}
}

// adagradDARef: step is the global step before the update, plus one.
func adagradDARef(lr, init, l1, l2 float64, step *float64) func(p, g []float64, s map[string][]float64, off int) {
	return func(p, g []float64, s map[string][]float64, off int) {
		ga, gg := slot(s, "ga", 64, 0)[off:], slot(s, "gg", 64, init)[off:]
		t := *step
		for i := range p {
			ga[i] += g[i]
			gg[i] += g[i] * g[i]
			p[i] = -sgnf(ga[i]) * lr * math.Max(math.Abs(ga[i])-l1*t, 0) / (l2*t*lr + math.Sqrt(gg[i]))
		}
	}
}

type moreCase struct {
	name  string
	opt   func(gs *tf.Variable) train.Optimizer
	ref   func(step *float64) func(p, g []float64, s map[string][]float64, off int)
	slots []string
}

func moreCases() []moreCase {
	return []moreCase{
		{"Adadelta", func(*tf.Variable) train.Optimizer { return train.NewAdadeltaOptimizer(1.0) },
			func(*float64) func(p, g []float64, s map[string][]float64, off int) {
				return adadeltaRef(1.0, 0.95, 1e-8)
			},
			[]string{"W/Adadelta", "W/Adadelta_1"}},
		{"AdadeltaRhoEps", func(*tf.Variable) train.Optimizer {
			return train.NewAdadeltaOptimizer(0.5, train.Rho(0.8), train.Epsilon(1e-3))
		}, func(*float64) func(p, g []float64, s map[string][]float64, off int) {
			return adadeltaRef(0.5, 0.8, 1e-3)
		},
			[]string{"W/Adadelta", "W/Adadelta_1"}},
		{"Ftrl", func(*tf.Variable) train.Optimizer { return train.NewFtrlOptimizer(0.3) },
			func(*float64) func(p, g []float64, s map[string][]float64, off int) {
				return ftrlRef(0.3, -0.5, 0.1, 0, 0, 0)
			},
			[]string{"W/Ftrl", "W/Ftrl_1"}},
		{"FtrlL1L2Power", func(*tf.Variable) train.Optimizer {
			return train.NewFtrlOptimizer(0.3, train.LearningRatePower(-0.7), train.InitialAccumulatorValue(0.2),
				train.L1RegularizationStrength(0.01), train.L2RegularizationStrength(0.5))
		}, func(*float64) func(p, g []float64, s map[string][]float64, off int) {
			return ftrlRef(0.3, -0.7, 0.2, 0.01, 0.5, 0)
		},
			[]string{"W/Ftrl", "W/Ftrl_1"}},
		{"FtrlV2Shrinkage", func(*tf.Variable) train.Optimizer {
			return train.NewFtrlOptimizer(0.3, train.L1RegularizationStrength(0.01), train.L2RegularizationStrength(0.5),
				train.L2ShrinkageRegularizationStrength(0.2), train.AccumName("acc"), train.LinearName("lin"))
		}, func(*float64) func(p, g []float64, s map[string][]float64, off int) {
			return ftrlRef(0.3, -0.5, 0.1, 0.01, 0.5, 0.2)
		},
			[]string{"W/acc", "W/lin"}},
		{"ProximalGradientDescent", func(*tf.Variable) train.Optimizer { return train.NewProximalGradientDescentOptimizer(0.2) },
			func(*float64) func(p, g []float64, s map[string][]float64, off int) { return proximalGDRef(0.2, 0, 0) }, nil},
		{"ProximalGradientDescentL1L2", func(*tf.Variable) train.Optimizer {
			return train.NewProximalGradientDescentOptimizer(0.2, train.L1RegularizationStrength(0.05), train.L2RegularizationStrength(0.3))
		}, func(*float64) func(p, g []float64, s map[string][]float64, off int) {
			return proximalGDRef(0.2, 0.05, 0.3)
		}, nil},
		{"ProximalAdagrad", func(*tf.Variable) train.Optimizer { return train.NewProximalAdagradOptimizer(0.2) },
			func(*float64) func(p, g []float64, s map[string][]float64, off int) {
				return proximalAdagradRef(0.2, 0.1, 0, 0)
			},
			[]string{"W/ProximalAdagrad"}},
		{"ProximalAdagradL1L2", func(*tf.Variable) train.Optimizer {
			return train.NewProximalAdagradOptimizer(0.2, train.InitialAccumulatorValue(0.3),
				train.L1RegularizationStrength(0.05), train.L2RegularizationStrength(0.3))
		}, func(*float64) func(p, g []float64, s map[string][]float64, off int) {
			return proximalAdagradRef(0.2, 0.3, 0.05, 0.3)
		},
			[]string{"W/ProximalAdagrad"}},
		{"AdagradDA", func(gs *tf.Variable) train.Optimizer { return train.NewAdagradDAOptimizer(0.2, gs) },
			func(step *float64) func(p, g []float64, s map[string][]float64, off int) {
				return adagradDARef(0.2, 0.1, 0, 0, step)
			}, []string{"W/AdagradDA", "W/AdagradDA_1"}},
		{"AdagradDAL1L2", func(gs *tf.Variable) train.Optimizer {
			return train.NewAdagradDAOptimizer(0.2, gs, train.InitialGradientSquaredAccumulatorValue(0.3),
				train.L1RegularizationStrength(0.01), train.L2RegularizationStrength(0.3))
		}, func(step *float64) func(p, g []float64, s map[string][]float64, off int) {
			return adagradDARef(0.2, 0.3, 0.01, 0.3, step)
		}, []string{"W/AdagradDA", "W/AdagradDA_1"}},
	}
}

// castModel is buildModel in dtype dt.
func castModel(dt tf.DType) model {
	x := tf.Cast(tf.Constant(xData, tf.Float64), dt)
	y := tf.Cast(tf.Constant(yData, tf.Float64), dt)
	W := tf.NewVariable(tf.Cast(tf.Constant(w0, tf.Float64), dt), tf.Name("W"))
	b := tf.NewVariable(tf.Cast(tf.Constant(b0, tf.Float64), dt), tf.Name("b"))
	loss := tf.ReduceMean(tf.Square(tf.Sub(tf.Add(tf.MatMul(x, W), b), y)))
	return model{W, b, loss}
}

// TestMoreOptimizersDense runs each optimizer for several steps with
// dense gradients, in float64 and float32, against its reference.
func TestMoreOptimizersDense(t *testing.T) {
	const steps = 4
	for _, c := range moreCases() {
		for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				g := tf.NewGraph()
				defer g.AsDefault()()
				m := castModel(dt)
				gs := train.GetOrCreateGlobalStep()
				opt := c.opt(gs)
				op := opt.Minimize(m.loss, train.GlobalStep(gs))
				sess := session.New(session.WithGraph(g))
				defer sess.Close()
				sess.MustRun(tf.GlobalVariablesInitializer(), nil)
				var step float64
				ref := c.ref(&step)
				sw, sb := map[string][]float64{}, map[string][]float64{}
				w, b := flat(w0), append([]float64(nil), b0...)
				atol, rtol := 1e-12, 1e-10
				if dt == tf.Float32 {
					atol, rtol = 2e-6, 2e-5
				}
				for i := 0; i < steps; i++ {
					step = float64(i + 1)
					l, dw, db := refLossGrad(w, b)
					out, err := sess.Run([]tf.Fetch{m.loss, op}, nil)
					if err != nil {
						t.Fatal(err)
					}
					if got := out[0].Float64s()[0]; math.Abs(got-l) > atol+rtol*l {
						t.Errorf("step %d: loss %.10g, want %.10g", i+1, got, l)
					}
					ref(w, dw, sw, 0)
					ref(b, db, sb, 0)
				}
				vals := sess.MustRun([]tf.Fetch{m.W, m.b, gs}, nil)
				if ok, d := tftest.AllClose(vals[0].Float64s(), w, atol, rtol); !ok {
					t.Errorf("W after %d steps: %s\n got  %v\n want %v", steps, d, vals[0].Float64s(), w)
				}
				if ok, d := tftest.AllClose(vals[1].Float64s(), b, atol, rtol); !ok {
					t.Errorf("b after %d steps: %s", steps, d)
				}
				if got := vals[2].Float64s()[0]; got != steps {
					t.Errorf("global_step %v, want %d", got, steps)
				}
				var names []string
				for _, n := range opt.SlotNames() {
					names = append(names, opt.Slot(m.W, n).Name())
				}
				if strings.Join(names, ",") != strings.Join(c.slots, ",") {
					t.Errorf("slots of W: %v, want %v", names, c.slots)
				}
				if got := len(opt.Variables()); got != 2*len(c.slots) {
					t.Errorf("Variables() has %d variables, want %d", got, 2*len(c.slots))
				}
			})
		}
	}
}

// TestMoreOptimizersSparse runs each optimizer on the sparse model of
// sparse_test.go (steps with repeated indices and untouched rows), in
// float64 and float32.
func TestMoreOptimizersSparse(t *testing.T) {
	for _, c := range moreCases() {
		for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				g := tf.NewGraph()
				defer g.AsDefault()()
				W := tf.NewVariable(tf.Cast(tf.Constant(sw0, tf.Float64), dt), tf.Name("W"))
				ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
				coef := tf.Placeholder(dt, tf.Shape{tf.None, 3})
				loss := tf.ReduceSum(tf.Mul(tf.Gather(W, ids), coef))
				gs := train.GetOrCreateGlobalStep()
				opt := c.opt(gs)
				gv, err := opt.ComputeGradients(loss)
				if err != nil {
					t.Fatal(err)
				}
				if tf.IndexedSlicesOf(gv[0].Grad) == nil {
					t.Fatalf("gradient of W is dense")
				}
				op := opt.ApplyGradients(gv, train.GlobalStep(gs))
				sess := session.New(session.WithGraph(g))
				defer sess.Close()
				sess.MustRun(tf.GlobalVariablesInitializer(), nil)
				var step float64
				ref := c.ref(&step)
				want := flat(sw0)
				state := map[string][]float64{}
				atol, rtol := 1e-12, 1e-10
				if dt == tf.Float32 {
					atol, rtol = 2e-6, 2e-5
				}
				for i, idv := range sIDs {
					step = float64(i + 1)
					var cf any = sC[:len(idv)]
					if dt == tf.Float32 {
						c32 := make([][]float32, len(idv))
						for r := range c32 {
							for _, x := range sC[r] {
								c32[r] = append(c32[r], float32(x))
							}
						}
						cf = c32
					}
					if _, err := sess.Run(op, session.Feed{ids: idv, coef: cf}); err != nil {
						t.Fatal(err)
					}
					for r, gr := range rowSums(idv) {
						ref(want[r*3:r*3+3], gr, state, r*3)
					}
					got := sess.MustRun(W, nil)[0].Float64s()
					if ok, d := tftest.AllClose(got, want, atol, rtol); !ok {
						t.Fatalf("W after step %d: %s\n got  %v\n want %v", i+1, d, got, want)
					}
				}
			})
		}
	}
}

// TestMoreOptimizersSaverRoundTrip: the slots are saved under TF's names
// and restored into a fresh session, after which training goes on exactly
// as without the save.
func TestMoreOptimizersSaverRoundTrip(t *testing.T) {
	for _, c := range moreCases() {
		t.Run(c.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			m := buildModel()
			gs := train.GetOrCreateGlobalStep()
			opt := c.opt(gs)
			op := opt.Minimize(m.loss, train.GlobalStep(gs))
			saver := train.NewSaver()
			init := tf.GlobalVariablesInitializer()
			s1 := session.New(session.WithGraph(g))
			defer s1.Close()
			s1.MustRun(init, nil)
			s1.MustRun(op, nil)
			s1.MustRun(op, nil)
			path, err := saver.Save(s1, t.TempDir()+"/model.ckpt")
			if err != nil {
				t.Fatal(err)
			}
			vars, err := train.ListVariables(path)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, v := range vars {
				names = append(names, v.Name)
			}
			for _, want := range append([]string{"W", "b", "global_step"}, c.slots...) {
				if !strings.Contains(","+strings.Join(names, ",")+",", ","+want+",") {
					t.Errorf("checkpoint holds %v, not %q", names, want)
				}
			}
			s2 := session.New(session.WithGraph(g))
			defer s2.Close()
			if err := saver.Restore(s2, path); err != nil {
				t.Fatal(err)
			}
			s1.MustRun(op, nil)
			s2.MustRun(op, nil)
			fetch := []tf.Fetch{m.W, m.b}
			for _, v := range opt.Variables() {
				fetch = append(fetch, v)
			}
			a, b := s1.MustRun(fetch, nil), s2.MustRun(fetch, nil)
			for i := range a {
				if ok, d := tftest.AllClose(b[i].Float64s(), a[i].Float64s(), 0, 0); !ok {
					t.Errorf("%v after restore and a step: %s", fetch[i], d)
				}
			}
		})
	}
}
