package perfbench

import (
	"math/rand"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// model is a built workload: its session, its step and its feed.
type model struct {
	sess  *session.Session
	step  any
	feed  session.Feed
	loss  *tf.Tensor
	check func(*testing.B)
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

// buildW1 is the chapter's MNIST classifier: 28 steps of 28 inputs, a
// BasicRNNCell of 150 tanh units, a linear fully connected layer of 10 on
// the final state, sparse softmax cross-entropy, Adam(0.001).
func buildW1(tb testing.TB, batch int, training bool) *model {
	g := tf.NewGraph()
	restore := g.AsDefault()
	defer restore()
	tf.SetRandomSeed(42)
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 28, 28})
	y := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	cell := rnn.NewBasicRNNCell(150)
	_, states := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	logits := layers.FullyConnected(states[0], 10, layers.ActivationFn(nil))
	xent := nn.SparseSoftmaxCrossEntropyWithLogits(y, logits)
	loss := tf.ReduceMean(xent)
	var step any = logits
	if training {
		step = train.NewAdamOptimizer(0.001).Minimize(loss)
	}
	init := tf.GlobalVariablesInitializer()
	sess := session.New(session.WithGraph(g))
	if _, err := sess.Run(init, nil); err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	labels := make([]int32, batch)
	for i := range labels {
		labels[i] = int32(r.Intn(10))
	}
	feed := session.Feed{X: randDense(r, batch, 28, 28)}
	if training {
		feed[y] = tensor.New(tensor.WithShape(batch), tensor.WithBacking(labels))
	}
	return &model{sess: sess, step: step, feed: feed, loss: loss}
}

// buildW2 is the chapter's time-series model: 20 steps of 1 input, a
// BasicRNNCell of 100 relu units, a linear fully connected layer of 1 on
// every step's output (reshape, layer, reshape), MSE, Adam(0.001).
func buildW2(tb testing.TB) *model {
	g := tf.NewGraph()
	restore := g.AsDefault()
	defer restore()
	tf.SetRandomSeed(42)
	const T, U, batch = 20, 100, 50
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, T, 1})
	y := tf.Placeholder(tf.Float32, tf.Shape{tf.None, T, 1})
	cell := rnn.NewBasicRNNCell(U, rnn.Activation(tf.Relu))
	outs, _ := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	stacked := tf.Reshape(outs, []int{-1, U})
	pred := tf.Reshape(layers.FullyConnected(stacked, 1, layers.ActivationFn(nil)), []int{-1, T, 1})
	loss := tf.ReduceMean(tf.Square(tf.Sub(pred, y)))
	step := train.NewAdamOptimizer(0.001).Minimize(loss)
	init := tf.GlobalVariablesInitializer()
	sess := session.New(session.WithGraph(g))
	if _, err := sess.Run(init, nil); err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	feed := session.Feed{X: randDense(r, batch, T, 1), y: randDense(r, batch, T, 1)}
	return &model{sess: sess, step: step, feed: feed, loss: loss}
}

func runSteps(b *testing.B, m *model) {
	defer m.sess.Close()
	for i := 0; i < 3; i++ {
		if _, err := m.sess.Run(m.step, m.feed); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.sess.Run(m.step, m.feed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkW1 is one training step of the MNIST sequence classifier
// (batch 150).
func BenchmarkW1(b *testing.B) { runSteps(b, buildW1(b, 150, true)) }

// BenchmarkW2 is one training step of the time-series model (batch 50).
func BenchmarkW2(b *testing.B) { runSteps(b, buildW2(b)) }

// BenchmarkInference is W1's forward pass over 10,000 sequences.
func BenchmarkInference(b *testing.B) { runSteps(b, buildW1(b, 10000, false)) }
