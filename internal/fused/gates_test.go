package fused

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGateLoops checks the float32 gate loops (AVX2 where the CPU has it,
// with a Go tail) bit for bit against the formulas written out, in the
// same order of operations, for lengths around multiples of 8.
func TestGateLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	vec := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	unit := func(n int) []float32 { // values in (0, 1), as gates
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.Float64())
		}
		return v
	}
	same := func(name string, n int, got, want []float32) {
		t.Helper()
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s n=%d: [%d] = %v, want %v", name, n, i, got[i], want[i])
			}
		}
	}
	cp := func(v []float32) []float32 { return append([]float32(nil), v...) }
	for _, n := range []int{1, 7, 8, 9, 16, 23, 150} {
		c, cprev, i, j, f := vec(n), vec(n), unit(n), vec(n), unit(n)
		want := make([]float32, n)
		for k := range want {
			want[k] = f[k]*cprev[k] + i[k]*j[k]
		}
		lstmState(c, cprev, i, j, f)
		same("lstmState", n, c, want)

		a, b := vec(n), vec(n)
		want = make([]float32, n)
		for k := range want {
			want[k] = a[k] * b[k]
		}
		got := cp(a)
		mul(got, b)
		same("mul", n, got, want)
		got = make([]float32, n)
		mul3(got, a, b)
		same("mul3", n, got, want)

		dm, tc, o, cc := vec(n), unit(n), unit(n), vec(n)
		wantDo, wantCc := make([]float32, n), cp(cc)
		for k := range wantDo {
			wantDo[k] = dm[k] * tc[k] * o[k] * (1 - o[k])
			wantCc[k] += dm[k] * o[k] * (1 - tc[k]*tc[k])
		}
		do := make([]float32, n)
		lstmBackO(do, cc, dm, tc, o)
		same("lstmBackO do", n, do, wantDo)
		same("lstmBackO cc", n, cc, wantCc)

		wdi, wdj, wdf, wcc := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		for k := range wdi {
			d := cc[k]
			wdf[k] = d * cprev[k] * f[k] * (1 - f[k])
			wdi[k] = d * j[k] * i[k] * (1 - i[k])
			wdj[k] = d * i[k] * (1 - j[k]*j[k])
			wcc[k] = d * f[k]
		}
		di, dj, df := make([]float32, n), make([]float32, n), make([]float32, n)
		lstmBackC(di, dj, df, cc, cprev, i, j, f)
		same("lstmBackC di", n, di, wdi)
		same("lstmBackC dj", n, dj, wdj)
		same("lstmBackC df", n, df, wdf)
		same("lstmBackC cc", n, cc, wcc)

		u, hp, cand, dh := unit(n), vec(n), vec(n), vec(n)
		want = make([]float32, n)
		for k := range want {
			want[k] = u[k]*hp[k] + (1-u[k])*cand[k]
		}
		h := make([]float32, n)
		gruH(h, u, hp, cand)
		same("gruH", n, h, want)

		wdc, wdu, wnx := make([]float32, n), make([]float32, n), make([]float32, n)
		for k := range wdc {
			wdc[k] = dh[k] * (1 - u[k]) * (1 - cand[k]*cand[k])
			wdu[k] = dh[k] * (hp[k] - cand[k]) * u[k] * (1 - u[k])
			wnx[k] = dh[k] * u[k]
		}
		dc, du, nx := make([]float32, n), make([]float32, n), make([]float32, n)
		gruBack1(dc, du, nx, dh, u, cand, hp)
		same("gruBack1 dc", n, dc, wdc)
		same("gruBack1 du", n, du, wdu)
		same("gruBack1 nx", n, nx, wnx)

		rr, d := unit(n), vec(n)
		wdr, wnx2 := make([]float32, n), cp(nx)
		for k := range wdr {
			wdr[k] = d[k] * hp[k] * rr[k] * (1 - rr[k])
			wnx2[k] += d[k] * rr[k]
		}
		dr := make([]float32, n)
		gruBack2(dr, nx, d, hp, rr)
		same("gruBack2 dr", n, dr, wdr)
		same("gruBack2 nx", n, nx, wnx2)
	}
}
