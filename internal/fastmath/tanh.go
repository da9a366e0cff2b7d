// Package fastmath holds float32 math kernels faster than package math.
package fastmath

// Tanh32 is a float32 tanh accurate to a few units in the last place,
// several times faster than math.Tanh: the rational approximation Eigen
// uses (generic_fast_tanh_float), clamped where tanh rounds to ±1.
func Tanh32(x float32) float32 {
	const clamp = 7.90531110763549805
	if x > clamp {
		x = clamp
	} else if x < -clamp {
		x = -clamp
	}
	if x < 0.0004 && x > -0.0004 {
		return x
	}
	const (
		a1  = 4.89352455891786e-03
		a3  = 6.37261928875436e-04
		a5  = 1.48572235717979e-05
		a7  = 5.12229709037114e-08
		a9  = -8.60467152213735e-11
		a11 = 2.00018790482477e-13
		a13 = -2.76076847742355e-16
		b0  = 4.89352518554385e-03
		b2  = 2.26843463243900e-03
		b4  = 1.18534705686654e-04
		b6  = 1.19825839466702e-06
	)
	x2 := x * x
	p := float32(a13)
	p = p*x2 + a11
	p = p*x2 + a9
	p = p*x2 + a7
	p = p*x2 + a5
	p = p*x2 + a3
	p = p*x2 + a1
	p *= x
	q := float32(b6)
	q = q*x2 + b4
	q = q*x2 + b2
	q = q*x2 + b0
	return p / q
}

// Tanh32s sets x[i] = Tanh32(x[i]) for every i, with the same results, 8
// at a time with AVX when the processor has it.
func Tanh32s(x []float32) {
	n := 0
	if haveAVX {
		n = len(x) &^ 7
		if n > 0 {
			tanh32AVX(x[:n])
		}
		if n < len(x) {
			// The tail through the vector loop too (the scalar form
			// costs many times more per element).
			var buf [8]float32
			k := copy(buf[:], x[n:])
			tanh32AVX(buf[:])
			copy(x[n:], buf[:k])
			return
		}
	}
	for i := n; i < len(x); i++ {
		x[i] = Tanh32(x[i])
	}
}

// Sigmoid32 is the logistic function 1/(1+exp(-x)) in float32, computed
// as 0.5·Tanh32(0.5·x) + 0.5 (within 3e-7 of the exact value).
func Sigmoid32(x float32) float32 { return 0.5*Tanh32(0.5*x) + 0.5 }

// Sigmoid32s sets x[i] = Sigmoid32(x[i]) for every i, with the same
// results, 8 at a time with AVX when the processor has it.
func Sigmoid32s(x []float32) {
	n := 0
	if haveAVX {
		n = len(x) &^ 7
		if n > 0 {
			sigmoid32AVX(x[:n])
		}
		if n < len(x) {
			var buf [8]float32
			k := copy(buf[:], x[n:])
			sigmoid32AVX(buf[:])
			copy(x[n:], buf[:k])
			return
		}
	}
	for i := n; i < len(x); i++ {
		x[i] = Sigmoid32(x[i])
	}
}
