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

// A tiny linear regression: loss = mean((x W + b - y)^2) with fixed data
// and weights, float64 throughout.
var (
	xData = [][]float64{{1, 2, 0.5}, {-1, 0.3, 2}, {0.2, -0.7, 1}, {2, 1, -1}}
	yData = [][]float64{{1, 0}, {0, 1}, {0.5, -0.5}, {2, 1}}
	w0    = [][]float64{{0.1, -0.2}, {0.3, 0.05}, {-0.4, 0.2}}
	b0    = []float64{0.01, -0.02}
)

type model struct {
	W, b *tf.Variable
	loss *tf.Tensor
}

func buildModel() model {
	x := tf.Constant(xData, tf.Float64)
	y := tf.Constant(yData, tf.Float64)
	W := tf.NewVariable(w0, tf.Name("W"))
	b := tf.NewVariable(b0, tf.Name("b"))
	loss := tf.ReduceMean(tf.Square(tf.Sub(tf.Add(tf.MatMul(x, W), b), y)))
	return model{W, b, loss}
}

// refLossGrad computes the loss and its gradients with plain loops.
func refLossGrad(w []float64, b []float64) (loss float64, dw, db []float64) {
	n := float64(len(xData) * 2)
	dw = make([]float64, 6)
	db = make([]float64, 2)
	for r, x := range xData {
		for j := 0; j < 2; j++ {
			z := b[j] - yData[r][j]
			for k := 0; k < 3; k++ {
				z += x[k] * w[k*2+j]
			}
			loss += z * z / n
			g := 2 * z / n
			db[j] += g
			for k := 0; k < 3; k++ {
				dw[k*2+j] += g * x[k]
			}
		}
	}
	return loss, dw, db
}

