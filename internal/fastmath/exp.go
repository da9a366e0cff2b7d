package fastmath

import "math"

// Exp32 is e^x in float32 arithmetic (Cephes' expf: x = n·ln2 + r with
// |r| <= ln2/2, a degree-6 polynomial for e^r, then the scaling by 2^n),
// within 2 ulp of the exact value; +Inf above 88.72, 0 below -103.97, NaN
// for NaN.
func Exp32(x float32) float32 {
	const (
		maxLog = 88.72283905206835
		minLog = -103.972084
		log2e  = 1.44269504088896341
		c1     = 0.693359375
		c2     = -2.12194440e-4
	)
	switch {
	case x != x:
		return x
	case x > maxLog:
		return float32(math.Inf(1))
	case x < minLog:
		return 0
	}
	z := float32(math.Floor(float64(log2e*x + 0.5)))
	n := int(z)
	x -= z * c1
	x -= z * c2
	x2 := x * x
	p := float32(1.9875691500e-4)
	p = p*x + 1.3981999507e-3
	p = p*x + 8.3334519073e-3
	p = p*x + 4.1665795894e-2
	p = p*x + 1.6666665459e-1
	p = p*x + 5.0000001201e-1
	p = p*x2 + x + 1
	if n >= -126 && n <= 127 {
		return p * math.Float32frombits(uint32(n+127)<<23)
	}
	return float32(math.Ldexp(float64(p), n))
}

// Exp32s sets out[i] = Exp32(in[i]) for every i, with the same results,
// 16 at a time with AVX-512 or 8 with AVX2 when the processor has them
// (exp_amd64.s), the rest one at a time. in and out may be the same slice.
func Exp32s(in, out []float32) {
	out = out[:len(in)]
	n := 0
	switch {
	case haveAVX512:
		n = len(in) &^ 15
		if n > 0 {
			exp32AVX512(in[:n], out[:n])
		}
	case haveAVX2:
		n = len(in) &^ 7
		if n > 0 {
			exp32AVX2(in[:n], out[:n])
		}
	}
	for i := n; i < len(in); i++ {
		out[i] = Exp32(in[i])
	}
}
