package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// ---- Reshape ----

// reshapeShape resolves a requested shape (with at most one -1) against an
// input shape that may hold None.
func reshapeShape(in Shape, want []int) (Shape, error) {
	out := make(Shape, len(want))
	infer := -1
	known := 1
	for i, d := range want {
		switch {
		case d == -1:
			if infer >= 0 {
				return nil, errors.Errorf("shape %v has more than one -1", want)
			}
			infer = i
		case d < 0:
			return nil, errors.Errorf("shape %v has a negative dimension %d", want, d)
		default:
			known *= d
		}
		out[i] = d
	}
	if in == nil {
		if infer >= 0 {
			out[infer] = None
		}
		return out, nil
	}
	total := in.NumElements()
	if infer < 0 {
		if total >= 0 && total != known {
			return nil, errors.Errorf("cannot reshape a tensor with %d elements (shape %v) to shape %v (%d elements)", total, in, want, known)
		}
		return out, nil
	}
	switch {
	case total < 0:
		out[infer] = None
	case known == 0:
		if total != 0 {
			return nil, errors.Errorf("cannot reshape a tensor with %d elements (shape %v) to shape %v", total, in, want)
		}
		out[infer] = 0
	case total%known != 0:
		return nil, errors.Errorf("cannot reshape a tensor with %d elements (shape %v) to shape %v: %d is not a multiple of %d", total, in, want, total, known)
	default:
		out[infer] = total / known
	}
	return out, nil
}

var reshapeDef = &OpDef{
	Type: "Reshape",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		s, err := reshapeShape(in[0].Shape, a.Ints("shape"))
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: in[0].DType, Shape: s}}, nil
	},
	Kernel: func(c *KernelContext) error {
		c.Set(0, view(c.In[0], c.OutSpecs[0].Shape))
		return nil
	},
}

// Reshape returns x with a new shape holding the same elements in the same
// order (tf.reshape). One dimension may be -1, inferred from the others.
// Options: Name.
func Reshape(x any, shape []int, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Reshape", opts)
	if err != nil {
		return ErrTensor(err)
	}
	return AddOp(OpSpec{Def: reshapeDef, Name: name, Inputs: []any{x}, Attrs: Attrs{"shape": append([]int(nil), shape...)}}).Output(0)
}

var reshapeLikeDef = &OpDef{
	Type: "ReshapeLike",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		if numel(c.In[0].Shape()) != numel(c.OutSpecs[0].Shape) {
			return errors.Errorf("cannot reshape %v to %v", Shape(c.In[0].Shape()), c.OutSpecs[0].Shape)
		}
		c.Set(0, view(c.In[0], c.OutSpecs[0].Shape))
		return nil
	},
}

// reshapeLike reshapes x to the runtime shape of like.
func reshapeLike(x, like *Tensor) *Tensor {
	if x == nil {
		return nil
	}
	return AddOp(OpSpec{Def: reshapeLikeDef, Inputs: []any{x, like}}).Output(0)
}

// ---- Cast ----

var castDef = &OpDef{
	Type: "Cast",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: a["dtype"].(DType), Shape: in[0].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		to := c.OutSpecs[0].DType
		x := c.In[0]
		if DTypeOf(x.Dtype()) == to {
			c.Set(0, x)
			return nil
		}
		out := c.Alloc(0)
		castInto(Backing(x), Backing(out))
		return nil
	},
}

func castInto(src, dst any) {
	switch s := src.(type) {
	case []float32:
		castSlice(s, dst)
	case []float64:
		castSlice(s, dst)
	case []int32:
		castSlice(s, dst)
	case []int64:
		castSlice(s, dst)
	case []bool:
		n := make([]int32, len(s))
		for i, b := range s {
			if b {
				n[i] = 1
			}
		}
		castSlice(n, dst)
	}
}

func castSlice[S num](s []S, dst any) {
	switch d := dst.(type) {
	case []float32:
		for i, v := range s {
			d[i] = float32(v)
		}
	case []float64:
		for i, v := range s {
			d[i] = float64(v)
		}
	case []int32:
		for i, v := range s {
			d[i] = int32(v)
		}
	case []int64:
		for i, v := range s {
			d[i] = int64(v)
		}
	case []bool:
		for i, v := range s {
			d[i] = v != 0
		}
	}
}

// Cast converts x to dtype (tf.cast): floats to integers truncate toward
// zero, bools become 0 and 1, numbers become true when non-zero.
// Options: Name.
func Cast(x any, dtype DType, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Cast", opts)
	if err != nil {
		return ErrTensor(err)
	}
	if dtype == Invalid || dtype > Bool {
		return ErrTensor(errors.Errorf("tf.Cast at %s: dtype %v is not a supported type", callerSite(), dtype))
	}
	return AddOp(OpSpec{Def: castDef, Name: name, Inputs: []any{x}, Attrs: Attrs{"dtype": dtype}}).Output(0)
}

