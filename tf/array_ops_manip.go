package tf

import (
	"reflect"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// Array ops that move elements around: Transpose, Stack, Unstack, Concat,
// Slice, Gather, ArgMax, ArgMin, ExpandDims, Squeeze, ShapeOf, Size, Rank.
// Their kernels work for every dtype (float32, float64, int32, int64, bool)
// unless TF restricts it (ArgMax and ArgMin take numbers only).

// ---- shared helpers ----

// normAxis resolves a negative axis against n (the number of valid
// positions) and reports an error naming the given axis and the valid range.
func normAxis(axis, n int, what string) (int, error) {
	a := axis
	if a < 0 {
		a += n
	}
	if a < 0 || a >= n {
		return 0, errors.Errorf("%s %d is out of range [%d, %d)", what, axis, -n, n)
	}
	return a, nil
}

// valueList turns the values argument of Stack and Concat into op inputs:
// []*Tensor, []*Variable, []any or any other Go slice (each element one
// value, as a Python list).
func valueList(fn string, values any) ([]any, error) {
	switch v := values.(type) {
	case []any:
		return v, nil
	case []*Tensor:
		out := make([]any, len(v))
		for i, t := range v {
			out[i] = t
		}
		return out, nil
	case []*Variable:
		out := make([]any, len(v))
		for i, t := range v {
			out[i] = t
		}
		return out, nil
	case nil:
		return nil, errors.Errorf("%s at %s: values is nil; want a slice of tensors", fn, callerSite())
	}
	rv := reflect.ValueOf(values)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, errors.Errorf("%s at %s: values is a %T; want a slice ([]*tf.Tensor, []*tf.Variable or []any)", fn, callerSite(), values)
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

// sameDType checks that all input specs have one dtype.
func sameDType(in []Spec) error {
	for i, s := range in {
		if s.DType != in[0].DType {
			return errors.Errorf("values[%d] has dtype %s but values[0] has dtype %s: all values must have one dtype", i, s.DType, in[0].DType)
		}
	}
	return nil
}

func insertDim(s Shape, axis, d int) Shape {
	out := make(Shape, 0, len(s)+1)
	out = append(out, s[:axis]...)
	out = append(out, d)
	return append(out, s[axis:]...)
}

func removeDim(s Shape, axis int) Shape {
	out := make(Shape, 0, len(s)-1)
	out = append(out, s[:axis]...)
	return append(out, s[axis+1:]...)
}

// ---- Transpose ----

// checkPerm checks that perm is a permutation of [0, rank).
func checkPerm(perm []int, rank int) error {
	if len(perm) != rank {
		return errors.Errorf("perm %v has %d entries but the tensor has rank %d: perm must be a permutation of [0, %d)", perm, len(perm), rank, rank)
	}
	seen := make([]bool, rank)
	for _, p := range perm {
		if p < 0 || p >= rank {
			return errors.Errorf("perm %v holds %d, out of range [0, %d): perm must be a permutation of [0, %d)", perm, p, rank, rank)
		}
		if seen[p] {
			return errors.Errorf("perm %v holds %d twice: perm must be a permutation of [0, %d)", perm, p, rank)
		}
		seen[p] = true
	}
	return nil
}

func reversePerm(rank int) []int {
	p := make([]int, rank)
	for i := range p {
		p[i] = rank - 1 - i
	}
	return p
}

var transposeDef = &OpDef{
	Type: "Transpose",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		perm := a.Ints("perm")
		if x.Shape == nil {
			if perm == nil {
				return []Spec{{DType: x.DType}}, nil
			}
			if err := checkPerm(perm, len(perm)); err != nil {
				return nil, err
			}
			s := make(Shape, len(perm))
			for i := range s {
				s[i] = None
			}
			return []Spec{{DType: x.DType, Shape: s}}, nil
		}
		if perm == nil {
			perm = reversePerm(len(x.Shape))
		}
		if err := checkPerm(perm, len(x.Shape)); err != nil {
			return nil, err
		}
		s := make(Shape, len(perm))
		for i, p := range perm {
			s[i] = x.Shape[p]
		}
		return []Spec{{DType: x.DType, Shape: s}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		perm := c.Op.attrs.Ints("perm")
		if perm == nil {
			perm = reversePerm(len(xs))
		}
		identity := true
		for i, p := range perm {
			if p != i {
				identity = false
			}
		}
		if identity {
			c.Set(0, x)
			return nil
		}
		out := c.AllocUninit(0) // every element written below
		kernels.Transpose(backing(out), out.Shape(), backing(x), xs, perm)
		return nil
	},
}

// Transpose permutes the axes of x (tf.transpose): axis i of the result is
// axis perm[i] of x. A nil perm reverses the axes, as TF's default; perm must
// otherwise be a permutation of [0, rank). The gradient transposes back.
// Options: Name.
func Transpose(x any, perm []int, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Transpose", opts)
	if err != nil {
		return errorTensor(err)
	}
	var p []int
	if perm != nil {
		p = append([]int{}, perm...)
	}
	return AddOp(OpSpec{Def: transposeDef, Name: name, Inputs: []any{x}, Attrs: Attrs{"perm": p}}).Output(0)
}

// ---- Stack (Pack) ----

// mergeShapes merges compatible shapes (nil = unknown rank); what names the
// values in errors.
func mergeShapes(in []Spec) (Shape, error) {
	var s Shape
	first := -1
	for i, sp := range in {
		if sp.Shape == nil {
			continue
		}
		if s == nil {
			s, first = sp.Shape.Clone(), i
			continue
		}
		if len(sp.Shape) != len(s) {
			return nil, errors.Errorf("values[%d] has shape %v (rank %d) but values[%d] has shape %v (rank %d): all values must have one shape", i, sp.Shape, len(sp.Shape), first, in[first].Shape, len(s))
		}
		for d := range s {
			if s[d] >= 0 && sp.Shape[d] >= 0 && s[d] != sp.Shape[d] {
				return nil, errors.Errorf("values[%d] has shape %v but values[%d] has shape %v: all values must have one shape", i, sp.Shape, first, in[first].Shape)
			}
			s[d] = mergeDim(s[d], sp.Shape[d])
		}
	}
	return s, nil
}

var stackDef = &OpDef{
	Type: "Pack",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if len(in) == 0 {
			return nil, errors.New("no values to stack")
		}
		if err := sameDType(in); err != nil {
			return nil, err
		}
		s, err := mergeShapes(in)
		if err != nil {
			return nil, err
		}
		if s == nil {
			return []Spec{{DType: in[0].DType}}, nil
		}
		axis, err := normAxis(a.Int("axis", 0), len(s)+1, "axis")
		if err != nil {
			return nil, errors.Wrapf(err, "cannot stack tensors of shape %v (rank %d)", s, len(s))
		}
		return []Spec{{DType: in[0].DType, Shape: insertDim(s, axis, len(in))}}, nil
	},
	Kernel: func(c *KernelContext) error {
		xs := []int(c.In[0].Shape())
		axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(xs)+1, "axis")
		xds := make([]any, len(c.In))
		for i, x := range c.In {
			xds[i] = backing(x)
		}
		kernels.Stack(backing(c.AllocUninit(0)), xds, xs, axis) // every element written
		return nil
	},
}

