package train_test

import (
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
	"github.com/gorgoflow/gorgoflow/train"
)

// The sparse model: W [5, 3]; loss = sum(gather(W, ids) * C[:len(ids)]),
// so d loss / d W[r] is the sum of the rows of C whose id is r.
var (
	sw0 = [][]float64{{0.1, -0.2, 0.3}, {0.4, 0.5, -0.6}, {-0.7, 0.8, 0.9}, {1.0, -1.1, 1.2}, {0.05, 0.15, -0.25}}
	sC  = [][]float64{{1, -2, 0.5}, {0.25, 3, -1}, {-0.5, 1.5, 2}, {2, 0.1, -0.3}}
	// One id list per step: repeated ids, and rows untouched in some steps.
	sIDs = [][]int32{{3, 0, 3}, {1, 3}, {4, 4, 4, 0}, {2}}
)

// sparseRef is an optimizer's sparse update as TF 1.x documents it: g holds
// the deduplicated gradient rows by row (absent rows are untouched); w and
// state are [5*3] row-major.
type sparseRef func(step int, w []float64, g map[int][]float64, state map[string][]float64)

func rowSums(ids []int32) map[int][]float64 {
	g := map[int][]float64{}
	for i, r := range ids {
		if g[int(r)] == nil {
			g[int(r)] = make([]float64, 3)
		}
		for k := range 3 {
			g[int(r)][k] += sC[i][k]
		}
	}
	return g
}

