package nn

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// tf.nn's functions built from other ops (TF's nn_impl.py): l2_normalize,
// moments, batch_normalization, weighted_cross_entropy_with_logits and
// log_poisson_loss. Each builds TF 1.x's ops in TF's name scope, so their
// gradients and GraphDef forms are those ops'.

// floatTensor converts a float argument (Go values to dtype, or their own
// type for Invalid), naming fn, what and the call site in errors.
func floatTensor(fn, what string, x any, dtype tf.DType, site string) (*tf.Tensor, error) {
	t := asTensor(x, dtype)
	if t.Err() != nil {
		return nil, t.Err()
	}
	if !t.DType().IsFloating() {
		return nil, errors.Errorf("%s at %s: %s has dtype %s, want float32 or float64", fn, site, what, t.DType())
	}
	if dtype != tf.Invalid && t.DType() != dtype {
		return nil, errors.Errorf("%s at %s: %s has dtype %s, want %s", fn, site, what, t.DType(), dtype)
	}
	return t, nil
}

// predictionAndTargets converts a loss's float input named what (its
// dtype setting the targets') and its targets, which must have one shape.
func predictionAndTargets(fn, what string, x, targets any, site string) (*tf.Tensor, *tf.Tensor, error) {
	xt, err := floatTensor(fn, what, x, tf.Invalid, site)
	if err != nil {
		return nil, nil, err
	}
	z, err := floatTensor(fn, "targets", targets, xt.DType(), site)
	if err != nil {
		return nil, nil, err
	}
	xs, zs := xt.Shape(), z.Shape()
	if xs != nil && zs != nil && (len(xs) != len(zs) || !xs.IsCompatibleWith(zs)) {
		return nil, nil, errors.Errorf("%s at %s: %s of shape %v and targets of shape %v must have the same shape", fn, site, what, xs, zs)
	}
	return xt, z, nil
}

// L2Normalize divides x by its L2 norm along axes (tf.nn.l2_normalize):
// x / sqrt(max(sum(x²), epsilon)), in a name scope "l2_normalize".
// Options: tf.Axis (default all axes), tf.Epsilon (default 1e-12),
// tf.Name.
func L2Normalize(x any, opts ...tf.Option) *tf.Tensor {
	const fn = "nn.L2Normalize"
	a, err := tfimpl.ParseArgs(fn, opts, "name", "axis", "epsilon")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	t, err := floatTensor(fn, "x", x, tf.Invalid, tfimpl.CallerSite())
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	defer t.Graph().NameScope(scopeOr(a.Name(), "l2_normalize"))()
	red := []tf.Option{tf.KeepDims(true)}
	if a.Given("axis") {
		red = append(red, tf.Axis(a.Axes()...))
	}
	squareSum := tf.ReduceSum(tf.Square(t), red...)
	invNorm := tf.Rsqrt(tf.Maximum(squareSum, a.Float("epsilon", 1e-12)))
	return tf.Mul(t, invNorm)
}

// Moments returns the mean and variance of x over axes (tf.nn.moments),
// as TF 1.x computes them: mean = reduce_mean(x), variance =
// reduce_mean(squared_difference(x, stop_gradient(mean))), in a name scope
// "moments"; the reduced axes are squeezed out unless tf.KeepDims(true).
// Options: tf.KeepDims (keep_dims=), tf.Name.
func Moments(x any, axes []int, opts ...tf.Option) (mean, variance *tf.Tensor) {
	const fn = "nn.Moments"
	fail := func(err error) (*tf.Tensor, *tf.Tensor) { e := tfimpl.ErrTensor(err); return e, e }
	a, err := tfimpl.ParseArgs(fn, opts, "name", "keepdims")
	if err != nil {
		return fail(err)
	}
	t, err := floatTensor(fn, "x", x, tf.Invalid, tfimpl.CallerSite())
	if err != nil {
		return fail(err)
	}
	defer t.Graph().NameScope(scopeOr(a.Name(), "moments"))()
	mean = tf.ReduceMean(t, tf.Axis(axes...), tf.KeepDims(true), tf.Name("mean"))
	variance = tf.ReduceMean(tf.SquaredDifference(t, tf.StopGradient(mean)), tf.Axis(axes...), tf.KeepDims(true), tf.Name("variance"))
	if !a.KeepDims() && len(axes) > 0 {
		mean = tf.Squeeze(mean, tf.Axis(axes...))
		variance = tf.Squeeze(variance, tf.Axis(axes...))
	}
	return mean, variance
}

