//go:build !amd64 || purego

package blas

const haveAsmKernel = false

func kern6x16(k int, a *float32, ars, aps int, b *float32, bs int, c *float32, ldc int, alpha, beta float32, loadC bool) {
	panic("unreachable")
}

const haveAVX512 = false

func kern6x32z(k int, a *float32, ars, aps int, b *float32, bs, boff int, c *float32, ldc int, alpha, beta float32, loadC bool) {
	panic("unreachable")
}

func kern6x16z(k int, a *float32, ars, aps int, b *float32, bs int, c *float32, ldc int, alpha, beta float32, loadC bool) {
	panic("unreachable")
}
