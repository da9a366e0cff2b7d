package losses

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The reductions of a weighted loss (tf.losses.Reduction), as TF's
// strings: pass them to tf.Reduction.
const (
	// None keeps the weighted per-element losses.
	None = "none"
	// Sum is the sum of the weighted losses.
	Sum = "weighted_sum"
	// SumOverBatchSize divides the sum by the number of elements.
	SumOverBatchSize = "weighted_sum_over_batch_size"
	// Mean divides the sum by the sum of the weights (broadcast to the
	// losses' shape).
	Mean = "weighted_mean"
	// SumByNonzeroWeights divides the sum by the number of non-zero
	// weights (broadcast to the losses' shape): TF's default.
	SumByNonzeroWeights = "weighted_sum_by_nonzero_weights"
	// SumOverNonzeroWeights is SumByNonzeroWeights.
	SumOverNonzeroWeights = SumByNonzeroWeights
)

// lossOptions are the options every loss takes.
var lossOptions = []string{"name", "weights", "reduction", "loss_collection"}

// begin parses a loss's options and opens its name scope (tf.Name or
// def) on g; the returned function closes it.
func begin(fn string, opts []tf.Option, extra ...string) (tfimpl.Args, error) {
	a, err := tfimpl.ParseArgs(fn, opts, append(append([]string{}, lossOptions...), extra...)...)
	if err != nil {
		return a, err
	}
	switch r := a.String("reduction", SumByNonzeroWeights); r {
	case None, Sum, SumOverBatchSize, Mean, SumByNonzeroWeights:
	default:
		return a, errors.Errorf("%s: reduction %q, want one of %q, %q, %q, %q, %q", at(fn), r,
			None, Sum, SumOverBatchSize, Mean, SumByNonzeroWeights)
	}
	return a, nil
}

// castTo casts x to dtype unless it has it.
func castTo(x *tf.Tensor, dtype tf.DType) *tf.Tensor {
	if x.DType() == dtype {
		return x
	}
	return tf.Cast(x, dtype)
}

// floatPair converts a loss's predictions (cast to float32 unless a float
// type, as TF's) and labels (cast to the predictions' dtype), which must
// have compatible shapes.
func floatPair(fn, lname, pname string, labels, predictions any) (l, p *tf.Tensor, err error) {
	p = tfimpl.AsTensor(predictions, tf.Invalid)
	if p.Err() != nil {
		return nil, nil, errors.Wrapf(p.Err(), "%s: %s", at(fn), pname)
	}
	if !p.DType().IsFloating() {
		p = tf.Cast(p, tf.Float32)
	}
	l = tfimpl.AsTensor(labels, p.DType())
	if l.Err() != nil {
		return nil, nil, errors.Wrapf(l.Err(), "%s: %s", at(fn), lname)
	}
	if !l.DType().IsNumeric() && l.DType() != tf.Bool {
		return nil, nil, errors.Errorf("%s: %s have dtype %s, want a numeric type", at(fn), lname, l.DType())
	}
	l = castTo(l, p.DType())
	if ps, ls := p.Shape(), l.Shape(); ps != nil && ls != nil && (len(ps) != len(ls) || !ps.IsCompatibleWith(ls)) {
		return nil, nil, errors.Errorf("%s: %s of shape %v and %s of shape %v must have the same shape", at(fn), lname, ls, pname, ps)
	}
	return l, p, nil
}

