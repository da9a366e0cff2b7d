package fastmath

import (
	"math"
	"testing"
)

// TestExp32 checks Exp32 against math.Exp rounded to float32, in ulps of
// the result, over the whole float32 range of the argument, and at the
// limits.
func TestExp32(t *testing.T) {
	worst := 0.0
	for x := -103.9; x <= 88.7; x += 1e-3 {
		xf := float32(x)
		got := Exp32(xf)
		want := math.Exp(float64(xf))
		ulp := float64(math.Nextafter32(float32(want), float32(math.Inf(1)))) - float64(float32(want))
		if want < math.SmallestNonzeroFloat32*(1<<23) { // denormal results: one denormal step
			ulp = math.SmallestNonzeroFloat32
		}
		worst = math.Max(worst, math.Abs(float64(got)-want)/ulp)
	}
	if worst > 2 {
		t.Errorf("max error %.2f ulp", worst)
	}
	for _, c := range []struct{ x, want float32 }{
		{0, 1}, {89, float32(math.Inf(1))}, {float32(math.Inf(1)), float32(math.Inf(1))},
		{-104, 0}, {float32(math.Inf(-1)), 0}, {1, float32(math.E)},
	} {
		if got := Exp32(c.x); got != c.want {
			t.Errorf("Exp32(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := Exp32(float32(math.NaN())); got == got {
		t.Errorf("Exp32(NaN) = %g", got)
	}
	in := []float32{-1, 0, 2.5}
	out := make([]float32, 3)
	Exp32s(in, out)
	for i, v := range in {
		if out[i] != Exp32(v) {
			t.Errorf("Exp32s[%d] = %g, want %g", i, out[i], Exp32(v))
		}
	}
}