// BatchNormalization normalizes x with the given mean and variance
// (tf.nn.batch_normalization): scale·(x - mean)/sqrt(variance +
// varianceEpsilon) + offset, computed as TF 1.x does, inv =
// rsqrt(variance + epsilon)·scale, x·inv + (offset - mean·inv), in a name
// scope "batchnorm". offset and scale may be nil (none); mean, variance,
// offset and scale broadcast against x. Options: tf.Name.
func BatchNormalization(x, mean, variance, offset, scale any, varianceEpsilon float64, opts ...tf.Option) *tf.Tensor {
	const fn = "nn.BatchNormalization"
	a, err := tfimpl.ParseArgs(fn, opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	site := tfimpl.CallerSite()
	t, err := floatTensor(fn, "x", x, tf.Invalid, site)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	args := map[string]any{"mean": mean, "variance": variance, "offset": offset, "scale": scale}
	ts := map[string]*tf.Tensor{}
	for _, k := range []string{"mean", "variance", "offset", "scale"} {
		if args[k] == nil {
			if k == "mean" || k == "variance" {
				return tfimpl.ErrTensor(errors.Errorf("%s at %s: %s is nil", fn, site, k))
			}
			continue
		}
		v, err := floatTensor(fn, k, args[k], t.DType(), site)
		if err != nil {
			return tfimpl.ErrTensor(err)
		}
		ts[k] = v
	}
	defer t.Graph().NameScope(scopeOr(a.Name(), "batchnorm"))()
	inv := tf.Rsqrt(tf.Add(ts["variance"], varianceEpsilon))
	if s := ts["scale"]; s != nil {
		inv = tf.Mul(inv, s)
	}
	var shift *tf.Tensor
	if o := ts["offset"]; o != nil {
		shift = tf.Sub(o, tf.Mul(ts["mean"], inv))
	} else {
		shift = tf.Neg(tf.Mul(ts["mean"], inv))
	}
	return tf.Add(tf.Mul(t, inv), shift)
}

// WeightedCrossEntropyWithLogits is SigmoidCrossEntropyWithLogits with
// the positive targets' term weighted by posWeight
// (tf.nn.weighted_cross_entropy_with_logits(targets, logits, pos_weight)):
// (1 - z)·x + (1 + (q - 1)·z)·(log(1 + exp(-|x|)) + max(-x, 0)) for
// targets z, logits x and pos_weight q, as TF computes it stably, in a
// name scope "logistic_loss". targets and logits must have one shape;
// posWeight is a number or a tensor broadcasting against them.
// Options: tf.Name.
func WeightedCrossEntropyWithLogits(targets, logits, posWeight any, opts ...tf.Option) *tf.Tensor {
	const fn = "nn.WeightedCrossEntropyWithLogits"
	a, err := tfimpl.ParseArgs(fn, opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	site := tfimpl.CallerSite()
	x, z, err := predictionAndTargets(fn, "logits", logits, targets, site)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	q, err := floatTensor(fn, "pos_weight", posWeight, x.DType(), site)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	defer x.Graph().NameScope(scopeOr(a.Name(), "logistic_loss"))()
	logWeight := tf.Add(1, tf.Mul(tf.Sub(q, 1), z))
	soft := tf.Add(tf.Log1p(tf.Exp(tf.Neg(tf.Abs(x)))), tf.Relu(tf.Neg(x)))
	return tf.Add(tf.Mul(tf.Sub(1, z), x), tf.Mul(logWeight, soft))
}

// LogPoissonLoss returns the negative log-likelihood of targets under a
// Poisson distribution of log-rate logInput (tf.nn.log_poisson_loss):
// exp(c) - c·z for log_input c and targets z, plus, with
// tf.ComputeFullLoss(true), Stirling's approximation of log(z!),
// z·log(z) - z + 0.5·log(2πz), where z > 1 (0 for z in [0, 1]), in a name
// scope "log_poisson_loss". targets and logInput must have one shape.
// Options: tf.ComputeFullLoss (default false), tf.Name.
func LogPoissonLoss(targets, logInput any, opts ...tf.Option) *tf.Tensor {
	const fn = "nn.LogPoissonLoss"
	a, err := tfimpl.ParseArgs(fn, opts, "name", "compute_full_loss")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	c, z, err := predictionAndTargets(fn, "log_input", logInput, targets, tfimpl.CallerSite())
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	defer c.Graph().NameScope(scopeOr(a.Name(), "log_poisson_loss"))()
	result := tf.Sub(tf.Exp(c), tf.Mul(c, z))
	if !a.Bool("compute_full_loss", false) {
		return result
	}
	stirling := tf.Add(tf.Sub(tf.Mul(z, tf.Log(z)), z), tf.Mul(0.5, tf.Log(tf.Mul(2*math.Pi, z))))
	zeros, ones := tf.ZerosLike(z), tf.OnesLike(z)
	cond := tf.LogicalAnd(tf.GreaterEqual(z, zeros), tf.LessEqual(z, ones))
	return tf.Add(result, tf.Where(cond, zeros, stirling))
}