// Stack stacks tensors of one shape and dtype into a tensor one rank higher
// (tf.stack): values[i] becomes index i along axis. values is a
// []*tf.Tensor, a []*tf.Variable, or a []any mixing tensors, variables and Go
// values (Go values take the dtype of the first tensor); any other Go slice
// stacks its elements, as a Python list. axis may be negative, counted from
// the end of the result's axes: [-(rank+1), rank+1). Options: Name.
func Stack(values any, axis int, opts ...Option) *Tensor {
	return listOp(stackDef, "tf.Stack", values, axis, opts)
}

// listOp builds an op over a list of values along axis (Stack, Concat).
func listOp(def *OpDef, fn string, values any, axis int, opts []Option) *Tensor {
	name, err := nameOnly(fn, opts)
	if err != nil {
		return errorTensor(err)
	}
	in, err := valueList(fn, values)
	if err != nil {
		return errorTensor(err)
	}
	if len(in) == 0 {
		return errorTensor(errors.Errorf("%s at %s: values is empty; need at least one tensor", fn, callerSite()))
	}
	return AddOp(OpSpec{Def: def, Name: name, Inputs: in, Attrs: Attrs{"axis": axis}}).Output(0)
}

// ---- Unstack (Unpack) ----

var unstackDef = &OpDef{
	Type: "Unpack",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		num := a.Int("num", -1)
		if x.Shape == nil {
			if num < 0 {
				return nil, errors.New("Cannot infer num from shape <unknown>: the rank is unknown; give tf.Num")
			}
			out := make([]Spec, num)
			for i := range out {
				out[i] = Spec{DType: x.DType}
			}
			return out, nil
		}
		axis, err := normAxis(a.Int("axis", 0), len(x.Shape), "axis")
		if err != nil {
			return nil, errors.Wrapf(err, "cannot unstack a tensor of shape %v (rank %d)", x.Shape, len(x.Shape))
		}
		d := x.Shape[axis]
		switch {
		case num < 0 && d < 0:
			return nil, errors.Errorf("Cannot infer num from shape %v: axis %d is None; give tf.Num", x.Shape, axis)
		case num < 0:
			num = d
		case d >= 0 && d != num:
			return nil, errors.Errorf("Input shape axis %d must equal %d (num), got shape %v", axis, num, x.Shape)
		}
		s := removeDim(x.Shape, axis)
		out := make([]Spec, num)
		for i := range out {
			out[i] = Spec{DType: x.DType, Shape: s.Clone()}
		}
		return out, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(xs), "axis")
		outs := make([]any, xs[axis])
		for i := range outs {
			outs[i] = backing(c.AllocUninit(i)) // every element written below
		}
		kernels.Unstack(outs, backing(x), xs, axis)
		return nil
	},
}

