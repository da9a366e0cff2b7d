package session_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TestConcurrentRuns calls Run on one session from many goroutines at once:
// the same program, programs for other batch sizes and fetches, loop bodies,
// random ops, variable assignments and failing runs. Run it with -race.
func TestConcurrentRuns(t *testing.T) {
	g := newGraph(t)
	tf.SetRandomSeed(42)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	W := tf.NewVariable(to32(w0), tf.Name("W"))
	Y := tf.MatMul(X, W)
	S := tf.ReduceSum(Y)
	newW := placeholder.New(tf.Float32, tf.Shape{3, 2}, placeholder.Name("newW"))
	setW := tf.Assign(W, newW)
	c := tf.NewVariable(float32(0), tf.Name("c"))
	setC := tf.Assign(c, placeholder.New(tf.Float32, tf.Shape{}, placeholder.Name("cval")))
	cval := setC.Op().Inputs()[0]
	R := tf.RandomUniform(tf.Shape{4}, tf.Float32, tf.Seed(1))
	f, err := tfimpl.NewFunc(g, "body", []tf.Spec{{DType: tf.Float32, Shape: tf.Shape{tf.None, 3}}}, func(a []*tf.Tensor) []*tf.Tensor {
		return []*tf.Tensor{tf.Tanh(tf.MatMul(a[0], W))}
	})
	if err != nil {
		t.Fatal(err)
	}
	L := applyFunc(f, X)
	init := tf.GlobalVariablesInitializer()
	s := session.New()
	s.MustRun(init, nil)

	const workers = 16
	const iters = 30
	var wg sync.WaitGroup
	errs := make(chan error, workers*iters)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range iters {
				n := 1 + (w+i)%4
				x := batch(n, 3, float64(w))
				feed := session.Feed{X: to32(x)}
				var err error
				switch (w + i) % 7 {
				case 0, 1: // the same few programs, from every goroutine
					var y []*tf.Array
					y, err = s.Run([]tf.Fetch{Y, S}, feed)
					if err == nil && (y[0].Shape()[0] != n || len(y[1].Shape()) != 0) {
						err = fmt.Errorf("Y has shape %v, S %v for %d rows", y[0].Shape(), y[1].Shape(), n)
					}
				case 2: // W always holds w0 (assignments below write w0 back)
					var y *tf.Array
					y, err = s.Eval(Y, feed)
					if err == nil {
						want := flatten(matmul(x, w0))
						for k, v := range y.Float64s() {
							if d := v - want[k]; d > 1e-5 || d < -1e-5 {
								err = fmt.Errorf("Y[%d] = %v, want %v", k, v, want[k])
								break
							}
						}
					}
				case 3:
					_, err = s.Run(setW, session.Feed{newW: to32(w0)})
				case 4:
					_, err = s.Run([]tf.Fetch{setC, c}, session.Feed{cval: float32(w)})
				case 5:
					var r *tf.Array
					r, err = s.Eval(R, nil)
					if err == nil {
						for _, v := range r.Float64s() {
							if v < 0 || v >= 1 {
								err = fmt.Errorf("uniform value %v outside [0,1)", v)
							}
						}
					}
				case 6:
					_, err = s.Eval(L, feed)
					if err == nil {
						// A failing run in the mix: a missing feed.
						_, e := s.Run(Y, nil)
						if e == nil {
							err = fmt.Errorf("Run without feed succeeded")
						}
					}
				}
				if err != nil {
					errs <- fmt.Errorf("worker %d, iteration %d: %w", w, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	cv := s.MustEval(c, nil).Float64s()[0]
	if cv != float64(int(cv)) || cv < 0 || cv >= workers {
		t.Errorf("c = %v, want one of the values assigned", cv)
	}
}

// TestConcurrentClose closes a session while other goroutines run it: every
// Run either succeeds or fails with an error, none panics.
func TestConcurrentClose(t *testing.T) {
	newGraph(t)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None}, placeholder.Name("X"))
	v := tf.NewVariable(float32(1), tf.Name("v"))
	Y := tf.Mul(X, v)
	set := tf.Assign(v, 2.0)
	s := session.New()
	s.MustRun(tf.GlobalVariablesInitializer(), nil)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if w == 0 && i == 10 {
					s.Close()
				}
				if i%2 == 0 {
					s.Run(Y, session.Feed{X: []float32{1, 2}})
				} else {
					s.Run(set, nil)
				}
			}
		}()
	}
	wg.Wait()
	_, err := s.Run(Y, session.Feed{X: []float32{1}})
	wantErr(t, err, "closed Session")
}
