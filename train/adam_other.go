//go:build !amd64 || purego

package train

const haveAVX2 = false

func adamAVX2(n int, w, m, v, grad *float32, lrT, c1, c2, eps float32) { panic("unreachable") }
