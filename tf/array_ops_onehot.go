package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- OneHot ----

// oneHotAxis resolves OneHot's axis against the indices' rank: the
// position of the depth axis in the output.
func oneHotAxis(axis, rank int) (int, error) {
	if axis < -1 || axis > rank {
		return 0, errors.Errorf("Expected axis to be -1 or between [0, %d]. But received: %d (indices have rank %d)", rank, axis, rank)
	}
	if axis == -1 {
		return rank, nil
	}
	return axis, nil
}

var oneHotDef = &OpDef{
	Type: "OneHot",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		ix, on, off := in[0], in[1], in[2]
		if !ix.DType.IsInteger() {
			return nil, errors.Errorf("indices have dtype %s; want int32 or int64", ix.DType)
		}
		if on.DType != off.DType {
			return nil, errors.Errorf("dtype %s of on_value does not match dtype %s of off_value", on.DType, off.DType)
		}
		if on.DType == String || on.DType == Invalid {
			return nil, errors.Errorf("on_value and off_value have dtype %s; want a number or bool", on.DType)
		}
		for i, s := range []Spec{on, off} {
			if s.Shape != nil && len(s.Shape) != 0 {
				return nil, errors.Errorf("%s has shape %v; want a scalar", [...]string{"on_value", "off_value"}[i], s.Shape)
			}
		}
		depth := a.Int("depth", 0)
		if fa, ok := a["fold"].(*foldArgs); ok {
			if d := in[fa.first]; !d.DType.IsInteger() || (d.Shape != nil && len(d.Shape) != 0) {
				return nil, errors.Errorf("depth is %s; want an int32 scalar", d)
			}
			depth = None
			if vals, kn, ok, err := fa.values(in); err != nil {
				return nil, err
			} else if ok && (kn[0] == nil || kn[0][0]) {
				if depth = kernels.Ints(backing(vals[0]))[0]; depth < 0 {
					return nil, errors.Errorf("depth must be non-negative, got: %d", depth)
				}
			}
		}
		if ix.Shape == nil {
			return []Spec{{DType: on.DType}}, nil
		}
		pos, err := oneHotAxis(a.Int("axis", -1), len(ix.Shape))
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: on.DType, Shape: insertDim(ix.Shape, pos, depth)}}, nil
	},
	Kernel: func(c *KernelContext) error {
		ix := c.In[0]
		is := []int(ix.Shape())
		pos, _ := oneHotAxis(c.Op.attrs.Int("axis", -1), len(is))
		idx := kernels.Ints(backing(ix))
		depth := c.Op.attrs.Int("depth", 0)
		if fa, ok := c.Op.attrs["fold"].(*foldArgs); ok {
			depth = kernels.Ints(backing(c.In[fa.first]))[0]
		}
		kernels.OneHot(backing(c.AllocUninit(0)), idx, kernels.Numel(is[:pos]), depth,
			kernels.Numel(is[pos:]), backing(c.In[1]), backing(c.In[2])) // every element written
		return nil
	},
	// TF's _OneHotGrad: no gradient to any input.
	Grad: func(op *Operation, dy []*Tensor) []*Tensor { return make([]*Tensor, len(op.inputs)) },
}

// argDType returns the dtype v has as an op argument: a tensor's or
// variable's own, a Go value's as ConvertToTensor types it.
func argDType(v any) (DType, error) {
	switch x := v.(type) {
	case *Tensor:
		if x == nil {
			return Invalid, errors.New("a nil *tf.Tensor")
		}
		if x.err != nil {
			return Invalid, x.err
		}
		return x.spec.DType, nil
	case *Variable:
		if x == nil {
			return Invalid, errors.New("a nil *tf.Variable")
		}
		if x.err != nil {
			return Invalid, x.err
		}
		return x.dtype, nil
	}
	d, err := convertToTensor(v, Invalid)
	if err != nil {
		return Invalid, err
	}
	return DTypeOf(d.Dtype()), nil
}

func isTensorArg(v any) bool {
	switch v.(type) {
	case *Tensor, *Variable:
		return true
	}
	return false
}

