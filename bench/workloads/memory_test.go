package workloads_test

import (
	"math/rand"
	"runtime"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// checkHeapSteady runs step for i = 1..steps, stopping t at its first
// error, and fails t when the live heap after the last step exceeds that
// after warm steps by more than 256 KiB.
func checkHeapSteady(t *testing.T, warm, steps int, step func(i int) error) {
	t.Helper()
	var atWarm uint64
	for i := 1; i <= steps; i++ {
		if err := step(i); err != nil {
			t.Fatal(err)
		}
		if i == warm {
			atWarm = liveHeap()
		}
	}
	atEnd := liveHeap()
	t.Logf("live heap after %d steps: %d bytes; after %d: %d bytes", warm, atWarm, steps, atEnd)
	if atEnd > atWarm+256<<10 {
		t.Errorf("the live heap grew from %d bytes after %d steps to %d after %d", atWarm, warm, atEnd, steps)
	}
}

// TestMemoryDoesNotGrow trains a tiny W2-shaped model (DynamicRNN, dense
// layer on every step, MSE, Adam) for 10,000 steps and checks that the live
// heap after 10,000 steps is that after 1,000 (within 256 KiB).
func TestMemoryDoesNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 training steps")
	}
	g := tf.NewGraph()
	restore := g.AsDefault()
	tf.SetRandomSeed(42)
	const T, U, batch = 5, 8, 4
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, T, 1})
	y := tf.Placeholder(tf.Float32, tf.Shape{tf.None, T, 1})
	cell := rnn.NewBasicRNNCell(U, rnn.Activation(tf.Relu))
	outs, _ := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	pred := tf.Reshape(layers.FullyConnected(tf.Reshape(outs, []int{-1, U}), 1, layers.ActivationFn(nil)), []int{-1, T, 1})
	loss := tf.ReduceMean(tf.Square(tf.Sub(pred, y)))
	step := train.NewAdamOptimizer(0.001).Minimize(loss)
	init := tf.GlobalVariablesInitializer()
	restore()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	r := rand.New(rand.NewSource(1))
	feed := session.Feed{X: randDense(r, batch, T, 1), y: randDense(r, batch, T, 1)}
	first := sess.MustRun(loss, feed)[0].Float64s()[0]
	checkHeapSteady(t, 1000, 10000, func(int) error {
		_, err := sess.Run(step, feed)
		return err
	})
	if last := sess.MustRun(loss, feed)[0].Float64s()[0]; !(last < first) {
		t.Errorf("loss went from %v to %v: the model did not train", first, last)
	}
}

func randDense(r *rand.Rand, shape ...int) *tensor.Dense {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
}
