package tf

import (
	"math"

	"github.com/pkg/errors"
)

type reduceKind int

const (
	reduceSum reduceKind = iota
	reduceMean
	reduceMax
	reduceMin
)

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
	d := &OpDef{Type: typ}
	d.Infer = func(a Attrs, in []Spec) ([]Spec, error) {
		if !in[0].DType.IsNumeric() {
			return nil, errors.Errorf("dtype %s is not numeric", in[0].DType)
		}
		if in[0].Shape == nil {
			return []Spec{{DType: in[0].DType}}, nil
		}
		red, err := normAxes(a.Ints("axis"), len(in[0].Shape))
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: in[0].DType, Shape: reducedShape(in[0].Shape, red, a.Bool("keepdims"))}}, nil
	}
	d.Kernel = func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		red, _ := normAxes(c.Op.attrs.Ints("axis"), len(xs))
		out := c.Alloc(0)
		os := reducedShape(Shape(xs), red, true)
		st := bstrides(os, xs)
		count := 1
		for i, r := range red {
			if r {
				count *= xs[i]
			}
		}
		switch o := Backing(out).(type) {
		case []float32:
			reduceKernel(data[float32](x), xs, o, st, kind, count)
		case []float64:
			reduceKernel(data[float64](x), xs, o, st, kind, count)
		case []int32:
			reduceKernel(data[int32](x), xs, o, st, kind, count)
		case []int64:
			reduceKernel(data[int64](x), xs, o, st, kind, count)
		}
		return nil
	}
	d.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x := op.inputs[0]
		attrs := Attrs{"axis": op.attrs.Ints("axis"), "kind": kind}
		return []*Tensor{AddOp(OpSpec{Def: reduceGradDef, Inputs: []any{x, op.outputs[0], dy[0]}, Attrs: attrs}).Output(0)}
	}
	return d
}

func reduceKernel[T num](in []T, shape []int, out []T, st []int, kind reduceKind, count int) {
	var init T
	switch kind {
	case reduceMax:
		init = lowest[T]()
	case reduceMin:
		init = highest[T]()
	}
	for i := range out {
		out[i] = init
	}
	idx := make([]int, len(shape))
	o := 0
	for i := range in {
		v := in[i]
		switch kind {
		case reduceMax:
			if v > out[o] || v != v {
				out[o] = v
			}
		case reduceMin:
			if v < out[o] || v != v {
				out[o] = v
			}
		default:
			out[o] += v
		}
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d]++
			o += st[d]
			if idx[d] < shape[d] {
				break
			}
			o -= st[d] * shape[d]
			idx[d] = 0
		}
	}
	if kind == reduceMean {
		if count > 0 || isFloat[T]() {
			// Floats divide by a count of 0 too: 0/0 is NaN, as TF's mean.
			for i := range out {
				out[i] /= T(count)
			}
		}
	}
}

var (
	reduceSumDef  = reduceDef("Sum", reduceSum)
	reduceMeanDef = reduceDef("Mean", reduceMean)
	reduceMaxDef  = reduceDef("Max", reduceMax)
	reduceMinDef  = reduceDef("Min", reduceMin)
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
		out := c.Alloc(0)
		os := reducedShape(Shape(xs), red, true)
		st := bstrides(os, xs)
		count := 1
		for i, r := range red {
			if r {
				count *= xs[i]
			}
		}
		switch o := Backing(out).(type) {
		case []float32:
			reduceGradKernel(data[float32](x), data[float32](y), data[float32](dy), xs, o, st, kind, count)
		case []float64:
			reduceGradKernel(data[float64](x), data[float64](y), data[float64](dy), xs, o, st, kind, count)
		default:
			return errors.Errorf("gradient of a reduction needs a floating-point type, got %s", DTypeOf(x.Dtype()))
		}
		return nil
	},
}

func reduceGradKernel[T float](x, y, dy []T, shape []int, out []T, st []int, kind reduceKind, count int) {
	var ties []T
	if kind == reduceMax || kind == reduceMin {
		ties = make([]T, len(y))
	}
	walk := func(f func(i, o int)) {
		idx := make([]int, len(shape))
		o := 0
		for i := range x {
			f(i, o)
			for d := len(shape) - 1; d >= 0; d-- {
				idx[d]++
				o += st[d]
				if idx[d] < shape[d] {
					break
				}
				o -= st[d] * shape[d]
				idx[d] = 0
			}
		}
	}
	switch kind {
	case reduceSum:
		walk(func(i, o int) { out[i] = dy[o] })
	case reduceMean:
		walk(func(i, o int) { out[i] = dy[o] / T(count) })
	default:
		walk(func(i, o int) {
			if x[i] == y[o] {
				ties[o]++
			}
		})
		walk(func(i, o int) {
			if x[i] == y[o] {
				out[i] = dy[o] / ties[o]
			} else {
				out[i] = 0
			}
		})
	}
}

func reduce(def *OpDef, fn string, x any, opts []Option) *Tensor {
	o, err := parseOptions(fn, opts, "axis", "keepdims", "name")
	if err != nil {
		return ErrTensor(err)
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

func isFloat[T num]() bool {
	var z T
	switch any(z).(type) {
	case float32, float64:
		return true
	}
	return false
}

func lowest[T num]() T {
	var z T
	switch p := any(&z).(type) {
	case *float32:
		*p = float32(math.Inf(-1))
	case *float64:
		*p = math.Inf(-1)
	case *int32:
		*p = math.MinInt32
	case *int64:
		*p = math.MinInt64
	}
	return z
}

func highest[T num]() T {
	var z T
	switch p := any(&z).(type) {
	case *float32:
		*p = float32(math.Inf(1))
	case *float64:
		*p = math.Inf(1)
	case *int32:
		*p = math.MaxInt32
	case *int64:
		*p = math.MaxInt64
	}
	return z
}
