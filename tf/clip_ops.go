package tf

import (
	"github.com/pkg/errors"
)

// ClipByValue returns t with every element clipped to [clipMin, clipMax]
// (tf.clip_by_value): minimum(maximum(t, clipMin), clipMax), whose
// gradient passes where t lies inside the range. The bounds are Go numbers
// or tensors that broadcast to t.
//
// Options: Name (default "clip_by_value", a name scope).
func ClipByValue(t, clipMin, clipMax any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.ClipByValue", opts)
	if err != nil {
		return errorTensor(err)
	}
	x, err := clipInput("tf.ClipByValue", t)
	if err != nil {
		return errorTensor(err)
	}
	if name == "" {
		name = "clip_by_value"
	}
	defer x.g.NameScope(name)()
	return Maximum(Minimum(x, clipMax), clipMin)
}

// ClipByNorm returns t * clipNorm / max(l2norm(t), clipNorm)
// (tf.clip_by_norm): t unchanged when its L2 norm is at most clipNorm, else
// scaled down to norm clipNorm. With Axis, norms are taken along those axes
// only (each slice clipped apart).
//
// Options: Axis, Name (default "clip_by_norm").
func ClipByNorm(t any, clipNorm float64, opts ...Option) *Tensor {
	o, err := parseOptions("tf.ClipByNorm", opts, "axis", "name")
	if err != nil {
		return errorTensor(err)
	}
	x, err := clipInput("tf.ClipByNorm", t)
	if err != nil {
		return errorTensor(err)
	}
	name := o.name
	if name == "" {
		name = "clip_by_norm"
	}
	defer x.g.NameScope(name)()
	var ropts []Option
	if o.given["axis"] {
		ropts = append(ropts, Axis(o.axes...))
	}
	ropts = append(ropts, KeepDims(true))
	// As TF: a norm of zero gives no NaN in the gradient.
	l2sum := ReduceSum(Mul(x, x), ropts...)
	pred := Greater(l2sum, 0)
	safe := Where(pred, l2sum, OnesLike(l2sum))
	l2norm := Where(pred, Sqrt(safe), l2sum)
	return Div(Mul(x, clipNorm), Maximum(l2norm, clipNorm))
}

// GlobalNorm returns sqrt(sum of the squares of every element of every
// tensor) (tf.global_norm). Nil entries are skipped. For a sparse gradient
// (IndexedSlicesOf gives its parts) the values count, as in TF: a row
// listed twice counts twice, and nothing is made dense.
func GlobalNorm(ts []*Tensor, opts ...Option) *Tensor {
	name, err := nameOnly("tf.GlobalNorm", opts)
	if err != nil {
		return errorTensor(err)
	}
	var sums []any
	var g *Graph
	for i, t := range ts {
		if t == nil {
			continue
		}
		if t.err != nil {
			return t
		}
		if !t.spec.DType.IsFloating() {
			return errorTensor(errors.Errorf("tf.GlobalNorm at %s: tensor %d (%q) has dtype %s, want a floating type", callerSite(), i, t.Name(), t.spec.DType))
		}
		g = t.g
		sums = append(sums, t)
	}
	if len(sums) == 0 {
		return errorTensor(errors.Errorf("tf.GlobalNorm at %s: no tensors given", callerSite()))
	}
	if name == "" {
		name = "global_norm"
	}
	defer g.NameScope(name)()
	for i, t := range sums {
		x := t.(*Tensor)
		if s := IndexedSlicesOf(x); s != nil {
			x = s.Values
		}
		sums[i] = ReduceSum(Mul(x, x))
	}
	dt := sums[0].(*Tensor).spec.DType
	for i, s := range sums {
		if s.(*Tensor).spec.DType != dt {
			sums[i] = Cast(s, dt)
		}
	}
	return Sqrt(AddN(sums...))
}

// ClipByGlobalNorm scales every tensor of ts by clipNorm /
// max(globalNorm, clipNorm), where globalNorm = GlobalNorm(ts)
// (tf.clip_by_global_norm). It returns the clipped tensors (nil where ts
// holds nil) and the global norm before clipping. A sparse gradient stays
// sparse, as in TF: its values are scaled and its indices kept, so that
// optimizers still update only its rows.
//
// Options: Name (default "clip_by_global_norm").
func ClipByGlobalNorm(ts []*Tensor, clipNorm float64, opts ...Option) ([]*Tensor, *Tensor) {
	name, err := nameOnly("tf.ClipByGlobalNorm", opts)
	if err != nil {
		return nil, errorTensor(err)
	}
	norm := GlobalNorm(ts)
	if norm.err != nil {
		return nil, norm
	}
	if name == "" {
		name = "clip_by_global_norm"
	}
	defer norm.g.NameScope(name)()
	// scale = clip_norm * min(1/global_norm, 1/clip_norm), as TF.
	scale := Mul(clipNorm, Minimum(Div(1.0, norm), 1/clipNorm))
	out := make([]*Tensor, len(ts))
	for i, t := range ts {
		if t == nil {
			continue
		}
		s := scale
		if t.spec.DType != s.spec.DType {
			s = Cast(s, t.spec.DType)
		}
		if sp := IndexedSlicesOf(t); sp != nil {
			out[i] = sp.withValues(Identity(Mul(sp.Values, s)))
			continue
		}
		out[i] = Identity(Mul(t, s))
	}
	return out, norm
}

func clipInput(fn string, t any) (*Tensor, error) {
	switch x := t.(type) {
	case *Tensor:
		if x == nil {
			return nil, errors.Errorf("%s at %s: t is a nil *tf.Tensor", fn, callerSite())
		}
		return x, x.err
	case *Variable:
		if x == nil {
			return nil, errors.Errorf("%s at %s: t is a nil *tf.Variable", fn, callerSite())
		}
		return x.value, x.err
	}
	return nil, errors.Errorf("%s at %s: t is a %T; give a *tf.Tensor or *tf.Variable", fn, callerSite(), t)
}