// Unstack splits x along axis into rank-1 lower tensors (tf.unstack):
// result i is x's slice at index i of axis. The number of results is
// x's dimension along axis, which must be known when the graph is built
// (TF's "Cannot infer num from shape") unless the Num option gives it.
// axis may be negative: [-rank, rank). When the op cannot be built, the
// result holds one tensor carrying the error. Options: Num, Name.
func Unstack(x any, axis int, opts ...Option) []*Tensor {
	o, err := parseOptions("tf.Unstack", opts, "num", "name")
	if err != nil {
		return []*Tensor{errorTensor(err)}
	}
	num := -1
	if o.given["num"] {
		if o.num < 0 {
			return []*Tensor{errorTensor(errors.Errorf("tf.Unstack at %s: num %d is negative", callerSite(), o.num))}
		}
		num = o.num
	}
	op := AddOp(OpSpec{Def: unstackDef, Name: o.name, Inputs: []any{x}, Attrs: Attrs{"axis": axis, "num": num}})
	if op.err != nil {
		return []*Tensor{op.Output(0)}
	}
	return append([]*Tensor(nil), op.outputs...)
}

// ---- Concat (ConcatV2) ----

var concatDef = &OpDef{
	Type: "ConcatV2",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if len(in) == 0 {
			return nil, errors.New("no values to concatenate")
		}
		if err := sameDType(in); err != nil {
			return nil, err
		}
		rank, first := -1, -1
		for i, s := range in {
			if s.Shape == nil {
				continue
			}
			if rank < 0 {
				rank, first = len(s.Shape), i
			} else if len(s.Shape) != rank {
				return nil, errors.Errorf("values[%d] has shape %v (rank %d) but values[%d] has shape %v (rank %d): all values must have one rank", i, s.Shape, len(s.Shape), first, in[first].Shape, rank)
			}
		}
		if rank < 0 {
			return []Spec{{DType: in[0].DType}}, nil
		}
		if rank == 0 {
			return nil, errors.New("can't concatenate scalars (use tf.Stack instead)")
		}
		axis, err := normAxis(a.Int("axis", 0), rank, "axis")
		if err != nil {
			return nil, errors.Wrapf(err, "cannot concatenate tensors of rank %d", rank)
		}
		out := make(Shape, rank)
		for d := range out {
			out[d] = None
		}
		out[axis] = 0
		for i, s := range in {
			if s.Shape == nil {
				out[axis] = None
				continue
			}
			for d, v := range s.Shape {
				if d == axis {
					if v < 0 || out[axis] < 0 {
						out[axis] = None
					} else {
						out[axis] += v
					}
					continue
				}
				if out[d] >= 0 && v >= 0 && out[d] != v {
					return nil, errors.Errorf("dimension %d of values[%d] (shape %v) is %d but an earlier value has %d: all dimensions but axis %d must be equal", d, i, s.Shape, v, out[d], axis)
				}
				out[d] = mergeDim(out[d], v)
			}
		}
		return []Spec{{DType: in[0].DType, Shape: out}}, nil
	},
	Kernel: func(c *KernelContext) error {
		out := c.AllocUninit(0) // every element written below
		os := []int(out.Shape())
		axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(os), "axis")
		xds, ss := make([]any, len(c.In)), make([][]int, len(c.In))
		for i, x := range c.In {
			xds[i], ss[i] = backing(x), x.Shape()
		}
		kernels.Concat(backing(out), os, xds, ss, axis)
		return nil
	},
}

