package blas

import (
	"testing"

	gblas "gonum.org/v1/gonum/blas"
)

func BenchmarkSgemm150(b *testing.B) {
	a := make([]float32, 150*150)
	c := make([]float32, 150*150)
	for i := range a {
		a[i] = float32(i%7) * 0.01
	}
	for i := 0; i < b.N; i++ {
		Sgemm(gblas.NoTrans, gblas.NoTrans, 150, 150, 150, 1, a, 150, a, 150, 1, c, 150)
	}
	b.ReportMetric(float64(150*150*150*2)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
