//go:build amd64 && !purego

package fused

// The AVX2 loops of gates_amd64.s: each computes, for i < n (a multiple of
// 8), what the Go loop of the function of the same name without the AVX2
// suffix in gates.go computes, with the same results.

//go:noescape
func lstmStateAVX2(n int, c, cp, i, j, f *float32)

//go:noescape
func mulAVX2(n int, dst, src *float32)

//go:noescape
func mul3AVX2(n int, dst, a, b *float32)

//go:noescape
func lstmBackOAVX2(n int, do, cc, dm, tc, o *float32)

//go:noescape
func lstmBackCAVX2(n int, di, dj, df, cc, cp, i, j, f *float32)

//go:noescape
func gruHAVX2(n int, h, u, hp, c *float32)

//go:noescape
func gruBack1AVX2(n int, dc, du, nx, dh, u, c, h *float32)

//go:noescape
func gruBack2AVX2(n int, dr, nx, d, h, r *float32)
