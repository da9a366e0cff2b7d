package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- GatherNd, ScatterNd ----

// ndSplit checks an indices spec for GatherNd/ScatterNd and returns the
// length k of its index tuples (None when unknown); ok is false when the
// indices' rank is unknown.
func ndSplit(ix Spec) (k int, ok bool, err error) {
	if !ix.DType.IsInteger() {
		return 0, false, errors.Errorf("indices have dtype %s; want int32 or int64", ix.DType)
	}
	if ix.Shape == nil {
		return None, false, nil
	}
	if len(ix.Shape) == 0 {
		return 0, false, errors.New("indices must be at least a vector (the last axis holds the index tuples), got a scalar")
	}
	return ix.Shape[len(ix.Shape)-1], true, nil
}

var gatherNdDef = &OpDef{
	Type: "GatherNd",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		p, ix := in[0], in[1]
		k, ok, err := ndSplit(ix)
		if err != nil {
			return nil, err
		}
		if !ok || p.Shape == nil || k < 0 {
			return []Spec{{DType: p.DType}}, nil
		}
		if k > len(p.Shape) {
			return nil, errors.Errorf("index innermost dimension length must be <= params rank; saw: %d vs. %d (indices %v, params %v)", k, len(p.Shape), ix.Shape, p.Shape)
		}
		out := append(append(Shape{}, ix.Shape[:len(ix.Shape)-1]...), p.Shape[k:]...)
		return []Spec{{DType: p.DType, Shape: out}}, nil
	},
	Kernel: func(c *KernelContext) error {
		p, ix := c.In[0], c.In[1]
		ps, is := []int(p.Shape()), []int(ix.Shape())
		k := is[len(is)-1]
		offs, err := kernels.NDIndices(kernels.Ints(backing(ix)), is, ps, "param")
		if err != nil {
			return err
		}
		kernels.GatherNd(backing(c.AllocUninit(0)), backing(p), offs, kernels.Numel(ps[k:])) // every element written
		return nil
	},
}

// scatterNdInfer checks ScatterNd's indices and updates against the
// output shape out.
func scatterNdInfer(ix, up Spec, out Shape) error {
	if !up.DType.IsNumeric() {
		return errors.Errorf("updates have dtype %s; want a number type", up.DType)
	}
	k, ok, err := ndSplit(ix)
	if err != nil || !ok || k < 0 || out == nil {
		return err
	}
	if k > len(out) {
		return errors.Errorf("Output must have rank at least %d (the length of the index tuples, indices %v), got shape %v", k, ix.Shape, out)
	}
	if up.Shape == nil {
		return nil
	}
	want := append(append(Shape{}, ix.Shape[:len(ix.Shape)-1]...), out[k:]...)
	if !want.IsCompatibleWith(up.Shape) {
		return errors.Errorf("updates have shape %v; want indices.shape[:-1] + shape[%d:] = %v (indices %v, shape %v)", up.Shape, k, want, ix.Shape, out)
	}
	return nil
}

func scatterNdKernel(c *KernelContext) error {
	ix, up := c.In[0], c.In[1]
	out := c.Alloc(0) // summed into
	os, is := []int(out.Shape()), []int(ix.Shape())
	offs, err := kernels.NDIndices(kernels.Ints(backing(ix)), is, os, "output")
	if err != nil {
		return err
	}
	kernels.ScatterNdAdd(backing(out), backing(up), offs, kernels.Numel(os[is[len(is)-1]:]))
	return nil
}

var scatterNdDef = &OpDef{
	Type: "ScatterNd",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		si, known, err := intsArg(a, "shape", in)
		if err != nil {
			return nil, err
		}
		shape := Shape(si)
		if !known {
			shape = unknownDims(nil, in[a["fold"].(*foldArgs).first])
		}
		for i, d := range si {
			switch {
			case d == unknownArg:
				shape[i] = None
			case d < 0:
				return nil, errors.Errorf("shape %v has a negative dimension", si)
			}
		}
		if err := scatterNdInfer(in[0], in[1], shape); err != nil {
			return nil, err
		}
		return []Spec{{DType: in[1].DType, Shape: shape.Clone()}}, nil
	},
	Kernel: scatterNdKernel,
}

