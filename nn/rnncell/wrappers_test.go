package rnncell_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// identityCell outputs its inputs and keeps its state ([batch, n] each):
// what a wrapper around it does is all that shows.
type identityCell struct{ n int }

func (c identityCell) StateSize() []int { return []int{c.n} }
func (c identityCell) OutputSize() int  { return c.n }
func (c identityCell) ZeroState(b any, dt tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(c, b, dt)
}
func (c identityCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	return x, []*tf.Tensor{tf.Add(s[0], x)}
}

// TestDropoutWrapperMasks: dropout of ones with keep 0.5 (a
// PlaceholderWithDefault of 1.0 fed 0.5) gives 0 or 2 everywhere, about half
// of each; fed nothing, the default 1.0 keeps every unit; variational
// masks are the same at every step and across the batch.
func TestDropoutWrapperMasks(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	const B, T, n = 50, 6, 40
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, T, n})
	keep := tf.PlaceholderWithDefault(1.0, tf.Shape{})
	drop := rnncell.NewDropoutWrapper(identityCell{n}, rnncell.InputKeepProb(keep), rnncell.Seed(7))
	out, _ := nn.DynamicRNN(drop, X, rnncell.DType(tf.Float64))
	vdrop := rnncell.NewDropoutWrapper(identityCell{n}, rnncell.OutputKeepProb(keep),
		rnncell.VariationalRecurrent(true), rnncell.DType(tf.Float64))
	vout, _ := nn.StaticRNN(vdrop, tf.Unstack(X, 1), rnncell.DType(tf.Float64))
	ones := make([][][]float64, B)
	for b := range ones {
		ones[b] = make([][]float64, T)
		for s := range ones[b] {
			ones[b][s] = make([]float64, n)
			for j := range ones[b][s] {
				ones[b][s][j] = 1
			}
		}
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	vals, err := sess.Run(append([]*tf.Tensor{out}, vout...), session.Feed{X: ones, keep: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	got := vals[0].Float64s()
	for _, v := range got {
		switch v {
		case 2:
			kept++
		case 0:
		default:
			t.Fatalf("dropout of 1 with keep 0.5 gave %v; want 0 or 2", v)
		}
	}
	if f := float64(kept) / float64(len(got)); math.Abs(f-0.5) > 0.03 {
		t.Errorf("kept a fraction %.3f of the units; want about 0.5", f)
	}
	first := vals[1].Float64s()[:n]
	for s := 1; s <= T; s++ {
		v := vals[s].Float64s()
		for b := 0; b < B; b++ {
			for j := 0; j < n; j++ {
				if v[b*n+j] != first[j] {
					t.Fatalf("variational mask at step %d, sequence %d, unit %d is %v; step 0, sequence 0 has %v", s-1, b, j, v[b*n+j], first[j])
				}
			}
		}
	}
	vals, err = sess.Run(out, session.Feed{X: ones})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals[0].Float64s() {
		if v != 1 {
			t.Fatalf("keep_prob's default 1.0 changed a unit to %v", v)
		}
	}
}

// TestDropoutWrapperStateFilter: with state_keep_prob, an LSTM's h is
// dropped and its c is not (TF's default filter); the output is h before
// state dropout.
func TestDropoutWrapperStateFilter(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 5})
	lstm := rnncell.NewBasicLSTMCell(30)
	w := rnncell.NewDropoutWrapper(lstm, rnncell.StateKeepProb(0.5))
	if got := rnncell.StateKinds(w); len(got) != 2 || got[0] != rnncell.StateLSTMC || got[1] != rnncell.StateLSTMH {
		t.Errorf("StateKinds %v; want [c h]", got)
	}
	zero := w.ZeroState(X, tf.Float64)
	out, st := w.Call(X, zero)
	_, plain := lstm.Call(X, zero)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	x := [][]float64{{1, 2, 3, 4, 5}, {-1, 0.5, 2, 0, 1}}
	vals, err := sess.Run([]*tf.Tensor{out, st[0], st[1], plain[0], plain[1]}, session.Feed{X: x})
	if err != nil {
		t.Fatal(err)
	}
	o, c, h, pc, ph := vals[0].Float64s(), vals[1].Float64s(), vals[2].Float64s(), vals[3].Float64s(), vals[4].Float64s()
	dropped := 0
	for i := range c {
		if c[i] != pc[i] {
			t.Fatalf("c[%d] = %v, without dropout %v: c must not be dropped", i, c[i], pc[i])
		}
		if o[i] != ph[i] {
			t.Fatalf("output[%d] = %v, want the undropped h %v", i, o[i], ph[i])
		}
		switch {
		case h[i] == 0:
			dropped++
		case math.Abs(h[i]-2*ph[i]) > 1e-12:
			t.Fatalf("h[%d] = %v; want 0 or 2·%v", i, h[i], ph[i])
		}
	}
	if dropped == 0 || dropped == len(h) {
		t.Errorf("%d of %d units of h dropped; want about half", dropped, len(h))
	}
}

// TestDropoutGradientMatchesMask: under StaticRNN and DynamicRNN, the
// gradient of a dropout of x is the mask the forward pass drew (x = 1:
// gradient = output): the backward pass uses the forward's draws.
func TestDropoutGradientMatchesMask(t *testing.T) {
	for _, dynamic := range []bool{false, true} {
		testDropoutGradient(t, dynamic)
	}
}

