package tf

import (
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// The TF form of the array ops of array_ops_onehot.go, array_ops_range.go
// and array_ops_tile.go for GraphDef export: the attributes gorgoflow
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
	case "BroadcastTo":
		e.final(typ, []string{in[0], e.s.ints(e.name+"/shape", a.Ints("shape")...)}, attrs{"T": t(0), "Tidx": i32})
	}
	return nil
}
