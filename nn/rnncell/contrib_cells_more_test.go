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

// TestContribCellErrors: bad arguments to the cells of contrib/rnn give
// errors naming this file's line.
func TestContribCellErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X3 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2, 3})
	cases := []struct {
		name string
		cell rnncell.Cell
		want string
	}{
		{"LSTMBlockCell(0)", rnncell.NewLSTMBlockCell(0), "num_units must be positive, got 0"},
		{"LSTMBlockCell num_proj", rnncell.NewLSTMBlockCell(2, rnncell.NumProj(1)), "does not take the option num_proj"},
		{"GRUBlockCellV2 forget_bias", rnncell.NewGRUBlockCellV2(4, rnncell.ForgetBias(1)), "does not take the option forget_bias"},
		{"GRUBlockCell(-1)", rnncell.NewGRUBlockCell(-1), "num_units must be positive, got -1"},
		{"LayerNormBasicLSTMCell keep 1.5", rnncell.NewLayerNormBasicLSTMCell(4, rnncell.DropoutKeepProb(1.5)), "must be between 0 and 1"},
		{"CoupledInputForgetGateLSTMCell shards 0", rnncell.NewCoupledInputForgetGateLSTMCell(4, rnncell.NumUnitShards(0)), "must be positive, got 0 and 1"},
		{"CoupledInputForgetGateLSTMCell too many shards", rnncell.NewCoupledInputForgetGateLSTMCell(4, rnncell.NumUnitShards(8)), "Too many shards: shape=[7, 12], num_shards=8"},
		{"UGRNNCell nil activation", rnncell.NewUGRNNCell(4, rnncell.Activation(nil)), "the activation is nil"},
		{"IntersectionRNNCell depth", rnncell.NewIntersectionRNNCell(4), "Must have input size == output size"},
		{"NASCell num_proj 0", rnncell.NewNASCell(4, rnncell.NumProj(0)), "num_proj must be positive, got 0"},
		{"HighwayWrapper depth", rnncell.NewHighwayWrapper(rnncell.NewGRUCell(4)), "must agree"},
		{"HighwayWrapper nil", rnncell.NewHighwayWrapper(nil), "cell is nil"},
		{"AttentionCellWrapper attn_length 0", rnncell.NewAttentionCellWrapper(rnncell.NewGRUCell(4), 0), "attn_length should be greater than zero, got 0"},
		{"AttentionCellWrapper tuple", rnncell.NewAttentionCellWrapper(rnncell.NewLSTMCell(4), 2, rnncell.StateIsTuple(false)), "Cell returns tuple of states"},
	}
	for _, c := range cases {
		out, _ := nn.DynamicRNN(c.cell, X3, rnncell.DType(tf.Float32))
		err := out.Err()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "contrib_cells_more_test.go:") {
			t.Errorf("%s: error %v; want one naming contrib_cells_more_test.go:line and saying %q", c.name, err, c.want)
		}
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if _, err := sess.Run(tf.GlobalVariablesInitializer(), nil); err != nil {
		t.Errorf("the session after the errors: %v", err)
	}
}

