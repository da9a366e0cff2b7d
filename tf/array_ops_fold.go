package tf

import (
	"math"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// Shape-deciding arguments computed from shapes.
//
// gorgoflow decides every shape before a run, from the shapes of the
// feeds. An argument that decides an op's output shape (tf.range's limit,
// tf.sequence_mask's maxlen, tf.tile's multiples, tf.broadcast_to's shape,
// tf.scatter_nd's shape) may still be a tensor when its value follows from
// constants and the shapes of other tensors, as tf.shape(x)[0] does: TF
// users write tf.range(tf.shape(x)[0]). Such a value is folded: the ops
// computing it (Const, Shape, Size, Rank and pure array and arithmetic ops
// on them) are run on the shapes known, when the graph is built (an
// unknown dimension leaves the result's dimension unknown) and again when
// a run's shapes are known.

// foldOps are the op types a folded value may be computed with: pure
// functions of their inputs' values.
var foldOps = map[string]bool{
	"StridedSlice": true, "Pack": true, "ConcatV2": true, "Cast": true, "Add": true, "AddV2": true, "Sub": true,
	"Mul": true, "Maximum": true, "Minimum": true, "Reshape": true, "Identity": true, "GatherV2": true, "Slice": true,
	"ExpandDims": true, "Squeeze": true, "Sum": true, "Prod": true, "Max": true, "Min": true, "FloorDiv": true, "Neg": true,
	"Range": true, "Tile": true, "Transpose": true, "Unpack": true, "Fill": true,
}

// shapeFold computes one tensor's value from constants and the shapes of
// its leaves (the tensors whose Shape, Size or Rank it takes).
type shapeFold struct {
	out    *Tensor
	ops    []*Operation // in dependency order
	leaves []*Tensor
	leaf   map[*Tensor]int
}

// newShapeFold returns the fold of t, or an error saying why t's value is
// known only at run time. what names the argument.
func newShapeFold(t *Tensor, what string) (*shapeFold, error) {
	f := &shapeFold{out: t, leaf: map[*Tensor]int{}}
	seen := map[*Operation]bool{}
	var visit func(op *Operation) error
	visit = func(op *Operation) error {
		if seen[op] {
			return nil
		}
		seen[op] = true
		switch typ := op.def.Type; {
		case typ == "Shape" || typ == "Size" || typ == "Rank":
			x := op.inputs[0]
			if _, ok := f.leaf[x]; !ok {
				f.leaf[x] = len(f.leaves)
				f.leaves = append(f.leaves, x)
			}
		case typ == "Const":
		case foldOps[typ] && !op.def.Stateful && op.def.Kernel != nil:
			for _, in := range op.inputs {
				if err := visit(in.op); err != nil {
					return err
				}
			}
		default:
			return errors.Errorf("%s is tensor %q, whose value comes from a %s op (%q) and is known only at run time; gorgoflow decides shapes before a run, so %s must be a Go value or computed from constants and tensor shapes (tf.ShapeOf, tf.Size, tf.Rank)",
				what, t.Name(), typ, op.name, what)
		}
		f.ops = append(f.ops, op)
		return nil
	}
	if err := visit(t.op); err != nil {
		return nil, err
	}
	return f, nil
}

// Stand-ins for unknown dimensions: eval computes the value with each,
// and the elements on which the two results agree do not depend on the
// unknown dimensions (TF's constant_value_as_shape gives such partially
// known shapes too).
const (
	unknownDimA = 7919
	unknownDimB = 7927
)

// eval computes the value from the leaves' shapes (specs, one per leaf).
// known says which elements are known (nil: all of them); ok is false
// when the value's shape itself depends on what is unknown.
func (f *shapeFold) eval(specs []Spec) (d *tensor.Dense, known []bool, ok bool, err error) {
	full := true
	for _, s := range specs {
		if s.Shape == nil {
			return nil, nil, false, nil
		}
		full = full && s.Shape.IsFullyDefined()
	}
	if full {
		d, err := f.evalWith(specs, 0)
		return d, nil, err == nil, err
	}
	a, errA := f.evalWith(specs, unknownDimA)
	b, errB := f.evalWith(specs, unknownDimB)
	if errA != nil || errB != nil || !Shape(a.Shape()).Equal(Shape(b.Shape())) {
		return nil, nil, false, nil
	}
	va, vb := float64s(a), float64s(b)
	known = make([]bool, len(va))
	for i := range va {
		known[i] = va[i] == vb[i]
	}
	return a, known, true, nil
}

// evalWith computes the value with unknown dimensions taken as sub.
func (f *shapeFold) evalWith(specs []Spec, sub int) (d *tensor.Dense, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, errors.Errorf("computing %q from shapes: %v", f.out.Name(), r)
		}
	}()
	vals := map[*Tensor]*tensor.Dense{}
	for _, op := range f.ops {
		switch op.def.Type {
		case "Shape", "Size", "Rank":
			s := append([]int(nil), specs[f.leaf[op.inputs[0]]].Shape...)
			for i := range s {
				if s[i] < 0 {
					s[i] = sub
				}
			}
			v, shape := s, Shape{len(s)}
			switch op.def.Type {
			case "Size":
				v, shape = []int{kernels.Numel(s)}, Shape{}
			case "Rank":
				v, shape = []int{len(s)}, Shape{}
			}
			o := newDense(Spec{DType: op.outputs[0].spec.DType, Shape: shape})
			kernels.SetInts(backing(o), v)
			vals[op.outputs[0]] = o
			continue
		}
		in := make([]*tensor.Dense, len(op.inputs))
		inSpecs := make([]Spec, len(op.inputs))
		for i, x := range op.inputs {
			in[i] = vals[x]
			inSpecs[i] = specOf(in[i])
		}
		outSpecs, err := safeInfer(op.def, op.attrs, inSpecs)
		if err != nil {
			return nil, errors.Wrapf(err, "computing %q from shapes: %s %q", f.out.Name(), op.def.Type, op.name)
		}
		c := &KernelContext{Op: op, In: in, Out: make([]*tensor.Dense, len(outSpecs)), OutSpecs: outSpecs}
		if err := op.def.Kernel(c); err != nil {
			return nil, errors.Wrapf(err, "computing %q from shapes: %s %q", f.out.Name(), op.def.Type, op.name)
		}
		for i, o := range op.outputs {
			vals[o] = c.Out[i]
		}
	}
	return vals[f.out], nil
}

