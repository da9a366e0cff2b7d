package kernels

import "math"

// The arithmetic of tf's further unary math ops (math_ops_unary.go). The
// float32 versions of the math package's functions compute in float64 and
// round once, as Log and Sqrt do; TF's Eigen functors are no more exact.
var (
	// Round rounds half to even (banker's rounding), as TF's Round; on
	// integers it is the identity.
	Round      = Unary{f32of(math.RoundToEven), math.RoundToEven, ident[int32], ident[int64], nil}
	Ceil       = Unary{f32of(math.Ceil), math.Ceil, nil, nil, nil}
	Rsqrt      = Unary{f32of(rsqrt), rsqrt, nil, nil, nil}
	Reciprocal = Unary{recip[float32], recip[float64], nil, nil, nil}
	Sin        = Unary{f32of(math.Sin), math.Sin, nil, nil, nil}
	Cos        = Unary{f32of(math.Cos), math.Cos, nil, nil, nil}
	Tan        = Unary{f32of(math.Tan), math.Tan, nil, nil, nil}
	Atan       = Unary{f32of(math.Atan), math.Atan, nil, nil, nil}
	Sinh       = Unary{f32of(math.Sinh), math.Sinh, nil, nil, nil}
	Cosh       = Unary{f32of(math.Cosh), math.Cosh, nil, nil, nil}
	Expm1      = Unary{f32of(math.Expm1), math.Expm1, nil, nil, nil}
	Erf        = Unary{f32of(math.Erf), math.Erf, nil, nil, nil}
	Erfc       = Unary{f32of(math.Erfc), math.Erfc, nil, nil, nil}
	// Softplus is log(1 + e^x) computed without overflow (TF's Softplus).
	Softplus = Unary{softplus32, softplus64, nil, nil, nil}
	// Softsign is x / (1 + |x|).
	Softsign = Unary{softsign[float32], softsign[float64], nil, nil, nil}
	// Relu6 is min(max(x, 0), 6).
	Relu6 = Unary{relu6[float32], relu6[float64], relu6[int32], relu6[int64], nil}
	// Selu is scale·x for x > 0 and scale·alpha·(e^x - 1) elsewhere, with
	// TF's constants SeluScale and SeluAlpha.
	Selu = Unary{f32of(selu), selu, nil, nil, nil}
)

// TF's constants of the scaled exponential linear unit (Klambauer et al.).
const (
	SeluScale = 1.0507009873554804934193349852946
	SeluAlpha = 1.6732632423543772848170429916717
)

func ident[T Number](x T) T   { return x }
func rsqrt(x float64) float64 { return 1 / math.Sqrt(x) }
func recip[T Float](x T) T    { return 1 / x }

func softsign[T Float](x T) T {
	if x < 0 {
		return x / (1 - x)
	}
	return x / (1 + x)
}

func relu6[T Number](x T) T {
	switch {
	case x > 6:
		return 6
	case x > 0:
		return x
	case x != x: // NaN stays NaN
		return x
	}
	return 0
}

func selu(x float64) float64 {
	if x > 0 {
		return SeluScale * x
	}
	return SeluScale * SeluAlpha * math.Expm1(x)
}

// softplus follows TF's kernel: x itself above -log(eps)+2, e^x below
// log(eps)+2 (where log1p(e^x) rounds to it), log1p(e^x) between, with eps
// the machine epsilon of the type.
func softplusT(x, eps float64) float64 {
	threshold := math.Log(eps) + 2
	switch {
	case x > -threshold:
		return x
	case x < threshold:
		return math.Exp(x)
	}
	return math.Log1p(math.Exp(x))
}

const (
	eps32 = 1.1920928955078125e-07
	eps64 = 2.220446049250313e-16
)

func softplus32(x float32) float32 { return float32(softplusT(float64(x), eps32)) }
func softplus64(x float64) float64 { return softplusT(x, eps64) }

