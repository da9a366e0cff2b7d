package workloads_test

import (
	"math/rand"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// TestWord2VecMemoryDoesNotGrow trains a small skip-gram model (W6's graph:
// EmbeddingLookup, NCE with sampling in the graph, sparse Adam) for 5,000
// steps on a new batch every step and checks that the live heap after
// 5,000 steps is that after 500 (within 256 KiB), and that the loss fell.
func TestWord2VecMemoryDoesNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 training steps")
	}
	const V, E, batch, sampled = 2000, 16, 32, 8
	g := tf.NewGraph()
	restore := g.AsDefault()
	tf.SetRandomSeed(42)
	X := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	y := tf.Placeholder(tf.Int32, tf.Shape{tf.None, 1})
	emb := tf.NewVariable(tf.RandomUniform(tf.Shape{V, E}, tf.Float32, tf.Minval(-1), tf.Maxval(1)))
	w := tf.NewVariable(tf.TruncatedNormal(tf.Shape{V, E}, tf.Float32, tf.Stddev(0.25)))
	b := tf.NewVariable(tf.Zeros(tf.Shape{V}, tf.Float32))
	loss := tf.ReduceMean(nn.NCELoss(w, b, y, nn.EmbeddingLookup(emb, X), sampled, V))
	step := train.NewAdamOptimizer(0.01).Minimize(loss)
	init := tf.GlobalVariablesInitializer()
	restore()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	r := rand.New(rand.NewSource(1))
	// A learnable task: the label of word i is word (i*7) % V.
	xs, ys := make([]int32, batch), make([]int32, batch)
	feed := session.Feed{X: tensor.New(tensor.WithShape(batch), tensor.WithBacking(xs)), y: tensor.New(tensor.WithShape(batch, 1), tensor.WithBacking(ys))}
	next := func() {
		for i := range xs {
			xs[i] = int32(r.Intn(V / 10))
			ys[i] = xs[i] * 7 % V
		}
	}
	next()
	first := sess.MustRun(loss, feed)[0].Float64s()[0]
	checkHeapSteady(t, 500, 5000, func(int) error {
		next()
		_, err := sess.Run(step, feed)
		return err
	})
	if last := sess.MustRun(loss, feed)[0].Float64s()[0]; !(last < first/2) {
		t.Errorf("loss went from %v to %v: the model did not train", first, last)
	}
}