// foldArgs are an op's shape-deciding tensor arguments: inputs
// [first, first+len(folds)) are their tensors (read by the kernel and
// written in the GraphDef), and the leaves of fold i are the op's inputs
// from leafAt[i] on (read only for their shapes).
type foldArgs struct {
	first  int
	folds  []*shapeFold
	leafAt []int
}

// foldInputs turns shape-deciding arguments into op inputs: vals (tensors,
// whose folds are checked here, or Go values, which become constants of
// dtypes[i] unless Invalid) are appended to in, followed by their folds'
// leaves. It returns the inputs and the foldArgs to keep in the op's
// attrs.
func foldInputs(g *Graph, in []any, vals []any, dtypes []DType, what []string) ([]any, *foldArgs, error) {
	fa := &foldArgs{first: len(in)}
	for i, v := range vals {
		t, ok := v.(*Tensor)
		if !ok {
			d, err := convertToTensor(v, dtypes[i])
			if err != nil {
				return nil, nil, errors.Wrap(err, what[i])
			}
			t = g.constOp(d, "")
		} else if t == nil || t.err != nil {
			if t == nil {
				return nil, nil, errors.Errorf("%s is a nil *tf.Tensor", what[i])
			}
			return nil, nil, t.err
		}
		f, err := newShapeFold(t, what[i])
		if err != nil {
			return nil, nil, err
		}
		in = append(in, t)
		fa.folds = append(fa.folds, f)
	}
	for _, f := range fa.folds {
		fa.leafAt = append(fa.leafAt, len(in))
		for _, l := range f.leaves {
			in = append(in, l)
		}
	}
	return in, fa, nil
}

