// Command static_rnn is listings L2 and L3 of Géron's chapter 14 (14.2.1):
// the two-step network of manual_rnn built by static_rnn, first from one
// placeholder per step, then from one [None, n_steps, n_inputs] placeholder.
package main

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

func main() {
	nInputs := 3
	nNeurons := 5
	nSteps := 2

	// L2: one placeholder per time step.
	tf.SetRandomSeed(42)
	X0 := placeholder.New(tf.Float32, tf.Shape{tf.None, nInputs})
	X1 := placeholder.New(tf.Float32, tf.Shape{tf.None, nInputs})
	basicCell := rnn.NewBasicRNNCell(nNeurons)
	outputSeqs, states := rnn.StaticRNN(basicCell, []*tf.Tensor{X0, X1}, rnn.DType(tf.Float32))
	Y0, Y1 := outputSeqs[0], outputSeqs[1]
	init := tf.GlobalVariablesInitializer()

	X0Batch := [][]float32{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 0, 1}}
	X1Batch := [][]float32{{9, 8, 7}, {0, 0, 0}, {6, 5, 4}, {3, 2, 1}}

	sess := session.New()
	sess.MustRun(init, nil)
	vals := sess.MustRun([]tf.Fetch{Y0, Y1, states[0]}, session.Feed{X0: X0Batch, X1: X1Batch})
	Y0Val, Y1Val, statesVal := vals[0], vals[1], vals[2]
	sess.Close()
	fmt.Println(Y0Val) // output at t = 0
	fmt.Println(Y1Val) // output at t = 1
	fmt.Println(statesVal)

	// L3: one placeholder [None, n_steps, n_inputs]; a new graph.
	tf.ResetDefaultGraph()
	tf.SetRandomSeed(42)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs})
	XSeqs := tf.Unstack(tf.Transpose(X, []int{1, 0, 2}), 0)
	basicCell = rnn.NewBasicRNNCell(nNeurons)
	outputSeqs, _ = rnn.StaticRNN(basicCell, XSeqs, rnn.DType(tf.Float32))
	outputs := tf.Transpose(tf.Stack(outputSeqs, 0), []int{1, 0, 2})
	init = tf.GlobalVariablesInitializer()

	XBatch := [][][]float32{
		// t = 0      t = 1
		{{0, 1, 2}, {9, 8, 7}}, // instance 0
		{{3, 4, 5}, {0, 0, 0}}, // instance 1
		{{6, 7, 8}, {6, 5, 4}}, // instance 2
		{{9, 0, 1}, {3, 2, 1}}, // instance 3
	}
	sess = session.New()
	defer sess.Close()
	sess.MustRun(init, nil)
	outputsVal := sess.MustEval(outputs, session.Feed{X: XBatch})
	fmt.Println(outputsVal)
}
