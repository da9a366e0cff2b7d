package seq2seq

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/tf"
)

// SequenceLoss returns the weighted cross-entropy of a batch of sequences
// (tf.contrib.seq2seq.sequence_loss(logits, targets, weights)): logits
// [batch, time, classes], targets int32 [batch, time], weights [batch,
// time] of logits' dtype. With crossent = weights · xent(logits, targets):
//
//   - both averages (the default): sum(crossent) / (sum(weights) + 1e-12),
//     a scalar;
//   - across time only: sum over time / (sum of weights over time + 1e-12),
//     [batch];
//   - across the batch only: sum over the batch / (sum of weights over the
//     batch + 1e-12), [time];
//   - neither: crossent, [batch, time].
//
// (The legacy API's SequenceLoss, over lists of steps, is in package
// github.com/gorgoflow/gorgoflow/seq2seq.)
//
// Options: AverageAcrossTimesteps, AverageAcrossBatch, SoftmaxLossFunction
// (then the time dimension must be known), Name (default "sequence_loss").
func SequenceLoss(logits, targets, weights *tf.Tensor, opts ...Option) *tf.Tensor {
	fn := at("seq2seq.SequenceLoss")
	o, err := parse(fn, opts, "average_across_timesteps", "average_across_batch", "softmax_loss_function", "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	for _, x := range []*tf.Tensor{logits, targets, weights} {
		if x == nil {
			return tfimpl.ErrTensor(errors.Errorf("%s: logits, targets or weights is a nil *tf.Tensor", fn))
		}
		if x.Err() != nil {
			return x
		}
	}
	ls, ts, ws := logits.Shape(), targets.Shape(), weights.Shape()
	if len(ls) != 3 {
		return tfimpl.ErrTensor(errors.Errorf("%s: Logits must be a [batch_size x sequence_length x logits] tensor, got %q of shape %v", fn, logits.Name(), ls))
	}
	if len(ts) != 2 {
		return tfimpl.ErrTensor(errors.Errorf("%s: Targets must be a [batch_size x sequence_length] tensor, got %q of shape %v", fn, targets.Name(), ts))
	}
	if len(ws) != 2 {
		return tfimpl.ErrTensor(errors.Errorf("%s: Weights must be a [batch_size x sequence_length] tensor, got %q of shape %v", fn, weights.Name(), ws))
	}
	for i := 0; i < 2; i++ {
		for _, s := range []tf.Shape{ts, ws} {
			if ls[i] >= 0 && s[i] >= 0 && ls[i] != s[i] {
				return tfimpl.ErrTensor(errors.Errorf("%s: logits %v, targets %v and weights %v disagree in dimension %d", fn, ls, ts, ws, i))
			}
		}
	}
	name := o.name
	if name == "" {
		name = "sequence_loss"
	}
	defer tf.NameScope(name)()
	var crossent *tf.Tensor
	if o.lossFn != nil {
		if ls[1] < 0 || ls[2] < 0 {
			return tfimpl.ErrTensor(errors.Errorf("%s: with SoftmaxLossFunction, logits' time and class dimensions must be known, got shape %v", fn, ls))
		}
		flat := o.lossFn(tf.Reshape(targets, []int{-1}), tf.Reshape(logits, []int{-1, ls[2]}))
		if flat == nil {
			return tfimpl.ErrTensor(errors.Errorf("%s: the softmax loss function returned nil", fn))
		}
		crossent = tf.Reshape(flat, []int{-1, ls[1]})
	} else {
		crossent = nn.SparseSoftmaxCrossEntropyWithLogits(targets, logits)
	}
	crossent = tf.Mul(crossent, weights)
	switch {
	case o.avgTime && o.avgBat:
		return tf.Div(tf.ReduceSum(crossent), tf.Add(tf.ReduceSum(weights), 1e-12))
	case o.avgTime:
		return tf.Div(tf.ReduceSum(crossent, tf.Axis(1)), tf.Add(tf.ReduceSum(weights, tf.Axis(1)), 1e-12))
	case o.avgBat:
		return tf.Div(tf.ReduceSum(crossent, tf.Axis(0)), tf.Add(tf.ReduceSum(weights, tf.Axis(0)), 1e-12))
	}
	return crossent
}