// concatGradDef splits dy (input 0) into pieces shaped as inputs 1..n along
// the attr axis: the gradient of Concat.
var concatGradDef = &OpDef{
	Type: "ConcatGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		out := make([]Spec, len(in)-1)
		for i := range out {
			out[i] = Spec{DType: in[0].DType, Shape: in[i+1].Shape}
		}
		return out, nil
	},
	Kernel: func(c *KernelContext) error {
		dy := c.In[0]
		ds := []int(dy.Shape())
		axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(ds), "axis")
		outs, ss := make([]any, len(c.OutSpecs)), make([][]int, len(c.OutSpecs))
		for i, sp := range c.OutSpecs {
			outs[i], ss[i] = backing(c.AllocUninit(i)), sp.Shape // every element written below
		}
		kernels.Split(outs, ss, backing(dy), ds, axis)
		return nil
	},
}

// Concat joins tensors along an existing axis (tf.concat): all values have
// one rank and dtype and agree on every dimension but axis. values is taken
// as by Stack. axis may be negative: [-rank, rank). Options: Name.
func Concat(values any, axis int, opts ...Option) *Tensor {
	return listOp(concatDef, "tf.Concat", values, axis, opts)
}

// ---- Slice ----

// sliceShape checks begin and size against a shape (nil = unknown rank) and
// returns the result's shape.
func sliceShape(s Shape, begin, size []int) (Shape, error) {
	if len(begin) != len(size) {
		return nil, errors.Errorf("begin %v has %d entries but size %v has %d: they must have one entry per dimension", begin, len(begin), size, len(size))
	}
	if s != nil && len(begin) != len(s) {
		return nil, errors.Errorf("begin %v and size %v have %d entries but the tensor has shape %v (rank %d): they must have one entry per dimension", begin, size, len(begin), s, len(s))
	}
	out := make(Shape, len(begin))
	for i := range begin {
		dim := None
		if s != nil {
			dim = s[i]
		}
		if begin[i] < 0 || (dim >= 0 && begin[i] > dim) {
			if dim >= 0 {
				return nil, errors.Errorf("expected begin[%d] in [0, %d] for shape %v, but got %d", i, dim, s, begin[i])
			}
			return nil, errors.Errorf("expected begin[%d] >= 0, but got %d", i, begin[i])
		}
		switch {
		case size[i] == -1:
			if dim >= 0 {
				out[i] = dim - begin[i]
			} else {
				out[i] = None
			}
		case size[i] < -1:
			return nil, errors.Errorf("size[%d] is %d: sizes must be >= 0, or -1 for all remaining elements", i, size[i])
		case dim >= 0 && begin[i]+size[i] > dim:
			return nil, errors.Errorf("expected size[%d] in [0, %d] for shape %v and begin[%d] = %d, but got %d", i, dim-begin[i], s, i, begin[i], size[i])
		default:
			out[i] = size[i]
		}
	}
	return out, nil
}

