package fastmath

import "testing"

func BenchmarkTanh32Slice(b *testing.B) {
	x := make([]float32, 22500)
	for i := range x {
		x[i] = float32(i%200-100) / 30
	}
	y := make([]float32, len(x))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, v := range x {
			y[j] = Tanh32(v)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/elem")
}

func BenchmarkTanh32s(b *testing.B) {
	x := make([]float32, 22500)
	y := make([]float32, len(x))
	for i := range x {
		x[i] = float32(i%200-100) / 30
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(y, x)
		Tanh32s(y)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/elem")
}

func TestHaveAVXReported(t *testing.T) { t.Logf("haveAVX = %v", haveAVX) }
