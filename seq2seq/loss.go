package seq2seq

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/tf"
)

// SequenceLossByExample returns the weighted cross-entropy of each example
// over a sequence, [batch] (tf.contrib.legacy_seq2seq.sequence_loss_by_example):
// the sum over steps of weights[t] * xent(logits[t], targets[t]), divided by
// the sum of the weights (plus 1e-12) when averaging across time steps.
// logits[t] are [batch, classes], targets[t] integer ids [batch], weights[t]
// [batch] of logits' dtype; the three lists have one entry per step.
//
// Options: AverageAcrossTimesteps (default true), SoftmaxLossFunction
// (default nn.SparseSoftmaxCrossEntropyWithLogits).
func SequenceLossByExample(logits, targets, weights []*tf.Tensor, opts ...Option) *tf.Tensor {
	fn := "seq2seq.SequenceLossByExample at " + tfimpl.CallerSite()
	o, err := parse(fn, opts, "average_across_timesteps", "softmax_loss_function")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	return lossByExample(fn, logits, targets, weights, o)
}

func lossByExample(fn string, logits, targets, weights []*tf.Tensor, o *options) *tf.Tensor {
	if len(targets) != len(logits) || len(weights) != len(logits) {
		return tfimpl.ErrTensor(errors.Errorf("%s: Lengths of logits, weights, and targets must be the same %d, %d, %d", fn, len(logits), len(weights), len(targets)))
	}
	for _, l := range [][]*tf.Tensor{logits, targets, weights} {
		if err := checkList(fn, "a list", l); err != nil {
			return tfimpl.ErrTensor(err)
		}
	}
	defer logits[0].Graph().NameScope("sequence_loss_by_example")()
	var perps, ws []any
	for t, logit := range logits {
		var xent *tf.Tensor
		if o.lossFn != nil {
			xent = o.lossFn(targets[t], logit)
		} else {
			xent = nn.SparseSoftmaxCrossEntropyWithLogits(tf.Reshape(targets[t], []int{-1}), logit)
		}
		perps = append(perps, tf.Mul(xent, weights[t]))
		ws = append(ws, weights[t])
	}
	logPerps := tf.AddN(perps...)
	if o.avgTime {
		total := tf.Add(tf.AddN(ws...), 1e-12)
		logPerps = tf.Div(logPerps, total)
	}
	return logPerps
}

// SequenceLoss returns the weighted cross-entropy of a batch of sequences,
// a scalar (tf.contrib.legacy_seq2seq.sequence_loss): the sum over examples
// of SequenceLossByExample, divided by the batch size when averaging across
// the batch.
//
// Options: AverageAcrossTimesteps (true), AverageAcrossBatch (true),
// SoftmaxLossFunction.
func SequenceLoss(logits, targets, weights []*tf.Tensor, opts ...Option) *tf.Tensor {
	fn := "seq2seq.SequenceLoss at " + tfimpl.CallerSite()
	o, err := parse(fn, opts, "average_across_timesteps", "average_across_batch", "softmax_loss_function")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	perEx := lossByExample(fn, logits, targets, weights, o)
	if perEx.Err() != nil {
		return perEx
	}
	defer perEx.Graph().NameScope("sequence_loss")()
	cost := tf.ReduceSum(perEx)
	if o.avgBat {
		batch := tf.Cast(tf.Gather(tf.ShapeOf(targets[0]), 0), cost.DType())
		return tf.Div(cost, batch)
	}
	return cost
}
