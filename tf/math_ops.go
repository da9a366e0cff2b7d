package tf

import (
	"math"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/fastmath"

	"github.com/pkg/errors"
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

func add[T num](a, b T) T { return a + b }
func sub[T num](a, b T) T { return a - b }
func mul[T num](a, b T) T { return a * b }
func div[T num](a, b T) T { return a / b }
func maximum[T num](a, b T) T {
	if a > b || a != a {
		return a
	}
	return b
}
func minimum[T num](a, b T) T {
	if a < b || a != a {
		return a
	}
	return b
}
func pow32(a, b float32) float32 { return float32(math.Pow(float64(a), float64(b))) }
func ipow[T ~int32 | ~int64](a, b T) T {
	r := T(1)
	for ; b > 0; b-- {
		r *= a
	}
	return r
}

// intDiv is TF's floor division for integer Div (tf.div on ints floors).
func intDiv[T ~int32 | ~int64](a, b T) T {
	if b == 0 {
		return 0
	}
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

var (
	addDef = &OpDef{Type: "Add", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			return runBinary(c, binFns{add[float32], add[float64], add[int32], add[int64]})
		}}
	subDef = &OpDef{Type: "Sub", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			return runBinary(c, binFns{sub[float32], sub[float64], sub[int32], sub[int64]})
		}}
	mulDef = &OpDef{Type: "Mul", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			return runBinary(c, binFns{mul[float32], mul[float64], mul[int32], mul[int64]})
		}}
	divDef = &OpDef{Type: "RealDiv", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			if anyInt(c.In[1], func(v int64) bool { return v == 0 }) {
				return errors.New("Integer division by zero")
			}
			return runBinary(c, binFns{div[float32], div[float64], intDiv[int32], intDiv[int64]})
		}}
	powDef = &OpDef{Type: "Pow", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			if anyInt(c.In[1], func(v int64) bool { return v < 0 }) {
				return errors.New("Integers to negative integer powers are not allowed")
			}
			return runBinary(c, binFns{pow32, math.Pow, ipow[int32], ipow[int64]})
		}}
	maximumDef = &OpDef{Type: "Maximum", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			return runBinary(c, binFns{maximum[float32], maximum[float64], maximum[int32], maximum[int64]})
		}}
	minimumDef = &OpDef{Type: "Minimum", Infer: binaryInfer(true),
		Kernel: func(c *KernelContext) error {
			return runBinary(c, binFns{minimum[float32], minimum[float64], minimum[int32], minimum[int64]})
		}}
)

// anyInt reports whether an integer tensor has an element for which bad
// holds (false for other dtypes): TF's integer Div and Pow check their
// divisors and exponents so.
func anyInt(d *tensor.Dense, bad func(int64) bool) bool {
	switch x := Backing(d).(type) {
	case []int32:
		for _, v := range x {
			if bad(int64(v)) {
				return true
			}
		}
	case []int64:
		for _, v := range x {
			if bad(v) {
				return true
			}
		}
	}
	return false
}

func binary(def *OpDef, fn string, x, y any, opts []Option) *Tensor {
	name, err := nameOnly(fn, opts)
	if err != nil {
		return ErrTensor(err)
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
		out := c.AllocZeroed(0)
		os, ds := []int(out.Shape()), []int(dy.Shape())
		if len(os) > len(ds) {
			return errors.Errorf("cannot reduce gradient of shape %v to %v", ds, os)
		}
		st := bstrides(os, ds)
		switch DTypeOf(dy.Dtype()) {
		case Float32:
			sumToKernel(data[float32](dy), ds, data[float32](out), st)
		case Float64:
			sumToKernel(data[float64](dy), ds, data[float64](out), st)
		case Int32:
			sumToKernel(data[int32](dy), ds, data[int32](out), st)
		case Int64:
			sumToKernel(data[int64](dy), ds, data[int64](out), st)
		}
		return nil
	},
}

