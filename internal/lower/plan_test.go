package lower

import (
	"math"
	"math/rand"
	"syscall"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// stepBody builds W7's step as a loop body: h' = tanh([x, h]·W + b), with
// W and b captured from the outer graph; it returns the body and its
// inputs' values (x and h of batch 150, 28 inputs, 150 units).
func stepBody(tb testing.TB) (*tfimpl.Func, []*tf.Tensor, []*tensor.Dense) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	const B, I, U = 150, 28, 150
	r := rand.New(rand.NewSource(1))
	rnd := func(shape ...int) *tensor.Dense {
		n := 1
		for _, d := range shape {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64()) * 0.1
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	}
	W := tf.Placeholder(tf.Float32, tf.Shape{I + U, U})
	b := tf.Placeholder(tf.Float32, tf.Shape{U})
	f, err := tfimpl.NewFunc(g, "while", []tf.Spec{{DType: tf.Float32, Shape: tf.Shape{B, I}}, {DType: tf.Float32, Shape: tf.Shape{B, U}}}, func(a []*tf.Tensor) []*tf.Tensor {
		return []*tf.Tensor{tf.Tanh(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{a[0], a[1]}, 1), W), b))}
	})
	if err != nil {
		tb.Fatal(err)
	}
	feeds := append(append([]*tf.Tensor(nil), f.Args...), f.Params...)
	return f, feeds, []*tensor.Dense{rnd(B, I), rnd(B, U), rnd(I+U, U), rnd(U)}
}

// TestPlanMatchesProgram: a plan computes what the Gorgonia program of the
// same graph computes, bit for bit, and again on a second run.
func TestPlanMatchesProgram(t *testing.T) {
	f, feeds, vals := stepBody(t)
	specs := make([]tf.Spec, len(vals))
	fm := map[*tf.Tensor]tf.Spec{}
	fv := map[*tf.Tensor]*tensor.Dense{}
	for i, v := range vals {
		specs[i] = tfimpl.SpecOf(v)
		fm[feeds[i]] = specs[i]
		fv[feeds[i]] = v
	}
	plan, err := CompilePlan(f.Outputs, feeds, specs)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Compile(f.Outputs, nil, fm)
	if err != nil {
		t.Fatal(err)
	}
	want, err := prog.Run(nil, fv)
	if err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 2; run++ {
		if err := plan.Run(nil, vals); err != nil {
			t.Fatal(err)
		}
		got, w := plan.Out(0).Float32s(), want[0].Float32s()
		for i := range w {
			if got[i] != w[i] {
				t.Fatalf("run %d: element %d is %v, the program's %v", run, i, got[i], w[i])
			}
		}
	}
}

// BenchmarkStepPlan and BenchmarkStepProgram run W7's step (one of its 28
// forward steps) as a plan and as a Gorgonia program: the measurement
// behind the loop kernels' choice of plans (Plan's doc).
func BenchmarkStepPlan(b *testing.B) {
	f, feeds, vals := stepBody(b)
	specs := make([]tf.Spec, len(vals))
	for i, v := range vals {
		specs[i] = tfimpl.SpecOf(v)
	}
	plan, err := CompilePlan(f.Outputs, feeds, specs)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if err := plan.Run(nil, vals); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStepProgram(b *testing.B) {
	f, feeds, vals := stepBody(b)
	fm := map[*tf.Tensor]tf.Spec{}
	fv := map[*tf.Tensor]*tensor.Dense{}
	for i, v := range vals {
		fm[feeds[i]] = tfimpl.SpecOf(v)
		fv[feeds[i]] = v
	}
	prog, err := Compile(f.Outputs, nil, fm)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := prog.RunCopy(nil, fv); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the process's CPU time per op (less noisy than the
// wall time on a shared machine) when the returned function is called.
func reportCPU(b *testing.B) func() {
	cpu := func() int64 {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return ru.Utime.Nano() + ru.Stime.Nano()
	}
	b.ResetTimer()
	c0 := cpu()
	return func() { b.ReportMetric(float64(cpu()-c0)/float64(b.N)/1e3, "cpu-µs/op") }
}

// TestPlanSharesBuffersByLiveness runs a chain of elementwise ops, with a
// value read again at the end, an Identity (whose output is its input's
// memory) and a fetched intermediate, as a plan: after the first run the
// values share buffers by liveness (four [4, 5] buffers instead of nine:
// at Sub, tanh, the fetched Exp, its square and Sub's output are live),
// and every run, with new inputs each time,
// gives what the ops compute, checked element by element in plain Go.
func TestPlanSharesBuffersByLiveness(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	const B, N = 4, 5
	var a1, id *tf.Tensor
	f, err := tfimpl.NewFunc(g, "chain", []tf.Spec{{DType: tf.Float64, Shape: tf.Shape{B, N}}}, func(a []*tf.Tensor) []*tf.Tensor {
		x := a[0]
		a1 = tf.Tanh(x)                 // read again at the end
		v := tf.Add(tf.Square(a1), 1.0) // 1 + tanh(x)^2
		v = tf.Mul(tf.Neg(v), 0.5)      // -(1 + tanh(x)^2)/2
		id = tf.Identity(tf.Exp(v))     // shares Exp's buffer
		w := tf.Sub(tf.Square(id), a1)  // exp(v)^2 - tanh(x)
		return []*tf.Tensor{tf.Abs(w), id}
	})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := CompilePlan(f.Outputs, f.Args, []tf.Spec{{DType: tf.Float64, Shape: tf.Shape{B, N}}})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(3))
	for run := 0; run < 4; run++ {
		x := make([]float64, B*N)
		for i := range x {
			x[i] = r.NormFloat64()
		}
		if err := plan.Run(nil, []*tensor.Dense{tensor.New(tensor.WithShape(B, N), tensor.WithBacking(x))}); err != nil {
			t.Fatal(err)
		}
		got, gotID := plan.Out(0).Float64s(), plan.Out(1).Float64s()
		for i, xi := range x {
			th := math.Tanh(xi)
			e := math.Exp(-(1 + th*th) / 2)
			if want := math.Abs(e*e - th); math.Abs(got[i]-want) > 1e-15 {
				t.Fatalf("run %d: element %d is %v, want %v", run, i, got[i], want)
			}
			if math.Abs(gotID[i]-e) > 1e-15 {
				t.Fatalf("run %d: the Identity's element %d is %v, want %v", run, i, gotID[i], e)
			}
		}
	}
	planned, unshared := plan.Bytes()
	buf := B * N * 8
	if planned > 4*buf+16 || unshared < 9*buf {
		t.Errorf("the plan's values take %d bytes (%d buffers), %d without sharing; want 4 buffers of %d bytes and the constants", planned, planned/buf, unshared, buf)
	}
}
