// Package workloads builds the benchmark workloads of the chapter's two RNN
// models with gorgoflow's public API, as ../shared/bench/torch_reference.py
// defines them for PyTorch:
//
//   - W1: one training step of the MNIST sequence classifier (listing L8):
//     a batch of 150 sequences of 28 steps of 28 inputs, a BasicRNNCell of
//     150 tanh units, a dense layer of 10, sparse softmax cross-entropy and
//     Adam with learning rate 0.001.
//   - W2: one training step of the time-series model (listing L10): a batch
//     of 50 sequences of 20 steps of 1 input, a BasicRNNCell of 100 ReLU
//     units, a dense layer of 1 applied at every step (reshape to [-1, 100],
//     fully_connected, reshape to [-1, 20, 1]), mean squared error and Adam
//     with learning rate 0.001.
//   - Inf: W1's forward pass (its logits) over 10,000 sequences, as the
//     evaluation on MNIST's test set.
//   - W3, W4, W5 (the chapter's part two, w3.go, w4.go, w5.go): one training
//     step of W1's classifier on W1's data with a MultiRNNCell of 3
//     BasicLSTMCell of 150 (dense on the top layer's h), one GRUCell of 150,
//     and a MultiRNNCell of 3 ReLU BasicRNNCell of 100 (dense on the
//     layers' final states concatenated).
//   - W7: W1 with a cell written by the user from plain ops (UserCell,
//     BasicRNNCell's math), which runs on DynamicRNN's generic loop.
//
// Inputs are random (normal features, uniform labels), drawn from a seeded
// generator, as in the PyTorch reference.
package workloads

import (
	"fmt"
	"math/rand"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// Names lists the workloads New knows, in the order the bench command runs
// them.
var Names = []string{"w1", "w2", "inf", "w3", "w4", "w5", "w7", "w6"}

// Sizes of the workloads.
const (
	W1Batch, W1Steps, W1Inputs, W1Neurons, W1Outputs = 150, 28, 28, 150, 10
	W2Batch, W2Steps, W2Inputs, W2Neurons, W2Outputs = 50, 20, 1, 100, 1
	InfExamples                                      = 10000
	LearningRate                                     = 0.001
)

// Model is a built model: its placeholders and the tensors and operation a
// workload runs.
type Model struct {
	X, Y     *tf.Tensor    // the inputs and the targets (labels or values)
	Outputs  *tf.Tensor    // logits (W1) or per-step predictions (W2)
	Loss     *tf.Tensor    // the mean loss
	TrainOp  *tf.Operation // one Adam step on Loss
	Accuracy *tf.Tensor    // W1 only: the fraction of Y in the top 1 of Outputs
}

// MNISTModel builds listing L8 in the default graph: X [None, 28, 28]
// float32, y [None] int32, dynamic_rnn of a BasicRNNCell(150), a linear
// fully_connected layer of 10 on the final state, sparse softmax
// cross-entropy, Adam(0.001), and in_top_k accuracy.
func MNISTModel() *Model {
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, W1Steps, W1Inputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	basicCell := rnn.NewBasicRNNCell(W1Neurons)
	_, states := nn.DynamicRNN(basicCell, X, rnn.DType(tf.Float32))
	logits := layers.FullyConnected(states[0], W1Outputs, layers.ActivationFn(nil))
	xentropy := nn.SparseSoftmaxCrossEntropyWithLogits(y, logits)
	loss := tf.ReduceMean(xentropy)
	trainingOp := train.NewAdamOptimizer(LearningRate).Minimize(loss)
	correct := nn.InTopK(logits, y, 1)
	accuracy := tf.ReduceMean(tf.Cast(correct, tf.Float32))
	return &Model{X: X, Y: y, Outputs: logits, Loss: loss, TrainOp: trainingOp, Accuracy: accuracy}
}

// TimeSeriesModel builds listing L10 in the default graph: X and y
// [None, 20, 1] float32, dynamic_rnn of a BasicRNNCell(100) with ReLU, the
// outputs reshaped to [-1, 100], a linear fully_connected layer of 1,
// reshaped back to [-1, 20, 1], the mean squared error and Adam(0.001).
func TimeSeriesModel() *Model {
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, W2Steps, W2Inputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Float32, tf.Shape{tf.None, W2Steps, W2Outputs}, placeholder.Name("y"))
	cell := rnn.NewBasicRNNCell(W2Neurons, rnn.Activation(tf.Relu))
	rnnOutputs, _ := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	stackedRNNOutputs := tf.Reshape(rnnOutputs, []int{-1, W2Neurons})
	stackedOutputs := layers.FullyConnected(stackedRNNOutputs, W2Outputs, layers.ActivationFn(nil))
	outputs := tf.Reshape(stackedOutputs, []int{-1, W2Steps, W2Outputs})
	loss := tf.ReduceMean(tf.Square(tf.Sub(outputs, y)))
	trainingOp := train.NewAdamOptimizer(LearningRate).Minimize(loss)
	return &Model{X: X, Y: y, Outputs: outputs, Loss: loss, TrainOp: trainingOp}
}

