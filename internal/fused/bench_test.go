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

// benchStack runs a stack forward and backward on a batch of 150 MNIST
// sequences (28 steps of 28 inputs), the gradient coming from the top
// layer's final state.
func benchStack(b *testing.B, s []Layer) {
	r := rand.New(rand.NewPCG(1, 1))
	f := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64() * 0.1)
		}
		return v
	}
	const B, T = 150, 28
	x := f(B * T * s[0].In)
	var w, dw, init, final, dFinal [][]float32
	for _, L := range s {
		for _, n := range L.WeightSizes() {
			w, dw = append(w, f(n)), append(dw, make([]float32, n))
		}
		for _, n := range L.StateSizes() {
			init, final, dFinal = append(init, make([]float32, B*n)), append(final, make([]float32, B*n)), append(dFinal, nil)
		}
	}
	dFinal[len(dFinal)-1] = f(B * s[len(s)-1].OutSize())
	work := make([]float32, WorkSize(s, B, T))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		StackForward(s, B, T, false, x, w, init, nil, nil, final, work)
		StackBackward(s, B, T, false, x, w, init, nil, work, nil, dFinal, nil, dw, nil)
	}
}

// BenchmarkW3Stack is w3's recurrent part: 3 stacked BasicLSTMCell of 150.
func BenchmarkW3Stack(b *testing.B) {
	benchStack(b, []Layer{{Kind: KindLSTM, In: 28, U: 150, ForgetBias: 1}, {Kind: KindLSTM, In: 150, U: 150, ForgetBias: 1}, {Kind: KindLSTM, In: 150, U: 150, ForgetBias: 1}})
}

// BenchmarkW4Stack is w4's recurrent part: one GRUCell of 150.
func BenchmarkW4Stack(b *testing.B) { benchStack(b, []Layer{{Kind: KindGRU, In: 28, U: 150}}) }

// BenchmarkW5Stack is w5's recurrent part: 3 stacked ReLU BasicRNNCell of 100.
func BenchmarkW5Stack(b *testing.B) {
	benchStack(b, []Layer{{Kind: KindRNN, Act: Relu, In: 28, U: 100}, {Kind: KindRNN, Act: Relu, In: 100, U: 100}, {Kind: KindRNN, Act: Relu, In: 100, U: 100}})
}
