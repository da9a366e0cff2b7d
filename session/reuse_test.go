package session_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The programs of Run reuse their buffers from one run to the next. These
// tests check that nothing a caller or the session still holds is reused.

func TestReuseKeepsFetchedValues(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{2})
	y := tf.Mul(tf.Add(x, 1.0), 2.0)
	z := tf.Reshape(y, []int{2, 1}) // a view of y's buffer
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	first := sess.MustRun([]*tf.Tensor{y, z}, session.Feed{x: []float64{1, 2}})
	for i := 0; i < 3; i++ {
		sess.MustRun([]*tf.Tensor{y, z}, session.Feed{x: []float64{10 * float64(i), 5}})
	}
	checkArray(t, "y of the first run", first[0], []int{2}, []float64{4, 6}, 0)
	checkArray(t, "z of the first run", first[1], []int{2, 1}, []float64{4, 6}, 0)
}

func TestReuseKeepsAssignedValues(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{2})
	v := tf.NewVariable(tf.Zeros(tf.Shape{2}, tf.Float64))
	w := tf.NewVariable(tf.Zeros(tf.Shape{1, 2}, tf.Float64))
	sum := tf.Add(v, x)
	// v takes a computed buffer; w a view of another computed buffer.
	step := tf.Group([]*tf.Operation{tf.Assign(v, sum).Op(), tf.Assign(w, tf.Reshape(tf.Mul(x, 3.0), []int{1, 2})).Op()})
	init := tf.GlobalVariablesInitializer()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	want := []float64{0, 0}
	for i := 1; i <= 5; i++ {
		xv := []float64{float64(i), -2 * float64(i)}
		sess.MustRun(step, session.Feed{x: xv})
		want[0] += xv[0]
		want[1] += xv[1]
		// Runs of other programs and of the same one must not change them.
		sess.MustRun(sum, session.Feed{x: []float64{100, 100}})
		got := sess.MustRun([]tf.Fetch{v, w}, nil)
		checkArray(t, "v", got[0], []int{2}, want, 0)
		checkArray(t, "w", got[1], []int{1, 2}, []float64{3 * xv[0], 3 * xv[1]}, 0)
	}
}

// TestReuseAllocations checks that a program stops allocating its
// intermediate buffers after its first run.
func TestReuseAllocations(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{256, 256})
	y := x
	for i := 0; i < 8; i++ {
		y = tf.Tanh(tf.Add(y, 1.0))
	}
	s := tf.ReduceSum(y)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	feed := session.Feed{x: tfimpl.NewDense(tf.Spec{DType: tf.Float64, Shape: tf.Shape{256, 256}})}
	sess.MustRun(s, feed)
	var bytes uint64
	n := testing.AllocsPerRun(5, func() {
		before := heapAlloc()
		sess.MustRun(s, feed)
		bytes = heapAlloc() - before
	})
	// 16 intermediate tensors of 512 KiB would be 8 MiB a run.
	if bytes > 256<<10 {
		t.Errorf("a run allocates %d bytes (%v allocations); the program should reuse its buffers", bytes, n)
	}
}

// handOverDef is an op that computes x+1 into a buffer of its own and
// hands that buffer to the session as v's new value, without a copy (an
// optimizer kernel may do so): the program must not reuse it.
var handOverDef = &tf.OpDef{
	Type:  "TestHandOver",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return []tf.Spec{in[0]}, nil },
	Kernel: func(c *tf.KernelContext) error {
		out := c.Alloc(0)
		o := tfimpl.Backing(out).([]float64)
		for i, v := range tfimpl.Backing(c.In[0]).([]float64) {
			o[i] = v + 1
		}
		return tfimpl.Env(c).AssignVariable(c.Op.Attrs()["variable"].(*tf.Variable), out)
	},
	Stateful: true,
}

func TestReuseSkipsBuffersHandedToVariables(t *testing.T) {
	g := newGraph(t)
	v := tf.NewVariable(tf.Zeros(tf.Shape{3}, tf.Float64))
	// v = v + 1, the new value in the op's own buffer: reusing that buffer
	// in the next run would clear v's value before the op reads it.
	op := tf.AddOp(tf.OpSpec{Def: handOverDef, Inputs: []any{v.Value()}, Attrs: tf.Attrs{"variable": v}})
	if op.Err() != nil {
		t.Fatal(op.Err())
	}
	init := tf.GlobalVariablesInitializer()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	for i := 1; i <= 4; i++ {
		sess.MustRun(op, nil)
		got := sess.MustRun(v, nil)
		checkArray(t, "v", got[0], []int{3}, []float64{float64(i), float64(i), float64(i)}, 0)
	}
}
