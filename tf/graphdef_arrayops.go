package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// The TF form of the array ops of array_ops_onehot.go, array_ops_range.go,
// array_ops_tile.go, array_ops_nd.go, math_ops_cumulative.go and
// matmul_batch.go, and of Stack and Unstack, for GraphDef export: the attributes gorgoflow
// keeps (depth, multiples, paddings, shapes) become TF's constant inputs,
// and the gradient helpers the TF ops TF's gradients write.
func (e *opExport) arrayOp(typ string) error {
	a, in := e.op.attrs, e.in
	t := func(i int) *pb.Message { return aType(e.dtype(i)) }
	i32 := aType(Int32)
	switch typ {
	case "OneHot":
		depth := ""
		if fa, ok := a["fold"].(*foldArgs); ok {
			depth = e.castTo(in[fa.first], e.dtype(fa.first), Int32, "Cast")
		} else {
			depth = e.s.scalar(e.name+"/depth", Int32, float64(a.Int("depth", 0)))
		}
		e.final(typ, []string{in[0], depth, in[1], in[2]}, attrs{"T": t(1), "TI": t(0), "axis": aInt(int64(a.Int("axis", -1)))})
	case "Range":
		dt := a["dtype"].(DType)
		if fa, ok := a["fold"].(*foldArgs); ok {
			args := make([]string, 3)
			for i := range args {
				args[i] = e.castTo(in[fa.first+i], e.dtype(fa.first+i), dt, "Cast")
			}
			e.final(typ, args, attrs{"Tidx": aType(dt)})
			return nil
		}
		e.final(typ, []string{e.s.scalar(e.name+"/start", dt, a.Float("start", 0)), e.s.scalar(e.name+"/limit", dt, a.Float("limit", 0)),
			e.s.scalar(e.name+"/delta", dt, a.Float("delta", 1))}, attrs{"Tidx": aType(dt)})
	case "LinSpace":
		num := e.s.scalar(e.name+"/num", Int32, float64(a.Int("num", 0)))
		e.final(typ, []string{in[0], in[1], num}, attrs{"T": t(0), "Tidx": i32})
	case "Tile":
		if _, ok := a["fold"].(*foldArgs); ok {
			e.final(typ, in[:2], attrs{"T": t(0), "Tmultiples": t(1)})
			return nil
		}
		e.final(typ, []string{in[0], e.s.ints(e.name+"/multiples", a.Ints("multiples")...)}, attrs{"T": t(0), "Tmultiples": i32})
	case "TileGrad":
		// TF's _TileGrad: dy reshaped to [m0, d0, m1, d1, ...] (the
		// multiples and x's shape interleaved), summed over the multiples.
		m := a.Ints("multiples")
		mt, mdt := "", Int32
		if len(in) == 3 {
			mt, mdt = in[2], e.dtype(2)
		} else {
			mt = e.s.ints(e.name+"/multiples", m...)
		}
		shape := e.sub("Shape", "Shape", in[1:2], attrs{"T": t(1), "out_type": aType(mdt)})
		pairs := e.sub("stack", "Pack", []string{mt, shape}, attrs{"T": aType(mdt), "N": aInt(2), "axis": aInt(1)})
		split := e.sub("Reshape", "Reshape", []string{pairs, e.s.ints(e.name+"/flat", -1)}, attrs{"T": aType(mdt), "Tshape": i32})
		r := e.sub("Reshape_1", "Reshape", []string{in[0], split}, attrs{"T": t(0), "Tshape": aType(mdt)})
		xs := e.op.inputs[1].spec.Shape
		if xs == nil {
			return errors.New("the gradient of Tile of an input of unknown rank")
		}
		axes := make([]int, len(xs))
		for i := range axes {
			axes[i] = 2 * i
		}
		e.final("Sum", []string{r, e.s.ints(e.name+"/axes", axes...)}, attrs{"T": t(0), "Tidx": i32, "keep_dims": aBool(false)})
	case "Pad", "PadV2", "MirrorPad", "MirrorPadGrad":
		p := a.Ints("paddings")
		b := make([]int32, len(p))
		for i, x := range p {
			b[i] = int32(x)
		}
		pads := ""
		at := attrs{"T": t(0), "Tpaddings": i32}
		if fa, ok := a["fold"].(*foldArgs); ok {
			pads, at["Tpaddings"] = in[fa.first], t(fa.first)
		} else {
			pads = e.s.constNode(e.name+"/paddings", tensor.New(tensor.WithShape(len(p)/2, 2), tensor.WithBacking(b)))
		}
		ins := []string{in[0], pads}
		switch typ {
		case "PadV2":
			ins = append(ins, in[1])
		case "MirrorPad", "MirrorPadGrad":
			at["mode"] = aStr(a["mode"].(string))
		}
		e.final(typ, ins, at)
	case "PadGrad":
		// TF's _PadGrad: Slice(dy, paddings[:, 0], Shape(x)).
		begin := ""
		if len(in) == 3 {
			xs := e.op.inputs[1].spec.Shape
			if xs == nil {
				return errors.New("the gradient of Pad of an input of unknown rank")
			}
			p := e.castTo(in[2], e.dtype(2), Int32, "Cast")
			col := e.sub("Slice_1", "Slice", []string{p, e.s.ints(e.name+"/col_begin", 0, 0), e.s.ints(e.name+"/col_size", len(xs), 1)}, attrs{"T": i32, "Index": i32})
			begin = e.sub("Reshape", "Reshape", []string{col, e.s.ints(e.name+"/flat", -1)}, attrs{"T": i32, "Tshape": i32})
		} else {
			before, _ := padSplit(a.Ints("paddings"))
			begin = e.s.ints(e.name+"/begin", before...)
		}
		shape := e.sub("Shape", "Shape", in[1:2], attrs{"T": t(1), "out_type": i32})
		e.final("Slice", []string{in[0], begin, shape}, attrs{"T": t(0), "Index": i32})
	case "Cumsum", "Cumprod":
		axis := e.s.scalar(e.name+"/axis", Int32, float64(a.Int("axis", 0)))
		e.final(typ, []string{in[0], axis}, attrs{"T": t(0), "Tidx": i32, "exclusive": aBool(a.Bool("exclusive")), "reverse": aBool(a.Bool("reverse"))})
	case "GatherNd":
		e.final(typ, in, attrs{"Tparams": t(0), "Tindices": t(1)})
	case "ScatterNd":
		shape, sdt := "", Int32
		if _, ok := a["fold"].(*foldArgs); ok {
			shape, sdt = in[2], e.dtype(2)
		} else {
			shape = e.s.ints(e.name+"/shape", a.Ints("shape")...)
		}
		shape = e.castTo(shape, sdt, e.dtype(0), "Cast")
		e.final(typ, []string{in[0], in[1], shape}, attrs{"T": t(1), "Tindices": t(0)})
	case "ScatterNdLike":
		// TF's _GatherNdGrad: ScatterNd(indices, dy, Shape(params)).
		shape := e.sub("Shape", "Shape", in[2:3], attrs{"T": t(2), "out_type": t(0)})
		e.final("ScatterNd", []string{in[0], in[1], shape}, attrs{"T": t(1), "Tindices": t(0)})
	case "BatchMatMulV2":
		e.final(typ, in, attrs{"T": t(0), "adj_x": aBool(a.Bool("adj_x")), "adj_y": aBool(a.Bool("adj_y"))})
	case "Pack":
		e.final(typ, in, attrs{"T": t(0), "N": aInt(int64(len(in))), "axis": aInt(int64(a.Int("axis", 0)))})
	case "Unpack":
		e.final(typ, in, attrs{"T": t(0), "num": aInt(int64(len(e.op.outputs))), "axis": aInt(int64(a.Int("axis", 0)))})
	case "Shape", "Size":
		e.final(typ, in, attrs{"T": t(0), "out_type": aType(e.op.outputs[0].spec.DType)})
	case "Rank":
		e.final(typ, in, attrs{"T": t(0)})
	case "Slice":
		e.final(typ, []string{in[0], e.s.ints(e.name+"/begin", a.Ints("begin")...), e.s.ints(e.name+"/size", a.Ints("size")...)},
			attrs{"T": t(0), "Index": i32})
	case "SliceGrad":
		// TF's _SliceGrad: Pad(dy, [begin, shape(x) - shape(dy) - begin]).
		b := e.s.ints(e.name+"/begin", a.Ints("begin")...)
		xs := e.sub("Shape", "Shape", in[1:2], attrs{"T": t(1), "out_type": i32})
		ds := e.sub("Shape_1", "Shape", in[:1], attrs{"T": t(0), "out_type": i32})
		after := e.sub("sub_1", "Sub", []string{e.sub("sub", "Sub", []string{xs, ds}, attrs{"T": i32}), b}, attrs{"T": i32})
		pads := e.sub("stack", "Pack", []string{b, after}, attrs{"T": i32, "N": aInt(2), "axis": aInt(1)})
		e.final("Pad", []string{in[0], pads}, attrs{"T": t(0), "Tpaddings": i32})
	case "StridedSlice", "StridedSliceGrad":
		ins := []string{e.s.ints(e.name+"/begin", a.Ints("begin")...), e.s.ints(e.name+"/end", a.Ints("end")...), e.s.ints(e.name+"/strides", a.Ints("strides")...)}
		x := in[0]
		if typ == "StridedSliceGrad" {
			x = e.sub("Shape", "Shape", in[1:2], attrs{"T": t(1), "out_type": i32})
			ins = append(ins, in[0])
		}
		at := stridedAttrs(e.dtype(0), int64(a.Int("begin_mask", 0)), int64(a.Int("end_mask", 0)), int64(a.Int("shrink_axis_mask", 0)))
		at["ellipsis_mask"], at["new_axis_mask"] = aInt(int64(a.Int("ellipsis_mask", 0))), aInt(int64(a.Int("new_axis_mask", 0)))
		e.final(typ, append([]string{x}, ins...), at)
	case "BooleanMask":
		// As TF's boolean_mask: the mask's axes reshaped into one, then a
		// gather of the true positions (known: the mask is a constant).
		ms, axis := a.Ints("mask_shape"), a.Int("axis", 0)
		shape := e.sub("Shape", "Shape", in[:1], attrs{"T": t(0), "out_type": i32})
		lead := e.sub("strided_slice", "StridedSlice", []string{shape, e.s.ints(e.name+"/begin", 0), e.s.ints(e.name+"/end", axis),
			e.s.ints(e.name+"/strides", 1)}, stridedAttrs(Int32, 0, 0, 0))
		trail := e.sub("strided_slice_1", "StridedSlice", []string{shape, e.s.ints(e.name+"/begin_1", axis+len(ms)), e.s.ints(e.name+"/end_1", 0),
			e.s.ints(e.name+"/strides_1", 1)}, stridedAttrs(Int32, 0, 1, 0))
		dims := e.sub("concat", "ConcatV2", []string{lead, e.s.ints(e.name+"/flat", -1), trail, e.s.scalar(e.name+"/concat/axis", Int32, 0)},
			attrs{"T": i32, "N": aInt(3), "Tidx": i32})
		r := e.sub("Reshape", "Reshape", []string{in[0], dims}, attrs{"T": t(0), "Tshape": i32})
		e.final("GatherV2", []string{r, e.s.ints(e.name+"/indices", a.Ints("indices")...), e.s.scalar(e.name+"/axis", Int32, float64(axis))},
			attrs{"Tparams": t(0), "Tindices": i32, "Taxis": i32})
	case "BooleanMaskGrad":
		if a.Int("axis", 0) != 0 {
			return errors.New("the gradient of BooleanMask with an axis other than 0 has no GraphDef form yet")
		}
		m := 1
		for _, d := range a.Ints("mask_shape") {
			m *= d
		}
		seg := e.sub("UnsortedSegmentSum", "UnsortedSegmentSum", []string{in[0], e.s.ints(e.name+"/indices", a.Ints("indices")...),
			e.s.scalar(e.name+"/num_segments", Int32, float64(m))}, attrs{"T": t(0), "Tindices": i32, "Tnumsegments": i32})
		shape := e.sub("Shape", "Shape", in[1:2], attrs{"T": t(1), "out_type": i32})
		e.final("Reshape", []string{seg, shape}, attrs{"T": t(0), "Tshape": i32})
	case "BroadcastTo":
		if _, ok := a["fold"].(*foldArgs); ok {
			e.final(typ, in[:2], attrs{"T": t(0), "Tidx": t(1)})
			return nil
		}
		e.final(typ, []string{in[0], e.s.ints(e.name+"/shape", a.Ints("shape")...)}, attrs{"T": t(0), "Tidx": i32})
	}
	return nil
}

// splitV writes a Split with sizes as TF's SplitV (a -1 size included).
func (e *opExport) splitV(sizes []int) error {
	dim := e.s.scalar(e.name+"/split_dim", Int32, float64(e.op.attrs.Int("axis", 0)))
	e.final("SplitV", []string{e.in[0], e.s.ints(e.name+"/size_splits", sizes...), dim},
		attrs{"T": aType(e.dtype(0)), "Tlen": aType(Int32), "num_split": aInt(int64(len(sizes)))})
	return nil
}

// castTo returns x (of dtype from) as dtype to, through a Cast node named
// under the op when they differ.
func (e *opExport) castTo(x string, from, to DType, suffix string) string {
	if from == to {
		return x
	}
	return e.sub(suffix, "Cast", []string{x}, attrs{"SrcT": aType(from), "DstT": aType(to), "Truncate": aBool(false)})
}
