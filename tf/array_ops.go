package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- Placeholder, Identity ----

var placeholderDef = &OpDef{
	Type: "Placeholder",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: a["dtype"].(DType), Shape: a["shape"].(Shape)}}, nil
	},
	Kernel: func(c *KernelContext) error {
		return errors.New(missingFeedMessage(c.Op.outputs[0]))
	},
	Stateful: true,
}

// missingFeedMessage is the error text for a placeholder run without a feed,
// worded as TF's.
func missingFeedMessage(t *Tensor) string {
	return "You must feed a value for placeholder tensor '" + t.op.name + "' with dtype " + t.spec.DType.protoName() + " and shape " + t.spec.Shape.String()
}

// Placeholder returns a tensor whose value is given by a feed at Run time
// (tf.placeholder). A nil shape means unknown rank; None marks unknown
// dimensions. The placeholder package wraps it with TF's options.
//
// Options: Name.
func Placeholder(dtype DType, shape Shape, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Placeholder", opts)
	if err != nil {
		return errorTensor(err)
	}
	if dtype == Invalid || dtype > Bool {
		return errorTensor(errors.Errorf("tf.Placeholder at %s: dtype %v is not one of float32, float64, int32, int64, bool", callerSite(), dtype))
	}
	for _, d := range shape {
		if d < None {
			return errorTensor(errors.Errorf("tf.Placeholder at %s: shape %v has a negative dimension; use tf.None for an unknown one", callerSite(), []int(shape)))
		}
	}
	return AddOp(OpSpec{Def: placeholderDef, Name: name, Attrs: Attrs{"dtype": dtype, "shape": shape.Clone()}}).Output(0)
}

// isPlaceholder reports whether t is the output of a placeholder.
func isPlaceholder(t *Tensor) bool { return t.op != nil && t.op.def == placeholderDef }

// placeholderWithDefaultDef passes its input (the default) through unless
// fed; its shape is the attr shape, unknown dimensions taken from the input.
var placeholderWithDefaultDef = &OpDef{
	Type: "PlaceholderWithDefault",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		want := a["shape"].(Shape)
		got := in[0].Shape
		if want == nil {
			return []Spec{in[0]}, nil
		}
		if got == nil {
			return []Spec{{DType: in[0].DType, Shape: want.Clone()}}, nil
		}
		if len(got) != len(want) {
			return nil, errors.Errorf("the default value has shape %v, not compatible with the placeholder's shape %v", got, want)
		}
		out := want.Clone()
		for i, d := range want {
			switch {
			case d < 0:
				out[i] = got[i]
			case got[i] >= 0 && got[i] != d:
				return nil, errors.Errorf("the default value has shape %v, not compatible with the placeholder's shape %v", got, want)
			}
		}
		return []Spec{{DType: in[0].DType, Shape: out}}, nil
	},
	Kernel: func(c *KernelContext) error {
		c.Set(0, c.In[0])
		return nil
	},
	Grad: func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{dy[0]} },
}

// PlaceholderWithDefault returns a tensor whose value is input unless a
// feed gives another (tf.placeholder_with_default(input, shape)): the
// chapter's keep_prob = tf.PlaceholderWithDefault(1.0, tf.Shape{}), fed 0.5
// while training. input is a tensor or a Go value (a float64 becomes
// float32, as TF's Python float); shape is the placeholder's shape, nil for
// unknown rank, None for unknown dimensions. A feed must match shape. Its
// static shape is shape with its unknown dimensions taken from input's
// (gorgoflow infers shapes from input shapes; TF would keep them unknown).
//
// Options: Name.
func PlaceholderWithDefault(input any, shape Shape, opts ...Option) *Tensor {
	name, err := nameOnly("tf.PlaceholderWithDefault", opts)
	if err != nil {
		return errorTensor(err)
	}
	if f, ok := input.(float64); ok {
		input = Constant(f, Float32)
	}
	return AddOp(OpSpec{Def: placeholderWithDefaultDef, Name: name, Inputs: []any{input}, Attrs: Attrs{"shape": shape.Clone()}}).Output(0)
}

