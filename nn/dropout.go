package nn

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Dropout keeps each element of x with probability keepProb, scaled by
// 1/keepProb, and zeroes the others (tf.nn.dropout(x, keep_prob,
// noise_shape, seed)): x/keep·floor(keep + U[0,1)), as TF 1.x computes it,
// new flags drawn at every Run. keepProb is a number in (0, 1] (1 returns x
// unchanged, as TF) or a scalar floating-point tensor, such as a
// tf.PlaceholderWithDefault fed 0.5 while training. x's shape may hold
// None: the flags take its shape at Run time. The gradient is the same
// flags scaled by 1/keep.
//
// Options: tf.NoiseShape (default x's shape: one flag per element; a
// dimension of 1 shares a flag along it), tf.Seed, tf.Name.
func Dropout(x any, keepProb any, opts ...tf.Option) *tf.Tensor {
	const fn = "nn.Dropout"
	a, err := tfimpl.ParseArgs(fn, opts, "noise_shape", "seed", "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	xt, ok := x.(*tf.Tensor)
	if !ok {
		xt = tf.Identity(x)
	}
	if xt == nil {
		return tfimpl.ErrTensor(errors.Errorf("%s at %s: x is a nil *tf.Tensor", fn, callsite.User()))
	}
	if xt.Err() != nil {
		return xt
	}
	if !xt.DType().IsFloating() {
		return tfimpl.ErrTensor(errors.Errorf("%s at %s: x %q has dtype %s; want float32 or float64", fn, callsite.User(), xt.Name(), xt.DType()))
	}
	var keep any
	switch k := keepProb.(type) {
	case float64, float32, int:
		v := toFloat(k)
		if !(v > 0 && v <= 1) {
			return tfimpl.ErrTensor(errors.Errorf("%s at %s: keep_prob must be a scalar tensor or a float in the range (0, 1], got %v", fn, callsite.User(), v))
		}
		if v == 1 {
			return xt
		}
		keep = v
	case *tf.Tensor:
		if k == nil {
			return tfimpl.ErrTensor(errors.Errorf("%s at %s: keep_prob is a nil *tf.Tensor", fn, callsite.User()))
		}
		if k.Err() != nil {
			return k
		}
		if s := k.Shape(); !k.DType().IsFloating() || (s != nil && len(s) != 0) {
			return tfimpl.ErrTensor(errors.Errorf("%s at %s: keep_prob %q is %s%v; want a floating-point scalar", fn, callsite.User(), k.Name(), k.DType(), s))
		}
		if k.DType() != xt.DType() {
			k = tf.Cast(k, xt.DType())
		}
		keep = k
	default:
		return tfimpl.ErrTensor(errors.Errorf("%s at %s: keep_prob is a %T; want a number or a scalar *tf.Tensor", fn, callsite.User(), keepProb))
	}
	// The flags' shape: x's, or x sliced to one element along the
	// dimensions the noise shape gives as 1.
	like := xt
	if ns := a.NoiseShape(); ns != nil {
		xs := xt.Shape()
		if xs == nil || len(ns) != len(xs) {
			return tfimpl.ErrTensor(errors.Errorf("%s at %s: noise_shape %v does not have x's rank (x %q has shape %v)", fn, callsite.User(), ns, xt.Name(), xs))
		}
		begin, size := make([]int, len(ns)), make([]int, len(ns))
		for i, d := range ns {
			size[i] = -1
			switch {
			case d == 1 && xs[i] != 1:
				size[i] = 1
			case d < 0 || d == xs[i]:
			default:
				return tfimpl.ErrTensor(errors.Errorf("%s at %s: noise_shape %v is not broadcastable to x's shape %v: dimension %d must be %d (or None) or 1", fn, callsite.User(), ns, xs, i, xs[i]))
			}
		}
		like = tf.Slice(xt, begin, size)
	}
	var ropts []tf.Option
	if seed, ok := a.Seed(); ok {
		ropts = append(ropts, tf.Seed(seed))
	}
	u := tf.RandomUniform(tf.ShapeOf(like), xt.DType(), ropts...)
	var nameOpts []tf.Option
	if a.Name() != "" {
		nameOpts = append(nameOpts, tf.Name(a.Name()))
	}
	return tf.Mul(tf.Div(xt, keep), tf.Floor(tf.Add(keep, u)), nameOpts...)
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float32:
		return float64(x)
	case int:
		return float64(x)
	}
	return v.(float64)
}
