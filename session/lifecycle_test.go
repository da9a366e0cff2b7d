package session_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TestProgramCacheBound runs programs for several batch sizes through
// sessions with cache bounds of 2, 0 and unbounded: the bounded one keeps
// the two most recently used, and every session computes the same values.
func TestProgramCacheBound(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	Y := tf.Mul(X, 2.0)
	for _, c := range []struct {
		name  string
		opts  []session.Option
		sizes []int
		kept  []int // batch sizes cached at the end
		n     int
	}{
		{"default", nil, []int{1, 2, 3, 1, 4}, []int{1, 2, 3, 4}, 4},
		{"max 2", []session.Option{session.MaxCachedPrograms(2)}, []int{1, 2, 1, 3}, []int{1, 3}, 2},
		{"max 2, touched", []session.Option{session.MaxCachedPrograms(2)}, []int{1, 2, 3, 2, 4}, []int{2, 4}, 2},
		{"max 0", []session.Option{session.MaxCachedPrograms(0)}, []int{1, 2, 1}, nil, 0},
		{"unbounded", []session.Option{session.MaxCachedPrograms(-1)}, []int{1, 2, 3, 4, 5, 6}, []int{1, 2, 3, 4, 5, 6}, 6},
	} {
		s := session.New(c.opts...)
		for _, n := range c.sizes {
			x := batch(n, 2, 0)
			y, err := s.Eval(Y, session.Feed{X: to32(x)})
			if err != nil {
				t.Fatal(err)
			}
			want := flatten(x)
			for i := range want {
				want[i] *= 2
			}
			checkArray(t, c.name, y, []int{n, 2}, want, 0)
		}
		if got := session.NumPrograms(s); got != c.n {
			t.Errorf("%s: %d programs cached, want %d", c.name, got, c.n)
		}
		for _, n := range c.kept {
			if !session.IsCached(s, Y, X, tf.Shape{n, 2}) {
				t.Errorf("%s: the program for batch %d is not cached", c.name, n)
			}
		}
		s.Close()
	}
}

// blockDef is an op whose kernel signals started, then waits for release.
func blockDef(started chan<- struct{}, release <-chan struct{}) *tf.OpDef {
	return &tf.OpDef{
		Type:     "Block",
		Infer:    func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return []tf.Spec{in[0]}, nil },
		Stateful: true,
		Kernel: func(c *tf.KernelContext) error {
			started <- struct{}{}
			<-release
			c.Set(0, c.In[0])
			return nil
		},
	}
}

// TestCloseWaitsForRuns closes a session while a Run is inside a kernel:
// Close returns only after the Run ends, the Run succeeds, and Runs after
// Close fail with TF's message.
func TestCloseWaitsForRuns(t *testing.T) {
	newGraph(t)
	started, release := make(chan struct{}), make(chan struct{})
	v := tf.NewVariable([]float32{1, 2}, tf.Name("v"))
	Y := tf.AddOp(tf.OpSpec{Def: blockDef(started, release), Inputs: []any{tf.Mul(v, 3.0)}}).Output(0)
	s := session.New()
	s.MustRun(tf.GlobalVariablesInitializer(), nil)

	var wg sync.WaitGroup
	wg.Add(1)
	var y *tf.Array
	var runErr error
	go func() {
		defer wg.Done()
		y, runErr = s.Eval(Y, nil)
	}()
	<-started
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
		t.Fatal("Close returned while a Run was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-closed
	wg.Wait()
	if runErr != nil {
		t.Fatalf("the Run in flight during Close failed: %v", runErr)
	}
	checkArray(t, "Y", y, []int{2}, []float64{3, 6}, 0)
	_, err := s.Eval(v, nil)
	wantErr(t, err, "Attempted to use a closed Session.")
	if got := session.NumPrograms(s); got != 0 {
		t.Errorf("a closed session holds %d programs", got)
	}
}
