//go:build amd64 && !purego

package fastmath

//go:noescape
func tanh32AVX(x []float32)

func cpuHasAVX() bool

var haveAVX = cpuHasAVX()

//go:noescape
func sigmoid32AVX(x []float32)
