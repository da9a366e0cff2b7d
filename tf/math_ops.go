package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- elementwise binary ops with broadcasting ----

func binaryInfer(numericOnly bool) func(a Attrs, in []Spec) ([]Spec, error) {
	return func(a Attrs, in []Spec) ([]Spec, error) {
		if in[0].DType != in[1].DType {
			return nil, errors.Errorf("dtypes differ: x is %s, y is %s (use tf.Cast)", in[0].DType, in[1].DType)
		}
		if numericOnly && !in[0].DType.IsNumeric() {
			return nil, errors.Errorf("dtype %s is not numeric", in[0].DType)
		}
		if in[0].Shape == nil || in[1].Shape == nil {
			return []Spec{{DType: in[0].DType}}, nil
		}
		s, err := broadcastShape(in[0].Shape, in[1].Shape)
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: in[0].DType, Shape: s}}, nil
	}
}

// binaryDef defines an elementwise binary op computing f.
func binaryDef(typ string, f kernels.Binary) *OpDef {
	return &OpDef{Type: typ, Infer: binaryInfer(true), Kernel: func(c *KernelContext) error { return runBinary(c, f) }}
}

var (
	addDef = binaryDef("Add", kernels.Add)
	subDef = binaryDef("Sub", kernels.Sub)
	mulDef = binaryDef("Mul", kernels.Mul)
	divDef = &OpDef{Type: "RealDiv", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			if kernels.AnyInt(backing(c.In[1]), func(v int64) bool { return v == 0 }) {
				return errors.New("Integer division by zero")
			}
			return runBinary(c, kernels.Div)
		}}
	powDef = &OpDef{Type: "Pow", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			if kernels.AnyInt(backing(c.In[1]), func(v int64) bool { return v < 0 }) {
				return errors.New("Integers to negative integer powers are not allowed")
			}
			return runBinary(c, kernels.Pow)
		}}
	// tanhGradDef is TF's TanhGrad(y, dy) = dy·(1 - y²), the gradient of
	// y = tanh(x) in one pass.
	tanhGradDef = binaryDef("TanhGrad", kernels.TanhGrad)
	maximumDef  = binaryDef("Maximum", kernels.Maximum)
	minimumDef  = binaryDef("Minimum", kernels.Minimum)
)

// runBinary computes f of the op's two inputs, broadcast, into a new output.
func runBinary(c *KernelContext, f kernels.Binary) error {
	a, b := c.In[0], c.In[1]
	out := c.AllocUninit(0) // every element written below
	switch dt := c.OutSpecs[0].DType; {
	case dt == Float32 && f.HasF(true) && a.Dtype() == out.Dtype() && b.Dtype() == out.Dtype():
		kernels.ApplyF(f, data[float32](a), a.Shape(), data[float32](b), b.Shape(), data[float32](out), out.Shape())
		return nil
	case dt == Float64 && f.HasF(false) && a.Dtype() == out.Dtype() && b.Dtype() == out.Dtype():
		kernels.ApplyF(f, data[float64](a), a.Shape(), data[float64](b), b.Shape(), data[float64](out), out.Shape())
		return nil
	}
	if !f.Apply(backing(a), a.Shape(), backing(b), b.Shape(), backing(out), out.Shape()) {
		return errors.Errorf("%s does not support %s", c.Op.def.Type, c.OutSpecs[0].DType)
	}
	return nil
}

func tanhGrad(y, dy *Tensor) *Tensor {
	return AddOp(OpSpec{Def: tanhGradDef, Inputs: []any{y, dy}}).Output(0)
}

func binary(def *OpDef, fn string, x, y any, opts []Option) *Tensor {
	name, err := nameOnly(fn, opts)
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: def, Name: name, Inputs: []any{x, y}}).Output(0)
}

// Add returns x + y elementwise with broadcasting (tf.add). Go numbers and
// slices are converted to the other operand's dtype. Options: Name.
func Add(x, y any, opts ...Option) *Tensor { return binary(addDef, "tf.Add", x, y, opts) }

