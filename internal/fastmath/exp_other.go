//go:build !amd64 || purego

package fastmath

const haveAVX2, haveAVX512 = false, false

func exp32AVX2(x, y []float32) { panic("unreachable") }

func exp32AVX512(x, y []float32) { panic("unreachable") }
