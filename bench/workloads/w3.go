package workloads

import (
	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// W3 sizes: the chapter's LSTM classifier.
const W3Layers, W3Neurons = 3, 150

// LSTMModel builds w3 in the default graph, as the chapter's notebook
// writes its LSTM classifier: X [None, 28, 28] float32, y [None] int32, a
// MultiRNNCell of 3 BasicLSTMCell(150) under dynamic_rnn, a linear
// fully_connected layer of 10 on the top layer's h (states[-1][1]), sparse
// softmax cross-entropy, Adam(0.001) and in_top_k accuracy.
func LSTMModel() *Model {
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, W1Steps, W1Inputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	lstmCells := make([]rnn.Cell, W3Layers)
	for i := range lstmCells {
		lstmCells[i] = rnn.NewBasicLSTMCell(W3Neurons)
	}
	multiCell := rnn.NewMultiRNNCell(lstmCells)
	_, states := nn.DynamicRNN(multiCell, X, rnn.DType(tf.Float32))
	topLayerHState := states[len(states)-1] // states[-1][1]: the flat state ends with the top layer's (c, h)
	logits := layers.Dense(topLayerHState, W1Outputs, layers.Name("softmax"))
	return classifier(X, y, logits)
}

// classifier finishes the MNIST classifiers w3, w4 and w5 as listing L8:
// sparse softmax cross-entropy, its mean, Adam(0.001), in_top_k accuracy.
func classifier(X, y, logits *tf.Tensor) *Model {
	xentropy := nn.SparseSoftmaxCrossEntropyWithLogits(y, logits)
	loss := tf.ReduceMean(xentropy)
	trainingOp := train.NewAdamOptimizer(LearningRate).Minimize(loss)
	correct := nn.InTopK(logits, y, 1)
	accuracy := tf.ReduceMean(tf.Cast(correct, tf.Float32))
	return &Model{X: X, Y: y, Outputs: logits, Loss: loss, TrainOp: trainingOp, Accuracy: accuracy}
}
