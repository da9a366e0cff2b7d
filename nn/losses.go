package nn

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// MeanSquaredError returns the mean over every element of
// (predictions - labels)^2, a scalar: tf.losses.mean_squared_error(labels,
// predictions) with its default weights (1.0) and reduction
// (SUM_BY_NONZERO_WEIGHTS, which with unit weights is the mean). Labels
// are converted to predictions' dtype, and the two must have the same
// shape. Package losses has the full tf.losses.mean_squared_error
// (weights, reductions, the loss collection), which gives the same value.
//
// Options: tf.Name (the name scope, default "mean_squared_error").
func MeanSquaredError(labels, predictions any, opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("nn.MeanSquaredError", opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	scope := a.Name()
	if scope == "" {
		scope = "mean_squared_error"
	}
	p := asTensor(predictions, tf.Invalid)
	if p.Err() != nil {
		return p
	}
	l := asTensor(labels, p.DType())
	if l.Err() != nil {
		return l
	}
	if ps, ls := p.Shape(), l.Shape(); ps != nil && ls != nil && (len(ps) != len(ls) || !ps.IsCompatibleWith(ls)) {
		return tfimpl.ErrTensor(errors.Errorf("nn.MeanSquaredError at %s: labels of shape %v and predictions of shape %v must have the same shape", tfimpl.CallerSite(), ls, ps))
	}
	defer p.Graph().NameScope(scope)()
	if l.DType() != p.DType() {
		l = tf.Cast(l, p.DType())
	}
	return tf.ReduceMean(tf.Square(tf.Sub(p, l, tf.Name("SquaredDifference"))), tf.Name("value"))
}

// asTensor turns an op argument into a tensor (Go values as constants of
// dtype, or of their own type for Invalid).
func asTensor(x any, dtype tf.DType) *tf.Tensor { return tfimpl.AsTensor(x, dtype) }
