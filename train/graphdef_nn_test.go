package train_test

import (
	"os/exec"
	"testing"

	"github.com/gorgoflow/gorgoflow/losses"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// nnOpsModel builds nn's activations, bias_add, l2_loss, l2_normalize,
// moments, batch_normalization, the weighted and Poisson losses and top_k,
// and the gradients of their weighted sum.
func nnOpsModel(t *testing.T) *tfjsModel {
	t.Helper()
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4}, tf.Name("x"))
	b := tf.Placeholder(tf.Float32, tf.Shape{4}, tf.Name("b"))
	m.feeds[x] = [][]float32{{0.3, -1.2, 0.8, 2.0}, {-0.4, 0.1, 1.5, -2.2}, {1.1, 0.9, -0.6, 6.5}}
	m.feeds[b] = []float32{0.5, -1, 2, 0.25}
	mean, variance := nn.Moments(x, []int{0})
	top, _ := nn.TopK(x, 2)
	_, topIdx := nn.TopK(x, 3, tf.Sorted(true))
	z := tf.Sigmoid(tf.Mul(x, 0.7))
	terms := []*tf.Tensor{
		nn.Softplus(x), nn.Softsign(x), nn.Relu6(x), nn.Selu(x), nn.Crelu(x), nn.LeakyRelu(x, tf.Alpha(0.1)), nn.Elu(x),
		nn.BiasAdd(x, b), nn.L2Loss(x), nn.L2Normalize(x, tf.Axis(1)), mean, variance,
		nn.BatchNormalization(x, mean, variance, b, tf.Add(b, 2.0), 1e-3),
		nn.WeightedCrossEntropyWithLogits(z, x, 2.5), nn.LogPoissonLoss(tf.Add(tf.Square(tf.Mul(x, 1.5)), 0.25), x, tf.ComputeFullLoss(true)), top,
	}
	var sums []any
	for k, v := range terms {
		sums = append(sums, tf.ReduceSum(tf.Mul(v, float64(k+1)*0.125)))
	}
	loss := tf.AddN(sums...)
	grads, err := tf.Gradients([]*tf.Tensor{loss}, []any{x, b})
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append(append(append(terms, loss), grads...), topIdx)
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNNOpsGraphDef checks the exported nn ops and their gradients (TopK's
// in TF's ScatterNd form) against TF's OpDefs, and runs them in
// TensorFlow.js against gorgoflow's values.
func TestNNOpsGraphDef(t *testing.T) {
	m := nnOpsModel(t)
	checkExportAndTFJS(t, m, "Softplus", "Softsign", "Relu6", "Selu", "LeakyRelu", "Elu", "BiasAdd", "L2Loss", "Rsqrt",
		"Squeeze", "SquaredDifference", "StopGradient", "TopKV2", "ScatterNd")
}

// checkExportAndTFJS checks m's exported graph against TF's OpDefs, that
// it holds a node of each op type in want, and runs it in TensorFlow.js
// against gorgoflow's values.
func checkExportAndTFJS(t *testing.T, m *tfjsModel, want ...string) {
	t.Helper()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	gd, err := m.g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	problems, types := checkGraphDef(t, tfOpDefs(t), gd.Marshal())
	for _, p := range problems {
		t.Error(p)
	}
	for _, op := range want {
		if types[op] == 0 {
			t.Errorf("no %s node", op)
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs; .ci/run installs it)")
	}
	compareWithTFJS(t, node, m)
}

// TestLossesGraphDef exports tf.losses' losses (weights with zeros, every
// reduction) and their gradients, checks them against TF's OpDefs and
// runs them in TensorFlow.js.
func TestLossesGraphDef(t *testing.T) {
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3}, tf.Name("p"))
	m.feeds[p] = [][]float32{{0.2, 0.7, 0.4}, {0.9, 0.35, 0.1}}
	lab := [][]float32{{0, 1, 0}, {1, 0, 0}}
	w := [][]float32{{2}, {0}}
	terms := []*tf.Tensor{
		losses.MeanSquaredError(lab, p), losses.AbsoluteDifference(lab, p, tf.Weights(w)),
		losses.HuberLoss(lab, p, tf.Delta(0.3), tf.Reduction(losses.Mean), tf.Weights(w)),
		losses.LogLoss(lab, p, tf.Reduction(losses.SumOverBatchSize)),
		losses.SigmoidCrossEntropy(lab, p, tf.LabelSmoothing(0.1), tf.Reduction(losses.Sum)),
		losses.SoftmaxCrossEntropy(lab, p, tf.LabelSmoothing(0.2), tf.Weights([]float32{1, 3})),
		losses.SparseSoftmaxCrossEntropy([]int32{1, 0}, p, tf.Weights(0.0)),
		tf.ReduceSum(losses.MeanSquaredError(lab, p, tf.Reduction(losses.None), tf.Weights(w), tf.LossCollection(""))),
	}
	total := losses.GetTotalLoss()
	grads, err := tf.Gradients([]*tf.Tensor{total}, []any{p})
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append(append(terms, total), grads...)
	checkExportAndTFJS(t, m, "DivNoNan", "Size", "SquaredDifference", "Select")
}
