package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// More of TF's elementwise binary ops, all broadcasting as numpy does:
// atan2, squared_difference, the floor and truncating divisions and
// modulos, truediv, and the logical ops. Their gradients are TF's
// (math_grad.py), summed over broadcast axes.

// floatBinaryInfer is binaryInfer for ops TF defines on floats only.
func floatBinaryInfer(a Attrs, in []Spec) ([]Spec, error) {
	out, err := binaryInfer(true)(a, in)
	if err != nil {
		return nil, err
	}
	if !in[0].DType.IsFloating() {
		return nil, errors.Errorf("dtype %s is not a floating-point type", in[0].DType)
	}
	return out, nil
}

// intOnlyBinaryInfer is binaryInfer for ops TF's CPU kernels define on
// integers only.
func intOnlyBinaryInfer(a Attrs, in []Spec) ([]Spec, error) {
	out, err := binaryInfer(true)(a, in)
	if err != nil {
		return nil, err
	}
	if !in[0].DType.IsInteger() {
		return nil, errors.Errorf("dtype %s is not an integer type: TF's kernel is for integers only (use tf.FloorDiv or tf.Div for floats)", in[0].DType)
	}
	return out, nil
}

// intDivDef is an integer-checked division: an integer divisor of 0 is an
// error at Run time ("Integer division by zero"), as TF's.
func intDivDef(typ string, infer func(Attrs, []Spec) ([]Spec, error), f kernels.Binary) *OpDef {
	return &OpDef{Type: typ, Infer: infer,
		Kernel: func(c *KernelContext) error {
			if kernels.AnyInt(backing(c.In[1]), func(v int64) bool { return v == 0 }) {
				return errors.New("Integer division by zero")
			}
			return runBinary(c, f)
		}}
}

var (
	atan2Def             = &OpDef{Type: "Atan2", Infer: floatBinaryInfer, Kernel: func(c *KernelContext) error { return runBinary(c, kernels.Atan2) }}
	squaredDifferenceDef = binaryDef("SquaredDifference", kernels.SquaredDifference)
	divNoNanDef          = &OpDef{Type: "DivNoNan", Infer: floatBinaryInfer, Kernel: func(c *KernelContext) error { return runBinary(c, kernels.DivNoNan) }}
	floorDivDef          = intDivDef("FloorDiv", binaryInfer(true), kernels.FloorDiv)
	floorModDef          = intDivDef("FloorMod", binaryInfer(true), kernels.FloorMod)
	truncateDivDef       = intDivDef("TruncateDiv", intOnlyBinaryInfer, kernels.TruncateDiv)
	truncateModDef       = intDivDef("TruncateMod", binaryInfer(true), kernels.TruncateMod)
)

// Atan2 returns the angle of the point (x, y), atan(y/x) placed in the
// quadrant of the signs of y and x, in [-π, π] (tf.atan2(y, x): y comes
// first). For float32 and float64. Options: Name.
func Atan2(y, x any, opts ...Option) *Tensor { return binary(atan2Def, "tf.Atan2", y, x, opts) }

// SquaredDifference returns (x - y)² elementwise (tf.squared_difference).
// Options: Name.
func SquaredDifference(x, y any, opts ...Option) *Tensor {
	return binary(squaredDifferenceDef, "tf.SquaredDifference", x, y, opts)
}

// DivNoNan returns x / y, and 0 where y is 0 (tf.div_no_nan), for
// float32 and float64. Its gradient is TF's: 0 where y is 0.
// Options: Name.
func DivNoNan(x, y any, opts ...Option) *Tensor {
	return binary(divNoNanDef, "tf.DivNoNan", x, y, opts)
}

// FloorDiv returns floor(x / y) elementwise, Python's // (tf.floordiv, TF's
// FloorDiv op): floats give a whole float, integers round toward -inf. An
// integer y of 0 is an error at Run time. As TF's, it has no gradient.
// Options: Name.
func FloorDiv(x, y any, opts ...Option) *Tensor {
	return binary(floorDivDef, "tf.FloorDiv", x, y, opts)
}