// scatterNdLikeDef is ScatterNd into the shape of input 2: the gradient of
// GatherNd (TF's _GatherNdGrad scatters into shape(params)).
var scatterNdLikeDef = &OpDef{
	Type: "ScatterNdLike",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if err := scatterNdInfer(in[0], in[1], in[2].Shape); err != nil {
			return nil, err
		}
		return []Spec{{DType: in[1].DType, Shape: in[2].Shape}}, nil
	},
	Kernel: scatterNdKernel,
}

// GatherNd gathers slices of params at index tuples (tf.gather_nd(params,
// indices)): the last axis of indices holds tuples of k indices into
// params' first k axes (k <= rank), and the result has shape
// indices.shape[:-1] + params.shape[k:]. indices are int32 or int64 (Go
// ints become int32); a tuple outside params is an error at Run time
// naming it, as on TF's CPU. The gradient scatters the incoming gradient
// back (summing repeated tuples), as TF's; indices get none. For indices
// of shape [n, 1] (rows of params) it is an IndexedSlices, as TF's (see
// IndexedSlicesOf).
//
// Options: Name.
func GatherNd(params, indices any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.GatherNd", opts)
	if err != nil {
		return errorTensor(err)
	}
	if indices, err = indexInput(params, indices); err != nil {
		return errorTensor(errors.Wrapf(err, "tf.GatherNd at %s: indices", callerSite()))
	}
	return AddOp(OpSpec{Def: gatherNdDef, Name: name, Inputs: []any{params, indices}}).Output(0)
}

// ScatterNd scatters updates into zeros of the given shape at index tuples
// (tf.scatter_nd(indices, updates, shape)): the last axis of indices holds
// tuples of k indices into shape's first k axes, updates has shape
// indices.shape[:-1] + shape[k:], and repeated tuples add up, as TF's.
// shape is a Go integer slice, or an integer tensor whose value follows
// from constants and tensor shapes (tf.shape(x)); updates are numbers (a Go value keeps its own type:
// Go floats are float32). The gradient gathers the incoming gradient at the
// tuples (TF's); indices get none.
//
// Options: Name.
func ScatterNd(indices, updates, shape any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.ScatterNd", opts)
	if err != nil {
		return errorTensor(err)
	}
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.ScatterNd at %s", site)) }
	like := updates
	if !isTensorArg(like) {
		like = indices
	}
	if indices, err = indexInput(like, indices); err != nil {
		return fail(errors.Wrap(err, "indices"))
	}
	if !isTensorArg(updates) {
		d, err := convertToTensor(updates, Invalid)
		if err != nil {
			return fail(errors.Wrap(err, "updates"))
		}
		g, err := pickGraph(OpSpec{Def: scatterNdDef, Inputs: []any{indices}})
		if err != nil {
			return fail(err)
		}
		updates = g.constOp(d, "updates")
	}
	in, attrs, err := intsOrFold([]any{indices, updates}, shape, "shape", "shape")
	if err != nil {
		return fail(err)
	}
	return AddOp(OpSpec{Def: scatterNdDef, Name: name, Inputs: in, Attrs: attrs}).Output(0)
}

func init() {
	gatherNdDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		p, ix := op.inputs[0], op.inputs[1]
		if is := ix.spec.Shape; len(is) == 2 && is[1] == 1 {
			// As TF's _GatherNdGrad: tuples of one index pick rows, so the
			// gradient is sparse, the rows of dy at the indices.
			return []*Tensor{newIndexedSlices(dy[0], Squeeze(ix, Axis(1)), p), nil}
		}
		return []*Tensor{AddOp(OpSpec{Def: scatterNdLikeDef, Inputs: []any{ix, dy[0], p}}).Output(0), nil}
	}
	scatterNdGrad := func(op *Operation, dy []*Tensor) []*Tensor {
		g := make([]*Tensor, len(op.inputs))
		g[1] = AddOp(OpSpec{Def: gatherNdDef, Inputs: []any{dy[0], op.inputs[0]}}).Output(0)
		return g
	}
	scatterNdDef.Grad = scatterNdGrad
	scatterNdLikeDef.Grad = scatterNdGrad
}