func TestSparseOptimizersMatchTFFormulas(t *testing.T) {
	const lr = 0.1
	perRow := func(f func(w, g []float64, s map[string][]float64, off int)) sparseRef {
		return func(_ int, w []float64, g map[int][]float64, s map[string][]float64) {
			for r, gr := range g {
				f(w[r*3:r*3+3], gr, s, r*3)
			}
		}
	}
	cases := []struct {
		name string
		opt  func() train.Optimizer
		ref  sparseRef
	}{
		{"GradientDescent", func() train.Optimizer { return train.NewGradientDescentOptimizer(lr) },
			perRow(func(w, g []float64, _ map[string][]float64, _ int) {
				for k := range w {
					w[k] -= lr * g[k]
				}
			})},
		{"Momentum", func() train.Optimizer { return train.NewMomentumOptimizer(lr, 0.9) },
			perRow(func(w, g []float64, s map[string][]float64, off int) {
				a := slot(s, "a", 15, 0)[off:]
				for k := range w {
					a[k] = 0.9*a[k] + g[k]
					w[k] -= lr * a[k]
				}
			})},
		{"Nesterov", func() train.Optimizer { return train.NewMomentumOptimizer(lr, 0.9, train.UseNesterov(true)) },
			perRow(func(w, g []float64, s map[string][]float64, off int) {
				a := slot(s, "a", 15, 0)[off:]
				for k := range w {
					a[k] = 0.9*a[k] + g[k]
					w[k] -= lr*g[k] + lr*0.9*a[k]
				}
			})},
		{"RMSPropCentered", func() train.Optimizer {
			return train.NewRMSPropOptimizer(lr, train.WithMomentum(0.5), train.Centered(true), train.Decay(0.8), train.Epsilon(0.01))
		}, perRow(func(w, g []float64, s map[string][]float64, off int) {
			ms, mg, mom := slot(s, "ms", 15, 1)[off:], slot(s, "mg", 15, 0)[off:], slot(s, "mom", 15, 0)[off:]
			for k := range w {
				ms[k] = 0.8*ms[k] + 0.2*g[k]*g[k]
				mg[k] = 0.8*mg[k] + 0.2*g[k]
				mom[k] = 0.5*mom[k] + lr*g[k]/math.Sqrt(ms[k]-mg[k]*mg[k]+0.01)
				w[k] -= mom[k]
			}
		})},
		{"RMSProp", func() train.Optimizer { return train.NewRMSPropOptimizer(lr, train.WithMomentum(0.3)) },
			perRow(func(w, g []float64, s map[string][]float64, off int) {
				ms, mom := slot(s, "ms", 15, 1)[off:], slot(s, "mom", 15, 0)[off:]
				for k := range w {
					ms[k] = 0.9*ms[k] + 0.1*g[k]*g[k]
					mom[k] = 0.3*mom[k] + lr*g[k]/math.Sqrt(ms[k]+1e-10)
					w[k] -= mom[k]
				}
			})},
		{"Adagrad", func() train.Optimizer { return train.NewAdagradOptimizer(lr) },
			perRow(func(w, g []float64, s map[string][]float64, off int) {
				acc := slot(s, "acc", 15, 0.1)[off:]
				for k := range w {
					acc[k] += g[k] * g[k]
					w[k] -= lr * g[k] / math.Sqrt(acc[k])
				}
			})},
		// Adam decays m and v of every row, adds the gradient to the
		// touched ones, and moves every row.
		{"Adam", func() train.Optimizer { return train.NewAdamOptimizer(lr) },
			func(step int, w []float64, g map[int][]float64, s map[string][]float64) {
				m, v := slot(s, "m", 15, 0), slot(s, "v", 15, 0)
				lrT := lr * math.Sqrt(1-math.Pow(0.999, float64(step))) / (1 - math.Pow(0.9, float64(step)))
				for i := range w {
					gi := 0.0
					if gr := g[i/3]; gr != nil {
						gi = gr[i%3]
					}
					m[i] = 0.9*m[i] + 0.1*gi
					v[i] = 0.999*v[i] + 0.001*gi*gi
					w[i] -= lrT * m[i] / (math.Sqrt(v[i]) + 1e-8)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			W := tf.NewVariable(sw0, tf.Name("W"))
			ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
			coef := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
			loss := tf.ReduceSum(tf.Mul(tf.Gather(W, ids), coef))
			opt := c.opt()
			gv, err := opt.ComputeGradients(loss)
			if err != nil {
				t.Fatal(err)
			}
			if tf.IndexedSlicesOf(gv[0].Grad) == nil {
				t.Fatalf("gradient of W is dense")
			}
			step := opt.ApplyGradients(gv)
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			sess.MustRun(tf.GlobalVariablesInitializer(), nil)
			want := flat(sw0)
			state := map[string][]float64{}
			for i, idv := range sIDs {
				if _, err := sess.Run(step, session.Feed{ids: idv, coef: sC[:len(idv)]}); err != nil {
					t.Fatal(err)
				}
				c.ref(i+1, want, rowSums(idv), state)
				got := sess.MustRun(W, nil)[0].Float64s()
				if ok, d := tftest.AllClose(got, want, 1e-12, 1e-10); !ok {
					t.Fatalf("W after step %d: %s\n got  %v\n want %v", i+1, d, got, want)
				}
			}
		})
	}
}

// TestSparseEqualsDense checks that a sparse gradient and the same gradient
// given densely move the variable alike when every step touches the same
// rows (where TF's sparse and dense kernels agree), in float32.
func TestSparseEqualsDense(t *testing.T) {
	opts := map[string]func() train.Optimizer{
		"GradientDescent": func() train.Optimizer { return train.NewGradientDescentOptimizer(0.1) },
		"Momentum":        func() train.Optimizer { return train.NewMomentumOptimizer(0.1, 0.9) },
		"Adam":            func() train.Optimizer { return train.NewAdamOptimizer(0.1) },
		"RMSProp":         func() train.Optimizer { return train.NewRMSPropOptimizer(0.1) },
		"Adagrad":         func() train.Optimizer { return train.NewAdagradOptimizer(0.1) },
	}
	ids := []int32{3, 0, 3}
	for name, mk := range opts {
		t.Run(name, func(t *testing.T) {
			run := func(sparse bool) []float64 {
				g := tf.NewGraph()
				defer g.AsDefault()()
				W := tf.NewVariable(tf.Cast(tf.Constant(sw0, tf.Float64), tf.Float32), tf.Name("W"))
				var loss *tf.Tensor
				if sparse {
					loss = tf.ReduceSum(tf.Mul(tf.Gather(W, ids), tf.Cast(tf.Constant(sC[:3], tf.Float64), tf.Float32)))
				} else {
					dense := make([][]float64, 5)
					for r := range dense {
						dense[r] = make([]float64, 3)
					}
					for r, gr := range rowSums(ids) {
						copy(dense[r], gr)
					}
					loss = tf.ReduceSum(tf.Mul(W, tf.Cast(tf.Constant(dense, tf.Float64), tf.Float32)))
				}
				step := mk().Minimize(loss)
				sess := session.New(session.WithGraph(g))
				defer sess.Close()
				sess.MustRun(tf.GlobalVariablesInitializer(), nil)
				for range 4 {
					sess.MustRun(step, nil)
				}
				return sess.MustRun(W, nil)[0].Float64s()
			}
			s, d := run(true), run(false)
			if ok, msg := tftest.AllClose(s, d, 1e-6, 1e-5); !ok {
				t.Errorf("sparse %v\n dense %v: %s", s, d, msg)
			}
		})
	}
}

func TestSparseGradientErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	W := tf.NewVariable(sw0, tf.Name("W"))
	ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	loss := tf.ReduceSum(tf.Gather(W, ids))
	step := train.NewAdagradOptimizer(0.1).Minimize(loss)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	_, err := sess.Run(step, session.Feed{ids: []int32{1, 7}})
	if err == nil {
		t.Fatal("id 7 of 5 rows: no error")
	}
	for _, want := range []string{"indices[1] = 7 is not in [0, 5)"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// The session still works, and W did not change.
	sess.MustRun(step, session.Feed{ids: []int32{1}})
	got := sess.MustRun(W, nil)[0].Float64s()
	if got[0] != sw0[0][0] || got[3] == sw0[1][0] {
		t.Errorf("after a failed and a good step W = %v", got)
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub))
}