func sumToKernel[T num](in []T, shape []int, out []T, st []int) {
	idx := make([]int, len(shape))
	o := 0
	for i := range in {
		out[o] += in[i]
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
		out := c.Alloc(0)
		xs, os := []int(x.Shape()), []int(out.Shape())
		if len(xs) > len(os) {
			return errors.Errorf("cannot broadcast shape %v to %v", xs, os)
		}
		for i := range xs {
			if d := os[len(os)-len(xs)+i]; xs[i] != 1 && xs[i] != d {
				return errors.Errorf("cannot broadcast shape %v to %v", xs, os)
			}
		}
		zero := NewDense(Spec{DType: DTypeOf(x.Dtype()), Shape: Shape{}})
		switch DTypeOf(x.Dtype()) {
		case Float32:
			bcast(data[float32](x), xs, data[float32](zero), nil, data[float32](out), os, add[float32])
		case Float64:
			bcast(data[float64](x), xs, data[float64](zero), nil, data[float64](out), os, add[float64])
		case Int32:
			bcast(data[int32](x), xs, data[int32](zero), nil, data[int32](out), os, add[int32])
		case Int64:
			bcast(data[int64](x), xs, data[int64](zero), nil, data[int64](out), os, add[int64])
		}
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

func f32of(f func(float64) float64) func(float32) float32 {
	return func(x float32) float32 { return float32(f(float64(x))) }
}

func neg[T num](x T) T { return -x }
func abs[T num](x T) T {
	if x < 0 {
		return -x
	}
	return x
}
func square[T num](x T) T { return x * x }
func relu[T num](x T) T {
	if x > 0 {
		return x
	}
	return 0
}
func sign[T num](x T) T {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
func sigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func unaryDef(typ string, floatOnly bool, fns unFns) *OpDef {
	return &OpDef{Type: typ, Infer: unaryInfer(floatOnly), Kernel: func(c *KernelContext) error { return runUnary(c, fns) }}
}

// unaryGrad adapts a gradient written in terms of x, y = f(x) and dy.
func unaryGrad(grad func(x, y, dy *Tensor) *Tensor) func(op *Operation, dy []*Tensor) []*Tensor {
	return func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{grad(op.inputs[0], op.outputs[0], dy[0])}
	}
}

var (
	negDef     = unaryDef("Neg", false, unFns{neg[float32], neg[float64], neg[int32], neg[int64]})
	absDef     = unaryDef("Abs", false, unFns{abs[float32], abs[float64], abs[int32], abs[int64]})
	signDef    = unaryDef("Sign", false, unFns{sign[float32], sign[float64], sign[int32], sign[int64]})
	squareDef  = unaryDef("Square", false, unFns{square[float32], square[float64], square[int32], square[int64]})
	tanhDef    = unaryDef("Tanh", true, unFns{fastmath.Tanh32, math.Tanh, nil, nil})
	sigmoidDef = unaryDef("Sigmoid", true, unFns{f32of(sigmoid64), sigmoid64, nil, nil})
	reluDef    = unaryDef("Relu", false, unFns{relu[float32], relu[float64], relu[int32], relu[int64]})
	expDef     = unaryDef("Exp", true, unFns{f32of(math.Exp), math.Exp, nil, nil})
	logDef     = unaryDef("Log", true, unFns{f32of(math.Log), math.Log, nil, nil})
	sqrtDef    = unaryDef("Sqrt", true, unFns{f32of(math.Sqrt), math.Sqrt, nil, nil})
)

func unary(def *OpDef, fn string, x any, opts []Option) *Tensor {
	name, err := nameOnly(fn, opts)
	if err != nil {
		return ErrTensor(err)
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

// Relu returns max(x, 0) (tf.nn.relu). Options: Name.
func Relu(x any, opts ...Option) *Tensor { return unary(reluDef, "tf.Relu", x, opts) }

// Exp returns e^x (tf.exp). Options: Name.
func Exp(x any, opts ...Option) *Tensor { return unary(expDef, "tf.Exp", x, opts) }

// Log returns the natural logarithm (tf.log). Options: Name.
func Log(x any, opts ...Option) *Tensor { return unary(logDef, "tf.Log", x, opts) }

// Sqrt returns the square root (tf.sqrt). Options: Name.
func Sqrt(x any, opts ...Option) *Tensor { return unary(sqrtDef, "tf.Sqrt", x, opts) }

func init() {
	signDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return ZerosLike(x) })
	negDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Neg(dy) })
	absDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Sign(x)) })
	squareDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Mul(x, 2)) })
	tanhDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Sub(1, Square(y))) })
	sigmoidDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Mul(y, Sub(1, y))) })
	reluDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Where(Greater(x, 0), dy, ZerosLike(dy)) })
	expDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, y) })
	logDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Div(dy, x) })
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
