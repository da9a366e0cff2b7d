package workloads

import (
	"math"
	"math/rand"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// Sizes of W6, the word2vec skip-gram step of the chapter's notebook.
const (
	W6Vocab, W6Embed, W6Batch, W6Sampled = 50000, 150, 128, 64
	W6LearningRate                       = 0.01
)

// Word2VecModel builds the notebook's skip-gram model in the default graph:
// train_inputs [None] and train_labels [None, 1] int32, embeddings
// uniform in [-1, 1) [50,000, 150], nn.EmbeddingLookup, NCE weights
// truncated normal (stddev 1/sqrt(150)) and zero biases, nn.NCELoss over 64
// classes drawn uniformly (with replacement, as the PyTorch reference), the
// mean over the batch, and Adam(0.01). The embedding and NCE gradients are
// sparse; Adam applies them as TF 1.x does (dense decay of m and v).
func Word2VecModel() *Model {
	X := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("train_inputs"))
	y := placeholder.New(tf.Int32, tf.Shape{tf.None, 1}, placeholder.Name("train_labels"))
	embeddings := tf.NewVariable(tf.RandomUniform(tf.Shape{W6Vocab, W6Embed}, tf.Float32, tf.Minval(-1), tf.Maxval(1)), tf.Name("embeddings"))
	embed := nn.EmbeddingLookup(embeddings, X)
	nceW := tf.NewVariable(tf.TruncatedNormal(tf.Shape{W6Vocab, W6Embed}, tf.Float32, tf.Stddev(1/math.Sqrt(W6Embed))), tf.Name("nce_weights"))
	nceB := tf.NewVariable(tf.Zeros(tf.Shape{W6Vocab}, tf.Float32), tf.Name("nce_biases"))
	sampled, trueExp, sampledExp := nn.UniformCandidateSampler(y, 1, W6Sampled, false, W6Vocab)
	loss := tf.ReduceMean(nn.NCELoss(nceW, nceB, y, embed, W6Sampled, W6Vocab, tf.SampledValues(sampled, trueExp, sampledExp)))
	trainingOp := train.NewAdamOptimizer(W6LearningRate).Minimize(loss)
	return &Model{X: X, Y: y, Outputs: embed, Loss: loss, TrainOp: trainingOp}
}

// word2vecBatch returns W6Batch random (input, label) word pairs.
func word2vecBatch(r *rand.Rand) (x, y *tensor.Dense) {
	xs, ys := make([]int32, W6Batch), make([]int32, W6Batch)
	for i := range xs {
		xs[i], ys[i] = int32(r.Intn(W6Vocab)), int32(r.Intn(W6Vocab))
	}
	return tensor.New(tensor.WithShape(W6Batch), tensor.WithBacking(xs)), tensor.New(tensor.WithShape(W6Batch, 1), tensor.WithBacking(ys))
}
