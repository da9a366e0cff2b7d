//go:build amd64 && !purego

package blas

// kern6x16 is the AVX2+FMA micro-kernel (kernel_amd64.s): the 6×16 tile of
// C at c, row stride ldc, becomes alpha·Σ_p a[r·ars+p·aps]·b[p·bs+j], plus
// beta·C when loadC, for r < 6, j < 16, p < k. Strides count float32s.
//
//go:noescape
func kern6x16(k int, a *float32, ars, aps int, b *float32, bs int, c *float32, ldc int, alpha, beta float32, loadC bool)

func cpuHasAVX2FMA() bool

// haveAsmKernel reports whether kern6x16 can run on this CPU.
var haveAsmKernel = cpuHasAVX2FMA()
