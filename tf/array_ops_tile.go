package tf

import (
	"fmt"
	"strings"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// Array ops that repeat or extend a tensor: Tile, Pad (CONSTANT, REFLECT,
// SYMMETRIC) and BroadcastTo. Their kernels work for every
// dtype; the gradients (float32, float64) are TF's.

// ---- Tile ----

var tileDef = &OpDef{
	Type: "Tile",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		m, known, err := intsArg(a, "multiples", in)
		if err != nil {
			return nil, err
		}
		if !known {
			return []Spec{{DType: x.DType, Shape: unknownDims(x.Shape, in[a["fold"].(*foldArgs).first])}}, nil
		}
		for i, k := range m {
			if k < 0 && k != unknownArg {
				return nil, errors.Errorf("Expected multiples[%d] >= 0, but got %d", i, k)
			}
		}
		xs := x.Shape
		if xs == nil {
			xs = make(Shape, len(m))
			for i := range xs {
				xs[i] = None
			}
		}
		if len(m) != len(xs) {
			return nil, errors.Errorf("Expected multiples argument to be a vector of length %d but got length %d: multiples %v for input shape %v", len(xs), len(m), m, xs)
		}
		out := make(Shape, len(xs))
		for i, d := range xs {
			switch {
			case m[i] == 0:
				out[i] = 0
			case d < 0 || m[i] == unknownArg:
				out[i] = None
			default:
				out[i] = d * m[i]
			}
		}
		return []Spec{{DType: x.DType, Shape: out}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		out := c.AllocUninit(0) // every element written
		xs := []int(x.Shape())
		kernels.TileMap(xs, out.Shape()).Gather(backing(out), backing(x), xs, nil)
		return nil
	},
}

// tileGradDef sums dy (input 0) over the tiles into the shape of x (input
// 1): the gradient of Tile (TF's _TileGrad reshapes dy to [m0, d0, m1, d1,
// ...] and sums the multiples' axes, the same sums).
var tileGradDef = &OpDef{
	Type: "TileGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		dy := c.In[0]
		out := c.Alloc(0) // summed into
		xs := []int(out.Shape())
		if !kernels.TileMap(xs, dy.Shape()).ScatterAdd(backing(out), xs, backing(dy)) {
			return errors.Errorf("gradient of Tile needs a floating-point type, got %s", c.OutSpecs[0].DType)
		}
		return nil
	},
}

// Tile repeats input multiples[i] times along each axis i (tf.tile(input,
// multiples)): the result's dimension i is input's times multiples[i].
// multiples has one non-negative entry per axis of input: a Go integer
// slice, or an integer tensor whose value follows from constants and
// tensor shapes (tf.stack([tf.shape(y)[0], 1])): gorgoflow decides shapes
// before a run. The gradient sums the tiles, as TF's.
//
// Options: Name.
func Tile(input any, multiples any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Tile", opts)
	if err != nil {
		return errorTensor(err)
	}
	in, attrs, err := intsOrFold([]any{input}, multiples, "multiples", "multiples")
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.Tile at %s", callerSite()))
	}
	return AddOp(OpSpec{Def: tileDef, Name: name, Inputs: in, Attrs: attrs}).Output(0)
}

// ---- Pad, PadV2, MirrorPad ----

// padModes are tf.pad's modes by name.
var padModes = map[string]kernels.PadMode{"CONSTANT": kernels.PadConstant, "REFLECT": kernels.PadReflect, "SYMMETRIC": kernels.PadSymmetric}

// padSplit splits a paddings attr ([rank*2] ints, row-major [rank, 2]) into
// the amounts before and after each axis.
func padSplit(p []int) (before, after []int) {
	for i := 0; i+1 < len(p); i += 2 {
		before, after = append(before, p[i]), append(after, p[i+1])
	}
	return before, after
}

// padInfer checks the paddings against x's shape (mirror modes bound them
// by the dimension) and returns the padded shape.
func padInfer(a Attrs, x Spec, in []Spec) (Shape, error) {
	p, known, err := intsArg(a, "paddings", in)
	if err != nil {
		return nil, err
	}
	if !known {
		return unknownDims(x.Shape, Spec{}), nil
	}
	before, after := padSplit(p)
	mode := padModes[a["mode"].(string)]
	xs := x.Shape
	if xs == nil {
		xs = make(Shape, len(before))
		for i := range xs {
			xs[i] = None
		}
	}
	if len(before) != len(xs) {
		return nil, errors.Errorf("The first dimension of paddings must be the rank of inputs: paddings have %d rows, the input has shape %v (rank %d)", len(before), xs, len(xs))
	}
	out := make(Shape, len(xs))
	for i, d := range xs {
		b, e := before[i], after[i]
		if b == unknownArg || e == unknownArg {
			out[i] = None
			continue
		}
		if b < 0 || e < 0 {
			return nil, errors.Errorf("Paddings must be non-negative: %d %d (row %d)", b, e, i)
		}
		switch {
		case d < 0:
			out[i] = None
			continue
		case mode == kernels.PadReflect && (b >= d || e >= d):
			return nil, errors.Errorf("paddings must be less than the dimension size: %d, %d not less than %d (axis %d of shape %v, mode REFLECT)", b, e, d, i, xs)
		case mode == kernels.PadSymmetric && (b > d || e > d):
			return nil, errors.Errorf("paddings must be no greater than the dimension size: %d, %d greater than %d (axis %d of shape %v, mode SYMMETRIC)", b, e, d, i, xs)
		}
		out[i] = b + d + e
	}
	return out, nil
}

