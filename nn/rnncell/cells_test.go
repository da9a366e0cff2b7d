package rnncell_test

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

const (
	batch = 3
	steps = 4
	depth = 3
)

// cellCase is a cell, its variables as TF names them (for inputs of depth
// 3, under the loop's scope "rnn") and its reference step.
type cellCase struct {
	name string
	cell func() rnncell.Cell
	vars string // "name[shape] ..."
	ref  func(w weights) refStep
}

func relu(x float64) float64 { return math.Max(0, x) }

var cellCases = []cellCase{
	{
		name: "BasicRNNCell relu",
		cell: func() rnncell.Cell { return rnncell.NewBasicRNNCell(4, rnncell.Activation(tf.Relu)) },
		vars: "rnn/basic_rnn_cell/kernel[7,4] rnn/basic_rnn_cell/bias[4]",
		ref:  func(w weights) refStep { return rnntest.BasicRNN(w, "rnn/basic_rnn_cell", 4, relu) },
	},
	{
		name: "BasicLSTMCell",
		cell: func() rnncell.Cell { return rnncell.NewBasicLSTMCell(4) },
		vars: "rnn/basic_lstm_cell/kernel[7,16] rnn/basic_lstm_cell/bias[16]",
		ref:  func(w weights) refStep { return rnntest.BasicLSTM(w, "rnn/basic_lstm_cell", 4, 1, false) },
	},
	{
		name: "BasicLSTMCell forget_bias 0.3, state not a tuple",
		cell: func() rnncell.Cell {
			return rnncell.NewBasicLSTMCell(4, rnncell.ForgetBias(0.3), rnncell.StateIsTuple(false))
		},
		vars: "rnn/basic_lstm_cell/kernel[7,16] rnn/basic_lstm_cell/bias[16]",
		ref:  func(w weights) refStep { return rnntest.BasicLSTM(w, "rnn/basic_lstm_cell", 4, 0.3, true) },
	},
	{
		name: "LSTMCell",
		cell: func() rnncell.Cell { return rnncell.NewLSTMCell(4) },
		vars: "rnn/lstm_cell/kernel[7,16] rnn/lstm_cell/bias[16]",
		ref:  func(w weights) refStep { return refLSTM(w, "rnn/lstm_cell", lstmConf{n: 4, forgetBias: 1}) },
	},
	{
		name: "LSTMCell peepholes",
		cell: func() rnncell.Cell { return rnncell.NewLSTMCell(4, rnncell.UsePeepholes(true)) },
		vars: "rnn/lstm_cell/kernel[7,16] rnn/lstm_cell/bias[16] rnn/lstm_cell/w_f_diag[4] rnn/lstm_cell/w_i_diag[4] rnn/lstm_cell/w_o_diag[4]",
		ref: func(w weights) refStep {
			return refLSTM(w, "rnn/lstm_cell", lstmConf{n: 4, peep: true, forgetBias: 1})
		},
	},
	{
		name: "LSTMCell peepholes, cell_clip, num_proj, proj_clip, forget_bias 0.5",
		cell: func() rnncell.Cell {
			return rnncell.NewLSTMCell(4, rnncell.UsePeepholes(true), rnncell.CellClip(0.4), rnncell.NumProj(2),
				rnncell.ProjClip(0.3), rnncell.ForgetBias(0.5))
		},
		vars: "rnn/lstm_cell/kernel[5,16] rnn/lstm_cell/bias[16] rnn/lstm_cell/w_f_diag[4] rnn/lstm_cell/w_i_diag[4] rnn/lstm_cell/w_o_diag[4] rnn/lstm_cell/projection/kernel[4,2]",
		ref: func(w weights) refStep {
			return refLSTM(w, "rnn/lstm_cell", lstmConf{n: 4, proj: 2, peep: true, cellClip: 0.4, projClip: 0.3, forgetBias: 0.5})
		},
	},
	{
		name: "GRUCell",
		cell: func() rnncell.Cell { return rnncell.NewGRUCell(4) },
		vars: "rnn/gru_cell/gates/kernel[7,8] rnn/gru_cell/gates/bias[8] rnn/gru_cell/candidate/kernel[7,4] rnn/gru_cell/candidate/bias[4]",
		ref:  func(w weights) refStep { return rnntest.GRU(w, "rnn/gru_cell", 4) },
	},
	{
		name: "MultiRNNCell of BasicLSTMCell, GRUCell, BasicRNNCell",
		cell: func() rnncell.Cell {
			return rnncell.NewMultiRNNCell([]rnncell.Cell{rnncell.NewBasicLSTMCell(4), rnncell.NewGRUCell(3),
				rnncell.NewBasicRNNCell(2, rnncell.Activation(tf.Relu))})
		},
		vars: "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel[7,16] rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias[16] " +
			"rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel[7,6] rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias[6] " +
			"rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel[7,3] rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias[3] " +
			"rnn/multi_rnn_cell/cell_2/basic_rnn_cell/kernel[5,2] rnn/multi_rnn_cell/cell_2/basic_rnn_cell/bias[2]",
		ref: func(w weights) refStep {
			return refMulti([]refStep{
				rnntest.BasicLSTM(w, "rnn/multi_rnn_cell/cell_0/basic_lstm_cell", 4, 1, false),
				rnntest.GRU(w, "rnn/multi_rnn_cell/cell_1/gru_cell", 3),
				rnntest.BasicRNN(w, "rnn/multi_rnn_cell/cell_2/basic_rnn_cell", 2, relu),
			}, []int{2, 1, 1})
		},
	},
	{
		name: "MultiRNNCell of 2 LSTMCell with projection, given as []*LSTMCell",
		cell: func() rnncell.Cell {
			return rnncell.NewMultiRNNCell([]*rnncell.LSTMCell{rnncell.NewLSTMCell(4, rnncell.NumProj(3)), rnncell.NewLSTMCell(2)})
		},
		vars: "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel[6,16] rnn/multi_rnn_cell/cell_0/lstm_cell/bias[16] rnn/multi_rnn_cell/cell_0/lstm_cell/projection/kernel[4,3] " +
			"rnn/multi_rnn_cell/cell_1/lstm_cell/kernel[5,8] rnn/multi_rnn_cell/cell_1/lstm_cell/bias[8]",
		ref: func(w weights) refStep {
			return refMulti([]refStep{
				refLSTM(w, "rnn/multi_rnn_cell/cell_0/lstm_cell", lstmConf{n: 4, proj: 3, forgetBias: 1}),
				refLSTM(w, "rnn/multi_rnn_cell/cell_1/lstm_cell", lstmConf{n: 2, forgetBias: 1}),
			}, []int{2, 2})
		},
	},
	{
		name: "ResidualWrapper of GRUCell",
		cell: func() rnncell.Cell { return rnncell.NewResidualWrapper(rnncell.NewGRUCell(3)) },
		vars: "rnn/gru_cell/gates/kernel[6,6] rnn/gru_cell/gates/bias[6] rnn/gru_cell/candidate/kernel[6,3] rnn/gru_cell/candidate/bias[3]",
		ref:  func(w weights) refStep { return refResidual(rnntest.GRU(w, "rnn/gru_cell", 3)) },
	},
	{
		name: "DeviceWrapper of BasicLSTMCell",
		cell: func() rnncell.Cell { return rnncell.NewDeviceWrapper(rnncell.NewBasicLSTMCell(4), "/gpu:1") },
		vars: "rnn/basic_lstm_cell/kernel[7,16] rnn/basic_lstm_cell/bias[16]",
		ref:  func(w weights) refStep { return rnntest.BasicLSTM(w, "rnn/basic_lstm_cell", 4, 1, false) },
	},
	{
		name: "DropoutWrapper keep 1.0 of LSTMCell peepholes",
		cell: func() rnncell.Cell {
			return rnncell.NewDropoutWrapper(rnncell.NewLSTMCell(4, rnncell.UsePeepholes(true)),
				rnncell.InputKeepProb(1.0), rnncell.OutputKeepProb(1), rnncell.StateKeepProb(1.0))
		},
		vars: "rnn/lstm_cell/kernel[7,16] rnn/lstm_cell/bias[16] rnn/lstm_cell/w_f_diag[4] rnn/lstm_cell/w_i_diag[4] rnn/lstm_cell/w_o_diag[4]",
		ref: func(w weights) refStep {
			return refLSTM(w, "rnn/lstm_cell", lstmConf{n: 4, peep: true, forgetBias: 1})
		},
	},
}