// The arithmetic of tf's further binary math ops (math_ops_binary.go).
// Integer divisions and modulos by zero are rejected by their callers, as
// TF's kernels do; the functions return 0 for them.
var (
	Atan2 = Binary{atan2f, math.Atan2, nil, nil, nil, nil}
	// SquaredDifference is (a - b)².
	SquaredDifference = Binary{sqDiff[float32], sqDiff[float64], sqDiff[int32], sqDiff[int64], sqDiffV[float32], sqDiffV[float64]}
	// FloorDiv is floor(a / b) (Python's //).
	FloorDiv = Binary{floorDivF[float32], floorDivF[float64], floorDiv[int32], floorDiv[int64], nil, nil}
	// FloorMod is a - floor(a/b)·b: the remainder takes b's sign
	// (Python's %).
	FloorMod = Binary{floorModF[float32], floorModF[float64], floorMod[int32], floorMod[int64], nil, nil}
	// TruncateDiv is a / b rounded toward zero (C's integer division).
	TruncateDiv = Binary{nil, nil, truncDiv[int32], truncDiv[int64], nil, nil}
	// TruncateMod is the remainder of TruncateDiv: it takes a's sign (C's
	// % and fmod).
	TruncateMod = Binary{truncModF[float32], truncModF[float64], truncMod[int32], truncMod[int64], nil, nil}
)

// DivNoNan is a / b, and 0 where b is 0 (TF's DivNoNan).
var DivNoNan = Binary{divNoNan[float32], divNoNan[float64], nil, nil, nil, nil}

func divNoNan[T Float](a, b T) T {
	if b == 0 {
		return 0
	}
	return a / b
}

func atan2f(a, b float32) float32 { return float32(math.Atan2(float64(a), float64(b))) }

func sqDiff[T Number](a, b T) T { d := a - b; return d * d }

func sqDiffV[T Float](out, a, b []T) {
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		d := a[i] - b[i]
		out[i] = d * d
	}
}

func floorDivF[T Float](a, b T) T { return T(math.Floor(float64(a / b))) }

func floorModF[T Float](a, b T) T {
	r := T(math.Mod(float64(a), float64(b))) // exact: fmod of floats is representable
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return r
}

func floorMod[T ~int32 | ~int64](a, b T) T {
	if b == 0 {
		return 0
	}
	r := a % b
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return r
}

func truncDiv[T ~int32 | ~int64](a, b T) T {
	if b == 0 {
		return 0
	}
	return a / b
}

func truncMod[T ~int32 | ~int64](a, b T) T {
	if b == 0 {
		return 0
	}
	return a % b
}

func truncModF[T Float](a, b T) T { return T(math.Mod(float64(a), float64(b))) }

// Logical sets out = f(a, b) for bool slices with broadcasting (TF's
// LogicalAnd and LogicalOr).
func Logical(a []bool, as []int, b []bool, bs []int, out []bool, os []int, or bool) {
	if or {
		Broadcast(a, as, b, bs, out, os, func(x, y bool) bool { return x || y })
		return
	}
	Broadcast(a, as, b, bs, out, os, func(x, y bool) bool { return x && y })
}

// Not sets out = !in.
func Not(in, out []bool) {
	for i, v := range in {
		out[i] = !v
	}
}

// FloatClass is a test of a float's class: TF's IsNan, IsInf, IsFinite.
type FloatClass int

// The classes FloatTest tests.
const (
	IsNan FloatClass = iota
	IsInf
	IsFinite
)

// FloatTest sets out[i] to whether in[i] (a []float32 or []float64) is of
// class c, and reports whether in is a float slice.
func FloatTest(c FloatClass, in any, out []bool) bool {
	switch x := in.(type) {
	case []float32:
		for i, v := range x {
			out[i] = classOf(c, float64(v))
		}
	case []float64:
		for i, v := range x {
			out[i] = classOf(c, v)
		}
	default:
		return false
	}
	return true
}

func classOf(c FloatClass, v float64) bool {
	switch c {
	case IsNan:
		return math.IsNaN(v)
	case IsInf:
		return math.IsInf(v, 0)
	}
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}
