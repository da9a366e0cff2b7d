package rnncell_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// An LSTMBlockCell of one unit with peepholes run by DynamicRNN over one
// step; its kernel all 0.5, its bias and peepholes 0, x = 1 and c = h = 0:
// c' = tanh(0.5)·sigmoid(0.5), h' = tanh(c')·sigmoid(0.5).
func ExampleNewLSTMBlockCell() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 1, 1})
	cell := rnncell.NewLSTMBlockCell(1, rnncell.UsePeephole(true))
	_, state := nn.DynamicRNN(cell, X, rnncell.DType(tf.Float64))
	for _, v := range g.Variables() {
		fmt.Println(v.Name(), v.Shape())
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	wf, wi, wo := cell.Peepholes()
	for _, v := range []*tf.Variable{cell.Bias(), wf, wi, wo} {
		if err := sess.LoadVariable(v, make([]float64, v.Shape().NumElements())); err != nil {
			fmt.Println(err)
		}
	}
	if err := sess.LoadVariable(cell.Kernel(), [][]float64{{0.5, 0.5, 0.5, 0.5}, {0.5, 0.5, 0.5, 0.5}}); err != nil {
		fmt.Println(err)
	}
	vals := sess.MustRun(state, session.Feed{X: [][][]float64{{{1}}}})
	fmt.Printf("c %.6f h %.6f\n", vals[0].Float64s(), vals[1].Float64s())
	// Output:
	// rnn/lstm_cell/kernel [2,4]
	// rnn/lstm_cell/bias [4]
	// rnn/lstm_cell/w_i_diag [1]
	// rnn/lstm_cell/w_f_diag [1]
	// rnn/lstm_cell/w_o_diag [1]
	// c [0.287649] h [0.174270]
}

// GRUBlockCellV2 names its variables as GRUCell, GRUBlockCell after the
// GRUBlockCell op's inputs.
func ExampleNewGRUBlockCellV2() {
	for _, cell := range []rnncell.Cell{rnncell.NewGRUBlockCellV2(30), rnncell.NewGRUBlockCell(30)} {
		g := tf.NewGraph()
		restore := g.AsDefault()
		X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 20, 7})
		nn.DynamicRNN(cell, X, rnncell.DType(tf.Float32))
		for _, v := range g.Variables() {
			fmt.Println(v.Name(), v.Shape())
		}
		restore()
	}
	// Output:
	// rnn/gru_cell/gates/kernel [37,60]
	// rnn/gru_cell/gates/bias [60]
	// rnn/gru_cell/candidate/kernel [37,30]
	// rnn/gru_cell/candidate/bias [30]
	// rnn/gru_cell/w_ru [37,60]
	// rnn/gru_cell/b_ru [60]
	// rnn/gru_cell/w_c [37,30]
	// rnn/gru_cell/b_c [30]
}