// TestSparseAdamLargeVariable: a variable large enough for Adam's sparse
// kernel to split its rows over the cores gives TF's numbers.
func TestSparseAdamLargeVariable(t *testing.T) {
	const rows, cols = 400, 200
	g := tf.NewGraph()
	defer g.AsDefault()()
	init := make([]float64, rows*cols)
	for i := range init {
		init[i] = math.Sin(float64(i))
	}
	W := tf.NewVariable(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(append([]float64{}, init...))), tf.Name("W"))
	ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	loss := tf.ReduceSum(tf.Square(tf.Gather(W, ids)))
	step := train.NewAdamOptimizer(0.1).Minimize(loss)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	w := append([]float64{}, init...)
	m, v := make([]float64, len(w)), make([]float64, len(w))
	for s, idv := range [][]int32{{5, 399, 5}, {0, 200}} {
		sess.MustRun(step, session.Feed{ids: idv})
		g := make([]float64, len(w))
		for _, r := range idv {
			for k := 0; k < cols; k++ {
				g[int(r)*cols+k] += 2 * w[int(r)*cols+k]
			}
		}
		lrT := 0.1 * math.Sqrt(1-math.Pow(0.999, float64(s+1))) / (1 - math.Pow(0.9, float64(s+1)))
		for i := range w {
			m[i] = 0.9*m[i] + 0.1*g[i]
			v[i] = 0.999*v[i] + 0.001*g[i]*g[i]
			w[i] -= lrT * m[i] / (math.Sqrt(v[i]) + 1e-8)
		}
	}
	got := sess.MustRun(W, nil)[0].Float64s()
	if ok, d := tftest.AllClose(got, w, 1e-12, 1e-10); !ok {
		t.Errorf("W after 2 steps: %s", d)
	}
}