var sliceDef = &OpDef{
	Type: "Slice",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		s, err := sliceShape(in[0].Shape, a.Ints("begin"), a.Ints("size"))
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: in[0].DType, Shape: s}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		out := c.AllocUninit(0) // every element written below
		kernels.RegionCopy(backing(x), x.Shape(), backing(out), c.OutSpecs[0].Shape, c.Op.attrs.Ints("begin"), true)
		return nil
	},
}

// sliceGradDef places dy (input 0) into zeros shaped as x (input 1) at the
// attr begin: the gradient of Slice.
var sliceGradDef = &OpDef{
	Type: "SliceGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		dy := c.In[0]
		out := c.Alloc(0) // zeros outside the region
		kernels.RegionCopy(backing(out), out.Shape(), backing(dy), dy.Shape(), c.Op.attrs.Ints("begin"), false)
		return nil
	},
}

// Slice extracts the block of x that starts at begin and has size
// elements along each axis (tf.slice; the name Slice is taken by the kernel
// helper). size[i] = -1 takes every element from begin[i] to the end of
// axis i. begin and size have one entry per axis of x. Options: Name.
func Slice(x any, begin, size []int, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Slice", opts)
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: sliceDef, Name: name, Inputs: []any{x}, Attrs: Attrs{
		"begin": append([]int{}, begin...), "size": append([]int{}, size...)}}).Output(0)
}

// ---- Gather (GatherV2) ----

var gatherDef = &OpDef{
	Type: "GatherV2",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		p, ix := in[0], in[1]
		if !ix.DType.IsInteger() {
			return nil, errors.Errorf("indices have dtype %s; want int32 or int64", ix.DType)
		}
		if p.Shape == nil || ix.Shape == nil {
			return []Spec{{DType: p.DType}}, nil
		}
		axis, err := normAxis(a.Int("axis", 0), len(p.Shape), "axis")
		if err != nil {
			return nil, errors.Wrapf(err, "cannot gather from params of shape %v (rank %d)", p.Shape, len(p.Shape))
		}
		s := append(append(append(Shape{}, p.Shape[:axis]...), ix.Shape...), p.Shape[axis+1:]...)
		return []Spec{{DType: p.DType, Shape: s}}, nil
	},
	Kernel: func(c *KernelContext) error {
		p, ix := c.In[0], c.In[1]
		ps := []int(p.Shape())
		axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(ps), "axis")
		n := ps[axis]
		idx := kernels.Ints(backing(ix))
		if err := kernels.CheckIndices(idx, ix.Shape(), n); err != nil {
			return err
		}
		kernels.Gather(backing(c.AllocUninit(0)), backing(p), ps, axis, idx) // every element written
		return nil
	},
}

// gatherGradDef scatter-adds dy (input 0) into zeros shaped as params
// (input 1) at indices (input 2): the gradient of Gather w.r.t. params.
var gatherGradDef = &OpDef{
	Type: "GatherGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		dy, ix := c.In[0], c.In[2]
		out := c.Alloc(0) // scatter-added into
		ps := []int(out.Shape())
		axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(ps), "axis")
		idx := kernels.Ints(backing(ix))
		if err := kernels.CheckIndices(idx, ix.Shape(), ps[axis]); err != nil {
			return err
		}
		if !kernels.ScatterAdd(backing(out), ps, axis, idx, backing(dy)) {
			return errors.Errorf("gradient of Gather needs a floating-point type, got %s", c.OutSpecs[0].DType)
		}
		return nil
	},
}

