package kernels

import (
	"math"

	"github.com/gorgoflow/gorgoflow/internal/fastmath"
)

// Broadcast sets out = f(a, b) elementwise with numpy broadcasting: a has
// shape as, b shape bs, out shape os (the broadcast of the two).
func Broadcast[T, R any](a []T, as []int, b []T, bs []int, out []R, os []int, f func(T, T) R) {
	switch {
	case len(a) == len(out) && len(b) == len(out):
		for i := range out {
			out[i] = f(a[i], b[i])
		}
		return
	case len(b) == 1 && len(a) == len(out):
		bv := b[0]
		for i := range out {
			out[i] = f(a[i], bv)
		}
		return
	case len(a) == 1 && len(b) == len(out):
		av := a[0]
		for i := range out {
			out[i] = f(av, b[i])
		}
		return
	case len(a) == len(out) && isSuffix(trim1(bs), os) && len(b) > 0:
		m := len(b)
		for i := 0; i < len(out); i += m {
			oo, aa := out[i:i+m], a[i:i+m]
			for j := range oo {
				oo[j] = f(aa[j], b[j])
			}
		}
		return
	case len(b) == len(out) && isSuffix(trim1(as), os) && len(a) > 0:
		m := len(a)
		for i := 0; i < len(out); i += m {
			oo, bb := out[i:i+m], b[i:i+m]
			for j := range oo {
				oo[j] = f(a[j], bb[j])
			}
		}
		return
	}
	sa, sb := BroadcastStrides(as, os), BroadcastStrides(bs, os)
	idx := make([]int, len(os))
	ia, ib := 0, 0
	for i := range out {
		out[i] = f(a[ia], b[ib])
		for d := len(os) - 1; d >= 0; d-- {
			idx[d]++
			ia += sa[d]
			ib += sb[d]
			if idx[d] < os[d] {
				break
			}
			ia -= sa[d] * os[d]
			ib -= sb[d] * os[d]
			idx[d] = 0
		}
	}
}

// BroadcastTo copies x of shape xs into out of shape os, repeating it along
// broadcast axes.
func BroadcastTo(x any, xs []int, out any, os []int) {
	switch o := out.(type) {
	case []float32:
		broadcastTo(x.([]float32), xs, o, os)
	case []float64:
		broadcastTo(x.([]float64), xs, o, os)
	case []int32:
		broadcastTo(x.([]int32), xs, o, os)
	case []int64:
		broadcastTo(x.([]int64), xs, o, os)
	case []bool:
		broadcastTo(x.([]bool), xs, o, os)
	}
}

func broadcastTo[T any](x []T, xs []int, out []T, os []int) {
	var zero T
	Broadcast(x, xs, []T{zero}, nil, out, os, first[T])
}

func first[T any](a, _ T) T { return a }

// Map sets out[i] = f(in[i]).
func Map[T any](in, out []T, f func(T) T) {
	for i, v := range in {
		out[i] = f(v)
	}
}

// Binary is an elementwise function of two operands, one implementation per
// numeric dtype; nil where the dtype is not supported.
type Binary struct {
	F32 func(a, b float32) float32
	F64 func(a, b float64) float64
	I32 func(a, b int32) int32
	I64 func(a, b int64) int64
	// V32 and V64, when set, compute f over slices of one length: Apply
	// uses them for operands of one shape and for row-vector broadcasts
	// (a bias), which then cost no function call per element.
	V32 func(out, a, b []float32)
	V64 func(out, a, b []float64)
}

// vecBroadcast computes out = v(a, b) when a and b have out's size or one
// of them repeats along out's leading dimensions (a row vector), and
// reports whether it did.
func vecBroadcast[T any](a []T, as []int, b []T, bs []int, out []T, os []int, v func(out, a, b []T)) bool {
	switch {
	case v == nil || len(a) == 0 || len(b) == 0:
		return false
	case len(a) == len(out) && len(b) == len(out):
		v(out, a, b)
	case len(a) == len(out) && len(b) > 1 && isSuffix(trim1(bs), os):
		m := len(b)
		for i := 0; i < len(out); i += m {
			v(out[i:i+m], a[i:i+m], b)
		}
	case len(b) == len(out) && len(a) > 1 && isSuffix(trim1(as), os):
		m := len(a)
		for i := 0; i < len(out); i += m {
			v(out[i:i+m], a, b[i:i+m])
		}
	default:
		return false
	}
	return true
}

