package rnncell_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// printVariables runs the cell newCell makes with DynamicRNN on inputs of
// depth 3, in a new graph, and prints the variables it made.
func printVariables(newCell func() rnncell.Cell) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 5, 3})
	outputs, state := nn.DynamicRNN(newCell(), X, rnncell.DType(tf.Float32))
	if err := outputs.Err(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("outputs", outputs.Shape(), "state tensors", len(state))
	for _, v := range g.Variables() {
		fmt.Println(v.Name(), v.Shape())
	}
}

// LayerNormBasicLSTMCell's recurrent dropout keep probability can be a
// placeholder, fed below 1 while training.
func ExampleNewLayerNormBasicLSTMCell() {
	printVariables(func() rnncell.Cell {
		keep := tf.PlaceholderWithDefault(1.0, tf.Shape{})
		return rnncell.NewLayerNormBasicLSTMCell(2, rnncell.DropoutKeepProb(keep))
	})
	// Output:
	// outputs [?,5,2] state tensors 2
	// rnn/layer_norm_basic_lstm_cell/kernel [5,8]
	// rnn/layer_norm_basic_lstm_cell/input/gamma [2]
	// rnn/layer_norm_basic_lstm_cell/input/beta [2]
	// rnn/layer_norm_basic_lstm_cell/transform/gamma [2]
	// rnn/layer_norm_basic_lstm_cell/transform/beta [2]
	// rnn/layer_norm_basic_lstm_cell/forget/gamma [2]
	// rnn/layer_norm_basic_lstm_cell/forget/beta [2]
	// rnn/layer_norm_basic_lstm_cell/output/gamma [2]
	// rnn/layer_norm_basic_lstm_cell/output/beta [2]
	// rnn/layer_norm_basic_lstm_cell/state/gamma [2]
	// rnn/layer_norm_basic_lstm_cell/state/beta [2]
}

func ExampleNewCoupledInputForgetGateLSTMCell() {
	printVariables(func() rnncell.Cell {
		return rnncell.NewCoupledInputForgetGateLSTMCell(4, rnncell.UsePeepholes(true), rnncell.NumProj(2))
	})
	// Output:
	// outputs [?,5,2] state tensors 2
	// rnn/coupled_input_forget_gate_lstm_cell/W_0 [5,12]
	// rnn/coupled_input_forget_gate_lstm_cell/B [12]
	// rnn/coupled_input_forget_gate_lstm_cell/W_F_diag [4]
	// rnn/coupled_input_forget_gate_lstm_cell/W_O_diag [4]
	// rnn/coupled_input_forget_gate_lstm_cell/W_P_0 [4,2]
}

// One step of a UGRNNCell of one unit whose kernel is all 0.5, x = 1 and h
// = 0: g = sigmoid(0.5 + forget_bias 1), h' = (1 - g)·tanh(0.5).
func ExampleNewUGRNNCell() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 1})
	cell := rnncell.NewUGRNNCell(1, rnncell.Initializer(tf.ConstantInitializer(0.5)))
	out, _ := cell.Call(X, cell.ZeroState(X, tf.Float64))
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	fmt.Printf("%.6f\n", sess.MustEval(out, session.Feed{X: [][]float64{{1}}}).Float64s())
	// Output:
	// [0.084302]
}

// The first layer of a stack of IntersectionRNNCells projects its inputs
// to its number of units.
func ExampleNewIntersectionRNNCell() {
	printVariables(func() rnncell.Cell {
		return rnncell.NewMultiRNNCell([]rnncell.Cell{rnncell.NewIntersectionRNNCell(4, rnncell.NumInProj(4)), rnncell.NewIntersectionRNNCell(4)})
	})
	// Output:
	// outputs [?,5,4] state tensors 2
	// rnn/multi_rnn_cell/cell_0/intersection_rnn_cell/in_projection/kernel [3,4]
	// rnn/multi_rnn_cell/cell_0/intersection_rnn_cell/in_projection/bias [4]
	// rnn/multi_rnn_cell/cell_0/intersection_rnn_cell/kernel [8,16]
	// rnn/multi_rnn_cell/cell_0/intersection_rnn_cell/bias [16]
	// rnn/multi_rnn_cell/cell_1/intersection_rnn_cell/kernel [8,16]
	// rnn/multi_rnn_cell/cell_1/intersection_rnn_cell/bias [16]
}

func ExampleNewNASCell() {
	printVariables(func() rnncell.Cell { return rnncell.NewNASCell(4, rnncell.NumProj(2), rnncell.UseBias(true)) })
	// Output:
	// outputs [?,5,2] state tensors 2
	// rnn/nas_cell/recurrent_kernel [2,32]
	// rnn/nas_cell/kernel [3,32]
	// rnn/nas_cell/bias [32]
	// rnn/nas_cell/projection_weights [4,2]
}

// HighwayWrapper makes its gates in the loop's scope, after the cell's
// variables.
func ExampleNewHighwayWrapper() {
	printVariables(func() rnncell.Cell { return rnncell.NewHighwayWrapper(rnncell.NewGRUCell(3)) })
	// Output:
	// outputs [?,5,3] state tensors 1
	// rnn/gru_cell/gates/kernel [6,6]
	// rnn/gru_cell/gates/bias [6]
	// rnn/gru_cell/candidate/kernel [6,3]
	// rnn/gru_cell/candidate/bias [3]
	// rnn/carry_w [3,3]
	// rnn/carry_b [3]
}

// An LSTMCell with attention over its last 4 outputs: the state is the
// LSTM's c and h, the last attention read and the window of outputs.
func ExampleNewAttentionCellWrapper() {
	printVariables(func() rnncell.Cell { return rnncell.NewAttentionCellWrapper(rnncell.NewLSTMCell(2), 4) })
	// Output:
	// outputs [?,5,2] state tensors 4
	// rnn/attention_cell_wrapper/kernel [5,3]
	// rnn/attention_cell_wrapper/bias [3]
	// rnn/attention_cell_wrapper/lstm_cell/kernel [5,8]
	// rnn/attention_cell_wrapper/lstm_cell/bias [8]
	// rnn/attention_cell_wrapper/attention/attn_w [1,1,2,2]
	// rnn/attention_cell_wrapper/attention/attn_v [2]
	// rnn/attention_cell_wrapper/attention/kernel [4,2]
	// rnn/attention_cell_wrapper/attention/bias [2]
	// rnn/attention_cell_wrapper/attn_output_projection/kernel [4,2]
	// rnn/attention_cell_wrapper/attn_output_projection/bias [2]
}