// Gather takes slices of params along an axis at indices (tf.gather): the
// result has shape params.shape[:axis] + indices.shape +
// params.shape[axis+1:]. indices are int32 or int64 (Go ints become int32);
// an index outside [0, params.shape[axis]) is an error at Run time naming it
// and the valid range, as on TF's CPU. The gradient flows to params only
// (scatter-added, so repeated indices accumulate); along axis 0 it is an
// IndexedSlices (see IndexedSlicesOf), made dense only where read densely.
// Options: Axis (one axis, default 0, may be negative), Name.
func Gather(params, indices any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.Gather", opts, "axis", "name")
	if err != nil {
		return errorTensor(err)
	}
	axis := 0
	if o.given["axis"] {
		if len(o.axes) != 1 {
			return errorTensor(errors.Errorf("tf.Gather at %s: Axis gives %d axes %v; want exactly one", callerSite(), len(o.axes), o.axes))
		}
		axis = o.axes[0]
	}
	// Go values for indices keep their own integer type rather than
	// taking params' dtype.
	indices, err = indexInput(params, indices)
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.Gather at %s: indices", callerSite()))
	}
	return AddOp(OpSpec{Def: gatherDef, Name: o.name, Inputs: []any{params, indices}, Attrs: Attrs{"axis": axis}}).Output(0)
}

// ---- ArgMax, ArgMin ----

func argExtremeDef(typ string, isMax bool) *OpDef {
	return &OpDef{
		Type: typ,
		Infer: func(a Attrs, in []Spec) ([]Spec, error) {
			x := in[0]
			if !x.DType.IsNumeric() {
				return nil, errors.Errorf("dtype %s is not numeric", x.DType)
			}
			dt := a["output_type"].(DType)
			if x.Shape == nil {
				return []Spec{{DType: dt}}, nil
			}
			axis, err := normAxis(a.Int("axis", 0), len(x.Shape), "axis")
			if err != nil {
				return nil, errors.Wrapf(err, "for input of shape %v (rank %d)", x.Shape, len(x.Shape))
			}
			return []Spec{{DType: dt, Shape: removeDim(x.Shape, axis)}}, nil
		},
		Kernel: func(c *KernelContext) error {
			x := c.In[0]
			xs := []int(x.Shape())
			axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(xs), "axis")
			if xs[axis] == 0 && kernels.Numel(c.OutSpecs[0].Shape) > 0 {
				return errors.Errorf("reduction axis %d is empty in shape %v", axis, Shape(xs))
			}
			kernels.ArgExtreme(backing(c.AllocUninit(0)), backing(x), xs, axis, isMax) // every element written
			return nil
		},
		Grad: func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{nil} },
	}
}

var (
	argMaxDef = argExtremeDef("ArgMax", true)
	argMinDef = argExtremeDef("ArgMin", false)
)

func argOp(def *OpDef, fn string, x any, axis int, opts []Option) *Tensor {
	o, err := parseOptions(fn, opts, "output_type", "name")
	if err != nil {
		return errorTensor(err)
	}
	dt := Int64
	if o.given["output_type"] {
		if !o.outType.IsInteger() {
			return errorTensor(errors.Errorf("%s at %s: output_type %s; want int32 or int64", fn, callerSite(), o.outType))
		}
		dt = o.outType
	}
	return AddOp(OpSpec{Def: def, Name: o.name, Inputs: []any{x}, Attrs: Attrs{"axis": axis, "output_type": dt}}).Output(0)
}

// ArgMax returns the index of the largest value along axis (tf.argmax; TF
// 1.x's default axis is 0): the first such index when values tie. The result
// is int64 unless OutputType(tf.Int32) is given; it has x's shape without
// axis. Not differentiable. Options: OutputType, Name.
func ArgMax(x any, axis int, opts ...Option) *Tensor {
	return argOp(argMaxDef, "tf.ArgMax", x, axis, opts)
}

// ArgMin returns the index of the smallest value along axis (tf.argmin), as
// ArgMax does for the largest. Options: OutputType, Name.
func ArgMin(x any, axis int, opts ...Option) *Tensor {
	return argOp(argMinDef, "tf.ArgMin", x, axis, opts)
}

// ---- ExpandDims, Squeeze ----

// viewKernel makes the output a view of the input with the output's shape.
func viewKernel(c *KernelContext) error {
	c.Set(0, view(c.In[0], c.OutSpecs[0].Shape))
	return nil
}