func padDef(typ string) *OpDef {
	return &OpDef{
		Type: typ,
		Infer: func(a Attrs, in []Spec) ([]Spec, error) {
			x := in[0]
			if typ == "PadV2" {
				cv := in[1]
				if cv.DType != x.DType {
					return nil, errors.Errorf("constant_values has dtype %s but the input has %s; want one dtype", cv.DType, x.DType)
				}
				if cv.Shape != nil && len(cv.Shape) != 0 {
					return nil, errors.Errorf("constant_values must be a scalar. Got: shape %v", cv.Shape)
				}
			}
			s, err := padInfer(a, x, in)
			if err != nil {
				return nil, err
			}
			return []Spec{{DType: x.DType, Shape: s}}, nil
		},
		Kernel: func(c *KernelContext) error {
			x := c.In[0]
			xs := []int(x.Shape())
			before, after := padSplit(kernelInts(c, "paddings"))
			var fill any
			if typ == "PadV2" {
				fill = backing(c.In[1])
			}
			out := c.AllocUninit(0) // every element written
			kernels.PadMap(xs, before, after, padModes[c.Op.attrs["mode"].(string)]).Gather(backing(out), backing(x), xs, fill)
			return nil
		},
	}
}

var (
	padConstDef  = padDef("Pad")
	padV2Def     = padDef("PadV2")
	mirrorPadDef = padDef("MirrorPad")
)

// padGradDef cuts the input's part out of dy (input 0), shaped as x
// (input 1): the gradient of a constant Pad (TF's _PadGrad, a Slice).
var padGradDef = &OpDef{
	Type: "PadGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		dy := c.In[0]
		out := c.AllocUninit(0) // every element written
		p := c.Op.attrs.Ints("paddings")
		if len(c.In) == 3 {
			p = kernels.Ints(backing(c.In[2])) // the paddings computed from shapes
		}
		before, _ := padSplit(p)
		kernels.CropMap(out.Shape(), before).Gather(backing(out), backing(dy), dy.Shape(), nil)
		return nil
	},
}

// mirrorPadGradDef folds the mirrored parts of dy back onto the positions
// they copy (TF's MirrorPadGrad): the gradient of MirrorPad.
var mirrorPadGradDef = &OpDef{
	Type: "MirrorPadGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		dy := in[0]
		before, after := padSplit(a.Ints("paddings"))
		if dy.Shape == nil {
			return []Spec{{DType: dy.DType}}, nil
		}
		if len(before) != len(dy.Shape) {
			return nil, errors.Errorf("paddings have %d rows for a gradient of shape %v", len(before), dy.Shape)
		}
		out := make(Shape, len(dy.Shape))
		for i, d := range dy.Shape {
			out[i] = None
			if d >= 0 {
				out[i] = d - before[i] - after[i]
			}
		}
		return []Spec{{DType: dy.DType, Shape: out}}, nil
	},
	Kernel: func(c *KernelContext) error {
		dy := c.In[0]
		out := c.Alloc(0) // summed into
		xs := []int(out.Shape())
		before, after := padSplit(c.Op.attrs.Ints("paddings"))
		if !kernels.PadMap(xs, before, after, padModes[c.Op.attrs["mode"].(string)]).ScatterAdd(backing(out), xs, backing(dy)) {
			return errors.Errorf("gradient of MirrorPad needs a floating-point type, got %s", c.OutSpecs[0].DType)
		}
		return nil
	},
}

