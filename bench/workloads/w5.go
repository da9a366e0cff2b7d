package workloads

import (
	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/tf"
)

// W5 sizes: the chapter's deep RNN.
const W5Layers, W5Neurons = 3, 100

// DeepRNNModel builds w5 in the default graph, as the notebook's deep RNN
// on MNIST: a MultiRNNCell of 3 ReLU BasicRNNCell(100) under dynamic_rnn,
// a linear dense layer of 10 on the layers' final states concatenated
// (tf.concat(axis=1, values=states)), then as w3.
func DeepRNNModel() *Model {
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, W1Steps, W1Inputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	cells := make([]rnn.Cell, W5Layers)
	for i := range cells {
		cells[i] = rnn.NewBasicRNNCell(W5Neurons, rnn.Activation(tf.Relu))
	}
	multiLayerCell := rnn.NewMultiRNNCell(cells)
	_, states := nn.DynamicRNN(multiLayerCell, X, rnn.DType(tf.Float32))
	statesConcat := tf.Concat(states, 1)
	logits := layers.Dense(statesConcat, W1Outputs)
	return classifier(X, y, logits)
}