func flat(m [][]float64) []float64 {
	var out []float64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

// rule is an optimizer's update written from TF's documented formulas:
// params are updated in place, state is per-parameter slot storage.
type rule func(step int, p, g []float64, state map[string][]float64)

func runRef(steps int, r rule) (losses []float64, w, b []float64) {
	w, b = flat(w0), append([]float64(nil), b0...)
	sw, sb := map[string][]float64{}, map[string][]float64{}
	for t := 1; t <= steps; t++ {
		l, dw, db := refLossGrad(w, b)
		losses = append(losses, l)
		r(t, w, dw, sw)
		r(t, b, db, sb)
	}
	return losses, w, b
}

func slot(state map[string][]float64, name string, n int, init float64) []float64 {
	s, ok := state[name]
	if !ok {
		s = make([]float64, n)
		for i := range s {
			s[i] = init
		}
		state[name] = s
	}
	return s
}

func TestOptimizersMatchTFFormulas(t *testing.T) {
	const lr = 0.1
	cases := []struct {
		name  string
		opt   func() train.Optimizer
		steps int
		ref   rule
		slots []string // expected slot variable names of W
	}{
		{"GradientDescent", func() train.Optimizer { return train.NewGradientDescentOptimizer(lr) }, 2,
			func(_ int, p, g []float64, _ map[string][]float64) {
				for i := range p {
					p[i] -= lr * g[i]
				}
			}, nil},
		{"Momentum", func() train.Optimizer { return train.NewMomentumOptimizer(lr, 0.9) }, 3,
			func(_ int, p, g []float64, s map[string][]float64) {
				a := slot(s, "a", len(p), 0)
				for i := range p {
					a[i] = 0.9*a[i] + g[i]
					p[i] -= lr * a[i]
				}
			}, []string{"W/Momentum"}},
		{"Nesterov", func() train.Optimizer { return train.NewMomentumOptimizer(lr, 0.9, train.UseNesterov(true)) }, 3,
			func(_ int, p, g []float64, s map[string][]float64) {
				a := slot(s, "a", len(p), 0)
				for i := range p {
					a[i] = 0.9*a[i] + g[i]
					p[i] -= lr*g[i] + lr*0.9*a[i]
				}
			}, []string{"W/Momentum"}},
		{"Adam", func() train.Optimizer { return train.NewAdamOptimizer(lr) }, 4,
			func(t int, p, g []float64, s map[string][]float64) {
				m, v := slot(s, "m", len(p), 0), slot(s, "v", len(p), 0)
				lrT := lr * math.Sqrt(1-math.Pow(0.999, float64(t))) / (1 - math.Pow(0.9, float64(t)))
				for i := range p {
					m[i] = 0.9*m[i] + 0.1*g[i]
					v[i] = 0.999*v[i] + 0.001*g[i]*g[i]
					p[i] -= lrT * m[i] / (math.Sqrt(v[i]) + 1e-8)
				}
			}, []string{"W/Adam", "W/Adam_1"}},
		{"AdamEps", func() train.Optimizer {
			return train.NewAdamOptimizer(lr, train.Beta1(0.5), train.Beta2(0.7), train.Epsilon(0.3))
		}, 3,
			func(t int, p, g []float64, s map[string][]float64) {
				m, v := slot(s, "m", len(p), 0), slot(s, "v", len(p), 0)
				lrT := lr * math.Sqrt(1-math.Pow(0.7, float64(t))) / (1 - math.Pow(0.5, float64(t)))
				for i := range p {
					m[i] = 0.5*m[i] + 0.5*g[i]
					v[i] = 0.7*v[i] + 0.3*g[i]*g[i]
					p[i] -= lrT * m[i] / (math.Sqrt(v[i]) + 0.3)
				}
			}, []string{"W/Adam", "W/Adam_1"}},
		{"RMSProp", func() train.Optimizer { return train.NewRMSPropOptimizer(lr) }, 3,
			func(_ int, p, g []float64, s map[string][]float64) {
				ms, mom := slot(s, "ms", len(p), 1), slot(s, "mom", len(p), 0)
				for i := range p {
					ms[i] = 0.9*ms[i] + 0.1*g[i]*g[i]
					mom[i] = 0*mom[i] + lr*g[i]/math.Sqrt(ms[i]+1e-10)
					p[i] -= mom[i]
				}
			}, []string{"W/RMSProp_1", "W/RMSProp"}}, // slots momentum, rms
		{"RMSPropCenteredMomentum", func() train.Optimizer {
			return train.NewRMSPropOptimizer(lr, train.WithMomentum(0.5), train.Centered(true), train.Decay(0.8), train.Epsilon(0.01))
		}, 3,
			func(_ int, p, g []float64, s map[string][]float64) {
				ms, mg, mom := slot(s, "ms", len(p), 1), slot(s, "mg", len(p), 0), slot(s, "mom", len(p), 0)
				for i := range p {
					ms[i] = 0.8*ms[i] + 0.2*g[i]*g[i]
					mg[i] = 0.8*mg[i] + 0.2*g[i]
					mom[i] = 0.5*mom[i] + lr*g[i]/math.Sqrt(ms[i]-mg[i]*mg[i]+0.01)
					p[i] -= mom[i]
				}
			}, []string{"W/RMSProp_1", "W/RMSProp_2", "W/RMSProp"}}, // slots mg, momentum, rms
		{"Adagrad", func() train.Optimizer { return train.NewAdagradOptimizer(lr) }, 3,
			func(_ int, p, g []float64, s map[string][]float64) {
				acc := slot(s, "acc", len(p), 0.1)
				for i := range p {
					acc[i] += g[i] * g[i]
					p[i] -= lr * g[i] / math.Sqrt(acc[i])
				}
			}, []string{"W/Adagrad"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			m := buildModel()
			opt := c.opt()
			step := opt.Minimize(m.loss)
			init := tf.GlobalVariablesInitializer()
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			sess.MustRun(init, nil)
			wantLosses, wantW, wantB := runRef(c.steps, c.ref)
			for i := 0; i < c.steps; i++ {
				out, err := sess.Run([]tf.Fetch{m.loss, step}, nil)
				if err != nil {
					t.Fatal(err)
				}
				// The loss fetched with the training op is the pre-update loss.
				if got := out[0].Float64s()[0]; math.Abs(got-wantLosses[i]) > 1e-12 {
					t.Errorf("step %d: loss %.15g, want %.15g", i+1, got, wantLosses[i])
				}
			}
			vals := sess.MustRun([]tf.Fetch{m.W, m.b}, nil)
			if ok, d := tftest.AllClose(vals[0].Float64s(), wantW, 1e-12, 1e-10); !ok {
				t.Errorf("W after %d steps: %s", c.steps, d)
			}
			if ok, d := tftest.AllClose(vals[1].Float64s(), wantB, 1e-12, 1e-10); !ok {
				t.Errorf("b after %d steps: %s", c.steps, d)
			}
			var names []string
			for _, n := range opt.SlotNames() {
				names = append(names, opt.Slot(m.W, n).Name())
			}
			if strings.Join(names, ",") != strings.Join(c.slots, ",") {
				t.Errorf("slots of W: %v, want %v", names, c.slots)
			}
			for _, v := range g.TrainableVariables() {
				if v != m.W && v != m.b {
					t.Errorf("optimizer variable %q is trainable", v.Name())
				}
			}
		})
	}
}