// ---- comparisons ----

func compareInfer(a Attrs, in []Spec) ([]Spec, error) {
	s, err := binaryInfer(false)(a, in)
	if err != nil {
		return nil, err
	}
	s[0].DType = Bool
	return s, nil
}

func eq[T comparable](a, b T) bool { return a == b }
func ne[T comparable](a, b T) bool { return a != b }
func gt[T num](a, b T) bool        { return a > b }
func ge[T num](a, b T) bool        { return a >= b }
func lt[T num](a, b T) bool        { return a < b }
func le[T num](a, b T) bool        { return a <= b }
func cmpDef(typ string, f cmpFns) *OpDef {
	return &OpDef{Type: typ, Infer: compareInfer, Kernel: func(c *KernelContext) error { return runCompare(c, f) }}
}

var (
	equalDef        = cmpDef("Equal", cmpFns{eq[float32], eq[float64], eq[int32], eq[int64], eq[bool]})
	notEqualDef     = cmpDef("NotEqual", cmpFns{ne[float32], ne[float64], ne[int32], ne[int64], ne[bool]})
	greaterDef      = cmpDef("Greater", cmpFns{gt[float32], gt[float64], gt[int32], gt[int64], nil})
	greaterEqualDef = cmpDef("GreaterEqual", cmpFns{ge[float32], ge[float64], ge[int32], ge[int64], nil})
	lessDef         = cmpDef("Less", cmpFns{lt[float32], lt[float64], lt[int32], lt[int64], nil})
	lessEqualDef    = cmpDef("LessEqual", cmpFns{le[float32], le[float64], le[int32], le[int64], nil})
)

// Equal returns x == y elementwise as bools, with broadcasting (tf.equal).
func Equal(x, y any, opts ...Option) *Tensor { return binary(equalDef, "tf.Equal", x, y, opts) }

// NotEqual returns x != y elementwise (tf.not_equal).
func NotEqual(x, y any, opts ...Option) *Tensor {
	return binary(notEqualDef, "tf.NotEqual", x, y, opts)
}

// Greater returns x > y elementwise (tf.greater).
func Greater(x, y any, opts ...Option) *Tensor { return binary(greaterDef, "tf.Greater", x, y, opts) }

// GreaterEqual returns x >= y elementwise (tf.greater_equal).
func GreaterEqual(x, y any, opts ...Option) *Tensor {
	return binary(greaterEqualDef, "tf.GreaterEqual", x, y, opts)
}

// Less returns x < y elementwise (tf.less).
func Less(x, y any, opts ...Option) *Tensor { return binary(lessDef, "tf.Less", x, y, opts) }

// LessEqual returns x <= y elementwise (tf.less_equal).
func LessEqual(x, y any, opts ...Option) *Tensor {
	return binary(lessEqualDef, "tf.LessEqual", x, y, opts)
}

// ---- Where (select) ----

var whereDef = &OpDef{
	Type: "Select",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if in[0].DType != Bool {
			return nil, errors.Errorf("condition has dtype %s, want bool", in[0].DType)
		}
		if in[1].DType != in[2].DType {
			return nil, errors.Errorf("x and y have different dtypes %s and %s", in[1].DType, in[2].DType)
		}
		if in[0].Shape == nil || in[1].Shape == nil || in[2].Shape == nil {
			return []Spec{{DType: in[1].DType}}, nil
		}
		s, err := broadcastShape(in[1].Shape, in[2].Shape)
		if err != nil {
			return nil, err
		}
		if s, err = broadcastShape(in[0].Shape, s); err != nil {
			return nil, err
		}
		return []Spec{{DType: in[1].DType, Shape: s}}, nil
	},
	Kernel: func(c *KernelContext) error {
		cond, x, y := c.In[0], c.In[1], c.In[2]
		out := c.Alloc(0)
		os := []int(out.Shape())
		// Broadcast cond and x first, then pick y where cond is false.
		cb := NewDense(Spec{DType: Bool, Shape: Shape(os)})
		bcast(data[bool](cond), cond.Shape(), []bool{false}, nil, data[bool](cb), os, func(a, _ bool) bool { return a })
		switch o := Backing(out).(type) {
		case []float32:
			whereKernel(data[bool](cb), data[float32](x), x.Shape(), data[float32](y), y.Shape(), o, os)
		case []float64:
			whereKernel(data[bool](cb), data[float64](x), x.Shape(), data[float64](y), y.Shape(), o, os)
		case []int32:
			whereKernel(data[bool](cb), data[int32](x), x.Shape(), data[int32](y), y.Shape(), o, os)
		case []int64:
			whereKernel(data[bool](cb), data[int64](x), x.Shape(), data[int64](y), y.Shape(), o, os)
		case []bool:
			whereKernel(data[bool](cb), data[bool](x), x.Shape(), data[bool](y), y.Shape(), o, os)
		}
		return nil
	},
}

