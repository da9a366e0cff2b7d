//go:build !amd64 || purego

package fused

func lstmStateAVX2(n int, c, cp, i, j, f *float32) { panic("unreachable") }

func mulAVX2(n int, dst, src *float32) { panic("unreachable") }

func mul3AVX2(n int, dst, a, b *float32) { panic("unreachable") }

func lstmBackOAVX2(n int, do, cc, dm, tc, o *float32) { panic("unreachable") }

func lstmBackCAVX2(n int, di, dj, df, cc, cp, i, j, f *float32) { panic("unreachable") }

func gruHAVX2(n int, h, u, hp, c *float32) { panic("unreachable") }

func gruBack1AVX2(n int, dc, du, nx, dh, u, c, h *float32) { panic("unreachable") }

func gruBack2AVX2(n int, dr, nx, d, h, r *float32) { panic("unreachable") }
