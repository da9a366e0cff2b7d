package tf

import (
	"github.com/pkg/errors"
)

// The TF forms of the math ops' gradients that gorgoflow computes in one
// kernel: reduce_max/reduce_min's (TF's _MinOrMaxGrad) and reduce_prod's
// (TF's _ProdGrad).

// noAttrOps are TF ops without a type attr, written with their inputs
// only.
var noAttrOps = map[string]bool{"LogicalAnd": true, "LogicalOr": true, "LogicalNot": true}

// keptShape writes the shape of x with the reduced axes as 1 (TF's
// reduced_shape): Shape(x)·keep + reduced, both constant masks.
func (e *opExport) keptShape(x string, xs Shape, dt DType) (shape, kept string, red []bool, err error) {
	if xs == nil {
		return "", "", nil, errors.New("the gradient of a reduction of a tensor of unknown rank")
	}
	red, err = normAxes(e.op.attrs.Ints("axis"), len(xs))
	if err != nil {
		return "", "", nil, err
	}
	keepMask, redOnes := make([]int, len(xs)), make([]int, len(xs))
	for i, r := range red {
		if r {
			redOnes[i] = 1
		} else {
			keepMask[i] = 1
		}
	}
	shape = e.sub("Shape", "Shape", []string{x}, attrs{"T": aType(dt), "out_type": aType(Int32)})
	kept = e.sub("mul", "Mul", []string{shape, e.s.ints(e.name+"/keep", keepMask...)}, attrs{"T": aType(Int32)})
	kept = e.sub("add", "Add", []string{kept, e.s.ints(e.name+"/reduced", redOnes...)}, attrs{"T": aType(Int32)})
	return shape, kept, red, nil
}

// axesOf lists the axes red marks.
func axesOf(red []bool) []int {
	axes := []int{}
	for i, r := range red {
		if r {
			axes = append(axes, i)
		}
	}
	return axes
}

// minMaxGrad writes TF's _MinOrMaxGrad: the gradient shared equally among
// the elements equal to the extreme,
//
//	indicators = Cast(Equal(Reshape(y, kept), x))
//	dx = indicators / Reshape(Sum(indicators, axes), kept) * Reshape(dy, kept)
func (e *opExport) minMaxGrad() error {
	x, y, dy := e.in[0], e.in[1], e.in[2]
	dt := e.dtype(0)
	_, kept, red, err := e.keptShape(x, e.op.inputs[0].spec.Shape, dt)
	if err != nil {
		return err
	}
	t := attrs{"T": aType(dt)}
	reshape := attrs{"T": aType(dt), "Tshape": aType(Int32)}
	yr := e.sub("Reshape", "Reshape", []string{y, kept}, reshape)
	gr := e.sub("Reshape_1", "Reshape", []string{dy, kept}, reshape)
	eq := e.sub("Equal", "Equal", []string{yr, x}, t)
	ind := e.sub("Cast", "Cast", []string{eq}, attrs{"SrcT": aType(Bool), "DstT": aType(dt), "Truncate": aBool(false)})
	sum := e.sub("Sum", "Sum", []string{ind, e.s.ints(e.name+"/reduction_indices", axesOf(red)...)},
		attrs{"T": aType(dt), "Tidx": aType(Int32), "keep_dims": aBool(false)})
	num := e.sub("Reshape_2", "Reshape", []string{sum, kept}, reshape)
	div := e.sub("truediv", "RealDiv", []string{ind, num}, t)
	e.final("Mul", []string{div, gr}, t)
	return nil
}

// prodGrad writes TF's _ProdGrad: the reduced axes moved first and
// flattened, each element's product of the others as the product of two
// exclusive cumulative products (forward and reversed), moved back and
// times dy broadcast to x's shape.
func (e *opExport) prodGrad() error {
	x, dy := e.in[0], e.in[1]
	dt := e.dtype(0)
	xs := e.op.inputs[0].spec.Shape
	shape, kept, red, err := e.keptShape(x, xs, dt)
	if err != nil {
		return err
	}
	t := attrs{"T": aType(dt)}
	reshape := attrs{"T": aType(dt), "Tshape": aType(Int32)}
	g := e.sub("Reshape", "Reshape", []string{dy, kept}, reshape)
	g = e.sub("mul_1", "Mul", []string{g, e.sub("OnesLike", "OnesLike", []string{x}, t)}, t)
	reduced := axesOf(red)
	var other []int
	for i, r := range red {
		if !r {
			other = append(other, i)
		}
	}
	perm := append(append([]int{}, reduced...), other...)
	inv := make([]int, len(perm))
	for i, p := range perm {
		inv[p] = i
	}
	count := func(suffix string, axes []int) string {
		if len(axes) == 0 {
			return e.s.scalar(e.name+"/"+suffix, Int32, 1)
		}
		part := e.sub("GatherV2_"+suffix, "GatherV2", []string{shape, e.s.ints(e.name+"/"+suffix+"_idx", axes...), e.s.scalar(e.name+"/"+suffix+"_axis", Int32, 0)},
			attrs{"Tparams": aType(Int32), "Tindices": aType(Int32), "Taxis": aType(Int32)})
		return e.sub("Prod_"+suffix, "Prod", []string{part, e.s.ints(e.name+"/"+suffix+"_prod_axis", 0)},
			attrs{"T": aType(Int32), "Tidx": aType(Int32), "keep_dims": aBool(false)})
	}
	rn, on := count("reduced_num", reduced), count("other_num", other)
	permuted := e.sub("transpose", "Transpose", []string{x, e.s.ints(e.name+"/perm", perm...)}, attrs{"T": aType(dt), "Tperm": aType(Int32)})
	pshape := e.sub("Shape_1", "Shape", []string{permuted}, attrs{"T": aType(dt), "out_type": aType(Int32)})
	dims := e.sub("Reshape/shape", "Pack", []string{rn, on}, attrs{"T": aType(Int32), "N": aInt(2), "axis": aInt(0)})
	flat := e.sub("Reshape_1", "Reshape", []string{permuted, dims}, reshape)
	axis0 := e.s.scalar(e.name+"/Cumprod/axis", Int32, 0)
	cum := func(suffix string, reverse bool) string {
		return e.sub(suffix, "Cumprod", []string{flat, axis0}, attrs{"T": aType(dt), "Tidx": aType(Int32), "exclusive": aBool(true), "reverse": aBool(reverse)})
	}
	left, right := cum("Cumprod", false), cum("Cumprod_1", true)
	others := e.sub("Reshape_2", "Reshape", []string{e.sub("mul_2", "Mul", []string{left, right}, t), pshape}, reshape)
	back := e.sub("transpose_1", "Transpose", []string{others, e.s.ints(e.name+"/inv_perm", inv...)}, attrs{"T": aType(dt), "Tperm": aType(Int32)})
	out := e.sub("mul_3", "Mul", []string{g, back}, t)
	e.final("Reshape", []string{out, shape}, reshape)
	return nil
}

