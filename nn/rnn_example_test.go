package nn_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// A BasicRNNCell of two units whose weights are all 0.1 over sequences of
// a None number of steps: h0 = tanh(0.1·(1+2+3)) = tanh(0.6) and
// h1 = tanh(0.1·2·h0). The second sequence has length 1: its step 1
// outputs zeros and its state is h0.
func ExampleDynamicRNN() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None, 3})
	seqLength := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	cell := rnn.NewBasicRNNCell(2)
	outputs, state := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32), rnn.SequenceLength(seqLength))
	fmt.Println(outputs.Shape(), state[0].Shape())

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	k := [][]float32{{0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}}
	if err := sess.LoadVariable(cell.Kernel(), k); err != nil {
		fmt.Println(err)
	}
	x := [][][]float32{{{1, 2, 3}, {0, 0, 0}}, {{1, 2, 3}, {0, 0, 0}}}
	vals := sess.MustRun([]*tf.Tensor{outputs, state[0]}, session.Feed{X: x, seqLength: []int32{2, 1}})
	fmt.Printf("%.5f\n%.5f\n", vals[0].Float64s(), vals[1].Float64s())
	// Output:
	// [?,?,2] [?,2]
	// [0.53705 0.53705 0.10700 0.10700 0.53705 0.53705 0.00000 0.00000]
	// [0.10700 0.10700 0.53705 0.53705]
}
