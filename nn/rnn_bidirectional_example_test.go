package nn_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Two BasicRNNCells of one unit, h' = tanh(0.5·x + 0.5·h), over one
// sequence x = 1, 2, 0 of length 2. Forward: tanh(0.5) = 0.46212, then
// tanh(1 + 0.5·0.46212) = 0.84289, then zeros past the length. Backward
// over the reversed prefix 2, 1: tanh(1) = 0.76159, then
// tanh(0.5 + 0.5·0.76159) = 0.70682, outputs put back in time order
// (0.70682 at step 0). The final states are 0.84289 and 0.70682.
func ExampleBidirectionalDynamicRNN() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None, 1})
	seqLength := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	cellFw, cellBw := rnncell.NewBasicRNNCell(1), rnncell.NewBasicRNNCell(1)
	outputs, states := nn.BidirectionalDynamicRNN(cellFw, cellBw, X,
		rnncell.DType(tf.Float32), rnncell.SequenceLength(seqLength))
	both := tf.Concat(outputs, 2) // tf.concat(outputs, 2)
	fmt.Println(both.Shape(), cellFw.Kernel().Name(), cellBw.Kernel().Name())

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for _, k := range []*tf.Variable{cellFw.Kernel(), cellBw.Kernel()} {
		if err := sess.LoadVariable(k, [][]float32{{0.5}, {0.5}}); err != nil {
			fmt.Println(err)
		}
	}
	vals := sess.MustRun([]*tf.Tensor{outputs[0], outputs[1], states[0][0], states[1][0]},
		session.Feed{X: [][][]float32{{{1}, {2}, {0}}}, seqLength: []int32{2}})
	for _, v := range vals {
		fmt.Printf("%.5f\n", v.Float64s())
	}
	// Output:
	// [?,?,2] bidirectional_rnn/fw/basic_rnn_cell/kernel bidirectional_rnn/bw/basic_rnn_cell/kernel
	// [0.46212 0.84289 0.00000]
	// [0.70682 0.76159 0.00000]
	// [0.84289]
	// [0.70682]
}

// The same cells unrolled over a list of two steps, x = 1, 2, without
// lengths: each step's forward and backward outputs concatenated.
func ExampleStaticBidirectionalRNN() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x0 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 1})
	x1 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 1})
	cellFw, cellBw := rnncell.NewBasicRNNCell(1), rnncell.NewBasicRNNCell(1)
	outputs, stateFw, stateBw := nn.StaticBidirectionalRNN(cellFw, cellBw, []*tf.Tensor{x0, x1}, rnncell.DType(tf.Float32))
	fmt.Println(len(outputs), outputs[0].Shape())

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for _, k := range []*tf.Variable{cellFw.Kernel(), cellBw.Kernel()} {
		if err := sess.LoadVariable(k, [][]float32{{0.5}, {0.5}}); err != nil {
			fmt.Println(err)
		}
	}
	vals := sess.MustRun([]*tf.Tensor{outputs[0], outputs[1], stateFw[0], stateBw[0]},
		session.Feed{x0: [][]float32{{1}}, x1: [][]float32{{2}}})
	for _, v := range vals {
		fmt.Printf("%.5f\n", v.Float64s())
	}
	// Output:
	// 2 [?,2]
	// [0.46212 0.70682]
	// [0.84289 0.76159]
	// [0.84289]
	// [0.70682]
}
