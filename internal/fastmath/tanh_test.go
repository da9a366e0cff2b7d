package fastmath

import (
	"math"
	"testing"
)

func TestTanh32(t *testing.T) {
	worst := 0.0
	for x := -20.0; x <= 20; x += 1e-4 {
		got := float64(Tanh32(float32(x)))
		want := math.Tanh(float64(float32(x)))
		worst = math.Max(worst, math.Abs(got-want))
	}
	if worst > 4e-7 { // about 5 float32 ulps near ±1, as Eigen (and so TF on CPU)
		t.Fatalf("max abs error %g", worst)
	}
}
