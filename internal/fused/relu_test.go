package fused

import (
	"math"
	"testing"
)

// TestReluBiasSpecial checks reluBias on NaN, ±0 and ±Inf against Go's
// max(v+bias, 0), element for element, on the vector path and its tail.
func TestReluBiasSpecial(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	negZero := float32(math.Copysign(0, -1))
	vals := []float32{nan, negZero, 0, -1, 1, inf, -inf, 2.5, -2.5, nan, negZero, 3}
	bias := []float32{0, negZero, negZero, 0.5, -2, 1, 1, 0, 3, 1, 0, -3}
	row := append([]float32(nil), vals...)
	reluBias(row, bias)
	for i, v := range vals {
		want := max(v+bias[i], 0)
		if math.Float32bits(row[i]) != math.Float32bits(want) && !(math.IsNaN(float64(want)) && math.IsNaN(float64(row[i]))) {
			t.Errorf("reluBias(%v + %v) = %v, want %v", v, bias[i], row[i], want)
		}
	}
}

// TestReluProjSpecial checks reluProj likewise against Go's
// max((row + v·w) + bias, 0).
func TestReluProjSpecial(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	negZero := float32(math.Copysign(0, -1))
	vals := []float32{nan, negZero, 0, -1, 1, inf, -inf, 2.5, -2.5, nan, negZero, 3}
	bias := []float32{0, negZero, negZero, 0.5, -2, 1, 1, 0, 3, 1, 0, -3}
	w := []float32{1, 0, negZero, 2, -1, 0.5, 1, -3, 1, 0, 1, 2}
	for _, v := range []float32{0.5, negZero, -2} {
		row := append([]float32(nil), vals...)
		reluProj(row, bias, w, v)
		for i, e := range vals {
			want := max(e+v*w[i]+bias[i], 0)
			if math.Float32bits(row[i]) != math.Float32bits(want) && !(math.IsNaN(float64(want)) && math.IsNaN(float64(row[i]))) {
				t.Errorf("reluProj(%v + %v·%v + %v) = %v, want %v", e, v, w[i], bias[i], row[i], want)
			}
		}
	}
}