// Pad pads tensor with paddings[i][0] elements before and paddings[i][1]
// after its axis i (tf.pad(tensor, paddings, mode, constant_values)).
// paddings is a [rank, 2] table of non-negative ints: a Go [][]int (or
// another integer slice of that shape), or, in CONSTANT mode, an integer
// tensor whose value follows from constants and tensor shapes (padding to
// a length: tf.Stack of rows like tf.Stack([]any{0, tf.Sub(maxLen,
// tf.Index(tf.ShapeOf(x), "1"))}, 0)), as gorgoflow decides shapes before
// a run.
//
// Mode (any case, as TF's) is "CONSTANT" (default: constant_values, 0
// unless ConstantValues gives another scalar of tensor's dtype; TF's Pad,
// or PadV2 for another value), "REFLECT" (the input mirrored without its
// edge; paddings less than the dimension) or "SYMMETRIC" (mirrored with
// its edge; paddings at most the dimension), TF's MirrorPad. Other modes
// are TF's "Unknown padding mode". The gradient (TF's) cuts the input's
// part out of the incoming gradient, or for the mirror modes also adds the
// mirrored parts back; constant_values gets none.
//
// Options: Mode, ConstantValues, Name.
func Pad(tensor any, paddings any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.Pad", opts, "mode", "constant_values", "name")
	if err != nil {
		return errorTensor(err)
	}
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.Pad at %s", site)) }
	mode := "CONSTANT"
	if o.given["mode"] {
		mode = strings.ToUpper(o.arr.mode)
	}
	if _, ok := padModes[mode]; !ok {
		return fail(errors.Errorf("Unknown padding mode: %s; want CONSTANT, REFLECT or SYMMETRIC", o.arr.mode))
	}
	in := []any{tensor}
	def := padConstDef
	switch {
	case mode != "CONSTANT":
		if o.given["constant_values"] {
			return fail(errors.Errorf("constant_values is given with mode %s; it is used only with CONSTANT", mode))
		}
		def = mirrorPadDef
	case o.given["constant_values"] && !isZero(o.arr.constantValues):
		dt, err := argDType(tensor)
		if err != nil {
			return fail(err)
		}
		cv, err := scalarInput(o.arr.constantValues, dt, tensor, "constant_values")
		if err != nil {
			return fail(err)
		}
		def, in = padV2Def, append(in, cv)
	}
	var attrs Attrs
	if t, ok := paddings.(*Tensor); ok && t != nil && t.err == nil && t.op.def != constDef {
		if mode != "CONSTANT" {
			return fail(errors.Errorf("paddings is tensor %q, computed at run time; mode %s needs paddings known when the graph is built (a Go value or a tf.Constant)", t.Name(), mode))
		}
		if ps := t.spec.Shape; !t.spec.DType.IsInteger() || (ps != nil && (len(ps) != 2 || (ps[1] >= 0 && ps[1] != 2))) {
			return fail(errors.Errorf("paddings is %s tensor %q; want an int32 or int64 matrix with 2 columns", t.spec, t.Name()))
		}
		g, err := pickGraph(OpSpec{Def: def, Inputs: append(append([]any{}, in...), t)})
		if err != nil {
			return fail(err)
		}
		var fa *foldArgs
		if in, fa, err = foldInputs(g, in, []any{t}, []DType{Invalid}, []string{"paddings"}); err != nil {
			return fail(err)
		}
		attrs = Attrs{"fold": fa, "mode": mode}
	} else {
		p, ps, err := constInts(paddings, "paddings")
		if err != nil {
			return fail(err)
		}
		if len(p) == 0 && len(ps) >= 1 && len(ps) <= 2 {
			ps = []int{0, 2} // [] or [[]]: no rows, for a scalar
		}
		if len(ps) != 2 || ps[1] != 2 {
			return fail(errors.Errorf("paddings must be a matrix with 2 columns: got shape %v", Shape(ps)))
		}
		attrs = Attrs{"paddings": p, "mode": mode}
	}
	return AddOp(OpSpec{Def: def, Name: o.name, Inputs: in, Attrs: attrs}).Output(0)
}

// isZero reports whether v is a Go number equal to 0 (or false): TF's
// tf.pad writes Pad rather than PadV2 for it. A tensor is never zero here.
func isZero(v any) bool {
	if isTensorArg(v) || v == nil {
		return false
	}
	return fmt.Sprint(v) == "0" || v == false
}

// ---- BroadcastTo ----

var broadcastToDef = &OpDef{
	Type: "BroadcastTo",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		si, known, err := intsArg(a, "shape", in)
		if err != nil {
			return nil, err
		}
		if !known {
			return []Spec{{DType: x.DType, Shape: unknownDims(nil, in[a["fold"].(*foldArgs).first])}}, nil
		}
		shape := Shape(si)
		for i, d := range shape {
			switch {
			case d == unknownArg:
				shape[i] = None
			case d < 0:
				return nil, errors.Errorf("shape %v has a negative dimension", si)
			}
		}
		if x.Shape != nil {
			if len(x.Shape) > len(shape) {
				return nil, errors.Errorf("Rank of input (%d) must be no greater than rank of output shape (%d): cannot broadcast shape %v to %v", len(x.Shape), len(shape), x.Shape, shape)
			}
			off := len(shape) - len(x.Shape)
			for i, d := range x.Shape {
				if d >= 0 && d != 1 && shape[off+i] >= 0 && d != shape[off+i] {
					return nil, errors.Errorf("Incompatible shapes: %v vs. %v: dimension %d of the input is %d, want 1 or %d", x.Shape, shape, i, d, shape[off+i])
				}
			}
		}
		return []Spec{{DType: x.DType, Shape: shape.Clone()}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		out := c.AllocUninit(0) // every element written
		kernels.BroadcastTo(backing(x), x.Shape(), backing(out), out.Shape())
		return nil
	},
}

