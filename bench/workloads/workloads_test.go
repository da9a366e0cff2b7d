package workloads_test

import (
	"math"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/bench/workloads"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// vars returns the values of the workload's trainable variables by name.
func vars(t *testing.T, w *workloads.Workload) map[string][]float64 {
	t.Helper()
	out := map[string][]float64{}
	for _, v := range w.Graph.TrainableVariables() {
		a, err := w.Session.Eval(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[v.Name()] = a.Float64s()
	}
	return out
}

// find returns the value of the one variable whose name ends with suffix.
func find(t *testing.T, vs map[string][]float64, suffix string) []float64 {
	t.Helper()
	var found []float64
	for name, v := range vs {
		if strings.HasSuffix(name, suffix) {
			if found != nil {
				t.Fatalf("two variables end with %q", suffix)
			}
			found = v
		}
	}
	if found == nil {
		t.Fatalf("no variable ends with %q in %v", suffix, vs)
	}
	return found
}

// rnnForward runs a BasicRNNCell (TF's: h = act([x, h] kernel + bias), kernel
// of shape [in+units, units]) over x [batch, steps, in] with plain loops and
// returns every step's state, [batch][steps][units].
func rnnForward(x []float64, batch, steps, in, units int, kernel, bias []float64, act func(float64) float64) [][][]float64 {
	out := make([][][]float64, batch)
	for b := 0; b < batch; b++ {
		h := make([]float64, units)
		for s := 0; s < steps; s++ {
			nh := make([]float64, units)
			for u := 0; u < units; u++ {
				z := bias[u]
				for i := 0; i < in; i++ {
					z += x[(b*steps+s)*in+i] * kernel[i*units+u]
				}
				for j := 0; j < units; j++ {
					z += h[j] * kernel[(in+j)*units+u]
				}
				nh[u] = act(z)
			}
			h = nh
			out[b] = append(out[b], h)
		}
	}
	return out
}

// dense returns h w + b for one row h and w of shape [len(h), len(b)].
func dense(h, w, b []float64) []float64 {
	out := make([]float64, len(b))
	for o := range out {
		z := b[o]
		for j, v := range h {
			z += v * w[j*len(b)+o]
		}
		out[o] = z
	}
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(b)) }

// The inf workload's logits are the chapter's model computed independently
// with plain loops from the same weights and inputs.
func TestInfLogitsMatchPlainLoops(t *testing.T) {
	const n = 5
	w, err := workloads.New("inf", 3, n)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	got, err := w.Session.Eval(w.Model.Outputs, w.Feed)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Shape(); len(s) != 2 || s[0] != n || s[1] != 10 {
		t.Fatalf("logits shape %v, want (%d, 10)", s, n)
	}
	vs := vars(t, w)
	x := tfimpl.Float64s(w.Feed[w.Model.X].(*tensor.Dense))
	states := rnnForward(x, n, 28, 28, 150, find(t, vs, "kernel"), find(t, vs, "bias"), math.Tanh)
	W, b := find(t, vs, "weights"), find(t, vs, "biases")
	g := got.Float64s()
	for i := 0; i < n; i++ {
		want := dense(states[i][27], W, b)
		for o, v := range want {
			if !near(g[i*10+o], v, 1e-4) {
				t.Fatalf("logit [%d,%d] = %v, want %v", i, o, g[i*10+o], v)
			}
		}
	}
}

// The w2 model's per-step outputs are the chapter's time-series model
// computed with plain loops, and its loss their mean squared error.
func TestW2OutputsMatchPlainLoops(t *testing.T) {
	w, err := workloads.New("w2", 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	vals, err := w.Session.Run([]tf.Fetch{w.Model.Outputs, w.Model.Loss}, w.Feed)
	if err != nil {
		t.Fatal(err)
	}
	if s := vals[0].Shape(); len(s) != 3 || s[0] != 50 || s[1] != 20 || s[2] != 1 {
		t.Fatalf("outputs shape %v, want (50, 20, 1)", s)
	}
	vs := vars(t, w)
	x := tfimpl.Float64s(w.Feed[w.Model.X].(*tensor.Dense))
	y := tfimpl.Float64s(w.Feed[w.Model.Y].(*tensor.Dense))
	relu := func(v float64) float64 { return math.Max(v, 0) }
	states := rnnForward(x, 50, 20, 1, 100, find(t, vs, "kernel"), find(t, vs, "bias"), relu)
	W, b := find(t, vs, "weights"), find(t, vs, "biases")
	g := vals[0].Float64s()
	var sse float64
	for i := 0; i < 50; i++ {
		for s := 0; s < 20; s++ {
			want := dense(states[i][s], W, b)[0]
			if !near(g[i*20+s], want, 1e-4) {
				t.Fatalf("output [%d,%d] = %v, want %v", i, s, g[i*20+s], want)
			}
			d := want - y[i*20+s]
			sse += d * d
		}
	}
	if loss := vals[1].Float64s()[0]; !near(loss, sse/1000, 1e-4) {
		t.Fatalf("loss %v, want %v", loss, sse/1000)
	}
}

// Training steps of w1 and w2 on their fixed batch lower the loss, and the
// same seed gives the same numbers.
func TestTrainingStepsLowerLoss(t *testing.T) {
	for _, name := range []string{"w1", "w2"} {
		t.Run(name, func(t *testing.T) {
			losses := func() []float64 {
				w, err := workloads.New(name, 7, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer w.Close()
				var out []float64
				for i := 0; i < 6; i++ {
					l, err := w.Session.Eval(w.Model.Loss, w.Feed)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, l.Float64s()[0])
					if err := w.Step(); err != nil {
						t.Fatal(err)
					}
				}
				return out
			}
			a, b := losses(), losses()
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("same seed, different losses: %v and %v", a, b)
				}
			}
			if !(a[len(a)-1] < a[0]) || math.IsNaN(a[0]) {
				t.Fatalf("losses %v do not decrease", a)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		n    int
		want string
	}{
		{"w9", 0, "unknown workload"},
		{"inf", 0, "positive number"},
	} {
		if _, err := workloads.New(c.name, 1, c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%q, 1, %d) error %v, want one containing %q", c.name, c.n, err, c.want)
		}
	}
}

// TestPartTwoWorkloads checks that w3, w4 and w5 run their recurrent part
// with the fused stack op and that training steps lower their loss on
// their fixed batch.
func TestPartTwoWorkloads(t *testing.T) {
	for _, name := range []string{"w3", "w4", "w5"} {
		w, err := workloads.New(name, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		fused := false
		for _, op := range w.Graph.Operations() {
			fused = fused || op.Type() == "DynamicRNNStack"
		}
		if !fused {
			t.Errorf("%s: no DynamicRNNStack op in the graph", name)
		}
		lossOf := func() float64 {
			v, err := w.Session.Run(w.Model.Loss, w.Feed)
			if err != nil {
				t.Fatal(err)
			}
			return v[0].Float64s()[0]
		}
		before := lossOf()
		for i := 0; i < 3; i++ {
			if err := w.Step(); err != nil {
				t.Fatal(err)
			}
		}
		if after := lossOf(); !(after < before) {
			t.Errorf("%s: loss %v after 3 steps, %v before", name, after, before)
		}
		w.Close()
	}
}
