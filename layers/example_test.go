package layers_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The chapter's MNIST classifier ends with a linear fully connected layer
// on the RNN's final state.
func ExampleFullyConnected() {
	tf.ResetDefaultGraph()
	states := placeholder.New(tf.Float32, tf.Shape{tf.None, 150}, placeholder.Name("states"))
	logits := layers.FullyConnected(states, 10, layers.ActivationFn(nil))
	hidden := layers.FullyConnected(states, 20) // ReLU by default
	fmt.Println(logits)
	fmt.Println(hidden)
	for _, v := range tf.TrainableVariables() {
		fmt.Println(v)
	}
	// Output:
	// Tensor("fully_connected/BiasAdd:0", shape=(?, 10), dtype=float32)
	// Tensor("fully_connected_1/Relu:0", shape=(?, 20), dtype=float32)
	// <tf.Variable 'fully_connected/weights:0' shape=(150, 10) dtype=float32>
	// <tf.Variable 'fully_connected/biases:0' shape=(10,) dtype=float32>
	// <tf.Variable 'fully_connected_1/weights:0' shape=(150, 20) dtype=float32>
	// <tf.Variable 'fully_connected_1/biases:0' shape=(20,) dtype=float32>
}

// A layer object (tf.layers.Dense) applied twice uses one set of
// variables.
func ExampleNewDense() {
	tf.ResetDefaultGraph()
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	proj := layers.NewDense(2, layers.Name("projection"))
	fmt.Println(proj.Apply(x).Shape(), proj.Apply(tf.Tanh(x)).Shape())
	for _, v := range tf.GlobalVariables() {
		fmt.Println(v.Name(), v.Shape())
	}
	// Output:
	// [?,2] [?,2]
	// projection/kernel [3,2]
	// projection/bias [2]
}