// topK writes nn.TopK's TopKV2 with k as its constant input.
func (e *opExport) topK() {
	k := e.s.scalar(e.name+"/k", Int32, float64(e.op.attrs.Int("k", 1)))
	e.final("TopKV2", []string{e.in[0], k}, attrs{"T": aType(e.dtype(0)), "sorted": aBool(e.op.attrs.Bool("sorted"))})
}

// topKGrad writes TF's _TopKGrad: the indices offset by each row's start
// in the flattened input, and dy scattered there (ScatterNd) into a vector
// of the input's size, reshaped to the input's shape.
func (e *opExport) topKGrad() error {
	x, idx, dy := e.in[0], e.in[1], e.in[2]
	dt := e.dtype(0)
	xs := e.op.inputs[0].spec.Shape
	if xs == nil {
		return errors.New("the gradient of top_k of a tensor of unknown rank")
	}
	i32 := attrs{"T": aType(Int32)}
	reshape := func(suffix, v, shape string, t DType) string {
		return e.sub(suffix, "Reshape", []string{v, shape}, attrs{"T": aType(t), "Tshape": aType(Int32)})
	}
	last := func(suffix, shape string, rank int) string {
		return e.sub(suffix, "GatherV2", []string{shape, e.s.scalar(e.name+"/"+suffix+"/indices", Int32, float64(rank-1)), e.s.scalar(e.name+"/"+suffix+"/axis", Int32, 0)},
			attrs{"Tparams": aType(Int32), "Tindices": aType(Int32), "Taxis": aType(Int32)})
	}
	inShape := e.sub("Shape", "Shape", []string{x}, attrs{"T": aType(dt), "out_type": aType(Int32)})
	indShape := e.sub("Shape_1", "Shape", []string{idx}, attrs{"T": aType(Int32), "out_type": aType(Int32)})
	k := last("GatherV2", indShape, len(xs))
	ind2d := reshape("Reshape", idx, e.sub("stack", "Pack", []string{e.s.scalar(e.name+"/stack/minus_one", Int32, -1), k}, attrs{"T": aType(Int32), "N": aInt(2), "axis": aInt(0)}), Int32)
	n := last("GatherV2_1", inShape, len(xs))
	outer := e.sub("strided_slice", "StridedSlice", []string{e.sub("Shape_2", "Shape", []string{ind2d}, attrs{"T": aType(Int32), "out_type": aType(Int32)}),
		e.s.ints(e.name+"/strided_slice/begin", 0), e.s.ints(e.name+"/strided_slice/end", 1), e.s.ints(e.name+"/strided_slice/strides", 1)}, stridedAttrs(Int32, 0, 0, 1))
	starts := e.sub("range", "Range", []string{e.s.scalar(e.name+"/range/start", Int32, 0), e.sub("mul", "Mul", []string{outer, n}, i32), n}, attrs{"Tidx": aType(Int32)})
	col := e.sub("ExpandDims", "ExpandDims", []string{starts, e.s.scalar(e.name+"/ExpandDims/dim", Int32, -1)}, attrs{"T": aType(Int32), "Tdim": aType(Int32)})
	flatIdx := reshape("Reshape_1", e.sub("add", "Add", []string{ind2d, col}, i32), e.s.ints(e.name+"/Reshape_1/shape", -1), Int32)
	where := e.sub("ExpandDims_1", "ExpandDims", []string{flatIdx, e.s.scalar(e.name+"/ExpandDims_1/dim", Int32, -1)}, attrs{"T": aType(Int32), "Tdim": aType(Int32)})
	size := e.sub("Prod", "Prod", []string{inShape, e.s.ints(e.name+"/Prod/reduction_indices", 0)}, attrs{"T": aType(Int32), "Tidx": aType(Int32), "keep_dims": aBool(true)})
	upd := reshape("Reshape_2", dy, e.s.ints(e.name+"/Reshape_2/shape", -1), dt)
	scattered := e.sub("ScatterNd", "ScatterNd", []string{where, upd, size}, attrs{"T": aType(dt), "Tindices": aType(Int32)})
	e.final("Reshape", []string{scattered, inShape}, attrs{"T": aType(dt), "Tshape": aType(Int32)})
	return nil
}
