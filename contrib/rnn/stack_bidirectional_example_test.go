package rnn_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Two bidirectional LSTM layers of 8 and 4 units over batches of 28 steps
// of 28 inputs (an MNIST image read row by row), as
// tf.contrib.rnn.stack_bidirectional_dynamic_rnn: the outputs hold the
// last layer's forward and backward outputs side by side, and each layer
// has its two final states, (c, h) for an LSTM.
func ExampleStackBidirectionalDynamicRNN() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 28, 28})
	cellsFw := []rnn.Cell{rnn.NewBasicLSTMCell(8), rnn.NewBasicLSTMCell(4)}
	cellsBw := []rnn.Cell{rnn.NewBasicLSTMCell(8), rnn.NewBasicLSTMCell(4)}
	outputs, statesFw, statesBw := rnn.StackBidirectionalDynamicRNN(cellsFw, cellsBw, X, rnn.DType(tf.Float32))
	if err := g.Err(); err != nil {
		fmt.Println(err)
	}
	fmt.Println(outputs.Shape(), len(statesFw), len(statesBw[1]), statesBw[1][1].Shape())
	for _, v := range g.TrainableVariables()[:4] {
		fmt.Println(v.Name(), v.Shape())
	}
	// Output:
	// [?,28,8] 2 2 [?,4]
	// stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/basic_lstm_cell/kernel [36,32]
	// stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/basic_lstm_cell/bias [32]
	// stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/basic_lstm_cell/kernel [36,32]
	// stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/basic_lstm_cell/bias [32]
}