// FloorMod returns x - floor(x/y)·y, Python's %: the remainder takes y's
// sign (tf.floormod, also tf.mod). An integer y of 0 is an error at Run
// time. Options: Name.
func FloorMod(x, y any, opts ...Option) *Tensor {
	return binary(floorModDef, "tf.FloorMod", x, y, opts)
}

// Mod is FloorMod (tf.mod). Options: Name.
func Mod(x, y any, opts ...Option) *Tensor { return binary(floorModDef, "tf.Mod", x, y, opts) }

// TruncateDiv returns x / y rounded toward zero, C's integer division
// (tf.truncatediv), for int32 and int64 (TF's CPU kernel is for integers
// only). A y of 0 is an error at Run time. As TF's, it has no gradient.
// Options: Name.
func TruncateDiv(x, y any, opts ...Option) *Tensor {
	return binary(truncateDivDef, "tf.TruncateDiv", x, y, opts)
}

// TruncateMod returns the remainder of TruncateDiv, which takes x's sign:
// C's % and fmod (tf.truncatemod). An integer y of 0 is an error at Run
// time. As TF, gorgoflow defines no gradient for it: tf.Gradients through
// it is an error. Options: Name.
func TruncateMod(x, y any, opts ...Option) *Tensor {
	return binary(truncateModDef, "tf.TruncateMod", x, y, opts)
}

// Truediv divides x by y as Python 3's / (tf.truediv): floats divide as
// they are; integers are cast first, int32 and int64 to float64, as TF's
// (so the quotient of int32 tensors is float64). x and y must have one
// dtype. Options: Name.
func Truediv(x, y any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Truediv", opts)
	if err != nil {
		return errorTensor(err)
	}
	xt, yt, err := twoTensors(x, y)
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.Truediv at %s", callerSite()))
	}
	if xt.DType() != yt.DType() {
		return errorTensor(errors.Errorf("tf.Truediv at %s: x has dtype %s and y %s, want one dtype (use tf.Cast)", callerSite(), xt.DType(), yt.DType()))
	}
	if xt.DType().IsInteger() {
		xt, yt = Cast(xt, Float64), Cast(yt, Float64)
	}
	if name == "" {
		name = "truediv"
	}
	return AddOp(OpSpec{Def: divDef, Name: name, Inputs: []any{xt, yt}}).Output(0)
}

// twoTensors converts the operands of a binary op to tensors, a Go value
// taking the other operand's dtype.
func twoTensors(x, y any) (*Tensor, *Tensor, error) {
	hint := Invalid
	for _, v := range []any{x, y} {
		switch t := v.(type) {
		case *Tensor:
			if t != nil && hint == Invalid {
				hint = t.DType()
			}
		case *Variable:
			if t != nil && hint == Invalid {
				hint = t.dtype
			}
		}
	}
	xt, err := toTensor(x, hint)
	if err != nil {
		return nil, nil, err
	}
	yt, err := toTensor(y, hint)
	if err != nil {
		return nil, nil, err
	}
	return xt, yt, nil
}

// toTensor converts an op argument to a tensor, a Go value to a constant
// of dtype (or of its own type for Invalid).
func toTensor(v any, dtype DType) (*Tensor, error) {
	switch t := v.(type) {
	case *Tensor:
		if t == nil {
			return nil, errors.New("an operand is a nil *tf.Tensor")
		}
		return t, t.err
	case *Variable:
		if t == nil {
			return nil, errors.New("an operand is a nil *tf.Variable")
		}
		return t.value, t.err
	}
	d, err := convertToTensor(v, dtype)
	if err != nil {
		return nil, err
	}
	return Constant(d, DTypeOf(d.Dtype())), nil
}

// ---- logical ops ----

func boolInfer(a Attrs, in []Spec) ([]Spec, error) {
	for i, s := range in {
		if s.DType != Bool {
			return nil, errors.Errorf("input %d has dtype %s, want bool", i, s.DType)
		}
	}
	if len(in) == 1 {
		return []Spec{in[0]}, nil
	}
	return binaryInfer(false)(a, in)
}