// values returns the folded arguments' values for the op's input specs
// and which of their elements are known (nil: all); ok is false when one's
// shape is not known yet.
func (fa *foldArgs) values(in []Spec) ([]*tensor.Dense, [][]bool, bool, error) {
	out := make([]*tensor.Dense, len(fa.folds))
	known := make([][]bool, len(fa.folds))
	for i, f := range fa.folds {
		d, k, ok, err := f.eval(in[fa.leafAt[i] : fa.leafAt[i]+len(f.leaves)])
		if err != nil || !ok {
			return nil, nil, false, err
		}
		out[i], known[i] = d, k
	}
	return out, known, true, nil
}

// nInputs is the number of the op's inputs the folds add.
func (fa *foldArgs) nInputs() int {
	n := len(fa.folds)
	for _, f := range fa.folds {
		n += len(f.leaves)
	}
	return n
}

// unknownArg marks the elements of a folded argument not known yet.
const unknownArg = math.MinInt32

// intsArg returns an integer-vector attr of an op, or the value of its
// folded tensor argument, unknownArg where an element is not known yet:
// known is false while its length is not known.
func intsArg(a Attrs, key string, in []Spec) (v []int, known bool, err error) {
	fa, ok := a["fold"].(*foldArgs)
	if !ok {
		return a.Ints(key), true, nil
	}
	if s := in[fa.first]; !s.DType.IsInteger() || (s.Shape != nil && (len(s.Shape) == 0 || len(s.Shape) > 2)) {
		return nil, false, errors.Errorf("%s is %s; want int32 or int64 values", key, s)
	}
	vals, kn, ok, err := fa.values(in)
	if err != nil || !ok {
		return nil, false, err
	}
	v = kernels.Ints(backing(vals[0]))
	for i := range v {
		if kn[0] != nil && !kn[0][i] {
			v[i] = unknownArg
		}
	}
	return v, true, nil
}

// kernelInts is intsArg in a kernel: the attr, or the folded argument's
// value among the inputs.
func kernelInts(c *KernelContext, key string) []int {
	if fa, ok := c.Op.attrs["fold"].(*foldArgs); ok {
		return kernels.Ints(backing(c.In[fa.first]))
	}
	return c.Op.attrs.Ints(key)
}

// intsOrFold builds the inputs and attrs of an op taking the
// shape-deciding integer vector v (a Go slice, a constant, or a tensor
// computed from constants and shapes) after the inputs in: a constant
// becomes attr key, a tensor a folded input.
func intsOrFold(in []any, v any, key, what string) ([]any, Attrs, error) {
	if t, ok := v.(*Tensor); ok && t != nil && t.err == nil && t.op.def != constDef {
		if !t.spec.DType.IsInteger() || (t.spec.Shape != nil && len(t.spec.Shape) != 1) {
			return nil, nil, errors.Errorf("%s is %s tensor %q; want an int32 or int64 vector", what, t.spec, t.Name())
		}
		g, err := pickGraph(OpSpec{Def: identityDef, Inputs: append(append([]any{}, in...), t)})
		if err != nil {
			return nil, nil, err
		}
		ins, fa, err := foldInputs(g, in, []any{t}, []DType{Invalid}, []string{what})
		if err != nil {
			return nil, nil, err
		}
		return ins, Attrs{"fold": fa}, nil
	}
	vals, shape, err := constInts(v, what)
	if err == nil && len(shape) != 1 {
		err = errors.Errorf("%s has shape %v; want a vector", what, Shape(shape))
	}
	if err != nil {
		return nil, nil, err
	}
	return in, Attrs{key: vals}, nil
}