// OneHot returns the one-hot encoding of indices (tf.one_hot(indices,
// depth, on_value, off_value, axis, dtype)): the result has a new axis of
// size depth at axis (default -1, the last; valid: -1 and [0, rank]),
// holding on_value at position indices[j] and off_value elsewhere; an index
// outside [0, depth) gives off_value only, as TF's. indices are int32 or
// int64 (Go ints become int32). depth is a Go integer, or an integer
// scalar tensor computed from constants and tensor shapes (gorgoflow
// decides shapes before a run).
//
// The dtype follows TF: WithDType if given, else on_value's dtype, else
// off_value's, else float32; on_value defaults to 1 and off_value to 0. A
// tensor on_value or off_value must have the dtype (TF's "dtype ... of
// on_value does not match"); Go values are converted to it. Not
// differentiable (TF's gradient of OneHot is None).
//
// Options: OnValue, OffValue, Axis (one axis), WithDType, Name.
func OneHot(indices any, depth any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.OneHot", opts, "on_value", "off_value", "axis", "dtype", "name")
	if err != nil {
		return errorTensor(err)
	}
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.OneHot at %s", site)) }
	attrs := Attrs{}
	var depthT *Tensor
	if t, ok := depth.(*Tensor); ok && t != nil && t.err == nil && t.op.def != constDef {
		depthT = t
	} else {
		n, dt, err := constScalar(depth, "depth")
		if err != nil {
			return fail(err)
		}
		if !dt.IsInteger() {
			return fail(errors.Errorf("depth has dtype %s; want an integer", dt))
		}
		if n < 0 {
			return fail(errors.Errorf("depth must be non-negative, got: %v", n))
		}
		attrs["depth"] = int(n)
	}
	axis := -1
	if o.given["axis"] {
		if len(o.axes) != 1 {
			return fail(errors.Errorf("Axis gives %d axes %v; want exactly one", len(o.axes), o.axes))
		}
		axis = o.axes[0]
	}
	on, off := o.arr.on, o.arr.off
	dtype := o.dtype
	if on != nil || off != nil {
		for _, x := range []struct {
			v    any
			what string
		}{{on, "on_value"}, {off, "off_value"}} {
			if x.v == nil {
				continue
			}
			dt, err := argDType(x.v)
			if err != nil {
				return fail(errors.Wrap(err, x.what))
			}
			switch {
			case dtype == Invalid:
				dtype = dt
			case isTensorArg(x.v) && dt != dtype:
				if o.given["dtype"] {
					return fail(errors.Errorf("dtype %s of %s does not match dtype parameter %s", dt, x.what, dtype))
				}
				return fail(errors.Errorf("dtype %s of %s does not match dtype %s of on_value", dt, x.what, dtype))
			}
		}
	} else if dtype == Invalid {
		dtype = Float32
	}
	if on == nil {
		on = 1
		if dtype == Bool {
			on = true
		}
	}
	if off == nil {
		off = 0
		if dtype == Bool {
			off = false
		}
	}
	indices, err = indexInput(indices, indices)
	if err != nil {
		return fail(errors.Wrap(err, "indices"))
	}
	if on, err = scalarInput(on, dtype, indices, "on_value"); err != nil {
		return fail(err)
	}
	if off, err = scalarInput(off, dtype, indices, "off_value"); err != nil {
		return fail(err)
	}
	attrs["axis"] = axis
	in := []any{indices, on, off}
	if depthT != nil {
		g, err := pickGraph(OpSpec{Def: oneHotDef, Inputs: []any{indices, depthT}})
		if err != nil {
			return fail(err)
		}
		var fa *foldArgs
		if in, fa, err = foldInputs(g, in, []any{depthT}, []DType{Invalid}, []string{"depth"}); err != nil {
			return fail(err)
		}
		attrs["fold"] = fa
	}
	return AddOp(OpSpec{Def: oneHotDef, Name: o.name, Inputs: in, Attrs: attrs}).Output(0)
}

// ---- SequenceMask ----

