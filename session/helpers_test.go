package session_test

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/lower"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// newGraph makes a fresh default graph for one test.
func newGraph(t *testing.T) *tf.Graph {
	t.Helper()
	g := tf.NewGraph()
	t.Cleanup(g.AsDefault())
	return g
}

// here returns "file:line" of its caller, as build errors name it.
func here() string {
	_, file, line, _ := runtime.Caller(1)
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		file = file[i+1:]
	}
	return fmt.Sprintf("%s:%d", file, line)
}

// wantErr fails unless err is non-nil and its text holds every part.
func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q\ndoes not contain %q", err, p)
		}
	}
}

// matmul is an independent reference: x (n×k) times w (k×m).
func matmul(x, w [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i := range x {
		out[i] = make([]float64, len(w[0]))
		for j := range w[0] {
			for k := range w {
				out[i][j] += x[i][k] * w[k][j]
			}
		}
	}
	return out
}

func flatten(x [][]float64) []float64 {
	var out []float64
	for _, r := range x {
		out = append(out, r...)
	}
	return out
}

func to32(x [][]float64) [][]float32 {
	out := make([][]float32, len(x))
	for i, r := range x {
		out[i] = make([]float32, len(r))
		for j, v := range r {
			out[i][j] = float32(v)
		}
	}
	return out
}

// batch returns n rows of width w with values depending on row, column and seed.
func batch(n, w int, seed float64) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, w)
		for j := range out[i] {
			out[i][j] = float64((i*7+j*3)%11)/4 - 1 + seed
		}
	}
	return out
}

// checkArray compares a's shape and values with want.
func checkArray(t *testing.T, what string, a *tf.Array, shape []int, want []float64, tol float64) {
	t.Helper()
	if a == nil {
		t.Fatalf("%s: got nil", what)
	}
	if got := a.Shape(); !equalInts(got, shape) {
		t.Fatalf("%s: shape %v, want %v", what, got, shape)
	}
	got := a.Float64s()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%s: element %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ---- test-only ops, defined as packages outside tf define theirs ----

// countDef is an identity op that counts how often its kernel runs.
var countRuns atomic.Int64

var countDef = &tf.OpDef{
	Type:  "CountRuns",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return []tf.Spec{in[0]}, nil },
	Kernel: func(c *tf.KernelContext) error {
		countRuns.Add(1)
		c.Set(0, c.In[0])
		return nil
	},
}

// panicDef is an identity op whose kernel panics when the input's first
// element is negative and whose shape inference panics for a leading
// dimension of 7.
var panicDef = &tf.OpDef{
	Type: "PanicOnNegative",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		if len(in[0].Shape) > 0 && in[0].Shape[0] == 7 {
			panic("infer: seven rows")
		}
		return []tf.Spec{in[0]}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		if tfimpl.Float64s(c.In[0])[0] < 0 {
			var m map[string]int
			m["boom"]++ // a genuine runtime panic: assignment to a nil map
		}
		c.Set(0, c.In[0])
		return nil
	},
}

// applyDef runs a loop body (tfimpl.Func) on its first input, as loop ops do:
// its inputs are the body's argument followed by the body's captured tensors.
var applyDef = &tf.OpDef{
	Type: "ApplyFunc",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		f := a["func"].(*tfimpl.Func)
		s := f.Outputs[0].Spec()
		if len(in[0].Shape) > 0 {
			s.Shape = append(tf.Shape{in[0].Shape[0]}, s.Shape[1:]...)
		}
		return []tf.Spec{s}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		// The body compiled once per program and input shapes, as the loop
		// kernels of package nn do.
		f := c.Attrs()["func"].(*tfimpl.Func)
		plans := tfimpl.Run(c).Local(c.Op, func() any { return map[string]*lower.Plan{} }).(map[string]*lower.Plan)
		specs := make([]tf.Spec, len(c.In))
		for i, d := range c.In {
			specs[i] = tfimpl.SpecOf(d)
		}
		key := fmt.Sprint(specs)
		p := plans[key]
		if p == nil {
			var err error
			params := append(append([]*tf.Tensor(nil), f.Args...), f.Params...)
			if p, err = lower.CompilePlan(f.Outputs, params, specs); err != nil {
				return errors.Wrap(err, "compiling the body")
			}
			plans[key] = p
		}
		if err := p.Run(tfimpl.Env(c), c.In); err != nil {
			return errors.Wrap(err, "running the body")
		}
		c.Set(0, p.Out(0).Clone().(*tensor.Dense)) // valid until the plan's next run
		return nil
	},
	Stateful: true,
}

func applyFunc(f *tfimpl.Func, x *tf.Tensor) *tf.Tensor {
	in := []any{x}
	for _, c := range f.Captured {
		in = append(in, c)
	}
	return tf.AddOp(tf.OpSpec{Def: applyDef, Inputs: in, Attrs: tf.Attrs{"func": f}}).Output(0)
}

func heapAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}