// Sub returns x - y with broadcasting (tf.subtract). Options: Name.
func Sub(x, y any, opts ...Option) *Tensor { return binary(subDef, "tf.Sub", x, y, opts) }

// Mul returns x * y elementwise with broadcasting (tf.multiply). Options: Name.
func Mul(x, y any, opts ...Option) *Tensor { return binary(mulDef, "tf.Mul", x, y, opts) }

// Div returns x / y with broadcasting (tf.div): true division for floats,
// floor division for integers. Options: Name.
func Div(x, y any, opts ...Option) *Tensor { return binary(divDef, "tf.Div", x, y, opts) }

// Pow returns x to the power y elementwise (tf.pow). Options: Name.
func Pow(x, y any, opts ...Option) *Tensor { return binary(powDef, "tf.Pow", x, y, opts) }

// Maximum returns the elementwise maximum (tf.maximum). Options: Name.
func Maximum(x, y any, opts ...Option) *Tensor { return binary(maximumDef, "tf.Maximum", x, y, opts) }

// Minimum returns the elementwise minimum (tf.minimum). Options: Name.
func Minimum(x, y any, opts ...Option) *Tensor { return binary(minimumDef, "tf.Minimum", x, y, opts) }

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
		out := c.AllocUninit(0) // every element written below
		kernels.Cast(backing(out), backing(x))
		return nil
	},
}

