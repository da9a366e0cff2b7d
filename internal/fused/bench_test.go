package fused

import (
	"math/rand/v2"
	"testing"
)

func benchLayer(b *testing.B, d Dims, act Act) {
	r := rand.New(rand.NewPCG(1, 1))
	f := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64() * 0.1)
		}
		return v
	}
	x, k, bias, h0 := f(d.B*d.T*d.In), f((d.In+d.U)*d.U), f(d.U), make([]float32, d.B*d.U)
	out, states, final := make([]float32, d.B*d.T*d.U), make([]float32, d.B*d.T*d.U), make([]float32, d.B*d.U)
	dk, db := make([]float32, len(k)), make([]float32, d.U)
	dFinal := f(d.B * d.U)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Forward(d, act, x, k, bias, h0, nil, out, states, final)
		Backward(d, act, x, k, h0, nil, states, nil, dFinal, nil, nil, dk, db, nil)
	}
}

// BenchmarkW1Layer is the recurrent layer of the chapter's MNIST model
// (batch 150, 28 steps of 28 inputs, 150 tanh units), forward and backward.
func BenchmarkW1Layer(b *testing.B) { benchLayer(b, Dims{B: 150, T: 28, In: 28, U: 150}, Tanh) }
