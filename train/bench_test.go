package train_test

import (
	"math/rand"
	"testing"

	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// One Adam training step of a 784-300-10 ReLU classifier on a batch of 150
// (about 266k parameters): the optimizer's share of a step is its update
// of every parameter and its two slots.
func BenchmarkAdamStepMLP(b *testing.B) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	tf.SetRandomSeed(1)
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 784})
	y := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	h := layers.FullyConnected(X, 300)
	logits := layers.FullyConnected(h, 10, layers.ActivationFn(nil))
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
	op := train.NewAdamOptimizer(0.001).Minimize(loss)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	r := rand.New(rand.NewSource(1))
	xb := make([][]float32, 150)
	yb := make([]int32, 150)
	for i := range xb {
		xb[i] = make([]float32, 784)
		for j := range xb[i] {
			xb[i][j] = r.Float32()
		}
		yb[i] = int32(r.Intn(10))
	}
	feed := session.Feed{X: xb, y: yb}
	sess.MustRun(op, feed)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sess.MustRun(op, feed)
	}
}