// Cast converts x to dtype (tf.cast): floats to integers truncate toward
// zero, bools become 0 and 1, numbers become true when non-zero.
// Options: Name.
func Cast(x any, dtype DType, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Cast", opts)
	if err != nil {
		return errorTensor(err)
	}
	if dtype == Invalid || dtype > Bool {
		return errorTensor(errors.Errorf("tf.Cast at %s: dtype %v is not a supported type", callerSite(), dtype))
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

func cmpDef(typ string, f kernels.Compare) *OpDef {
	return &OpDef{Type: typ, Infer: compareInfer, Kernel: func(c *KernelContext) error { return runCompare(c, f) }}
}

// runCompare computes f of the op's two inputs, broadcast, into a new bool
// output.
func runCompare(c *KernelContext, f kernels.Compare) error {
	a, b := c.In[0], c.In[1]
	out := c.AllocUninit(0) // every element written below
	if !f.Apply(backing(a), a.Shape(), backing(b), b.Shape(), data[bool](out), out.Shape()) {
		return errors.Errorf("%s does not support %s", c.Op.def.Type, DTypeOf(a.Dtype()))
	}
	return nil
}

var (
	equalDef        = cmpDef("Equal", kernels.Equal)
	notEqualDef     = cmpDef("NotEqual", kernels.NotEqual)
	greaterDef      = cmpDef("Greater", kernels.Greater)
	greaterEqualDef = cmpDef("GreaterEqual", kernels.GreaterEqual)
	lessDef         = cmpDef("Less", kernels.Less)
	lessEqualDef    = cmpDef("LessEqual", kernels.LessEqual)
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

// ---- AddN ----

var addNDef = &OpDef{
	Type: "AddN",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if len(in) == 0 {
			return nil, errors.New("needs at least one input")
		}
		out := in[0]
		for i, s := range in[1:] {
			if s.DType != out.DType {
				return nil, errors.Errorf("input %d has dtype %s, input 0 has %s", i+1, s.DType, out.DType)
			}
			if !out.DType.IsNumeric() {
				return nil, errors.Errorf("dtype %s is not numeric", out.DType)
			}
			if out.Shape == nil {
				out.Shape = s.Shape
				continue
			}
			if s.Shape == nil {
				continue
			}
			if !out.Shape.IsCompatibleWith(s.Shape) {
				return nil, errors.Errorf("all inputs must have the same shape: input %d is %v, input 0 is %v (tf.AddN does not broadcast)", i+1, s.Shape, in[0].Shape)
			}
			m := out.Shape.Clone()
			for j := range m {
				m[j] = mergeDim(m[j], s.Shape[j])
			}
			out.Shape = m
		}
		return []Spec{out}, nil
	},
	Kernel: func(c *KernelContext) error {
		out := c.AllocUninit(0) // every element written
		for i, in := range c.In {
			if !Shape(in.Shape()).Equal(Shape(out.Shape())) {
				return errors.Errorf("input %d has shape %v, want %v", i, Shape(in.Shape()), Shape(out.Shape()))
			}
		}
		switch c.OutSpecs[0].DType {
		case Float32:
			addNF[float32](out, c.In)
			return nil
		case Float64:
			addNF[float64](out, c.In)
			return nil
		}
		ins := make([]any, len(c.In))
		for i, in := range c.In {
			ins[i] = backing(in)
		}
		kernels.AddN(backing(out), ins)
		return nil
	},
}

// AddN returns the sum of tensors of one shape and dtype (tf.add_n).
func AddN(inputs ...any) *Tensor {
	if len(inputs) == 0 {
		return errorTensor(errors.Errorf("tf.AddN at %s: needs at least one input", callerSite()))
	}
	return AddOp(OpSpec{Def: addNDef, Inputs: inputs}).Output(0)
}

// ---- broadcasting helpers for gradients ----

// sumToDef reduces dy (a broadcast result) to the shape of like, summing over
// broadcast dimensions (TF's BroadcastGradientArgs + Sum + Reshape).
var sumToDef = &OpDef{
	Type: "SumToShapeOf",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		dy, like := c.In[0], c.In[1]
		if Shape(dy.Shape()).Equal(Shape(like.Shape())) {
			c.Set(0, dy)
			return nil
		}
		out := c.Alloc(0)
		os, ds := []int(out.Shape()), []int(dy.Shape())
		if len(os) > len(ds) {
			return errors.Errorf("cannot reduce gradient of shape %v to %v", ds, os)
		}
		switch c.OutSpecs[0].DType {
		case Float32:
			kernels.SumToF(data[float32](out), os, data[float32](dy), ds)
		case Float64:
			kernels.SumToF(data[float64](out), os, data[float64](dy), ds)
		default:
			kernels.SumTo(backing(out), kernels.BroadcastStrides(os, ds), backing(dy), ds)
		}
		return nil
	},
}

// addNF sets out to the sum of ins (float slices of out's size).
func addNF[T kernels.Float](out *tensor.Dense, ins []*tensor.Dense) {
	o := data[T](out)
	copy(o, data[T](ins[0]))
	for _, in := range ins[1:] {
		kernels.AddF(o, data[T](in))
	}
}

// sumTo returns dy summed down to x's shape (nil dy stays nil).
func sumTo(dy, x *Tensor) *Tensor {
	if dy == nil {
		return nil
	}
	if dy.spec.Shape != nil && x.spec.Shape != nil && dy.spec.Shape.Equal(x.spec.Shape) && dy.spec.Shape.IsFullyDefined() {
		return dy
	}
	return AddOp(OpSpec{Def: sumToDef, Name: "SumToShapeOf", Inputs: []any{dy, x}}).Output(0)
}

// broadcastLikeDef broadcasts x to the shape of like.
var broadcastLikeDef = &OpDef{
	Type: "BroadcastToShapeOf",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		out := c.AllocUninit(0) // every element written below
		xs, os := []int(x.Shape()), []int(out.Shape())
		if len(xs) > len(os) {
			return errors.Errorf("cannot broadcast shape %v to %v", xs, os)
		}
		for i := range xs {
			if d := os[len(os)-len(xs)+i]; xs[i] != 1 && xs[i] != d {
				return errors.Errorf("cannot broadcast shape %v to %v", xs, os)
			}
		}
		kernels.BroadcastTo(backing(x), xs, backing(out), os)
		return nil
	},
}

func broadcastLike(x, like *Tensor) *Tensor {
	return AddOp(OpSpec{Def: broadcastLikeDef, Name: "BroadcastToShapeOf", Inputs: []any{x, like}}).Output(0)
}

// ---- elementwise unary ops ----