// Workload is a model in its own graph with a session holding its
// initialized variables, and the feed and fetch of one step.
type Workload struct {
	Name    string
	Model   *Model
	Graph   *tf.Graph
	Session *session.Session
	Feed    session.Feed
	Fetch   tf.Fetch // what Step runs: the training op, or the logits for inf
}

// New builds the named workload (one of Names) in a new graph with
// tf.SetRandomSeed(seed), initializes its variables, and draws its inputs
// from a generator seeded with seed. For "inf", n is the number of
// sequences (InfExamples in the benchmarks); the others ignore n.
func New(name string, seed int64, n int) (*Workload, error) {
	if name == "inf" && n < 1 {
		return nil, fmt.Errorf("workloads.New: inf needs a positive number of sequences, not %d", n)
	}
	g := tf.NewGraph()
	restore := g.AsDefault()
	tf.SetRandomSeed(seed)
	r := rand.New(rand.NewSource(seed))
	w := &Workload{Name: name, Graph: g}
	switch name {
	case "w1", "inf", "w7":
		if name == "w7" {
			w.Model = UserCellModel()
		} else {
			w.Model = MNISTModel()
		}
		batch := W1Batch
		if name == "inf" {
			batch = n
			w.Fetch = w.Model.Outputs
		} else {
			w.Fetch = w.Model.TrainOp
		}
		w.Feed = session.Feed{
			w.Model.X: normal(r, batch, W1Steps, W1Inputs),
			w.Model.Y: labels(r, batch, W1Outputs),
		}
		if name == "inf" {
			delete(w.Feed, w.Model.Y)
		}
	case "w2":
		w.Model = TimeSeriesModel()
		w.Fetch = w.Model.TrainOp
		w.Feed = session.Feed{
			w.Model.X: normal(r, W2Batch, W2Steps, W2Inputs),
			w.Model.Y: normal(r, W2Batch, W2Steps, W2Outputs),
		}
	case "w3", "w4", "w5":
		w.Model = map[string]func() *Model{"w3": LSTMModel, "w4": GRUModel, "w5": DeepRNNModel}[name]()
		w.Fetch = w.Model.TrainOp
		w.Feed = session.Feed{
			w.Model.X: normal(r, W1Batch, W1Steps, W1Inputs),
			w.Model.Y: labels(r, W1Batch, W1Outputs),
		}
	case "w6":
		w.Model = Word2VecModel()
		w.Fetch = w.Model.TrainOp
		x, y := word2vecBatch(r)
		w.Feed = session.Feed{w.Model.X: x, w.Model.Y: y}
	default:
		restore()
		return nil, fmt.Errorf("workloads.New: unknown workload %q (want one of %v)", name, Names)
	}
	init := tf.GlobalVariablesInitializer()
	restore()
	w.Session = session.New(session.WithGraph(g))
	if _, err := w.Session.Run(init, nil); err != nil {
		w.Session.Close()
		return nil, err
	}
	return w, nil
}

// Step runs one step of the workload: a training step for w1 and w2, the
// forward pass for inf.
func (w *Workload) Step() error {
	_, err := w.Session.Run(w.Fetch, w.Feed)
	return err
}

// Close releases the workload's session.
func (w *Workload) Close() error { return w.Session.Close() }

// normal returns a float32 tensor of the given shape with standard normal
// elements (torch.randn).
func normal(r *rand.Rand, shape ...int) *tensor.Dense {
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

// labels returns n int32 labels uniform in [0, classes) (torch.randint).
func labels(r *rand.Rand, n, classes int) *tensor.Dense {
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(r.Intn(classes))
	}
	return tensor.New(tensor.WithShape(n), tensor.WithBacking(v))
}
