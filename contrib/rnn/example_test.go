package rnn_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Two steps of a BasicRNNCell of two units whose weights are all 0.1:
// h0 = tanh(0.1·(1+2+3)) = tanh(0.6), h1 = tanh(0.1·2·h0).
func ExampleStaticRNN() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X0 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	X1 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	cell := rnn.NewBasicRNNCell(2)
	outputs, state := rnn.StaticRNN(cell, []*tf.Tensor{X0, X1}, rnn.DType(tf.Float32))
	for _, v := range g.Variables() {
		fmt.Println(v.Name(), v.Shape())
	}

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	k := [][]float32{{0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}}
	if err := sess.LoadVariable(cell.Kernel(), k); err != nil {
		fmt.Println(err)
	}
	vals := sess.MustRun([]*tf.Tensor{outputs[0], outputs[1], state[0]},
		session.Feed{X0: [][]float32{{1, 2, 3}}, X1: [][]float32{{0, 0, 0}}})
	for _, v := range vals {
		fmt.Printf("%.5f\n", v.Float64s())
	}
	// Output:
	// rnn/basic_rnn_cell/kernel [5,2]
	// rnn/basic_rnn_cell/bias [2]
	// [0.53705 0.53705]
	// [0.10700 0.10700]
	// [0.10700 0.10700]
}
