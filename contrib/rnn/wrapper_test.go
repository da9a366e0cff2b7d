package rnn_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

func TestOutputProjectionWrapper(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, nT, nI})
	inner := rnn.NewBasicRNNCell(nU, rnn.Activation(tf.Relu))
	cell := rnn.NewOutputProjectionWrapper(inner, 1)
	outputs, state := nn.DynamicRNN(cell, X, rnn.DType(tf.Float64))
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range g.Variables() {
		names = append(names, v.Name()+v.Shape().String())
	}
	want := "rnn/output_projection_wrapper/basic_rnn_cell/kernel[5,3] rnn/output_projection_wrapper/basic_rnn_cell/bias[3] rnn/output_projection_wrapper/kernel[3,1] rnn/output_projection_wrapper/bias[1]"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("variables:\n got %s\nwant %s", got, want)
	}
	if !outputs.Shape().Equal(tf.Shape{tf.None, nT, 1}) || !state[0].Shape().Equal(tf.Shape{tf.None, nU}) {
		t.Errorf("outputs %v, state %v; want [None 3 1] and [None 3]", outputs.Shape(), state[0].Shape())
	}
	r := rand.New(rand.NewSource(3))
	xv := [][][]float64{randMat(r, nT, nI), randMat(r, nT, nI)}
	K, b := randMat(r, nI+nU, nU), randMat(r, 1, nU)[0]
	P, pb := randMat(r, nU, 1), []float64{0.25}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	vs := g.Variables()
	for i, v := range []any{K, b, P, pb} {
		if err := sess.LoadVariable(vs[i], v); err != nil {
			t.Fatal(err)
		}
	}
	vals, err := sess.Run([]*tf.Tensor{outputs, state[0]}, session.Feed{X: xv})
	if err != nil {
		t.Fatal(err)
	}
	hs, h := refRNN(xv, K, b, nil, nil, relu)
	var wantOut []float64
	for _, seq := range hs {
		for _, ht := range seq {
			s := pb[0]
			for j, v := range ht {
				s += v * P[j][0]
			}
			wantOut = append(wantOut, s)
		}
	}
	if ok, msg := tftest.AllClose(vals[0].Float64s(), wantOut, 1e-12, 1e-12); !ok {
		t.Errorf("outputs: %s", msg)
	}
	if ok, msg := tftest.AllClose(vals[1].Float64s(), flat(h), 1e-12, 1e-12); !ok {
		t.Errorf("state (the inner cell's): %s", msg)
	}
	// Gradients through the wrapper and the loop, by central differences.
	loss := tf.ReduceSum(tf.Square(outputs))
	tftest.CheckGradients(t, g, loss, []*tf.Tensor{X}, session.Feed{X: xv}, 1e-6, 1e-7)
}

func TestStaticRNNErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X0 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	X1 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	seq := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	outs, st := rnn.StaticRNN(rnn.NewBasicRNNCell(2), []*tf.Tensor{X0, X1}, rnn.DType(tf.Float32), rnn.SequenceLength(seq))
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	x := [][]float32{{1, 2, 3}, {4, 5, 6}}
	fetch := append(outs, st...)
	for _, c := range []struct {
		lens []int32
		want string
	}{
		{[]int32{1, 5}, "sequence_length[1] = 5 is outside [0, 2]"},
		{[]int32{-2, 1}, "sequence_length[0] = -2 is outside [0, 2]"},
		{[]int32{1}, "sequence_length has 1 entries, but the batch size is 2"},
	} {
		_, err := sess.Run(fetch, session.Feed{X0: x, X1: x, seq: c.lens})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("lengths %v: error %v, want one containing %q", c.lens, err, c.want)
		}
	}
	vals, err := sess.Run(fetch, session.Feed{X0: x, X1: x, seq: []int32{0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	// Length 0 gives the initial (zero) state and zero outputs.
	for i, v := range vals[2].Float64s()[:2] {
		if v != 0 {
			t.Errorf("state of a length-0 sequence [%d] = %v, want 0", i, v)
		}
	}

	for _, c := range []struct {
		name string
		run  func() []*tf.Tensor
		want string
	}{
		{"no dtype", func() []*tf.Tensor { o, _ := rnn.StaticRNN(rnn.NewBasicRNNCell(2), []*tf.Tensor{X0}); return o }, "dtype must be specified"},
		{"empty inputs", func() []*tf.Tensor {
			o, _ := rnn.StaticRNN(rnn.NewBasicRNNCell(2), nil, rnn.DType(tf.Float32))
			return o
		}, "inputs must not be empty"},
		{"lengths of a known wrong size", func() []*tf.Tensor {
			o, _ := rnn.StaticRNN(rnn.NewBasicRNNCell(2), []*tf.Tensor{tf.Zeros(tf.Shape{4, 3}, tf.Float32)}, rnn.DType(tf.Float32),
				rnn.SequenceLength(tf.Constant([]int32{1, 1}, tf.Int32)))
			return o
		}, "sequence_length has 2 entries, but the batch size is 4"},
		{"time_major is dynamic_rnn's", func() []*tf.Tensor {
			o, _ := rnn.StaticRNN(rnn.NewBasicRNNCell(2), []*tf.Tensor{X0}, rnn.DType(tf.Float32), rnn.TimeMajor(true))
			return o
		}, "does not take the option time_major"},
		{"bad num_units", func() []*tf.Tensor {
			o, _ := rnn.StaticRNN(rnn.NewBasicRNNCell(0), []*tf.Tensor{X0}, rnn.DType(tf.Float32))
			return o
		}, "num_units must be positive"},
		{"depth changes", func() []*tf.Tensor {
			c := rnn.NewBasicRNNCell(2)
			rnn.StaticRNN(c, []*tf.Tensor{X0}, rnn.DType(tf.Float32), rnn.Scope("a"))
			o, _ := rnn.StaticRNN(c, []*tf.Tensor{tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4})}, rnn.DType(tf.Float32), rnn.Scope("b"))
			return o
		}, "built for depth 3"},
	} {
		o := c.run()
		// Every error names the line of this file that made the bad call.
		if len(o) == 0 || o[0].Err() == nil || !strings.Contains(o[0].Err().Error(), c.want) || !strings.Contains(o[0].Err().Error(), "wrapper_test.go:") {
			var err error
			if len(o) > 0 {
				err = o[0].Err()
			}
			t.Errorf("%s: error %v, want one containing %q and wrapper_test.go:line", c.name, err, c.want)
		}
	}
}