// loopGraph is a cell run by a loop on placeholders X [batch, time, depth]
// and L [batch] (sequence lengths).
type loopGraph struct {
	g       *tf.Graph
	x, l    *tf.Tensor
	outputs *tf.Tensor // [batch, time, output size]
	state   []*tf.Tensor
	cell    rnncell.Cell
}

// buildLoop runs cell with nn.StaticRNN or nn.DynamicRNN.
func buildLoop(t *testing.T, cell rnncell.Cell, dynamic, seq bool, dt tf.DType) *loopGraph {
	t.Helper()
	lg := &loopGraph{g: tf.NewGraph(), cell: cell}
	defer lg.g.AsDefault()()
	lg.x = tf.Placeholder(dt, tf.Shape{tf.None, steps, depth}, tf.Name("X"))
	lg.l = tf.Placeholder(tf.Int32, tf.Shape{tf.None}, tf.Name("L"))
	opts := []rnncell.Option{rnncell.DType(dt)}
	if seq {
		opts = append(opts, rnncell.SequenceLength(lg.l))
	}
	if dynamic {
		lg.outputs, lg.state = nn.DynamicRNN(cell, lg.x, opts...)
	} else {
		outs, st := nn.StaticRNN(cell, tf.Unstack(lg.x, 1), opts...)
		lg.outputs, lg.state = tf.Stack(outs, 1), st
	}
	if err := lg.outputs.Err(); err != nil {
		t.Fatal(err)
	}
	for _, s := range lg.state {
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return lg
}

// varList formats the graph's variables as "name[shape] ...".
func varList(g *tf.Graph) string {
	var s []string
	for _, v := range g.Variables() {
		s = append(s, v.Name()+v.Shape().String())
	}
	return strings.Join(s, " ")
}

// dense returns a tensor of shape holding v in dtype dt.
func dense(v []float64, shape []int, dt tf.DType) *tensor.Dense {
	if dt == tf.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
}

// rounded returns v as dtype dt holds it.
func rounded(v []float64, dt tf.DType) []float64 {
	out := append([]float64(nil), v...)
	if dt == tf.Float32 {
		for i, x := range out {
			out[i] = float64(float32(x))
		}
	}
	return out
}

// randomFeed makes random weights for every variable (loaded into sess),
// random inputs and lengths (0 to steps): the feed and the values as the
// graph holds them.
func (lg *loopGraph) randomFeed(t *testing.T, sess *session.Session, rng *rand.Rand, dt tf.DType) (session.Feed, weights, [][][]float64, []int) {
	t.Helper()
	feed := session.Feed{}
	w := weights{}
	restore := lg.g.AsDefault()
	init := tf.GlobalVariablesInitializer()
	restore()
	if _, err := sess.Run(init, nil); err != nil {
		t.Fatal(err)
	}
	for _, v := range lg.g.Variables() {
		n := 1
		for _, d := range v.Shape() {
			n *= d
		}
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = rng.Float64()*1.6 - 0.8
		}
		vals = rounded(vals, dt)
		w[v.Name()] = vals
		if err := sess.LoadVariable(v, dense(vals, v.Shape(), dt)); err != nil {
			t.Fatal(err)
		}
	}
	x := make([][][]float64, batch)
	var flat []float64
	for b := range x {
		x[b] = make([][]float64, steps)
		for s := range x[b] {
			x[b][s] = rounded([]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}, dt)
			flat = append(flat, x[b][s]...)
		}
	}
	feed[lg.x] = dense(flat, []int{batch, steps, depth}, dt)
	lens := []int{steps, 0, 2}
	feed[lg.l] = []int32{int32(lens[0]), int32(lens[1]), int32(lens[2])}
	return feed, w, x, lens
}

