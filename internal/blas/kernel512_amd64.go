//go:build amd64 && !purego

package blas

// kern6x32z is the AVX-512 micro-kernel (kernel512_amd64.s): the 6×32
// tile of C at c, row stride ldc, becomes alpha·Σ_p a[r·ars+p·aps]·B[p][j],
// plus beta·C when loadC, for r < 6, j < 32, p < k, where B[p][j] is
// b[p·bs+j] for j < 16 and b[boff+p·bs+j-16] for j ≥ 16. Strides count
// float32s.
//
//go:noescape
func kern6x32z(k int, a *float32, ars, aps int, b *float32, bs, boff int, c *float32, ldc int, alpha, beta float32, loadC bool)

// kern6x16z is kern6x16 in AVX-512.
//
//go:noescape
func kern6x16z(k int, a *float32, ars, aps int, b *float32, bs int, c *float32, ldc int, alpha, beta float32, loadC bool)

func cpuHasAVX512F() bool

// haveAVX512 reports whether kern6x32z can run on this CPU.
var haveAVX512 = haveAsmKernel && cpuHasAVX512F()