// weighted is TF's compute_weighted_loss inside the loss's scope: losses
// times the weights, reduced as a's Reduction says, added to a's loss
// collection.
func weighted(fn string, losses *tf.Tensor, a tfimpl.Args) *tf.Tensor {
	dt := losses.DType()
	wv := a.Value("weights")
	if wv == nil {
		wv = 1.0
	}
	nonzeroNumber := false
	switch v := wv.(type) {
	case float64:
		nonzeroNumber = v != 0
	case float32:
		nonzeroNumber = v != 0
	case int:
		nonzeroNumber = v != 0
	}
	w := tfimpl.AsTensor(wv, dt)
	if w.Err() != nil {
		return tfimpl.ErrTensor(errors.Wrapf(w.Err(), "%s: weights", at(fn)))
	}
	if !w.DType().IsNumeric() {
		return tfimpl.ErrTensor(errors.Errorf("%s: weights have dtype %s, want a numeric type", at(fn), w.DType()))
	}
	w = castTo(w, dt)
	if err := checkBroadcastable(w.Shape(), losses.Shape()); err != nil {
		return tfimpl.ErrTensor(errors.Errorf("%s: %v", at(fn), err))
	}
	loss := tf.Mul(losses, w)
	reduction := a.String("reduction", SumByNonzeroWeights)
	if reduction != None {
		loss = tf.ReduceSum(loss)
		var den *tf.Tensor
		switch reduction {
		case Mean:
			den = tf.ReduceSum(tf.Mul(tf.OnesLike(losses), w))
		case SumByNonzeroWeights:
			if nonzeroNumber {
				den = numElements(losses)
			} else {
				den = numPresent(losses, w)
			}
		case SumOverBatchSize:
			den = numElements(losses)
		}
		if den != nil {
			loss = tf.DivNoNan(loss, den, tf.Name("value"))
		}
	}
	if c := a.String("loss_collection", GraphKeysLosses); c != "" {
		addTo(loss, c)
	}
	return loss
}

// checkBroadcastable is TF's assert_broadcastable of weights to values,
// on the static shapes: weights must be a scalar or have the values' rank
// with each dimension 1 or the values'.
func checkBroadcastable(ws, vs tf.Shape) error {
	if ws == nil || vs == nil || len(ws) == 0 {
		return nil
	}
	if len(ws) != len(vs) {
		return errors.Errorf("weights of shape %v cannot broadcast to the losses' shape %v: want a scalar or rank %d", ws, vs, len(vs))
	}
	for i, d := range ws {
		if d != 1 && d >= 0 && vs[i] >= 0 && d != vs[i] {
			return errors.Errorf("weights of shape %v cannot broadcast to the losses' shape %v: dimension %d is %d, want 1 or %d", ws, vs, i, d, vs[i])
		}
	}
	return nil
}

// numElements is the number of elements of losses, as their dtype (TF's
// _num_elements).
func numElements(losses *tf.Tensor) *tf.Tensor {
	defer losses.Graph().NameScope("num_elements")()
	return tf.Cast(tf.Size(losses), losses.DType())
}

// at is fn followed by the user's call site, to start an error text.
func at(fn string) string { return fn + " at " + tfimpl.CallerSite() }

// numPresent counts the weights that are not 0, broadcast to the losses'
// shape (TF's _num_present).
func numPresent(losses, w *tf.Tensor) *tf.Tensor {
	defer losses.Graph().NameScope("num_present")()
	present := tf.Where(tf.Equal(w, 0.0), tf.ZerosLike(w), tf.OnesLike(w))
	present = tf.Mul(present, tf.OnesLike(losses))
	return tf.ReduceSum(present)
}

// build runs a loss: options, arguments, the name scope, the per-element
// losses from body and the weighted reduction.
func build(fn, scope string, opts []tf.Option, extra []string, body func(a tfimpl.Args) (*tf.Tensor, error)) *tf.Tensor {
	a, err := begin(fn, opts, extra...)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	name := a.Name()
	if name == "" {
		name = scope
	}
	closeScope := tf.DefaultGraph().NameScope(name)
	defer closeScope()
	losses, err := body(a)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	if losses.Err() != nil {
		return losses
	}
	return weighted(fn, losses, a)
}

// ComputeWeightedLoss weights and reduces per-element losses
// (tf.losses.compute_weighted_loss), in a name scope "weighted_loss", and
// adds the result to the loss collection. Options: tf.Weights (default
// 1.0), tf.Reduction (default SumByNonzeroWeights), tf.LossCollection,
// tf.Name (the scope).
func ComputeWeightedLoss(losses any, opts ...tf.Option) *tf.Tensor {
	return build("losses.ComputeWeightedLoss", "weighted_loss", opts, nil, func(a tfimpl.Args) (*tf.Tensor, error) {
		l := tfimpl.AsTensor(losses, tf.Invalid)
		if l.Err() != nil {
			return nil, errors.Wrapf(l.Err(), "%s: losses", at("losses.ComputeWeightedLoss"))
		}
		if !l.DType().IsFloating() {
			l = tf.Cast(l, tf.Float32)
		}
		return l, nil
	})
}

