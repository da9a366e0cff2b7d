package workloads

import (
	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/tf"
)

// W4Neurons is the size of w4's GRU cell.
const W4Neurons = 150

// GRUModel builds w4 in the default graph: w3 with one GRUCell(150) in
// place of the LSTM stack, the dense layer on its final state.
func GRUModel() *Model {
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, W1Steps, W1Inputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
	gruCell := rnn.NewGRUCell(W4Neurons)
	_, states := nn.DynamicRNN(gruCell, X, rnn.DType(tf.Float32))
	logits := layers.Dense(states[0], W1Outputs)
	return classifier(X, y, logits)
}
