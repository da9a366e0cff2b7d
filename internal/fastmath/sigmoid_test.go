package fastmath

import (
	"math"
	"math/rand"
	"testing"
)

// TestSigmoid32 checks Sigmoid32 against the exact logistic function.
func TestSigmoid32(t *testing.T) {
	worst := 0.0
	for x := -40.0; x <= 40; x += 1e-4 {
		got := float64(Sigmoid32(float32(x)))
		want := 1 / (1 + math.Exp(-float64(float32(x))))
		worst = math.Max(worst, math.Abs(got-want))
	}
	if worst > 3e-7 {
		t.Fatalf("max abs error %g", worst)
	}
}

// TestSigmoid32sMatchesSigmoid32 checks the vector form bit for bit
// against the scalar one, on random and special values.
func TestSigmoid32sMatchesSigmoid32(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	special := []float32{0, float32(math.Copysign(0, -1)), 0.0008, -0.0008, 1e-30, 15.8, -15.8, 100, -100,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32, -math.MaxFloat32}
	for _, n := range []int{0, 1, 7, 8, 9, 31, 1000} {
		x := make([]float32, n)
		for i := range x {
			if i%2 == 0 {
				x[i] = float32(r.NormFloat64() * 5)
			} else {
				x[i] = special[r.Intn(len(special))]
			}
		}
		y := append([]float32(nil), x...)
		Sigmoid32s(y)
		for i, v := range x {
			want := Sigmoid32(v)
			if math.Float32bits(y[i]) != math.Float32bits(want) && !(want != want && y[i] != y[i]) {
				t.Fatalf("n=%d: Sigmoid32s(%v) = %v, Sigmoid32 gives %v", n, v, y[i], want)
			}
		}
	}
}