// TestCellsMatchReference: every cell's outputs and final state, under
// StaticRNN and DynamicRNN, with and without sequence_length, in float64
// (1e-9) and float32 (1e-5), against the plain-Go references of TF's
// formulas; and its variables are TF's names and shapes.
func TestCellsMatchReference(t *testing.T) {
	for _, c := range cellCases {
		for _, dynamic := range []bool{false, true} {
			for _, seq := range []bool{false, true} {
				for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
					name := fmt.Sprintf("%s/dynamic=%v/seq=%v/%s", c.name, dynamic, seq, dt)
					t.Run(name, func(t *testing.T) {
						lg := buildLoop(t, c.cell(), dynamic, seq, dt)
						if got := varList(lg.g); got != c.vars {
							t.Errorf("variables\n%s\nwant\n%s", got, c.vars)
						}
						sess := session.New(session.WithGraph(lg.g))
						defer sess.Close()
						rng := rand.New(rand.NewSource(1))
						feed, w, x, lens := lg.randomFeed(t, sess, rng, dt)
						if !seq {
							lens = nil
						}
						vals, err := sess.Run(append([]*tf.Tensor{lg.outputs}, lg.state...), feed)
						if err != nil {
							t.Fatal(err)
						}
						wantOut, wantState := refLoop(c.ref(w), x, lg.cell.StateSize(), lg.cell.OutputSize(), lens)
						tol := 1e-9
						if dt == tf.Float32 {
							tol = 1e-5
						}
						var flat []float64
						for _, ob := range wantOut {
							for _, o := range ob {
								flat = append(flat, o...)
							}
						}
						if ok, msg := tftest.AllClose(vals[0].Float64s(), flat, tol, 0); !ok {
							t.Errorf("outputs: %s", msg)
						}
						for i := range lg.state {
							var want []float64
							for b := range wantState {
								want = append(want, wantState[b][i]...)
							}
							if ok, msg := tftest.AllClose(vals[1+i].Float64s(), want, tol, 0); !ok {
								t.Errorf("state %d: %s", i, msg)
							}
						}
					})
				}
			}
		}
	}
}

