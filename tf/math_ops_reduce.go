package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// reduceKind is what a reduction op computes.
type reduceKind = kernels.Reduction

// normAxes resolves negative axes and checks them against rank; nil means all.
func normAxes(axes []int, rank int) ([]bool, error) {
	red := make([]bool, rank)
	if axes == nil {
		for i := range red {
			red[i] = true
		}
		return red, nil
	}
	for _, a := range axes {
		ax := a
		if ax < 0 {
			ax += rank
		}
		if ax < 0 || ax >= rank {
			return nil, errors.Errorf("axis %d is out of range for a tensor of rank %d", a, rank)
		}
		red[ax] = true
	}
	return red, nil
}

func reducedShape(s Shape, red []bool, keep bool) Shape {
	out := Shape{}
	for i, d := range s {
		switch {
		case !red[i]:
			out = append(out, d)
		case keep:
			out = append(out, 1)
		}
	}
	return out
}

func reduceDef(typ string, kind reduceKind) *OpDef {
	d := &OpDef{Type: typ, Infer: reduceInferFor(DType.IsNumeric, "numeric")}
	d.Kernel = func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		red, _ := normAxes(c.Op.attrs.Ints("axis"), len(xs))
		out := c.AllocUninit(0) // every element written
		st, count := reduceStrides(xs, red)
		kernels.Reduce(kind, backing(out), st, backing(x), xs, count)
		return nil
	}
	d.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x := op.inputs[0]
		attrs := Attrs{"axis": op.attrs.Ints("axis"), "kind": kind}
		return []*Tensor{AddOp(OpSpec{Def: reduceGradDef, Inputs: []any{x, op.outputs[0], dy[0]}, Attrs: attrs}).Output(0)}
	}
	return d
}

// reduceStrides returns the strides of a reduction's output read along its
// input's shape xs (0 along reduced axes) and the number of elements
// reduced into each output element.
func reduceStrides(xs []int, red []bool) ([]int, int) {
	os := reducedShape(Shape(xs), red, true)
	count := 1
	for i, r := range red {
		if r {
			count *= xs[i]
		}
	}
	return kernels.BroadcastStrides(os, xs), count
}

var (
	reduceSumDef  = reduceDef("Sum", kernels.Sum)
	reduceMeanDef = reduceDef("Mean", kernels.Mean)
	reduceMaxDef  = reduceDef("Max", kernels.Max)
	reduceMinDef  = reduceDef("Min", kernels.Min)
)

// reduceGradDef is the gradient of the reductions: inputs x, y (the
// reduction's output) and dy; output dx of x's shape.
var reduceGradDef = &OpDef{
	Type: "ReduceGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{in[0]}, nil
	},
	Kernel: func(c *KernelContext) error {
		x, y, dy := c.In[0], c.In[1], c.In[2]
		xs := []int(x.Shape())
		red, _ := normAxes(c.Op.attrs.Ints("axis"), len(xs))
		kind := c.Op.attrs["kind"].(reduceKind)
		st, count := reduceStrides(xs, red)
		if !kernels.ReduceGrad(kind, backing(c.AllocUninit(0)), st, backing(x), backing(y), backing(dy), xs, count) {
			return errors.Errorf("gradient of a reduction needs a floating-point type, got %s", DTypeOf(x.Dtype()))
		}
		return nil
	},
}

func reduce(def *OpDef, fn string, x any, opts []Option) *Tensor {
	o, err := parseOptions(fn, opts, "axis", "keepdims", "name")
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: def, Name: o.name, Inputs: []any{x}, Attrs: Attrs{"axis": o.axes, "keepdims": o.keepDims}}).Output(0)
}

// ReduceSum sums over axes (tf.reduce_sum). Options: Axis (default all),
// KeepDims, Name.
func ReduceSum(x any, opts ...Option) *Tensor { return reduce(reduceSumDef, "tf.ReduceSum", x, opts) }

// ReduceMean averages over axes (tf.reduce_mean); integer means truncate as
// TF's, and the float mean over an axis of size 0 is NaN.
// Options: Axis (default all), KeepDims, Name.
func ReduceMean(x any, opts ...Option) *Tensor {
	return reduce(reduceMeanDef, "tf.ReduceMean", x, opts)
}

// ReduceMax takes the maximum over axes (tf.reduce_max); the gradient is
// shared equally among tied maxima, as TF's. Over an axis of size 0 it
// gives the reduction's identity (-inf, or the lowest integer), as TF's.
// Options: Axis, KeepDims, Name.
func ReduceMax(x any, opts ...Option) *Tensor { return reduce(reduceMaxDef, "tf.ReduceMax", x, opts) }

// ReduceMin takes the minimum over axes (tf.reduce_min); over an axis of
// size 0 it gives +inf, or the highest integer. Options: Axis, KeepDims, Name.
func ReduceMin(x any, opts ...Option) *Tensor { return reduce(reduceMinDef, "tf.ReduceMin", x, opts) }