// Apply sets out = f(a, b) with broadcasting, a, b and out being backing
// slices of one dtype. It returns false, writing nothing, when f has no
// implementation for that dtype.
func (f Binary) Apply(a any, as []int, b any, bs []int, out any, os []int) bool {
	switch o := out.(type) {
	case []float32:
		if f.F32 == nil {
			return false
		}
		if !vecBroadcast(a.([]float32), as, b.([]float32), bs, o, os, f.V32) {
			Broadcast(a.([]float32), as, b.([]float32), bs, o, os, f.F32)
		}
	case []float64:
		if f.F64 == nil {
			return false
		}
		if !vecBroadcast(a.([]float64), as, b.([]float64), bs, o, os, f.V64) {
			Broadcast(a.([]float64), as, b.([]float64), bs, o, os, f.F64)
		}
	case []int32:
		if f.I32 == nil {
			return false
		}
		Broadcast(a.([]int32), as, b.([]int32), bs, o, os, f.I32)
	case []int64:
		if f.I64 == nil {
			return false
		}
		Broadcast(a.([]int64), as, b.([]int64), bs, o, os, f.I64)
	default:
		return false
	}
	return true
}

// The arithmetic of tf's binary ops.
var (
	Add = Binary{add[float32], add[float64], add[int32], add[int64], addV[float32], addV[float64]}
	Sub = Binary{sub[float32], sub[float64], sub[int32], sub[int64], subV[float32], subV[float64]}
	Mul = Binary{mul[float32], mul[float64], mul[int32], mul[int64], mulV[float32], mulV[float64]}
	// TanhGrad is dy·(1 - y²) of a = y = tanh(x) and b = dy (TF's TanhGrad).
	TanhGrad = Binary{tanhGrad[float32], tanhGrad[float64], nil, nil, tanhGradV[float32], tanhGradV[float64]}
	Div      = Binary{div[float32], div[float64], floorDiv[int32], floorDiv[int64], nil, nil} // integers floor, as TF's Div
	Pow      = Binary{pow32, math.Pow, ipow[int32], ipow[int64], nil, nil}
	Maximum  = Binary{maximum[float32], maximum[float64], maximum[int32], maximum[int64], nil, nil}
	Minimum  = Binary{minimum[float32], minimum[float64], minimum[int32], minimum[int64], nil, nil}
)

func add[T Number](a, b T) T { return a + b }

func addV[T Number](out, a, b []T) {
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = a[i] + b[i]
	}
}

func subV[T Number](out, a, b []T) {
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = a[i] - b[i]
	}
}

func mulV[T Number](out, a, b []T) {
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = a[i] * b[i]
	}
}

func tanhGrad[T Float](y, dy T) T { return dy * (1 - y*y) }

func tanhGradV[T Float](out, y, dy []T) {
	y, dy = y[:len(out)], dy[:len(out)]
	for i := range out {
		out[i] = dy[i] * (1 - y[i]*y[i])
	}
}
func sub[T Number](a, b T) T { return a - b }
func mul[T Number](a, b T) T { return a * b }
func div[T Number](a, b T) T { return a / b }

// maximum and minimum propagate a NaN in a.
func maximum[T Number](a, b T) T {
	if a > b || a != a {
		return a
	}
	return b
}

func minimum[T Number](a, b T) T {
	if a < b || a != a {
		return a
	}
	return b
}

func pow32(a, b float32) float32 { return float32(math.Pow(float64(a), float64(b))) }

