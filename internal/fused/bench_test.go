package fused

import (
	"math/rand/v2"
	"testing"
)

// benchLayer runs the layer forward and backward, its gradient coming
// from the final state or, with perStep, from every step's output.
func benchLayer(b *testing.B, d Dims, act Act, perStep bool) {
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
	dFinal, dOut := f(d.B*d.U), []float32(nil)
	if perStep {
		dFinal, dOut = nil, f(d.B*d.T*d.U)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Forward(d, act, x, k, bias, h0, nil, out, states, final)
		Backward(d, act, x, k, h0, nil, states, dOut, dFinal, nil, nil, dk, db, nil)
	}
}

// BenchmarkW1Layer is the recurrent layer of the chapter's MNIST model
// (batch 150, 28 steps of 28 inputs, 150 tanh units), forward and backward.
func BenchmarkW1Layer(b *testing.B) { benchLayer(b, Dims{B: 150, T: 28, In: 28, U: 150}, Tanh, false) }

// BenchmarkW2Layer is the recurrent layer of the chapter's time-series
// model (batch 50, 20 steps of 1 input, 100 ReLU units), forward and
// backward.
func BenchmarkW2Layer(b *testing.B) { benchLayer(b, Dims{B: 50, T: 20, In: 1, U: 100}, Relu, true) }
