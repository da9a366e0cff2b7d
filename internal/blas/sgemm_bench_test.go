package blas

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// benchShapes are the products of the chapter's workloads: the recurrent
// step (150×150·150×150 and its gradients), the input projection of W1's
// 150 sequences of 28 steps ([4200×28]·[28×150]) with its gradients, and an
// MNIST dense layer (150×784·784×300).
var benchShapes = []struct {
	name    string
	tA, tB  bool
	m, n, k int
}{
	{"150x150x150/NN", false, false, 150, 150, 150},
	{"150x150x150/TN", true, false, 150, 150, 150},
	{"150x150x150/NT", false, true, 150, 150, 150},
	{"4200x28.28x150/NN", false, false, 4200, 150, 28},
	{"4200x28T.4200x150/TN", true, false, 28, 150, 4200},
	{"4200x150.28x150T/NT", false, true, 4200, 28, 150},
	{"150x784.784x300/NN", false, false, 150, 300, 784},
	{"25x100x100/NN", false, false, 25, 100, 100},
	{"25x100x100/NT", false, true, 25, 100, 100},
	{"100x100x25/TN", true, false, 100, 100, 25},
	{"100x100x1000/TN", true, false, 100, 100, 1000},
	{"100x100x4050/TN", true, false, 100, 100, 4050},
	{"150x600x2100/TN", true, false, 150, 600, 2100},
	{"75x600x150/NN", false, false, 75, 600, 150},
}

func BenchmarkSgemmShapes(b *testing.B) {
	impls := []struct {
		name string
		f    func(tA, tB bool, m, n, k int, a []float32, lda int, bb []float32, ldb int, c []float32, ldc int)
	}{
		{"go", func(tA, tB bool, m, n, k int, a []float32, lda int, bb []float32, ldb int, c []float32, ldc int) {
			kern := goKern
			if kern == nil {
				kern = &kernGo
			}
			sgemmGo(kern, tA, tB, m, n, k, 1, a, lda, bb, ldb, 0, c, ldc)
		}},
		{"go1thread", func(tA, tB bool, m, n, k int, a []float32, lda int, bb []float32, ldb int, c []float32, ldc int) {
			kern := goKern
			if kern == nil {
				kern = &kernGo
			}
			sgemmSerial(kern, tA, tB, m, n, k, 1, a, lda, bb, ldb, 0, c, ldc)
		}},
		{"gonum", func(tA, tB bool, m, n, k int, a []float32, lda int, bb []float32, ldb int, c []float32, ldc int) {
			blas32.Implementation().Sgemm(tr(tA), tr(tB), m, n, k, 1, a, lda, bb, ldb, 0, c, ldc)
		}},
	}
	if HaveOpenBLAS() {
		impls = append(impls, struct {
			name string
			f    func(tA, tB bool, m, n, k int, a []float32, lda int, bb []float32, ldb int, c []float32, ldc int)
		}{"openblas", func(tA, tB bool, m, n, k int, a []float32, lda int, bb []float32, ldb int, c []float32, ldc int) {
			Sgemm(tr(tA), tr(tB), m, n, k, 1, a, lda, bb, ldb, 0, c, ldc)
		}})
	}
	for _, s := range benchShapes {
		a := make([]float32, s.m*s.k)
		bb := make([]float32, s.k*s.n)
		c := make([]float32, s.m*s.n)
		for i := range a {
			a[i] = float32(i%7) * 0.01
		}
		for i := range bb {
			bb[i] = float32(i%5) * 0.01
		}
		lda, ldb := s.k, s.n
		if s.tA {
			lda = s.m
		}
		if s.tB {
			ldb = s.k
		}
		for _, im := range impls {
			b.Run(fmt.Sprintf("%s/%s", s.name, im.name), func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu0 := threadCPU()
				for i := 0; i < b.N; i++ {
					im.f(s.tA, s.tB, s.m, s.n, s.k, a, lda, bb, ldb, c, s.n)
				}
				flop := 2 * float64(s.m*s.n*s.k) * float64(b.N)
				b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if cpu := threadCPU() - cpu0; cpu > 0 && strings.HasPrefix(im.name, "go1") {
					// Single-threaded: the flop rate per CPU second of
					// this thread, which load on the machine leaves alone.
					b.ReportMetric(flop/cpu.Seconds()/1e9, "GFLOP/cpu-s")
				}
			})
		}
	}
}

func tr(t bool) gblas.Transpose {
	if t {
		return gblas.Trans
	}
	return gblas.NoTrans
}
