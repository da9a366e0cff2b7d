package workloads_test

import (
	"syscall"
	"testing"

	"github.com/gorgoflow/gorgoflow/bench/workloads"
)

func benchmark(b *testing.B, name string) {
	w, err := workloads.New(name, 0, workloads.InfExamples)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	if err := w.Step(); err != nil { // compile and warm up
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if err := w.Step(); err != nil {
			b.Fatal(err)
		}
	}
	// The process's CPU time per step: on a shared machine it varies less
	// than the wall time ns/op.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}

// cpuTime returns the CPU time (user and system) the process has used, in
// nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkW1 is one training step of the MNIST sequence classifier: batch
// 150, 28x28, 150 tanh units, dense 10, sparse softmax cross-entropy, Adam.
func BenchmarkW1(b *testing.B) { benchmark(b, "w1") }

// BenchmarkW2 is one training step of the time-series model: batch 50,
// 20x1, 100 ReLU units, per-step dense 1, MSE, Adam.
func BenchmarkW2(b *testing.B) { benchmark(b, "w2") }

// BenchmarkInf is W1's forward pass (the logits) over 10,000 sequences.
func BenchmarkInf(b *testing.B) { benchmark(b, "inf") }

// BenchmarkW7 is W1 with a cell written by the user from plain ops
// (BasicRNNCell's math): DynamicRNN's generic loop.
func BenchmarkW7(b *testing.B) { benchmark(b, "w7") }

// BenchmarkW3 is one training step of W1's classifier with a MultiRNNCell
// of 3 BasicLSTMCell of 150 (dense 10 on the top layer's h).
func BenchmarkW3(b *testing.B) { benchmark(b, "w3") }

// BenchmarkW4 is one training step of W1's classifier with a GRUCell of
// 150.
func BenchmarkW4(b *testing.B) { benchmark(b, "w4") }

// BenchmarkW5 is one training step of W1's classifier with a MultiRNNCell
// of 3 ReLU BasicRNNCell of 100 (dense 10 on the final states
// concatenated).
func BenchmarkW5(b *testing.B) { benchmark(b, "w5") }

// BenchmarkW6 is one word2vec skip-gram training step: embeddings of 150
// for 50,000 words, batch 128, NCE over 64 uniformly sampled classes, Adam.
func BenchmarkW6(b *testing.B) { benchmark(b, "w6") }