// SequenceMask returns a mask of the first lengths[i] positions of rows of
// width maxlen (tf.sequence_mask(lengths, maxlen, dtype)):
// result[i..., j] = j < lengths[i...], of shape lengths.shape + [maxlen].
// Built as TF builds it: Range(0, maxlen) < Cast(ExpandDims(lengths, -1)),
// cast to dtype (default bool), under the name scope "SequenceMask".
//
// Maxlen is a Go integer or an integer tensor computed from constants and
// tensor shapes (tf.sequence_mask(lengths, tf.shape(x)[1]) is
// tf.SequenceMask(lengths, tf.Maxlen(tf.Index(tf.ShapeOf(x), "1")))).
// Without it the width is max(lengths), which must then be known when the
// graph is built (lengths a Go value or a tf.Constant): gorgoflow decides
// shapes before a run, so for lengths fed at run time give Maxlen. lengths
// are numbers (Go ints become int32), cast to maxlen's dtype (int32 for a
// Go integer) as TF casts them.
//
// Options: Maxlen, WithDType, Name.
func SequenceMask(lengths any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.SequenceMask", opts, "maxlen", "dtype", "name")
	if err != nil {
		return errorTensor(err)
	}
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.SequenceMask at %s", site)) }
	dtype := Bool
	if o.given["dtype"] {
		dtype = o.dtype
	}
	if dtype == Invalid || dtype == String {
		return fail(errors.Errorf("dtype %s; want a number type or bool", dtype))
	}
	ldt, err := argDType(lengths)
	if err != nil {
		return fail(errors.Wrap(err, "lengths"))
	}
	if !ldt.IsNumeric() {
		return fail(errors.Errorf("lengths have dtype %s; want a number type", ldt))
	}
	var maxlen any
	mdt := Int32
	if o.given["maxlen"] {
		switch m := o.arr.maxlen.(type) {
		case *Tensor:
			if m == nil || m.err != nil {
				return fail(errors.Wrap(constValueErr(m), "maxlen"))
			}
			if !m.spec.DType.IsInteger() {
				return fail(errors.Errorf("maxlen has dtype %s; want int32 or int64", m.spec.DType))
			}
			if _, err := newShapeFold(m, "maxlen"); err != nil {
				return fail(err)
			}
			maxlen, mdt = m, m.spec.DType
		default:
			n, dt, err := constScalar(m, "maxlen")
			if err != nil {
				return fail(err)
			}
			if !dt.IsInteger() {
				return fail(errors.Errorf("maxlen has dtype %s; want an integer", dt))
			}
			if n < 0 {
				return fail(errors.Errorf("maxlen %v is negative", n))
			}
			maxlen = int(n)
		}
	} else {
		d, err := constValue(lengths, Invalid, "lengths")
		if err != nil {
			return fail(errors.Wrap(err, "maxlen not given (its default is max(lengths))"))
		}
		n := 0
		for _, v := range float64s(d) {
			if int(v) > n {
				n = int(v)
			}
		}
		maxlen = n
		mdt = ldt
		if !mdt.IsInteger() {
			mdt = Int32
		}
	}
	g, err := pickGraph(OpSpec{Def: identityDef, Inputs: []any{lengths}})
	if err != nil {
		return fail(err)
	}
	scope := o.name
	if scope == "" {
		scope = "SequenceMask"
	}
	defer g.NameScope(scope)()
	var row *Tensor
	if n, ok := maxlen.(int); ok {
		row = AddOp(OpSpec{Def: rangeDef, Name: "Range", Graph: g, Attrs: Attrs{"start": 0.0, "limit": float64(n), "delta": 1.0, "dtype": mdt}}).Output(0)
	} else if row, err = rangeOp("Range", [3]any{0, maxlen, 1}, mdt); err != nil {
		return fail(err)
	}
	matrix := ExpandDims(lengths, -1)
	if matrix.DType() != mdt {
		matrix = Cast(matrix, mdt)
	}
	mask := Less(row, matrix)
	if dtype != Bool {
		mask = Cast(mask, dtype)
	}
	if mask.err != nil {
		return fail(mask.err)
	}
	return mask
}
