package tf

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// More of TF's elementwise unary math ops: rounding, reciprocals, the
// trigonometric and hyperbolic functions, expm1, the error functions and
// the float class tests. Their gradients are TF's (math_grad.py).

var (
	roundDef      = unaryDef("Round", false, kernels.Round)
	ceilDef       = unaryDef("Ceil", true, kernels.Ceil)
	rsqrtDef      = unaryDef("Rsqrt", true, kernels.Rsqrt)
	reciprocalDef = unaryDef("Reciprocal", true, kernels.Reciprocal)
	sinDef        = unaryDef("Sin", true, kernels.Sin)
	cosDef        = unaryDef("Cos", true, kernels.Cos)
	tanDef        = unaryDef("Tan", true, kernels.Tan)
	atanDef       = unaryDef("Atan", true, kernels.Atan)
	sinhDef       = unaryDef("Sinh", true, kernels.Sinh)
	coshDef       = unaryDef("Cosh", true, kernels.Cosh)
	expm1Def      = unaryDef("Expm1", true, kernels.Expm1)
	erfDef        = unaryDef("Erf", true, kernels.Erf)
	erfcDef       = unaryDef("Erfc", true, kernels.Erfc)
)

// Round rounds x to the nearest integer, halves to the even one (banker's
// rounding: 0.5 and -0.5 round to 0, 1.5 and 2.5 to 2), as tf.round.
// Integers are returned unchanged. As TF's, it has no gradient.
// Options: Name.
func Round(x any, opts ...Option) *Tensor { return unary(roundDef, "tf.Round", x, opts) }

// Ceil returns the smallest integer not below x, elementwise (tf.ceil), for
// float32 and float64. As TF's, it has no gradient. Options: Name.
func Ceil(x any, opts ...Option) *Tensor { return unary(ceilDef, "tf.Ceil", x, opts) }

// Rsqrt returns 1/sqrt(x) (tf.rsqrt). Options: Name.
func Rsqrt(x any, opts ...Option) *Tensor { return unary(rsqrtDef, "tf.Rsqrt", x, opts) }

// Reciprocal returns 1/x (tf.reciprocal), for float32 and float64 (TF's
// CPU kernel has no integer version). Options: Name.
func Reciprocal(x any, opts ...Option) *Tensor {
	return unary(reciprocalDef, "tf.Reciprocal", x, opts)
}

// Sin returns the sine of x in radians (tf.sin). Options: Name.
func Sin(x any, opts ...Option) *Tensor { return unary(sinDef, "tf.Sin", x, opts) }

// Cos returns the cosine of x in radians (tf.cos). Options: Name.
func Cos(x any, opts ...Option) *Tensor { return unary(cosDef, "tf.Cos", x, opts) }

// Tan returns the tangent of x in radians (tf.tan). Options: Name.
func Tan(x any, opts ...Option) *Tensor { return unary(tanDef, "tf.Tan", x, opts) }

// Atan returns the arctangent of x, in (-π/2, π/2) (tf.atan). Options: Name.
func Atan(x any, opts ...Option) *Tensor { return unary(atanDef, "tf.Atan", x, opts) }

// Sinh returns the hyperbolic sine (tf.sinh). Options: Name.
func Sinh(x any, opts ...Option) *Tensor { return unary(sinhDef, "tf.Sinh", x, opts) }

// Cosh returns the hyperbolic cosine (tf.cosh). Options: Name.
func Cosh(x any, opts ...Option) *Tensor { return unary(coshDef, "tf.Cosh", x, opts) }

// Expm1 returns e^x - 1, accurate for small x (tf.expm1). Options: Name.
func Expm1(x any, opts ...Option) *Tensor { return unary(expm1Def, "tf.Expm1", x, opts) }

// Erf returns the Gauss error function (tf.erf). Options: Name.
func Erf(x any, opts ...Option) *Tensor { return unary(erfDef, "tf.Erf", x, opts) }

// Erfc returns the complementary error function 1 - erf(x), accurate for
// large x (tf.erfc). Options: Name.
func Erfc(x any, opts ...Option) *Tensor { return unary(erfcDef, "tf.Erfc", x, opts) }

// ---- IsNan, IsInf, IsFinite ----

func floatTestDef(typ string, c kernels.FloatClass) *OpDef {
	return &OpDef{
		Type: typ,
		Infer: func(a Attrs, in []Spec) ([]Spec, error) {
			if !in[0].DType.IsFloating() {
				return nil, errors.Errorf("x has dtype %s, want float32 or float64", in[0].DType)
			}
			return []Spec{{DType: Bool, Shape: in[0].Shape}}, nil
		},
		Kernel: func(c2 *KernelContext) error {
			if !kernels.FloatTest(c, backing(c2.In[0]), data[bool](c2.AllocUninit(0))) {
				return errors.Errorf("%s does not support %s", typ, DTypeOf(c2.In[0].Dtype()))
			}
			return nil
		},
	}
}

var (
	isNanDef    = floatTestDef("IsNan", kernels.IsNan)
	isInfDef    = floatTestDef("IsInf", kernels.IsInf)
	isFiniteDef = floatTestDef("IsFinite", kernels.IsFinite)
)

// IsNan reports which elements of x are NaN, as bools (tf.is_nan).
// Options: Name.
func IsNan(x any, opts ...Option) *Tensor { return unary(isNanDef, "tf.IsNan", x, opts) }

// IsInf reports which elements of x are +inf or -inf (tf.is_inf).
// Options: Name.
func IsInf(x any, opts ...Option) *Tensor { return unary(isInfDef, "tf.IsInf", x, opts) }

// IsFinite reports which elements of x are neither NaN nor infinite
// (tf.is_finite). Options: Name.
func IsFinite(x any, opts ...Option) *Tensor { return unary(isFiniteDef, "tf.IsFinite", x, opts) }

// noGrad is the gradient of ops TF registers as having none (a nil input
// gradient: nothing flows back).
func noGrad(op *Operation, dy []*Tensor) []*Tensor { return make([]*Tensor, len(op.inputs)) }

func init() {
	roundDef.Grad = noGrad
	ceilDef.Grad = noGrad
	// TF's RsqrtGrad: -0.5·dy·y³.
	rsqrtDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(Mul(dy, -0.5), Mul(Square(y), y)) })
	// TF's ReciprocalGrad: -dy·y².
	reciprocalDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(Neg(dy), Square(y)) })
	sinDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Cos(x)) })
	cosDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(Neg(dy), Sin(x)) })
	tanDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(Square(Reciprocal(Cos(x))), dy) })
	atanDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Reciprocal(Add(1, Square(x)))) })
	sinhDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Cosh(x)) })
	coshDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Sinh(x)) })
	expm1Def.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor { return Mul(dy, Exp(x)) })
	erfDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor {
		return Mul(Mul(dy, 2/math.Sqrt(math.Pi)), Exp(Neg(Square(x))))
	})
	erfcDef.Grad = unaryGrad(func(x, y, dy *Tensor) *Tensor {
		return Mul(Mul(dy, -2/math.Sqrt(math.Pi)), Exp(Neg(Square(x))))
	})
	isNanDef.Grad = noGrad
	isInfDef.Grad = noGrad
	isFiniteDef.Grad = noGrad
}
