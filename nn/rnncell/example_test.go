package rnncell_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The notebook's LSTM classifier's recurrent part: three BasicLSTMCells of
// 150 in a MultiRNNCell, run by DynamicRNN; states[-1][1], the top layer's
// h, is LayerState(states, -1)[1].
func ExampleNewMultiRNNCell() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 28, 28})
	var lstmCells []rnncell.Cell
	for layer := 0; layer < 3; layer++ {
		lstmCells = append(lstmCells, rnncell.NewBasicLSTMCell(150))
	}
	multiCell := rnncell.NewMultiRNNCell(lstmCells)
	_, states := nn.DynamicRNN(multiCell, X, rnncell.DType(tf.Float32))
	topLayerHState := multiCell.LayerState(states, -1)[1]
	fmt.Println(len(states), "state tensors; the top h:", topLayerHState.Shape())
	for _, v := range g.Variables() {
		fmt.Println(v.Name(), v.Shape())
	}
	// Output:
	// 6 state tensors; the top h: [?,150]
	// rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel [178,600]
	// rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias [600]
	// rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel [300,600]
	// rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias [600]
	// rnn/multi_rnn_cell/cell_2/basic_lstm_cell/kernel [300,600]
	// rnn/multi_rnn_cell/cell_2/basic_lstm_cell/bias [600]
}

// One step of a GRUCell of one unit whose kernels are all 0.5: with
// gates/bias 1.0 (TF's default) and x = 1, h = 0:
// r = u = sigmoid(0.5 + 1), c = tanh(0.5), h' = (1 - u)·c.
func ExampleNewGRUCell() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 1})
	cell := rnncell.NewGRUCell(1, rnncell.KernelInitializer(tf.ConstantInitializer(0.5)))
	out, _ := cell.Call(X, cell.ZeroState(X, tf.Float64))
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	fmt.Printf("%.6f\n", sess.MustEval(out, session.Feed{X: [][]float64{{1}}}).Float64s())
	// Output:
	// [0.084302]
}

// Dropout on a cell's inputs, its keep probability a placeholder with
// default 1.0: fed 0.5 while training, left at 1.0 (no dropout) to test.
func ExampleNewDropoutWrapper() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 20, 1})
	keepProb := tf.PlaceholderWithDefault(1.0, tf.Shape{})
	cell := rnncell.NewDropoutWrapper(rnncell.NewBasicRNNCell(100), rnncell.InputKeepProb(keepProb))
	outputs, _ := nn.DynamicRNN(cell, X, rnncell.DType(tf.Float32))
	fmt.Println(outputs.Shape())
	for _, v := range g.Variables() {
		fmt.Println(v.Name(), v.Shape())
	}
	// Output:
	// [?,20,100]
	// rnn/basic_rnn_cell/kernel [101,100]
	// rnn/basic_rnn_cell/bias [100]
}