func logicalDef(typ string, or bool) *OpDef {
	return &OpDef{Type: typ, Infer: boolInfer, Kernel: func(c *KernelContext) error {
		a, b := c.In[0], c.In[1]
		out := c.AllocUninit(0) // every element written
		kernels.Logical(data[bool](a), a.Shape(), data[bool](b), b.Shape(), data[bool](out), out.Shape(), or)
		return nil
	}}
}

var (
	logicalAndDef = logicalDef("LogicalAnd", false)
	logicalOrDef  = logicalDef("LogicalOr", true)
	logicalNotDef = &OpDef{Type: "LogicalNot", Infer: boolInfer, Kernel: func(c *KernelContext) error {
		kernels.Not(data[bool](c.In[0]), data[bool](c.AllocUninit(0)))
		return nil
	}}
)

// LogicalAnd returns x AND y elementwise for bool tensors, with
// broadcasting (tf.logical_and). Options: Name.
func LogicalAnd(x, y any, opts ...Option) *Tensor {
	return binary(logicalAndDef, "tf.LogicalAnd", x, y, opts)
}

// LogicalOr returns x OR y elementwise for bool tensors, with broadcasting
// (tf.logical_or). Options: Name.
func LogicalOr(x, y any, opts ...Option) *Tensor {
	return binary(logicalOrDef, "tf.LogicalOr", x, y, opts)
}

// LogicalNot returns NOT x elementwise for a bool tensor (tf.logical_not).
// Options: Name.
func LogicalNot(x any, opts ...Option) *Tensor { return unary(logicalNotDef, "tf.LogicalNot", x, opts) }

// LogicalXor returns x XOR y elementwise for bool tensors, with
// broadcasting (tf.logical_xor). As TF 1.x's, it is built as
// (x OR y) AND NOT (x AND y), in a name scope "LogicalXor" (Name sets it).
func LogicalXor(x, y any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.LogicalXor", opts)
	if err != nil {
		return errorTensor(err)
	}
	xt, yt, err := twoTensors(x, y)
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.LogicalXor at %s", callerSite()))
	}
	if name == "" {
		name = "LogicalXor"
	}
	defer xt.Graph().NameScope(name)()
	return LogicalAnd(LogicalOr(xt, yt), LogicalNot(LogicalAnd(xt, yt)))
}

func init() {
	// TF's _Atan2Grad: dy·x/(x²+y²) for y (input 0), -dy·y/(x²+y²) for x.
	atan2Def.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		y, x := op.inputs[0], op.inputs[1]
		inv := Div(dy[0], Add(Square(x), Square(y)))
		return []*Tensor{sumTo(Mul(x, inv), y), sumTo(Mul(Neg(y), inv), x)}
	}
	squaredDifferenceDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		gx := Mul(Mul(dy[0], 2.0), Sub(x, y))
		return []*Tensor{sumTo(gx, x), Neg(sumTo(gx, y))}
	}
	// TF's _DivNoNanGrad: div_no_nan(dy, y) for x,
	// dy·div_no_nan(div_no_nan(-x, y), y) for y.
	divNoNanDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		return []*Tensor{sumTo(DivNoNan(dy[0], y), x), sumTo(Mul(dy[0], DivNoNan(DivNoNan(Neg(x), y), y)), y)}
	}
	floorDivDef.Grad = noGrad
	// TF's _FloorModGrad: dy for x, -dy·floor(x/y) for y.
	floorModDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y := op.inputs[0], op.inputs[1]
		return []*Tensor{sumTo(dy[0], x), sumTo(Mul(dy[0], Neg(FloorDiv(x, y))), y)}
	}
	truncateDivDef.Grad = noGrad
	// TruncateMod has no registered gradient in TF: tf.Gradients through
	// it fails, as TF's LookupError.
	logicalAndDef.Grad = noGrad
	logicalOrDef.Grad = noGrad
	logicalNotDef.Grad = noGrad
}