// TestContribCellInitialValues: the variables TF initializes to constants
// get TF's values.
func TestContribCellInitialValues(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3, 3})
	cells := []rnncell.Cell{
		rnncell.NewGRUBlockCell(3),
		rnncell.NewGRUBlockCellV2(3),
		rnncell.NewLayerNormBasicLSTMCell(3, rnncell.NormGain(0.7), rnncell.NormShift(0.2)),
		rnncell.NewCoupledInputForgetGateLSTMCell(3, rnncell.LayerNorm(true), rnncell.NormGain(1.5)),
		rnncell.NewHighwayWrapper(rnncell.NewUGRNNCell(3), rnncell.CoupleCarryTransformGates(false), rnncell.CarryBiasInit(2)),
		rnncell.NewNASCell(3, rnncell.UseBiases(true)),
		rnncell.NewLSTMBlockCell(3),
	}
	for i, c := range cells {
		out, _ := nn.DynamicRNN(c, X, rnncell.DType(tf.Float64), rnncell.Scope("c"+string(rune('0'+i))))
		if err := out.Err(); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]float64{
		"c0/gru_cell/b_ru": 1, "c0/gru_cell/b_c": 0, "c1/gru_cell/gates/bias": 1, "c1/gru_cell/candidate/bias": 0,
		"c2/layer_norm_basic_lstm_cell/input/gamma": 0.7, "c2/layer_norm_basic_lstm_cell/input/beta": 0.2,
		"c2/layer_norm_basic_lstm_cell/state/gamma": 0.7, "c2/layer_norm_basic_lstm_cell/state/beta": 0.2,
		"c3/coupled_input_forget_gate_lstm_cell/B": 0, "c3/coupled_input_forget_gate_lstm_cell/forget/gamma": 1.5,
		"c3/coupled_input_forget_gate_lstm_cell/forget/beta": 0,
		"c4/ugrnn_cell/bias": 0, "c4/carry_b": 2, "c4/transform_b": -2,
		"c5/nas_cell/bias": 0, "c6/lstm_cell/bias": 0,
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	found := 0
	for _, v := range g.Variables() {
		w, ok := want[v.Name()]
		if !ok {
			continue
		}
		found++
		val, err := sess.Eval(v, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range val.Float64s() {
			if x != w {
				t.Errorf("%s = %v; want all %v", v.Name(), val.Float64s(), w)
				break
			}
		}
	}
	if found != len(want) {
		t.Errorf("found %d of the %d variables", found, len(want))
	}
}

// TestLayerNormBasicLSTMCellDropout: with dropout_keep_prob 0.5 and no
// layer normalization, one step from the zero state gives c' =
// sigmoid(i)·g, each unit of g either 0 or tanh(j)/0.5; both occur, and a
// keep probability fed 1.0 gives the reference.
func TestLayerNormBasicLSTMCellDropout(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	const n = 64
	X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 1, 2})
	keep := tf.PlaceholderWithDefault(0.5, tf.Shape{})
	cell := rnncell.NewLayerNormBasicLSTMCell(n, rnncell.LayerNorm(false), rnncell.DropoutKeepProb(keep), rnncell.DropoutProbSeed(7))
	_, state := nn.DynamicRNN(cell, X, rnncell.DType(tf.Float64))
	if err := state[0].Err(); err != nil {
		t.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	kv, err := sess.Eval(cell.Kernel(), nil)
	if err != nil {
		t.Fatal(err)
	}
	bv, err := sess.Eval(cell.Bias(), nil)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.3, -0.8}
	z := affine(x, make([]float64, n), kv.Float64s(), bv.Float64s(), 4*n)
	feed := session.Feed{X: [][][]float64{{x}}}
	c, err := sess.Eval(state[0], feed)
	if err != nil {
		t.Fatal(err)
	}
	zeros, kept := 0, 0
	for k, got := range c.Float64s() {
		full := sigmoid(z[k]) * math.Tanh(z[n+k]) / 0.5
		switch {
		case got == 0:
			zeros++
		case math.Abs(got-full) <= 1e-12:
			kept++
		default:
			t.Fatalf("c'[%d] = %v; want 0 or %v", k, got, full)
		}
	}
	if zeros == 0 || kept == 0 {
		t.Errorf("%d units dropped, %d kept; want some of each", zeros, kept)
	}
	feed[keep] = 1.0
	c, err = sess.Eval(state[0], feed)
	if err != nil {
		t.Fatal(err)
	}
	for k, got := range c.Float64s() {
		if want := sigmoid(z[k]) * math.Tanh(z[n+k]); math.Abs(got-want) > 1e-12 {
			t.Fatalf("keep 1.0: c'[%d] = %v; want %v", k, got, want)
		}
	}
}

// TestAttentionSoftmaxLargeScores: the attention's softmax shifts its
// scores by their maximum, as TF's kernel: scores of several hundred (far
// past float32's exp range) still give finite outputs and states. The
// batch of one also checks the engine's reuse of one-element buffers (a
// scalar's memory given a new shape).
func TestAttentionSoftmaxLargeScores(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4, 3})
	cell := rnncell.NewAttentionCellWrapper(rnncell.NewGRUCell(3), 3)
	outputs, state := nn.DynamicRNN(cell, X, rnncell.DType(tf.Float32))
	if err := outputs.Err(); err != nil {
		t.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for _, v := range g.Variables() {
		if strings.HasSuffix(v.Name(), "attention/attn_v") {
			if err := sess.LoadVariable(v, []float32{300, -300, 300}); err != nil {
				t.Fatal(err)
			}
		}
	}
	x := [][][]float32{{{1, -2, 3}, {0.5, 2, -1}, {3, 3, 3}, {-2, 1, 0}}}
	vals, err := sess.Run(append([]*tf.Tensor{outputs}, state...), session.Feed{X: x})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vals {
		for _, f := range v.Float64s() {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				t.Fatalf("fetch %d holds %v: %v", i, f, v.Float64s())
			}
		}
	}
}