// MeanSquaredError is (predictions - labels)², weighted and reduced
// (tf.losses.mean_squared_error(labels, predictions)), in a name scope
// "mean_squared_error". With the defaults it is the mean, as
// nn.MeanSquaredError. Options: tf.Weights, tf.Reduction,
// tf.LossCollection, tf.Name.
func MeanSquaredError(labels, predictions any, opts ...tf.Option) *tf.Tensor {
	const fn = "losses.MeanSquaredError"
	return build(fn, "mean_squared_error", opts, nil, func(a tfimpl.Args) (*tf.Tensor, error) {
		l, p, err := floatPair(fn, "labels", "predictions", labels, predictions)
		if err != nil {
			return nil, err
		}
		return tf.SquaredDifference(p, l), nil
	})
}

// AbsoluteDifference is |predictions - labels|, weighted and reduced
// (tf.losses.absolute_difference), in a name scope "absolute_difference".
// Options: tf.Weights, tf.Reduction, tf.LossCollection, tf.Name.
func AbsoluteDifference(labels, predictions any, opts ...tf.Option) *tf.Tensor {
	const fn = "losses.AbsoluteDifference"
	return build(fn, "absolute_difference", opts, nil, func(a tfimpl.Args) (*tf.Tensor, error) {
		l, p, err := floatPair(fn, "labels", "predictions", labels, predictions)
		if err != nil {
			return nil, err
		}
		return tf.Abs(tf.Sub(p, l)), nil
	})
}

// HuberLoss is 0.5·e² where |e| <= delta and 0.5·delta² + delta·(|e| -
// delta) elsewhere, for e = predictions - labels, weighted and reduced
// (tf.losses.huber_loss), computed as TF does (quadratic = min(|e|,
// delta)), in a name scope "huber_loss". Options: tf.Delta (default 1.0),
// tf.Weights, tf.Reduction, tf.LossCollection, tf.Name.
func HuberLoss(labels, predictions any, opts ...tf.Option) *tf.Tensor {
	const fn = "losses.HuberLoss"
	return build(fn, "huber_loss", opts, []string{"delta"}, func(a tfimpl.Args) (*tf.Tensor, error) {
		l, p, err := floatPair(fn, "labels", "predictions", labels, predictions)
		if err != nil {
			return nil, err
		}
		delta := a.Float("delta", 1.0)
		absErr := tf.Abs(tf.Sub(p, l))
		quadratic := tf.Minimum(absErr, delta)
		linear := tf.Sub(absErr, quadratic)
		return tf.Add(tf.Mul(0.5, tf.Mul(quadratic, quadratic)), tf.Mul(delta, linear)), nil
	})
}

// LogLoss is the binary cross entropy of probabilities:
// -labels·log(predictions + epsilon) - (1 - labels)·log(1 - predictions +
// epsilon), weighted and reduced (tf.losses.log_loss), in a name scope
// "log_loss". Options: tf.Epsilon (default 1e-7), tf.Weights,
// tf.Reduction, tf.LossCollection, tf.Name.
func LogLoss(labels, predictions any, opts ...tf.Option) *tf.Tensor {
	const fn = "losses.LogLoss"
	return build(fn, "log_loss", opts, []string{"epsilon"}, func(a tfimpl.Args) (*tf.Tensor, error) {
		l, p, err := floatPair(fn, "labels", "predictions", labels, predictions)
		if err != nil {
			return nil, err
		}
		eps := a.Float("epsilon", 1e-7)
		pos := tf.Mul(l, tf.Log(tf.Add(p, eps)))
		neg := tf.Mul(tf.Sub(1, l), tf.Log(tf.Add(tf.Sub(1, p), eps)))
		return tf.Sub(tf.Neg(pos), neg), nil
	})
}

