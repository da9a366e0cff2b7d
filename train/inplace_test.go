package train_test

import (
	"sync"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// inPlaceSetup builds the regression model with Adam in a new graph and an
// initialized session.
func inPlaceSetup(t *testing.T) (model, *tf.Operation, *session.Session) {
	t.Helper()
	g := tf.NewGraph()
	restore := g.AsDefault()
	m := buildModel()
	step := train.NewAdamOptimizer(0.05).Minimize(m.loss)
	init := tf.GlobalVariablesInitializer()
	restore()
	s := session.New(session.WithGraph(g))
	t.Cleanup(func() { s.Close() })
	s.MustRun(init, nil)
	return m, step, s
}

// current returns the value s holds for v itself (not a copy), as a
// kernel reading v sees it.
func current(t *testing.T, s *session.Session, v *tf.Variable) *tensor.Dense {
	t.Helper()
	var d *tensor.Dense
	peek := &tf.OpDef{
		Type:     "PeekVariable",
		Infer:    func(tf.Attrs, []tf.Spec) ([]tf.Spec, error) { return nil, nil },
		Stateful: true,
		Kernel: func(c *tf.KernelContext) (err error) {
			d, err = tfimpl.Env(c).ReadVariable(v)
			return err
		},
	}
	if _, err := s.Run(tf.AddOp(tf.OpSpec{Def: peek, Graph: v.Graph()}), nil); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestInPlaceUpdates checks when the optimizer updates variables in place:
// from its second step on, when nothing of the run still reads them. A
// fetch of the variable with the training op still gives the value before
// the step (the step then makes new values), and the results are those of
// steps that copy.
func TestInPlaceUpdates(t *testing.T) {
	m, step, s := inPlaceSetup(t)
	s.MustRun(step, nil)
	w1 := current(t, s, m.W)
	s.MustRun(step, nil)
	if current(t, s, m.W) != w1 {
		t.Error("second step did not update W in place")
	}
	before := s.MustEval(m.W, nil).Float64s()
	out := s.MustRun([]tf.Fetch{m.W, step}, nil)
	for i, v := range out[0].Float64s() {
		if v != before[i] {
			t.Fatalf("W fetched with the training op: [%d] = %v, want the value before the step %v", i, v, before[i])
		}
	}
	if current(t, s, m.W) == w1 {
		t.Error("a step whose run fetches W changed W's fetched buffer in place")
	}
	after := s.MustEval(m.W, nil).Float64s()
	if after[0] == before[0] {
		t.Error("W did not change")
	}

	// The same steps, each run fetching W (no in-place update), give the
	// same numbers bit for bit.
	m2, step2, s2 := inPlaceSetup(t)
	for range 3 {
		s2.MustRun([]tf.Fetch{step2, m2.W}, nil)
	}
	for i, v := range s2.MustEval(m2.W, nil).Float64s() {
		if v != after[i] {
			t.Fatalf("W[%d] = %v after copying steps, %v after in-place ones", i, v, after[i])
		}
	}
}

// TestInPlaceAfterRead checks that a value read from the variable before
// the update and used after it keeps the old value: ops reading W (an
// identity, which shares W's memory, and a product) run after the step by
// a control dependency.
func TestInPlaceAfterRead(t *testing.T) {
	for _, typ := range []string{"identity", "mul"} {
		m, step, s := inPlaceSetup(t)
		s.MustRun(step, nil)
		s.MustRun(step, nil)
		before := s.MustEval(m.W, nil).Float64s()
		var late *tf.Tensor
		func() {
			defer m.W.Graph().AsDefault()()
			after := []*tf.Operation{step}
			if typ == "identity" {
				late = tf.AddOp(tf.OpSpec{Def: tfimpl.Def(tf.Identity(m.W).Op()), Inputs: []any{m.W}, Control: after}).Output(0)
			} else {
				late = tf.AddOp(tf.OpSpec{Def: tfimpl.Def(tf.Mul(m.W, m.W).Op()), Inputs: []any{m.W, m.W}, Control: after}).Output(0)
			}
		}()
		out := s.MustRun(late, nil)
		for i, v := range out[0].Float64s() {
			want := before[i]
			if typ == "mul" {
				want *= before[i]
			}
			if v != want {
				t.Fatalf("%s of W after the step, from W read before it: [%d] = %v, want %v", typ, i, v, want)
			}
		}
		if got := s.MustEval(m.W, nil).Float64s(); got[0] == before[0] {
			t.Errorf("%s: W did not change", typ)
		}
	}
}

// TestInPlaceConcurrent trains while other goroutines read the variables
// and the loss (run with -race): updates in place only happen when no other
// run is in flight.
func TestInPlaceConcurrent(t *testing.T) {
	m, step, s := inPlaceSetup(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 30 {
				var err error
				if w%2 == 0 {
					_, err = s.Run(step, nil)
				} else {
					_, err = s.Run([]tf.Fetch{m.W, m.loss}, nil)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
