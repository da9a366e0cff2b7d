package tf

import (
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
		depth := e.s.scalar(e.name+"/depth", Int32, float64(a.Int("depth", 0)))
		e.final(typ, []string{in[0], depth, in[1], in[2]}, attrs{"T": t(1), "TI": t(0), "axis": aInt(int64(a.Int("axis", -1)))})
	case "Range":
		dt := a["dtype"].(DType)
		e.final(typ, []string{e.s.scalar(e.name+"/start", dt, a.Float("start", 0)), e.s.scalar(e.name+"/limit", dt, a.Float("limit", 0)),
			e.s.scalar(e.name+"/delta", dt, a.Float("delta", 1))}, attrs{"Tidx": aType(dt)})
	case "LinSpace":
		num := e.s.scalar(e.name+"/num", Int32, float64(a.Int("num", 0)))
		e.final(typ, []string{in[0], in[1], num}, attrs{"T": t(0), "Tidx": i32})
	case "Tile":
		e.final(typ, []string{in[0], e.s.ints(e.name+"/multiples", a.Ints("multiples")...)}, attrs{"T": t(0), "Tmultiples": i32})
	case "TileGrad":
		// TF's _TileGrad: dy reshaped to [m0, d0, m1, d1, ...] (the
		// multiples and x's shape interleaved), summed over the multiples.
		m := a.Ints("multiples")
		shape := e.sub("Shape", "Shape", in[1:2], attrs{"T": t(1), "out_type": i32})
		pairs := e.sub("stack", "Pack", []string{e.s.ints(e.name+"/multiples", m...), shape}, attrs{"T": i32, "N": aInt(2), "axis": aInt(1)})
		split := e.sub("Reshape", "Reshape", []string{pairs, e.s.ints(e.name+"/flat", -1)}, attrs{"T": i32, "Tshape": i32})
		r := e.sub("Reshape_1", "Reshape", []string{in[0], split}, attrs{"T": t(0), "Tshape": i32})
		axes := make([]int, len(m))
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
		pads := e.s.constNode(e.name+"/paddings", tensor.New(tensor.WithShape(len(p)/2, 2), tensor.WithBacking(b)))
		at := attrs{"T": t(0), "Tpaddings": i32}
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
		before, _ := padSplit(a.Ints("paddings"))
		shape := e.sub("Shape", "Shape", in[1:2], attrs{"T": t(1), "out_type": i32})
		e.final("Slice", []string{in[0], e.s.ints(e.name+"/begin", before...), shape}, attrs{"T": t(0), "Index": i32})
	case "Cumsum", "Cumprod":
		axis := e.s.scalar(e.name+"/axis", Int32, float64(a.Int("axis", 0)))
		e.final(typ, []string{in[0], axis}, attrs{"T": t(0), "Tidx": i32, "exclusive": aBool(a.Bool("exclusive")), "reverse": aBool(a.Bool("reverse"))})
	case "GatherNd":
		e.final(typ, in, attrs{"Tparams": t(0), "Tindices": t(1)})
	case "ScatterNd":
		shape := e.s.ints(e.name+"/shape", a.Ints("shape")...)
		if e.dtype(0) == Int64 {
			shape = e.sub("Cast", "Cast", []string{shape}, attrs{"SrcT": i32, "DstT": t(0), "Truncate": aBool(false)})
		}
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
	case "BroadcastTo":
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