// SigmoidCrossEntropy is nn.SigmoidCrossEntropyWithLogits of labels in
// [0, 1] (smoothed toward 1/2 by tf.LabelSmoothing: labels·(1 - s) +
// s/2), weighted and reduced (tf.losses.sigmoid_cross_entropy), in a name
// scope "sigmoid_cross_entropy_loss". Options: tf.LabelSmoothing (default
// 0), tf.Weights, tf.Reduction, tf.LossCollection, tf.Name.
func SigmoidCrossEntropy(multiClassLabels, logits any, opts ...tf.Option) *tf.Tensor {
	const fn = "losses.SigmoidCrossEntropy"
	return build(fn, "sigmoid_cross_entropy_loss", opts, []string{"label_smoothing"}, func(a tfimpl.Args) (*tf.Tensor, error) {
		z, x, err := floatPair(fn, "multi_class_labels", "logits", multiClassLabels, logits)
		if err != nil {
			return nil, err
		}
		if s := a.Float("label_smoothing", 0); s > 0 {
			z = tf.Add(tf.Mul(z, 1-s), 0.5*s)
		}
		return nn.SigmoidCrossEntropyWithLogits(z, x, tf.Name("xentropy")), nil
	})
}

// SoftmaxCrossEntropy is the softmax cross entropy of logits against
// one-hot (or probability) labels along the last axis, labels smoothed by
// tf.LabelSmoothing s to labels·(1 - s) + s/classes and held constant
// (stop_gradient), weighted and reduced (tf.losses.softmax_cross_entropy),
// in a name scope "softmax_cross_entropy_loss". Options: tf.LabelSmoothing
// (default 0), tf.Weights (per example), tf.Reduction, tf.LossCollection,
// tf.Name.
func SoftmaxCrossEntropy(onehotLabels, logits any, opts ...tf.Option) *tf.Tensor {
	const fn = "losses.SoftmaxCrossEntropy"
	return build(fn, "softmax_cross_entropy_loss", opts, []string{"label_smoothing"}, func(a tfimpl.Args) (*tf.Tensor, error) {
		z, x, err := floatPair(fn, "onehot_labels", "logits", onehotLabels, logits)
		if err != nil {
			return nil, err
		}
		if s := a.Float("label_smoothing", 0); s > 0 {
			classes := tf.ReduceSum(tf.OnesLike(z), tf.Axis(-1), tf.KeepDims(true)) // shape(onehot_labels)[-1]
			z = tf.Add(tf.Mul(z, 1-s), tf.Div(s, classes))
		}
		z = tf.StopGradient(z, tf.Name("labels_stop_gradient"))
		return nn.SoftmaxCrossEntropyWithLogitsV2(z, x, tf.Name("xentropy")), nil
	})
}

// SparseSoftmaxCrossEntropy is nn.SparseSoftmaxCrossEntropyWithLogits of
// integer class labels, weighted and reduced
// (tf.losses.sparse_softmax_cross_entropy), in a name scope
// "sparse_softmax_cross_entropy_loss". Labels of logits' rank with a last
// dimension of 1 ([batch, 1]) are squeezed, as TF's. Options: tf.Weights
// (per example), tf.Reduction, tf.LossCollection, tf.Name.
func SparseSoftmaxCrossEntropy(labels, logits any, opts ...tf.Option) *tf.Tensor {
	const fn = "losses.SparseSoftmaxCrossEntropy"
	return build(fn, "sparse_softmax_cross_entropy_loss", opts, nil, func(a tfimpl.Args) (*tf.Tensor, error) {
		x := tfimpl.AsTensor(logits, tf.Invalid)
		if x.Err() != nil {
			return nil, errors.Wrapf(x.Err(), "%s: logits", at(fn))
		}
		var l any = labels
		if t, ok := labels.(*tf.Tensor); ok && t != nil {
			if ls, xs := t.Shape(), x.Shape(); ls != nil && xs != nil && len(ls) == len(xs) && len(ls) > 0 && ls[len(ls)-1] == 1 {
				l = tf.Squeeze(t, tf.Axis(-1))
			}
		}
		return nn.SparseSoftmaxCrossEntropyWithLogits(l, x, tf.Name("xentropy")), nil
	})
}