func unaryInfer(floatOnly bool) func(a Attrs, in []Spec) ([]Spec, error) {
	return func(a Attrs, in []Spec) ([]Spec, error) {
		if floatOnly && !in[0].DType.IsFloating() {
			return nil, errors.Errorf("dtype %s is not a floating-point type", in[0].DType)
		}
		if !floatOnly && !in[0].DType.IsNumeric() {
			return nil, errors.Errorf("dtype %s is not numeric", in[0].DType)
		}
		return []Spec{in[0]}, nil
	}
}

func unaryDef(typ string, floatOnly bool, f kernels.Unary) *OpDef {
	return &OpDef{Type: typ, Infer: unaryInfer(floatOnly), Kernel: func(c *KernelContext) error { return runUnary(c, f) }}
}

// runUnary computes f of the op's input into a new output.
func runUnary(c *KernelContext, f kernels.Unary) error {
	in := c.In[0]
	out := c.AllocUninit(0) // every element written below
	switch dt := DTypeOf(in.Dtype()); {
	case dt == Float32 && f.HasF(true) && in.Dtype() == out.Dtype():
		kernels.UnaryF(f, data[float32](in), data[float32](out))
		return nil
	case dt == Float64 && f.HasF(false) && in.Dtype() == out.Dtype():
		kernels.UnaryF(f, data[float64](in), data[float64](out))
		return nil
	}
	if !f.Apply(backing(in), backing(out)) {
		return errors.Errorf("%s does not support %s", c.Op.def.Type, DTypeOf(in.Dtype()))
	}
	return nil
}

// unaryGrad adapts a gradient written in terms of x, y = f(x) and dy.
func unaryGrad(grad func(x, y, dy *Tensor) *Tensor) func(op *Operation, dy []*Tensor) []*Tensor {
	return func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{grad(op.inputs[0], op.outputs[0], dy[0])}
	}
}

var (
	negDef     = unaryDef("Neg", false, kernels.Neg)
	absDef     = unaryDef("Abs", false, kernels.Abs)
	signDef    = unaryDef("Sign", false, kernels.Sign)
	squareDef  = unaryDef("Square", false, kernels.Square)
	tanhDef    = unaryDef("Tanh", true, kernels.Tanh)
	sigmoidDef = unaryDef("Sigmoid", true, kernels.Sigmoid)
	expDef     = unaryDef("Exp", true, kernels.Exp)
	logDef     = unaryDef("Log", true, kernels.Log)
	sqrtDef    = unaryDef("Sqrt", true, kernels.Sqrt)
	floorDef   = unaryDef("Floor", true, kernels.Floor)
	log1pDef   = unaryDef("Log1p", true, kernels.Log1p)
)

func unary(def *OpDef, fn string, x any, opts []Option) *Tensor {
	name, err := nameOnly(fn, opts)
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: def, Name: name, Inputs: []any{x}}).Output(0)
}

// Neg returns -x (tf.negative). Options: Name.
func Neg(x any, opts ...Option) *Tensor { return unary(negDef, "tf.Neg", x, opts) }

// Abs returns |x| (tf.abs). Options: Name.
func Abs(x any, opts ...Option) *Tensor { return unary(absDef, "tf.Abs", x, opts) }

// Sign returns -1, 0 or 1 by the sign of x (tf.sign). Options: Name.
func Sign(x any, opts ...Option) *Tensor { return unary(signDef, "tf.Sign", x, opts) }

// Square returns x*x (tf.square). Options: Name.
func Square(x any, opts ...Option) *Tensor { return unary(squareDef, "tf.Square", x, opts) }

// Tanh returns the hyperbolic tangent (tf.tanh). Options: Name.
func Tanh(x any, opts ...Option) *Tensor { return unary(tanhDef, "tf.Tanh", x, opts) }

// Sigmoid returns 1/(1+exp(-x)) (tf.sigmoid). Options: Name.
func Sigmoid(x any, opts ...Option) *Tensor { return unary(sigmoidDef, "tf.Sigmoid", x, opts) }

