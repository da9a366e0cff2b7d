package train_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// BenchmarkBidirectionalTrainStep is one Adam step of examples/bidirectional
// (batch 150, 28 steps of 28 inputs, a BasicLSTMCell or GRUCell of 128
// units each way, both final h's to 10 logits, sparse softmax cross
// entropy). PyTorch's counterpart, nn.LSTM(28, 128, bidirectional=True)
// with the same head and Adam:
//
//	go test -run XXX -bench BidirectionalTrainStep ./train
func BenchmarkBidirectionalTrainStep(b *testing.B) {
	for _, kind := range []string{"lstm", "gru"} {
		b.Run(kind, func(b *testing.B) {
			g := tf.NewGraph()
			restore := g.AsDefault()
			tf.SetRandomSeed(1)
			X := placeholder.New(tf.Float32, tf.Shape{tf.None, 28, 28})
			y := placeholder.New(tf.Int32, tf.Shape{tf.None})
			cell := func() rnncell.Cell {
				if kind == "gru" {
					return rnncell.NewGRUCell(128)
				}
				return rnncell.NewBasicLSTMCell(128)
			}
			_, states := nn.BidirectionalDynamicRNN(cell(), cell(), X, rnncell.DType(tf.Float32))
			h := tf.Concat([]*tf.Tensor{states[0][len(states[0])-1], states[1][len(states[1])-1]}, 1)
			logits := layers.Dense(h, 10)
			loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
			step := train.NewAdamOptimizer(0.001).Minimize(loss)
			init := tf.GlobalVariablesInitializer()
			restore()
			if err := g.Err(); err != nil {
				b.Fatal(err)
			}
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			sess.MustRun(init, nil)
			rng := rand.New(rand.NewPCG(1, 2))
			xs := make([][][]float32, 150)
			ys := make([]int32, 150)
			for i := range xs {
				ys[i] = int32(rng.IntN(10))
				xs[i] = make([][]float32, 28)
				for j := range xs[i] {
					xs[i][j] = make([]float32, 28)
					for k := range xs[i][j] {
						xs[i][j][k] = rng.Float32()
					}
				}
			}
			feed := session.Feed{X: xs, y: ys}
			sess.MustRun(step, feed)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sess.MustRun(step, feed)
			}
		})
	}
}