var identityDef = &OpDef{
	Type:  "Identity",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) { return []Spec{in[0]}, nil },
	Kernel: func(c *KernelContext) error {
		c.Set(0, c.In[0])
		return nil
	},
}

// Identity returns a tensor with the value of x (tf.identity).
func Identity(x any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Identity", opts)
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: identityDef, Name: name, Inputs: []any{x}}).Output(0)
}

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
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: reshapeDef, Name: name, Inputs: []any{x}, Attrs: Attrs{"shape": append([]int(nil), shape...)}}).Output(0)
}

var reshapeLikeDef = &OpDef{
	Type: "ReshapeLike",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		if kernels.Numel(c.In[0].Shape()) != kernels.Numel(c.OutSpecs[0].Shape) {
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
		out := c.AllocUninit(0) // every element written below
		kernels.Where(data[bool](cond), cond.Shape(), backing(x), x.Shape(), backing(y), y.Shape(), backing(out), out.Shape())
		return nil
	},
}

// Where returns x where cond is true and y elsewhere, broadcasting all three
// (tf.where with x and y, TF 2's where_v2 broadcasting). Options: Name.
func Where(cond, x, y any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Where", opts)
	if err != nil {
		return errorTensor(err)
	}
	// x and y share Select's type T: a Go value takes the other's dtype, not
	// cond's (which AddOp would use, being the first tensor input).
	if x, err = likeOperand(x, y); err != nil {
		return errorTensor(errors.Wrapf(err, "tf.Select at %s: input 1", callerSite()))
	}
	if y, err = likeOperand(y, x); err != nil {
		return errorTensor(errors.Wrapf(err, "tf.Select at %s: input 2", callerSite()))
	}
	if !isGraphValue(x) && !isGraphValue(y) {
		// Both Go values: x converts by itself (1.0 is float32), y follows.
		g := DefaultGraph()
		if c, ok := cond.(*Tensor); ok && c != nil && c.err == nil {
			g = c.g
		}
		d, err := convertToTensor(x, Invalid)
		if err != nil {
			return errorTensor(errors.Wrapf(err, "tf.Select at %s: input 1", callerSite()))
		}
		x = g.constOp(d, "")
		if y, err = likeOperand(y, x); err != nil {
			return errorTensor(errors.Wrapf(err, "tf.Select at %s: input 2", callerSite()))
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
	d, err := convertToTensor(v, dt)
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
			kernels.Fill(backing(c.AllocUninit(0)), v) // every element written
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

// ---- Fill, Zeros, Ones ----

// Zeros returns a tensor of zeros (tf.zeros). A dtype of Invalid means Float32.
func Zeros(shape Shape, dtype DType, opts ...Option) *Tensor {
	return Fill(shape, 0, dtype, opts...)
}

// Ones returns a tensor of ones (tf.ones).
func Ones(shape Shape, dtype DType, opts ...Option) *Tensor {
	return Fill(shape, 1, dtype, opts...)
}

// Fill returns a tensor of the given shape filled with value (tf.fill).
//
// Options: Name.
func Fill(shape Shape, value float64, dtype DType, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Fill", opts)
	if err != nil {
		return errorTensor(err)
	}
	if !shape.IsFullyDefined() || shape == nil {
		return errorTensor(errors.Errorf("tf.Fill at %s: shape %v must be fully known", callerSite(), shape))
	}
	if dtype == Invalid {
		dtype = Float32
	}
	d := newDense(Spec{DType: dtype, Shape: shape})
	kernels.Fill(backing(d), value)
	return AddOp(OpSpec{Def: constDef, Name: name, Attrs: Attrs{"value": d}}).Output(0)
}

func init() {
	identityDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{dy[0]} }
	reshapeDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{reshapeLike(dy[0], op.inputs[0])}
	}
	reshapeLikeDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{reshapeLike(dy[0], op.inputs[0]), nil}
	}
	whereDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		cond, x, y := op.inputs[0], op.inputs[1], op.inputs[2]
		z := ZerosLike(dy[0])
		return []*Tensor{nil, sumTo(Where(cond, dy[0], z), x), sumTo(Where(cond, z, dy[0]), y)}
	}
}
