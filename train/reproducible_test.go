package train_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// trainRun builds the chapter's RNN classifier in a fresh graph with the
// given graph seed, trains it for a few Adam steps on fixed data, and
// returns the losses and the final weights.
func trainRun(t *testing.T, seed int64) (losses []float64, weights [][]float64) {
	t.Helper()
	g := tf.NewGraph()
	defer g.AsDefault()()
	g.SetRandomSeed(seed)
	const nSteps, nInputs, nNeurons, nOutputs, batch = 5, 4, 8, 3, 6
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs})
	y := placeholder.New(tf.Int32, tf.Shape{tf.None})
	cell := rnn.NewBasicRNNCell(nNeurons)
	_, states := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	logits := layers.FullyConnected(states[0], nOutputs, layers.ActivationFn(nil))
	loss := tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
	trainingOp := train.NewAdamOptimizer(0.01).Minimize(loss)
	init := tf.GlobalVariablesInitializer()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2)) // the data is the same for every run
	xb := make([][][]float32, batch)
	yb := make([]int32, batch)
	for i := range xb {
		xb[i] = make([][]float32, nSteps)
		for s := range xb[i] {
			xb[i][s] = make([]float32, nInputs)
			for k := range xb[i][s] {
				xb[i][s][k] = float32(r.NormFloat64())
			}
		}
		yb[i] = int32(r.IntN(nOutputs))
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if _, err := sess.Run(init, nil); err != nil {
		t.Fatal(err)
	}
	feed := session.Feed{X: xb, y: yb}
	for step := 0; step < 5; step++ {
		v, err := sess.Run([]tf.Fetch{trainingOp, loss}, feed)
		if err != nil {
			t.Fatal(err)
		}
		losses = append(losses, v[1].Float64s()[0])
	}
	for _, v := range g.TrainableVariables() {
		a, err := sess.Eval(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		weights = append(weights, a.Float64s())
	}
	return losses, weights
}

// Same seed, same numbers: two programs built alike with one graph seed
// train to the same losses and weights, bit for bit; another seed differs.
func TestSameSeedSameNumbers(t *testing.T) {
	l1, w1 := trainRun(t, 42)
	l2, w2 := trainRun(t, 42)
	for i := range l1 {
		if l1[i] != l2[i] {
			t.Fatalf("step %d: loss %v vs %v with the same seed", i, l1[i], l2[i])
		}
	}
	for i := range w1 {
		for j := range w1[i] {
			if w1[i][j] != w2[i][j] {
				t.Fatalf("variable %d element %d: %v vs %v with the same seed", i, j, w1[i][j], w2[i][j])
			}
		}
	}
	if l1[len(l1)-1] >= l1[0] {
		t.Errorf("loss did not decrease: %v", l1)
	}
	l3, _ := trainRun(t, 43)
	if l3[0] == l1[0] {
		t.Errorf("a different seed gave the same initial loss %v", l1[0])
	}
}