// Exp returns e^x (tf.exp). Options: Name.
func Exp(x any, opts ...Option) *Tensor { return unary(expDef, "tf.Exp", x, opts) }

// Log returns the natural logarithm (tf.log). Options: Name.
func Log(x any, opts ...Option) *Tensor { return unary(logDef, "tf.Log", x, opts) }

// Sqrt returns the square root (tf.sqrt). Options: Name.
func Sqrt(x any, opts ...Option) *Tensor { return unary(sqrtDef, "tf.Sqrt", x, opts) }

// Floor returns the largest integer not above x, elementwise (tf.floor),
// for float32 and float64. As TF's, it has no gradient (its derivative is
// zero almost everywhere): nothing flows back through it. Options: Name.
func Floor(x any, opts ...Option) *Tensor { return unary(floorDef, "tf.Floor", x, opts) }

// Log1p returns log(1 + x), accurate for small x (tf.log1p). Options: Name.
func Log1p(x any, opts ...Option) *Tensor { return unary(log1pDef, "tf.Log1p", x, opts) }

func init() {
	addNDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		out := make([]*Tensor, len(op.inputs))
		for i := range out {
			out[i] = dy[0]
		}
		return out
	}
	castDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		if !op.inputs[0].spec.DType.IsFloating() || !op.outputs[0].spec.DType.IsFloating() {
			return []*Tensor{nil}
		}
		return []*Tensor{Cast(dy[0], op.inputs[0].spec.DType)}
	}
	signDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return ZerosLike(x) })
	negDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Neg(dy) })
	absDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Sign(x)) })
	squareDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Mul(x, 2)) })
	tanhDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return tanhGrad(y, dy) })
	tanhGradDef.Grad = func(op *Operation, g []*Tensor) []*Tensor {
		y, dy := op.inputs[0], op.inputs[1]
		return []*Tensor{Mul(Mul(g[0], dy), Mul(y, -2.0)), tanhGrad(y, g[0])}
	}
	sigmoidDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Mul(y, Sub(1, y))) })
	expDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, y) })
	logDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Div(dy, x) })
	floorDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{nil} }
	log1pDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Div(dy, Add(x, 1)) })
	sqrtDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Div(Mul(dy, 0.5), y) })
	addDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		return []*Tensor{sumTo(dy[0], x), sumTo(dy[0], y)}
	}
	subDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		return []*Tensor{sumTo(dy[0], x), sumTo(Neg(dy[0]), y)}
	}
	mulDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		return []*Tensor{sumTo(Mul(dy[0], y), x), sumTo(Mul(dy[0], x), y)}
	}
	divDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		return []*Tensor{sumTo(Div(dy[0], y), x), sumTo(Neg(Div(Mul(dy[0], x), Square(y))), y)}
	}
	powDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		// d/dx x^y = y x^(y-1); d/dy x^y = x^y log x (0 where x <= 0, as TF).
		x, y, z := op.inputs[0], op.inputs[1], op.outputs[0]
		dx := Mul(dy[0], Mul(y, Pow(x, Sub(y, 1))))
		safeLog := Where(Greater(x, 0), Log(Where(Greater(x, 0), x, OnesLike(x))), ZerosLike(x))
		dyy := Mul(dy[0], Mul(z, safeLog))
		return []*Tensor{sumTo(dx, x), sumTo(dyy, y)}
	}
	maximumDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		m := GreaterEqual(x, y)
		z := ZerosLike(dy[0])
		return []*Tensor{sumTo(Where(m, dy[0], z), x), sumTo(Where(m, z, dy[0]), y)}
	}
	minimumDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		m := LessEqual(x, y)
		z := ZerosLike(dy[0])
		return []*Tensor{sumTo(Where(m, dy[0], z), x), sumTo(Where(m, z, dy[0]), y)}
	}
	sumToDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{broadcastLike(dy[0], op.inputs[0]), nil}
	}
	broadcastLikeDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{sumTo(dy[0], op.inputs[0]), nil}
	}
}
