package fastmath

import (
	"math"
	"math/rand"
	"testing"
)

// TestTanh32sMatchesTanh32 checks the vector form bit for bit against the
// scalar one, on random values of every magnitude and on special values.
func TestTanh32sMatchesTanh32(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	special := []float32{0, float32(math.Copysign(0, -1)), 0.0004, -0.0004, 0.00039999, 1e-30, 7.9053111, -7.9053111, 8, -8, 100, -100,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32}
	for _, n := range []int{0, 1, 7, 8, 9, 31, 1000} {
		x := make([]float32, n)
		for i := range x {
			switch i % 3 {
			case 0:
				x[i] = float32(r.NormFloat64() * 3)
			case 1:
				x[i] = math.Float32frombits(r.Uint32())
			default:
				x[i] = special[r.Intn(len(special))]
			}
		}
		if n >= len(special) {
			copy(x, special)
		}
		y := append([]float32(nil), x...)
		Tanh32s(y)
		for i, v := range x {
			want := Tanh32(v)
			if math.Float32bits(y[i]) != math.Float32bits(want) && !(want != want && y[i] != y[i]) {
				t.Fatalf("n=%d: Tanh32s(%v) = %v (%#x), Tanh32 gives %v (%#x)", n, v, y[i], math.Float32bits(y[i]), want, math.Float32bits(want))
			}
		}
	}
}