func whereKernel[T any](cond []bool, x []T, xs tensor.Shape, y []T, ys tensor.Shape, out []T, os []int) {
	var zero T
	bcast(x, xs, []T{zero}, nil, out, os, func(a, _ T) T { return a })
	tmp := make([]T, len(out))
	bcast(y, ys, []T{zero}, nil, tmp, os, func(a, _ T) T { return a })
	for i, c := range cond {
		if !c {
			out[i] = tmp[i]
		}
	}
}

// Where returns x where cond is true and y elsewhere, broadcasting all three
// (tf.where with x and y, TF 2's where_v2 broadcasting). Options: Name.
func Where(cond, x, y any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Where", opts)
	if err != nil {
		return ErrTensor(err)
	}
	// x and y share Select's type T: a Go value takes the other's dtype, not
	// cond's (which AddOp would use, being the first tensor input).
	if x, err = likeOperand(x, y); err != nil {
		return ErrTensor(errors.Wrapf(err, "tf.Select at %s: input 1", callerSite()))
	}
	if y, err = likeOperand(y, x); err != nil {
		return ErrTensor(errors.Wrapf(err, "tf.Select at %s: input 2", callerSite()))
	}
	if !isGraphValue(x) && !isGraphValue(y) {
		// Both Go values: x converts by itself (1.0 is float32), y follows.
		g := DefaultGraph()
		if c, ok := cond.(*Tensor); ok && c != nil && c.err == nil {
			g = c.g
		}
		d, err := ConvertToTensor(x, Invalid)
		if err != nil {
			return ErrTensor(errors.Wrapf(err, "tf.Select at %s: input 1", callerSite()))
		}
		x = g.constOp(d, "")
		if y, err = likeOperand(y, x); err != nil {
			return ErrTensor(errors.Wrapf(err, "tf.Select at %s: input 2", callerSite()))
		}
	}
	return AddOp(OpSpec{Def: whereDef, Name: name, Inputs: []any{cond, x, y}}).Output(0)
}

func isGraphValue(v any) bool {
	switch v.(type) {
	case *Tensor, *Variable:
		return true
	}
	return false
}

// likeOperand converts v, when it is a Go value and other is a tensor or
// variable, to a constant of other's dtype in other's graph.
func likeOperand(v, other any) (any, error) {
	var g *Graph
	var dt DType
	switch o := other.(type) {
	case *Tensor:
		if o == nil || o.err != nil {
			return v, nil
		}
		g, dt = o.g, o.spec.DType
	case *Variable:
		if o == nil || o.err != nil {
			return v, nil
		}
		g, dt = o.g, o.dtype
	default:
		return v, nil
	}
	switch v.(type) {
	case *Tensor, *Variable, Fetch:
		return v, nil
	}
	d, err := ConvertToTensor(v, dt)
	if err != nil {
		return nil, err
	}
	return g.constOp(d, ""), nil
}

// ---- ZerosLike, OnesLike ----

func fillLikeDef(typ string, v float64) *OpDef {
	return &OpDef{
		Type:  typ,
		Infer: func(a Attrs, in []Spec) ([]Spec, error) { return []Spec{in[0]}, nil },
		Kernel: func(c *KernelContext) error {
			out := c.AllocZeroed(0)
			if v != 0 {
				if b, ok := Backing(out).([]bool); ok {
					for i := range b {
						b[i] = true
					}
				} else {
					fillFloat(out, v)
				}
			}
			return nil
		},
		Grad: func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{nil} },
	}
}

var (
	zerosLikeDef = fillLikeDef("ZerosLike", 0)
	onesLikeDef  = fillLikeDef("OnesLike", 1)
)

// ZerosLike returns zeros of x's shape and dtype (tf.zeros_like). Options: Name.
func ZerosLike(x any, opts ...Option) *Tensor { return unary(zerosLikeDef, "tf.ZerosLike", x, opts) }

// OnesLike returns ones of x's shape and dtype (tf.ones_like). Options: Name.
func OnesLike(x any, opts ...Option) *Tensor { return unary(onesLikeDef, "tf.OnesLike", x, opts) }

func init() {
	reshapeDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{reshapeLike(dy[0], op.inputs[0])}
	}
	reshapeLikeDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{reshapeLike(dy[0], op.inputs[0]), nil}
	}
	castDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		if !op.inputs[0].spec.DType.IsFloating() || !op.outputs[0].spec.DType.IsFloating() {
			return []*Tensor{nil}
		}
		return []*Tensor{Cast(dy[0], op.inputs[0].spec.DType)}
	}
	whereDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		cond, x, y := op.inputs[0], op.inputs[1], op.inputs[2]
		z := ZerosLike(dy[0])
		return []*Tensor{nil, sumTo(Where(cond, dy[0], z), x), sumTo(Where(cond, z, dy[0]), y)}
	}
}
