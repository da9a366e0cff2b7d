package blas

import (
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
)

func TestGemmAgainstLoops(t *testing.T) {
	t.Logf("BLAS: %s", Name())
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ m, n, k int }{{1, 1, 1}, {3, 5, 4}, {150, 150, 150}, {7, 1, 9}, {4, 3, 0}} {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				lda, ldb := tc.k, tc.n
				if tA {
					lda = tc.m
				}
				if tB {
					ldb = tc.k
				}
				a := make([]float64, tc.m*tc.k+1)
				b := make([]float64, tc.k*tc.n+1)
				c := make([]float64, tc.m*tc.n)
				for i := range a {
					a[i] = r.NormFloat64()
				}
				for i := range b {
					b[i] = r.NormFloat64()
				}
				for i := range c {
					c[i] = r.NormFloat64()
				}
				want := refGemm(tA, tB, tc.m, tc.n, tc.k, 1.5, a, lda, b, ldb, 0.5, c, tc.n)
				tr := func(x bool) gblas.Transpose {
					if x {
						return gblas.Trans
					}
					return gblas.NoTrans
				}
				got := append([]float64(nil), c...)
				Dgemm(tr(tA), tr(tB), tc.m, tc.n, tc.k, 1.5, a, lda, b, ldb, 0.5, got, tc.n)
				a32, b32, c32 := to32(a), to32(b), to32(c)
				Sgemm(tr(tA), tr(tB), tc.m, tc.n, tc.k, 1.5, a32, lda, b32, ldb, 0.5, c32, tc.n)
				for i := range want {
					if math.Abs(got[i]-want[i]) > 1e-9*(1+math.Abs(want[i])) {
						t.Fatalf("Dgemm %+v tA=%v tB=%v [%d]: got %v want %v", tc, tA, tB, i, got[i], want[i])
					}
					if math.Abs(float64(c32[i])-want[i]) > 1e-3*(1+math.Abs(want[i])) {
						t.Fatalf("Sgemm %+v tA=%v tB=%v [%d]: got %v want %v", tc, tA, tB, i, c32[i], want[i])
					}
				}
			}
		}
	}
}

func to32(x []float64) []float32 {
	o := make([]float32, len(x))
	for i, v := range x {
		o[i] = float32(v)
	}
	return o
}

func TestGemmOnBackingSlices(t *testing.T) {
	// [1 2; 3 4]·[5; 6] = [17; 39], for both element types; NaN garbage in
	// c is overwritten, and k = 0 gives zeros.
	c32 := []float32{float32(math.NaN()), float32(math.NaN())}
	if err := Gemm(gblas.NoTrans, gblas.NoTrans, 2, 1, 2, []float32{1, 2, 3, 4}, 2, []float32{5, 6}, 1, c32); err != nil || c32[0] != 17 || c32[1] != 39 {
		t.Fatalf("float32: %v, %v", c32, err)
	}
	c64 := []float64{math.NaN(), math.NaN()}
	if err := Gemm(gblas.NoTrans, gblas.NoTrans, 2, 1, 0, []float64{}, 0, []float64{}, 1, c64); err != nil || c64[0] != 0 || c64[1] != 0 {
		t.Fatalf("float64, k = 0: %v, %v", c64, err)
	}
	if err := Gemm(gblas.NoTrans, gblas.NoTrans, 1, 1, 1, []float64{1}, 1, []float32{1}, 1, []float64{0}); err == nil {
		t.Fatal("mixed element types: no error")
	}
	if err := Gemm(gblas.NoTrans, gblas.NoTrans, 1, 1, 1, []int32{1}, 1, []int32{1}, 1, []int32{0}); err == nil {
		t.Fatal("int32: no error")
	}
}
