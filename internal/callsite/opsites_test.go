package callsite_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/losses"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/seq2seq"
	"github.com/gorgoflow/gorgoflow/summary"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// inputs are tensors made before a case's call, so not by it.
type inputs struct {
	x, seq, logits, onehot *tf.Tensor
	labels                 *tf.Tensor // int32 [2]
	loss                   *tf.Tensor // of a variable
}

// TestOpSites checks the site every op records (the "built at" of run-time
// errors): each op a constructor builds, in closures and helpers of its
// own included, names the line of the call in this file.
func TestOpSites(t *testing.T) {
	tests := []struct {
		name string
		call func(in inputs) (error, string)
	}{
		{"losses.SparseSoftmaxCrossEntropy", func(in inputs) (error, string) {
			return firstErr(losses.SparseSoftmaxCrossEntropy(in.labels, in.logits)), here()
		}},
		{"losses.MeanSquaredError", func(in inputs) (error, string) { return firstErr(losses.MeanSquaredError(in.x, in.x)), here() }},
		{"losses.SoftmaxCrossEntropy", func(in inputs) (error, string) {
			return firstErr(losses.SoftmaxCrossEntropy(in.onehot, in.logits, tf.LabelSmoothing(0.1))), here()
		}},
		{"tf.ReduceStd", func(in inputs) (error, string) { return firstErr(tf.ReduceStd(in.x, tf.Axis(1))), here() }},
		{"tf.ClipByGlobalNorm", func(in inputs) (error, string) { return firstErr(tf.ClipByGlobalNorm([]*tf.Tensor{in.x}, 1)), here() }},
		{"nn.SoftmaxCrossEntropyWithLogits", func(in inputs) (error, string) {
			return firstErr(nn.SoftmaxCrossEntropyWithLogits(in.onehot, in.logits)), here()
		}},
		{"nn.Dropout", func(in inputs) (error, string) { return firstErr(nn.Dropout(in.x, 0.5)), here() }},
		{"nn.Moments", func(in inputs) (error, string) { return firstErr(nn.Moments(in.x, []int{0})), here() }},
		{"nn.DynamicRNN", func(in inputs) (error, string) {
			return firstErr(nn.DynamicRNN(rnn.NewBasicLSTMCell(4), in.seq, rnn.DType(tf.Float32))), here()
		}},
		{"nn.StaticRNN", func(in inputs) (error, string) {
			return firstErr(nn.StaticRNN(rnn.NewGRUCell(4), tf.Unstack(in.seq, 1), rnn.DType(tf.Float32))), here()
		}},
		{"layers.Dense", func(in inputs) (error, string) {
			return firstErr(layers.Dense(in.x, 3, layers.Activation(nn.Relu))), here()
		}},
		{"seq2seq.SequenceLoss", func(in inputs) (error, string) {
			return firstErr(seq2seq.SequenceLoss([]*tf.Tensor{in.logits}, []*tf.Tensor{in.labels}, []*tf.Tensor{tf.Placeholder(tf.Float32, tf.Shape{2})})), here()
		}},
		{"train.AdamOptimizer.Minimize", func(in inputs) (error, string) {
			return firstErr(train.NewAdamOptimizer(0.1).Minimize(in.loss)), here()
		}},
		{"train.MomentumOptimizer.Minimize", func(in inputs) (error, string) {
			return firstErr(train.NewMomentumOptimizer(0.1, 0.9).Minimize(in.loss)), here()
		}},
		{"summary.Scalar", func(in inputs) (error, string) { return firstErr(summary.Scalar("m", tf.ReduceMean(in.x))), here() }},
	}
	for _, tt := range tests {
		tf.ResetDefaultGraph()
		losses.ResetLosses()
		in := inputs{x: ph(2, 3), seq: ph(2, 5, 3), logits: ph(2, 4), onehot: ph(2, 4), labels: phi(2)}
		in.loss = tf.ReduceSum(tf.MatMul(in.x, tf.NewVariable(tf.Ones(tf.Shape{3, 1}, tf.Float32))))
		before := len(tf.DefaultGraph().Operations())
		err, want := tt.call(in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		ops := tf.DefaultGraph().Operations()[before:]
		if len(ops) == 0 {
			t.Errorf("%s: no ops built", tt.name)
		}
		for _, op := range ops {
			if got := tfimpl.Site(op); got != want {
				t.Errorf("%s: op %s %q was built at %s, want %s", tt.name, op.Type(), op.Name(), got, want)
				break
			}
		}
	}
	tf.ResetDefaultGraph()
}