func testDropoutGradient(t *testing.T, dynamic bool) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3, 8})
	w := rnncell.NewDropoutWrapper(identityCell{8}, rnncell.InputKeepProb(0.5))
	var y *tf.Tensor
	if dynamic {
		y, _ = nn.DynamicRNN(w, X, rnncell.DType(tf.Float64))
	} else {
		outs, _ := nn.StaticRNN(w, tf.Unstack(X, 1), rnncell.DType(tf.Float64))
		y = tf.Stack(outs, 1)
	}
	grads, err := tf.Gradients([]*tf.Tensor{tf.ReduceSum(y)}, []any{X})
	if err != nil {
		t.Fatal(err)
	}
	ones := [][][]float64{make([][]float64, 3), make([][]float64, 3)}
	for b := range ones {
		for s := range ones[b] {
			ones[b][s] = []float64{1, 1, 1, 1, 1, 1, 1, 1}
		}
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	vals, err := sess.Run([]*tf.Tensor{y, grads[0]}, session.Feed{X: ones})
	if err != nil {
		t.Fatal(err)
	}
	yv, gv := vals[0].Float64s(), vals[1].Float64s()
	for i := range yv {
		if yv[i] != gv[i] {
			t.Fatalf("dynamic %v, element %d: output %v, gradient %v; a dropout of ones has gradient = output", dynamic, i, yv[i], gv[i])
		}
	}
}

// TestMultiRNNCellLayerState: the notebook's states[-1][1] is
// LayerState(states, -1)[1], the top layer's h.
func TestMultiRNNCellLayerState(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2, 3})
	cells := []*rnncell.BasicLSTMCell{rnncell.NewBasicLSTMCell(4), rnncell.NewBasicLSTMCell(5)}
	multi := rnncell.NewMultiRNNCell(cells)
	_, states := nn.DynamicRNN(multi, X, rnncell.DType(tf.Float32))
	if len(states) != 4 {
		t.Fatalf("%d state tensors; want 4 (c, h per layer)", len(states))
	}
	top := multi.LayerState(states, -1)
	if len(top) != 2 || top[1] != states[3] || top[0] != states[2] {
		t.Errorf("LayerState(states, -1) = %v; want states[2:4]", top)
	}
	if tu := rnncell.NewLSTMStateTuple(top); tu.H != states[3] || tu.C != states[2] {
		t.Errorf("NewLSTMStateTuple gives %v", tu)
	}
	if s := multi.LayerState(states, 0); s[1] != states[1] {
		t.Errorf("LayerState(states, 0)[1] is not states[1]")
	}
	if s := multi.LayerState(states, 2); s[0].Err() == nil || !strings.Contains(s[0].Err().Error(), "outside the stack's 2 layers") {
		t.Errorf("LayerState(states, 2): error %v", s[0].Err())
	}
}

// TestDeviceWrapperRecordsDevice: the wrapped cell's ops record the device.
func TestDeviceWrapperRecordsDevice(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	w := rnncell.NewDeviceWrapper(rnncell.NewGRUCell(2), "/gpu:1")
	out, _ := w.Call(X, w.ZeroState(X, tf.Float32))
	if d := out.Op().Device(); d != "/gpu:1" {
		t.Errorf("output op's device %q; want /gpu:1", d)
	}
	if d := X.Op().Device(); d != "" {
		t.Errorf("placeholder's device %q; want none", d)
	}
}

// TestCellErrors: bad arguments give errors naming the user's line, and
// the session works afterwards.
func TestCellErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	X3 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2, 3})
	keep := tf.Placeholder(tf.Float32, tf.Shape{2})
	cases := []struct {
		name string
		cell rnncell.Cell
		want string
	}{
		{"BasicLSTMCell(0)", rnncell.NewBasicLSTMCell(0), "num_units must be positive, got 0"},
		{"LSTMCell num_proj -1", rnncell.NewLSTMCell(4, rnncell.NumProj(-1)), "num_proj must be positive, got -1"},
		{"GRUCell option", rnncell.NewGRUCell(4, rnncell.ForgetBias(1)), "does not take the option forget_bias"},
		{"MultiRNNCell empty", rnncell.NewMultiRNNCell([]rnncell.Cell{}), "Must specify at least one cell"},
		{"MultiRNNCell not cells", rnncell.NewMultiRNNCell([]int{1}), "is not an rnn.Cell"},
		{"DropoutWrapper keep 1.5", rnncell.NewDropoutWrapper(rnncell.NewGRUCell(3), rnncell.InputKeepProb(1.5)), "must be between 0 and 1"},
		{"DropoutWrapper keep vector", rnncell.NewDropoutWrapper(rnncell.NewGRUCell(3), rnncell.OutputKeepProb(keep)), "want a scalar"},
		{"DropoutWrapper variational without dtype", rnncell.NewDropoutWrapper(rnncell.NewGRUCell(3), rnncell.StateKeepProb(0.5), rnncell.VariationalRecurrent(true)), "dtype must be provided"},
		{"ResidualWrapper depth", rnncell.NewResidualWrapper(rnncell.NewGRUCell(4)), "must agree"},
	}
	for _, c := range cases {
		out, _ := nn.DynamicRNN(c.cell, X3, rnncell.DType(tf.Float32))
		err := out.Err()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "wrappers_test.go:") {
			t.Errorf("%s: error %v; want one naming wrappers_test.go:line and saying %q", c.name, err, c.want)
		}
	}
	// A cell built for depth 3 refuses depth 4, and float64 after float32.
	cell := rnncell.NewBasicLSTMCell(2)
	cell.Call(X, cell.ZeroState(X, tf.Float32))
	X4 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4})
	if out, _ := cell.Call(X4, cell.ZeroState(X4, tf.Float32)); out.Err() == nil || !strings.Contains(out.Err().Error(), "built for depth 3") {
		t.Errorf("depth 4 after 3: %v", out.Err())
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if _, err := sess.Run(tf.GlobalVariablesInitializer(), nil); err != nil {
		t.Errorf("the session after the errors: %v", err)
	}
}