var expandDimsDef = &OpDef{
	Type: "ExpandDims",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		if x.Shape == nil {
			return []Spec{{DType: x.DType}}, nil
		}
		axis, err := normAxis(a.Int("axis", 0), len(x.Shape)+1, "axis")
		if err != nil {
			return nil, errors.Wrapf(err, "cannot expand a tensor of shape %v (rank %d)", x.Shape, len(x.Shape))
		}
		return []Spec{{DType: x.DType, Shape: insertDim(x.Shape, axis, 1)}}, nil
	},
	Kernel: viewKernel,
}

// ExpandDims inserts an axis of size 1 at position axis (tf.expand_dims);
// axis may be negative: [-(rank+1), rank], -1 appending the new axis.
// Options: Name.
func ExpandDims(x any, axis int, opts ...Option) *Tensor {
	name, err := nameOnly("tf.ExpandDims", opts)
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: expandDimsDef, Name: name, Inputs: []any{x}, Attrs: Attrs{"axis": axis}}).Output(0)
}

var squeezeDef = &OpDef{
	Type: "Squeeze",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		if x.Shape == nil {
			return []Spec{{DType: x.DType}}, nil
		}
		axes := a.Ints("axis")
		sq := make([]bool, len(x.Shape))
		for _, ax := range axes {
			d, err := normAxis(ax, len(x.Shape), "axis")
			if err != nil {
				return nil, errors.Wrapf(err, "cannot squeeze a tensor of shape %v (rank %d)", x.Shape, len(x.Shape))
			}
			sq[d] = true
		}
		out := Shape{}
		for i, d := range x.Shape {
			switch {
			case d < 0:
				if sq[i] {
					continue // assumed 1; checked at Run time
				}
				if len(axes) == 0 {
					return []Spec{{DType: x.DType}}, nil // as TF: unknown shape
				}
			case d == 1:
				if sq[i] || len(axes) == 0 {
					continue
				}
			case sq[i]:
				return nil, errors.Errorf("cannot squeeze axis %d of shape %v: its dimension is %d, want 1", i, x.Shape, d)
			}
			out = append(out, d)
		}
		return []Spec{{DType: x.DType, Shape: out}}, nil
	},
	Kernel: viewKernel,
}

// Squeeze removes axes of size 1 (tf.squeeze): those named by the Axis
// option (each must have size 1; negative axes count from the end), or all
// of them without it. Python's tf.squeeze(x, [1]) is tf.Squeeze(x,
// tf.Axis(1)). Options: Axis, Name.
func Squeeze(x any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.Squeeze", opts, "axis", "name")
	if err != nil {
		return errorTensor(err)
	}
	var axes []int
	if len(o.axes) > 0 {
		axes = append([]int{}, o.axes...)
	}
	return AddOp(OpSpec{Def: squeezeDef, Name: o.name, Inputs: []any{x}, Attrs: Attrs{"axis": axes}}).Output(0)
}

// ---- Shape, Size, Rank ----

func shapeInfoDef(typ string, info func(s []int) []int, outShape func(s Shape) Shape) *OpDef {
	return &OpDef{
		Type: typ,
		Infer: func(a Attrs, in []Spec) ([]Spec, error) {
			return []Spec{{DType: a["output_type"].(DType), Shape: outShape(in[0].Shape)}}, nil
		},
		Kernel: func(c *KernelContext) error {
			kernels.SetInts(backing(c.AllocUninit(0)), info(c.In[0].Shape())) // every element written
			return nil
		},
		Grad: func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{nil} },
	}
}

var (
	shapeDef = shapeInfoDef("Shape", func(s []int) []int { return s }, func(s Shape) Shape {
		if s == nil {
			return Shape{None}
		}
		return Shape{len(s)}
	})
	sizeDef = shapeInfoDef("Size", func(s []int) []int { return []int{kernels.Numel(s)} }, func(Shape) Shape { return Shape{} })
	rankDef = shapeInfoDef("Rank", func(s []int) []int { return []int{len(s)} }, func(Shape) Shape { return Shape{} })
)

