//go:build !amd64 || purego

package fastmath

const haveAVX = false

func tanh32AVX(x []float32) { panic("unreachable") }

func sigmoid32AVX(x []float32) { panic("unreachable") }