// ipow is a^b for b >= 0 (callers reject negative integer exponents).
func ipow[T ~int32 | ~int64](a, b T) T {
	r := T(1)
	for ; b > 0; b-- {
		r *= a
	}
	return r
}

// floorDiv is TF's floor division for integer Div; callers reject b == 0,
// for which it returns 0.
func floorDiv[T ~int32 | ~int64](a, b T) T {
	if b == 0 {
		return 0
	}
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Compare is an elementwise comparison, one implementation per dtype; nil
// where the dtype is not supported.
type Compare struct {
	F32  func(a, b float32) bool
	F64  func(a, b float64) bool
	I32  func(a, b int32) bool
	I64  func(a, b int64) bool
	Bool func(a, b bool) bool
}

// Apply sets out = f(a, b) with broadcasting, a and b being backing slices
// of one dtype. It returns false when f has no implementation for it.
func (f Compare) Apply(a any, as []int, b any, bs []int, out []bool, os []int) bool {
	switch x := a.(type) {
	case []float32:
		Broadcast(x, as, b.([]float32), bs, out, os, f.F32)
	case []float64:
		Broadcast(x, as, b.([]float64), bs, out, os, f.F64)
	case []int32:
		Broadcast(x, as, b.([]int32), bs, out, os, f.I32)
	case []int64:
		Broadcast(x, as, b.([]int64), bs, out, os, f.I64)
	case []bool:
		if f.Bool == nil {
			return false
		}
		Broadcast(x, as, b.([]bool), bs, out, os, f.Bool)
	}
	return true
}

// The comparisons of tf's comparison ops.
var (
	Equal        = Compare{eq[float32], eq[float64], eq[int32], eq[int64], eq[bool]}
	NotEqual     = Compare{ne[float32], ne[float64], ne[int32], ne[int64], ne[bool]}
	Greater      = Compare{gt[float32], gt[float64], gt[int32], gt[int64], nil}
	GreaterEqual = Compare{ge[float32], ge[float64], ge[int32], ge[int64], nil}
	Less         = Compare{lt[float32], lt[float64], lt[int32], lt[int64], nil}
	LessEqual    = Compare{le[float32], le[float64], le[int32], le[int64], nil}
)

func eq[T comparable](a, b T) bool { return a == b }
func ne[T comparable](a, b T) bool { return a != b }
func gt[T Number](a, b T) bool     { return a > b }
func ge[T Number](a, b T) bool     { return a >= b }
func lt[T Number](a, b T) bool     { return a < b }
func le[T Number](a, b T) bool     { return a <= b }

// Unary is an elementwise function of one operand, one implementation per
// numeric dtype; nil where the dtype is not supported.
type Unary struct {
	F32 func(float32) float32
	F64 func(float64) float64
	I32 func(int32) int32
	I64 func(int64) int64
	// S32, when set, computes F32 over a slice (out = f(in), same
	// results), 8 elements at a time where the CPU allows.
	S32 func(in, out []float32)
}

// Apply sets out = f(in) for backing slices of one dtype. It returns false
// when f has no implementation for that dtype.
func (f Unary) Apply(in, out any) bool {
	switch x := in.(type) {
	case []float32:
		if f.F32 == nil {
			return false
		}
		if f.S32 != nil {
			f.S32(x, out.([]float32))
			return true
		}
		Map(x, out.([]float32), f.F32)
	case []float64:
		if f.F64 == nil {
			return false
		}
		Map(x, out.([]float64), f.F64)
	case []int32:
		if f.I32 == nil {
			return false
		}
		Map(x, out.([]int32), f.I32)
	case []int64:
		if f.I64 == nil {
			return false
		}
		Map(x, out.([]int64), f.I64)
	default:
		return false
	}
	return true
}

// The arithmetic of tf's unary ops. tanh, sigmoid and exp of float32 are
// computed in float32 (fastmath; tanh and sigmoid 8 at a time with AVX);
// the other float32 functions of the math package compute in float64 and
// round once.
var (
	Neg     = Unary{neg[float32], neg[float64], neg[int32], neg[int64], nil}
	Abs     = Unary{abs[float32], abs[float64], abs[int32], abs[int64], nil}
	Sign    = Unary{sign[float32], sign[float64], sign[int32], sign[int64], nil}
	Square  = Unary{square[float32], square[float64], square[int32], square[int64], nil}
	Relu    = Unary{relu[float32], relu[float64], relu[int32], relu[int64], nil}
	Tanh    = Unary{fastmath.Tanh32, math.Tanh, nil, nil, tanh32s}
	Sigmoid = Unary{fastmath.Sigmoid32, Sigmoid64, nil, nil, sigmoid32s}
	Exp     = Unary{fastmath.Exp32, math.Exp, nil, nil, fastmath.Exp32s}
	Log     = Unary{f32of(math.Log), math.Log, nil, nil, nil}
	Sqrt    = Unary{f32of(math.Sqrt), math.Sqrt, nil, nil, nil}
	Floor   = Unary{f32of(math.Floor), math.Floor, nil, nil, nil}
	Log1p   = Unary{f32of(math.Log1p), math.Log1p, nil, nil, nil}
)

// tanh32s sets out = tanh(in) with fastmath's AVX loop.
func tanh32s(in, out []float32) {
	copy(out, in)
	fastmath.Tanh32s(out)
}

// sigmoid32s sets out = sigmoid(in) with fastmath's AVX loop.
func sigmoid32s(in, out []float32) {
	copy(out, in)
	fastmath.Sigmoid32s(out)
}

func f32of(f func(float64) float64) func(float32) float32 {
	return func(x float32) float32 { return float32(f(float64(x))) }
}

func neg[T Number](x T) T { return -x }

func abs[T Number](x T) T {
	if x < 0 {
		return -x
	}
	return x
}

func square[T Number](x T) T { return x * x }

func relu[T Number](x T) T {
	if x > 0 {
		return x
	}
	return 0
}

func sign[T Number](x T) T {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Sigmoid64 is 1/(1+e^-x), computed without overflow for either sign of x.
func Sigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// AnyInt reports whether an integer backing slice ([]int32 or []int64) has
// an element for which bad holds; false for other dtypes. TF's integer Div
// and Pow check their divisors and exponents so.
func AnyInt(x any, bad func(int64) bool) bool {
	switch x := x.(type) {
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

// Fill sets every element of a backing slice to v (true for bools when v
// is not 0).
func Fill(x any, v float64) {
	switch x := x.(type) {
	case []float32:
		fill(x, float32(v))
	case []float64:
		fill(x, v)
	case []int32:
		fill(x, int32(v))
	case []int64:
		fill(x, int64(v))
	case []bool:
		fill(x, v != 0)
	}
}

func fill[T any](x []T, v T) {
	for i := range x {
		x[i] = v
	}
}

// Where sets out to x where cond is true and to y elsewhere; cond, x and y
// broadcast to out's shape os. All but cond are backing slices of one dtype.
func Where(cond []bool, cs []int, x any, xs []int, y any, ys []int, out any, os []int) {
	cb := make([]bool, Numel(os))
	Broadcast(cond, cs, []bool{false}, nil, cb, os, first[bool])
	switch o := out.(type) {
	case []float32:
		where(cb, x.([]float32), xs, y.([]float32), ys, o, os)
	case []float64:
		where(cb, x.([]float64), xs, y.([]float64), ys, o, os)
	case []int32:
		where(cb, x.([]int32), xs, y.([]int32), ys, o, os)
	case []int64:
		where(cb, x.([]int64), xs, y.([]int64), ys, o, os)
	case []bool:
		where(cb, x.([]bool), xs, y.([]bool), ys, o, os)
	}
}

func where[T any](cond []bool, x []T, xs []int, y []T, ys []int, out []T, os []int) {
	broadcastTo(x, xs, out, os)
	tmp := make([]T, len(out))
	broadcastTo(y, ys, tmp, os)
	for i, c := range cond {
		if !c {
			out[i] = tmp[i]
		}
	}
}