// BroadcastTo broadcasts input to shape (tf.broadcast_to(input, shape)), as
// numpy broadcasts: input's axes align with shape's last ones, each of size
// 1 or shape's. shape is a Go integer slice of non-negative sizes, or an
// integer tensor whose value follows from constants and tensor shapes
// (tf.broadcast_to(x, tf.shape(y)) is tf.BroadcastTo(x, tf.ShapeOf(y))):
// gorgoflow decides shapes before a run. The gradient sums over the
// broadcast axes, as TF's.
//
// Options: Name.
func BroadcastTo(input any, shape any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.BroadcastTo", opts)
	if err != nil {
		return errorTensor(err)
	}
	in, attrs, err := intsOrFold([]any{input}, shape, "shape", "shape")
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.BroadcastTo at %s", callerSite()))
	}
	return AddOp(OpSpec{Def: broadcastToDef, Name: name, Inputs: in, Attrs: attrs}).Output(0)
}

// ---- gradients ----

func init() {
	tileDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		in := []any{dy[0], op.inputs[0]}
		if fa, ok := op.attrs["fold"].(*foldArgs); ok {
			in = append(in, op.inputs[fa.first]) // the multiples, for the GraphDef and the second order
		}
		g := make([]*Tensor, len(op.inputs))
		g[0] = AddOp(OpSpec{Def: tileGradDef, Inputs: in, Attrs: Attrs{"multiples": op.attrs.Ints("multiples")}}).Output(0)
		return g
	}
	tileGradDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		g := make([]*Tensor, len(op.inputs))
		if len(op.inputs) == 3 {
			g[0] = Tile(dy[0], op.inputs[2])
		} else {
			g[0] = AddOp(OpSpec{Def: tileDef, Inputs: []any{dy[0]}, Attrs: Attrs{"multiples": op.attrs.Ints("multiples")}}).Output(0)
		}
		return g
	}
	constPadGrad := func(op *Operation, dy []*Tensor) []*Tensor {
		in := []any{dy[0], op.inputs[0]}
		if fa, ok := op.attrs["fold"].(*foldArgs); ok {
			in = append(in, op.inputs[fa.first]) // the paddings computed from shapes
		}
		g := make([]*Tensor, len(op.inputs))
		g[0] = AddOp(OpSpec{Def: padGradDef, Inputs: in, Attrs: Attrs{"paddings": op.attrs.Ints("paddings")}}).Output(0)
		return g
	}
	padConstDef.Grad = constPadGrad
	padV2Def.Grad = constPadGrad
	padGradDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		g := make([]*Tensor, len(op.inputs))
		if len(op.inputs) == 3 {
			g[0] = Pad(dy[0], op.inputs[2])
		} else {
			g[0] = AddOp(OpSpec{Def: padConstDef, Inputs: []any{dy[0]}, Attrs: Attrs{"paddings": op.attrs.Ints("paddings"), "mode": "CONSTANT"}}).Output(0)
		}
		return g
	}
	mirrorPadDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: mirrorPadGradDef, Inputs: []any{dy[0]}, Attrs: Attrs{"paddings": op.attrs.Ints("paddings"), "mode": op.attrs["mode"]}}).Output(0)}
	}
	mirrorPadGradDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: mirrorPadDef, Inputs: []any{dy[0]}, Attrs: Attrs{"paddings": op.attrs.Ints("paddings"), "mode": op.attrs["mode"]}}).Output(0)}
	}
	broadcastToDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		g := make([]*Tensor, len(op.inputs))
		g[0] = sumTo(dy[0], op.inputs[0])
		return g
	}
}

// unknownDims returns a shape of unknown dimensions of x's rank, or of the
// length of the vector v deciding it; nil when neither is known.
func unknownDims(x Shape, v Spec) Shape {
	n := -1
	switch {
	case x != nil:
		n = len(x)
	case v.Shape != nil && len(v.Shape) == 1 && v.Shape[0] >= 0:
		n = v.Shape[0]
	}
	if n < 0 {
		return nil
	}
	s := make(Shape, n)
	for i := range s {
		s[i] = None
	}
	return s
}