// TestCellsGradients: central differences of a weighted sum of the outputs
// and the final state, with respect to the inputs and every variable, under
// StaticRNN and DynamicRNN with sequence_length (float64).
func TestCellsGradients(t *testing.T) {
	for _, c := range cellCases {
		for _, dynamic := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/dynamic=%v", c.name, dynamic), func(t *testing.T) {
				lg := buildLoop(t, c.cell(), dynamic, true, tf.Float64)
				rng := rand.New(rand.NewSource(2))
				restore := lg.g.AsDefault()
				loss := weightedSum(rng, lg.outputs)
				for _, s := range lg.state {
					loss = tf.Add(loss, weightedSum(rng, s))
				}
				restore()
				sess := session.New(session.WithGraph(lg.g))
				defer sess.Close()
				feed, _, _, _ := lg.randomFeed(t, sess, rng, tf.Float64)
				tftest.CheckGradients(t, lg.g, loss, []*tf.Tensor{lg.x}, feed, 1e-6, 1e-6)
				checkVariableGradients(t, sess, lg.g, loss, feed, rng)
			})
		}
	}
}

// weightedSum returns sum(x·w) for fixed random w of x's static shape (the
// batch dimension taken as batch).
func weightedSum(rng *rand.Rand, x *tf.Tensor) *tf.Tensor {
	s := x.Shape().Clone()
	s[0] = batch
	n := 1
	for _, d := range s {
		n *= d
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = rng.Float64() + 0.5
	}
	return tf.ReduceSum(tf.Mul(x, tf.Constant(dense(w, s, tf.Float64), tf.Float64)))
}

// checkVariableGradients compares the gradients of loss with respect to
// every variable with central differences (step 1e-6), perturbing the
// variables with LoadVariable (they cannot be fed): up to 24 elements of
// each, chosen at random.
func checkVariableGradients(t *testing.T, sess *session.Session, g *tf.Graph, loss *tf.Tensor, feed session.Feed, rng *rand.Rand) {
	t.Helper()
	vars := g.Variables()
	xs := make([]any, len(vars))
	for i, v := range vars {
		xs[i] = v
	}
	restore := g.AsDefault()
	grads, err := tf.Gradients([]*tf.Tensor{loss}, xs)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	// A variable the loss does not depend on (CoupledInputForgetGateLSTMCell's
	// B with layer_norm) has no gradient, as in TF (None): its central
	// differences must be 0.
	var fetch []*tf.Tensor
	for _, gr := range grads {
		if gr != nil {
			fetch = append(fetch, gr)
		}
	}
	vals, err := sess.Run(fetch, feed)
	if err != nil {
		t.Fatal(err)
	}
	an := make([]*tf.Array, len(grads))
	for i, k := 0, 0; i < len(grads); i++ {
		if grads[i] != nil {
			an[i] = vals[k]
			k++
		}
	}
	const h = 1e-6
	for i, v := range vars {
		cur, err := sess.Eval(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		vals := cur.Float64s()
		analytic := make([]float64, len(vals))
		if an[i] != nil {
			analytic = an[i].Float64s()
		}
		rnntest.CheckVariableGradient(t, sess, loss, feed, v, vals, analytic, tf.Float64, rng.Perm(len(vals))[:min(24, len(vals))], h, 1e-6)
	}
}