func shapeInfo(def *OpDef, fn string, x any, opts []Option) *Tensor {
	o, err := parseOptions(fn, opts, "output_type", "name")
	if err != nil {
		return errorTensor(err)
	}
	dt := Int32
	if o.given["output_type"] {
		if !o.outType.IsInteger() {
			return errorTensor(errors.Errorf("%s at %s: output_type %s; want int32 or int64", fn, callerSite(), o.outType))
		}
		dt = o.outType
	}
	return AddOp(OpSpec{Def: def, Name: o.name, Inputs: []any{x}, Attrs: Attrs{"output_type": dt}}).Output(0)
}

// ShapeOf returns the run-time shape of x as an int32 vector (tf.shape; the
// name Shape is taken by the type). Options: OutputType (int32 or int64), Name.
func ShapeOf(x any, opts ...Option) *Tensor { return shapeInfo(shapeDef, "tf.Shape", x, opts) }

// Size returns the number of elements of x as an int32 scalar (tf.size).
// Options: OutputType (int32 or int64), Name.
func Size(x any, opts ...Option) *Tensor { return shapeInfo(sizeDef, "tf.Size", x, opts) }

// Rank returns the rank of x as an int32 scalar (tf.rank). Options: Name.
func Rank(x any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Rank", opts)
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: rankDef, Name: name, Inputs: []any{x}, Attrs: Attrs{"output_type": Int32}}).Output(0)
}

// ---- gradients ----

func init() {
	transposeDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		perm := op.attrs.Ints("perm")
		if perm == nil {
			return []*Tensor{Transpose(dy[0], nil)}
		}
		inv := make([]int, len(perm))
		for i, p := range perm {
			inv[p] = i
		}
		return []*Tensor{Transpose(dy[0], inv)}
	}
	stackDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		n := len(op.inputs)
		outs := AddOp(OpSpec{Def: unstackDef, Inputs: []any{dy[0]}, Attrs: Attrs{"axis": op.attrs.Int("axis", 0), "num": n}})
		if outs.err != nil {
			return errGrads(n, outs.Output(0))
		}
		return outs.outputs
	}
	unstackDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		in := make([]any, len(dy))
		for i, d := range dy {
			if d == nil {
				d = ZerosLike(op.outputs[i])
			}
			in[i] = d
		}
		return []*Tensor{AddOp(OpSpec{Def: stackDef, Inputs: in, Attrs: Attrs{"axis": op.attrs.Int("axis", 0)}}).Output(0)}
	}
	concatDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		in := append([]any{dy[0]}, toAnys(op.inputs)...)
		g := AddOp(OpSpec{Def: concatGradDef, Inputs: in, Attrs: Attrs{"axis": op.attrs.Int("axis", 0)}})
		if g.err != nil {
			return errGrads(len(op.inputs), g.Output(0))
		}
		return g.outputs
	}
	sliceDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: sliceGradDef, Inputs: []any{dy[0], op.inputs[0]}, Attrs: Attrs{"begin": op.attrs.Ints("begin")}}).Output(0)}
	}
	gatherDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		if op.attrs.Int("axis", 0) == 0 {
			// Sparse, as TF's _GatherGrad: the rows of dy at the indices.
			return []*Tensor{newIndexedSlices(dy[0], op.inputs[1], op.inputs[0]), nil}
		}
		g := AddOp(OpSpec{Def: gatherGradDef, Inputs: []any{dy[0], op.inputs[0], op.inputs[1]}, Attrs: Attrs{"axis": op.attrs.Int("axis", 0)}})
		return []*Tensor{g.Output(0), nil}
	}
	expandDimsDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{reshapeLike(dy[0], op.inputs[0])}
	}
	squeezeDef.Grad = expandDimsDef.Grad
}

// errGrads returns n copies of an error tensor, one per input of an op
// whose gradient could not be built.
func errGrads(n int, t *Tensor) []*Tensor {
	out := make([]*Tensor, n)
	for i := range out {
		out[i] = t
	}
	return out
}

func toAnys(ts []*Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}
