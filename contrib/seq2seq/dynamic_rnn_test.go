package seq2seq_test

import (
	"math/rand"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/seq2seq"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// TestAttentionWrapperUnderDynamicRNN runs an AttentionWrapper with
// nn.DynamicRNN (tf.nn.dynamic_rnn(attention_cell, inputs), as TF's
// tutorials train it) and checks it against DynamicDecode with a
// TrainingHelper over the same inputs and cell: same outputs and final
// state, and gradients by central differences.
func TestAttentionWrapperUnderDynamicRNN(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	tf.SetRandomSeed(3)
	rng := rand.New(rand.NewSource(4))
	inputs := tf.Placeholder(tf.Float64, tf.Shape{batch, steps, inDepth})
	memory := tf.Placeholder(tf.Float64, tf.Shape{batch, memTime, memDepth})
	mech := seq2seq.NewBahdanauAttention(5, memory, seq2seq.MemorySequenceLength(tf.Constant(memLens, tf.Int32)), seq2seq.Normalize(true))
	cell := seq2seq.NewAttentionWrapper(rnncell.NewGRUCell(units), mech, seq2seq.AttentionLayerSize(3))
	init := cell.ZeroState(batch, tf.Float64)
	outputs, state := nn.DynamicRNN(cell, inputs, rnncell.InitialState(init...), rnncell.Scope("decoder"))
	full := tf.Constant([]int32{steps, steps, steps}, tf.Int32)
	dec, decState, _ := seq2seq.DynamicDecode(seq2seq.NewBasicDecoder(cell, seq2seq.NewTrainingHelper(inputs, full), init))
	for _, x := range append([]*tf.Tensor{outputs, dec.RNNOutput}, append(state, decState...)...) {
		if x.Err() != nil {
			t.Fatal(x.Err())
		}
	}
	if n := len(g.Variables()); n != 10 {
		for _, v := range g.Variables() {
			t.Log(v.Name())
		}
		t.Fatalf("%d variables, want 10 (both loops share the cell's)", n)
	}
	feed := session.Feed{
		inputs: dense(randn(rng, batch*steps*inDepth), batch, steps, inDepth),
		memory: dense(randn(rng, batch*memTime*memDepth), batch, memTime, memDepth),
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(func() *tf.Operation { defer g.AsDefault()(); return tf.GlobalVariablesInitializer() }(), nil)
	a := sess.MustRun(append([]*tf.Tensor{outputs}, state...), feed)
	b := sess.MustRun(append([]*tf.Tensor{dec.RNNOutput}, decState...), feed)
	for i := range a {
		if ok, msg := tftest.AllClose(a[i].Float64s(), b[i].Float64s(), 1e-12, 1e-12); !ok {
			t.Errorf("fetch %d: DynamicRNN vs DynamicDecode: %s", i, msg)
		}
	}
	loss := func() *tf.Tensor { defer g.AsDefault()(); return tf.ReduceSum(tf.Square(outputs)) }()
	tftest.CheckGradients(t, g, loss, []*tf.Tensor{inputs, memory}, feed, 1e-6, 1e-6)
}
