// Command variable_length is listing L5 of Géron's chapter 14 (14.2.3):
// dynamic_rnn over sequences of different lengths. The second instance has
// one step, padded with a zero vector: its output at step 1 is zero and its
// state is its output at step 0.
package main

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

func main() {
	tf.SetRandomSeed(42)
	nSteps := 2
	nInputs := 3
	nNeurons := 5

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs})
	seqLength := placeholder.New(tf.Int32, tf.Shape{tf.None})
	basicCell := rnn.NewBasicRNNCell(nNeurons)
	outputs, states := nn.DynamicRNN(basicCell, X, rnn.DType(tf.Float32), rnn.SequenceLength(seqLength))
	init := tf.GlobalVariablesInitializer()

	XBatch := [][][]float32{
		// step 0     step 1
		{{0, 1, 2}, {9, 8, 7}}, // instance 0
		{{3, 4, 5}, {0, 0, 0}}, // instance 1 (padded with a zero vector)
		{{6, 7, 8}, {6, 5, 4}}, // instance 2
		{{9, 0, 1}, {3, 2, 1}}, // instance 3
	}
	seqLengthBatch := []int32{2, 1, 2, 2}

	sess := session.New()
	defer sess.Close()
	sess.MustRun(init, nil)
	vals := sess.MustRun([]tf.Fetch{outputs, states[0]}, session.Feed{X: XBatch, seqLength: seqLengthBatch})
	outputsVal, statesVal := vals[0], vals[1]
	fmt.Println(outputsVal)
	fmt.Println(statesVal)
}
