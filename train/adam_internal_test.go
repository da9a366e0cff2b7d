package train

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamFloat32 checks adam's float32 update (its vector loop and tail)
// against TF's formula in plain float32 loops, bit for bit, on values
// including zero and large gradients.
func TestAdamFloat32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 37
	w, m, v, g := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range w {
		w[i] = float32(r.NormFloat64())
		m[i] = float32(r.NormFloat64() * 0.1)
		v[i] = float32(r.Float64() * 0.01)
		g[i] = float32(r.NormFloat64() * math.Pow(10, float64(i%7-3)))
	}
	g[3], v[5] = 0, 0
	h := []float64{0.001 * math.Sqrt(1-0.999*0.999) / (1 - 0.9*0.9), 0.9, 0.999, 1e-8}
	wantW, wantM, wantV := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
	lr, b1, b2, eps := float32(h[0]), float32(h[1]), float32(h[2]), float32(h[3])
	for i := range wantW {
		wantM[i] = wantM[i] + (g[i]-wantM[i])*(1-b1)
		wantV[i] = wantV[i] + (g[i]*g[i]-wantV[i])*(1-b2)
		wantW[i] = wantW[i] - lr*wantM[i]/(float32(math.Sqrt(float64(wantV[i])))+eps)
	}
	adam([][]float32{w, m, v}, g, h)
	for i := range w {
		if w[i] != wantW[i] || m[i] != wantM[i] || v[i] != wantV[i] {
			t.Errorf("[%d]: w, m, v = %v %v %v, want %v %v %v", i, w[i], m[i], v[i], wantW[i], wantM[i], wantV[i])
		}
	}
}
