package fastmath

import (
	"math"
	"testing"
)

// expPaths are the vector forms of Exp32s this machine runs, by name.
func expPaths() map[string]func(x, y []float32) {
	p := map[string]func(x, y []float32){}
	if haveAVX2 {
		p["AVX2"] = exp32AVX2
	}
	if haveAVX512 {
		p["AVX-512"] = exp32AVX512
	}
	return p
}

// expInputs returns float32s over [-110, 95] at every 251st bit pattern (about 9 million values),
// the limits and their neighbours, the arguments where 2^n leaves the
// normal range, zeros, infinities and NaNs, padded to a multiple of 16.
func expInputs() []float32 {
	var in []float32
	for _, r := range [][2]float32{{0, 95}, {-0.0, -110}} {
		lo, hi := math.Float32bits(r[0]), math.Float32bits(r[1])
		for b := lo; b <= hi; b += 251 {
			in = append(in, math.Float32frombits(b))
		}
	}
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	for _, x := range []float32{88.72283905206835, -103.972084, 88.7, 88.0, -87.33655, -87.3, -88, -100, -103.9} {
		in = append(in, x, math.Nextafter32(x, inf), math.Nextafter32(x, -inf))
	}
	in = append(in, 0, float32(math.Copysign(0, -1)), inf, -inf, nan, -nan, math.Float32frombits(0x7fc00001),
		math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32, 1, -1, 0.5)
	for len(in)%16 != 0 {
		in = append(in, 0)
	}
	return in
}

// TestExp32Vector checks each vector Exp32s path against Exp32, bit for
// bit (NaN for NaN), and within 2 ulp of math.Exp (one denormal step for
// denormal results), over expInputs.
func TestExp32Vector(t *testing.T) {
	paths := expPaths()
	if len(paths) == 0 {
		t.Skip("no AVX2 on this machine: Exp32s runs Exp32")
	}
	in := expInputs()
	out := make([]float32, len(in))
	for name, f := range paths {
		clear(out)
		f(in, out)
		bad, worst := 0, 0.0
		for i, x := range in {
			got, want := out[i], Exp32(x)
			if x != x {
				if got == got {
					t.Errorf("%s: exp(NaN) = %g", name, got)
				}
				continue
			}
			if math.Float32bits(got) != math.Float32bits(want) {
				if bad++; bad <= 5 {
					t.Errorf("%s: exp(%g) = %g (%#x), Exp32 gives %g (%#x)", name, x, got, math.Float32bits(got), want, math.Float32bits(want))
				}
			}
			e := math.Exp(float64(x))
			if math.IsInf(e, 0) || e > math.MaxFloat32 {
				if !math.IsInf(float64(got), 1) && float64(got) < math.MaxFloat32*(1-1e-7) {
					t.Errorf("%s: exp(%g) = %g, want +Inf or MaxFloat32", name, x, got)
				}
				continue
			}
			ulp := float64(math.Nextafter32(float32(e), float32(math.Inf(1)))) - float64(float32(e))
			if e < math.SmallestNonzeroFloat32*(1<<23) {
				ulp = math.SmallestNonzeroFloat32
			}
			if d := math.Abs(float64(got)-e) / ulp; d > worst {
				worst = d
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d results differ from Exp32", name, bad, len(in))
		}
		if worst > 2 {
			t.Errorf("%s: max error %.2f ulp", name, worst)
		}
	}
}

// TestExp32sLengths checks Exp32s on every length up to 40 (the vector
// loop and the scalar tail), in place and into another slice.
func TestExp32sLengths(t *testing.T) {
	for n := 0; n <= 40; n++ {
		in := make([]float32, n)
		for i := range in {
			in[i] = float32(i)*3.7 - 70
		}
		out := make([]float32, n)
		Exp32s(in, out)
		Exp32s(in, in)
		for i := range in {
			x := float32(i)*3.7 - 70
			if want := Exp32(x); out[i] != want || in[i] != want {
				t.Fatalf("n=%d: Exp32s[%d] = %g (in place %g), want %g", n, i, out[i], in[i], want)
			}
		}
	}
}

// BenchmarkExp32s compares the scalar loop and the vector paths on 22,500
// values (a 150×150 batch).
func BenchmarkExp32s(b *testing.B) {
	in := make([]float32, 150*150)
	for i := range in {
		in[i] = float32(i%200)*0.1 - 10
	}
	out := make([]float32, len(in))
	b.Run("scalar", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for j, v := range in {
				out[j] = Exp32(v)
			}
		}
	})
	for name, f := range expPaths() {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f(in, out)
			}
		})
	}
}
