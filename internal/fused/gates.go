package fused

import (
	"math"

	"github.com/gorgoflow/gorgoflow/internal/fastmath"
)

// tanhs sets v[i] = tanh(v[i]): fastmath.Tanh32 (8 at a time with AVX) for
// float32, math.Tanh for float64.
func tanhs[F Float](v []F) {
	switch r := any(v).(type) {
	case []float32:
		fastmath.Tanh32s(r)
	case []float64:
		for i, e := range r {
			r[i] = math.Tanh(e)
		}
	}
}

// sigmoids sets v[i] = 1/(1+exp(-v[i])): fastmath.Sigmoid32 for float32
// (within 3e-7 of the exact value), for float64 as tf.Sigmoid computes it.
func sigmoids[F Float](v []F) {
	switch r := any(v).(type) {
	case []float32:
		fastmath.Sigmoid32s(r)
	case []float64:
		for i, e := range r {
			if e >= 0 {
				r[i] = 1 / (1 + math.Exp(-e))
			} else {
				x := math.Exp(e)
				r[i] = x / (1 + x)
			}
		}
	}
}

// clipTo sets v[i] to v[i] clipped to [-c, c] (NaN stays NaN).
func clipTo[F Float](v []F, c F) {
	for i, e := range v {
		if e > c {
			v[i] = c
		} else if e < -c {
			v[i] = -c
		}
	}
}

// passClipped zeroes g[i] where v[i] is outside (-c, c): the gradient of a
// value clipped to [-c, c], given the clipped value.
func passClipped[F Float](g, v []F, c F) {
	v = v[:len(g)]
	for i, e := range v {
		if !(e < c && e > -c) {
			g[i] = 0
		}
	}
}

// f32 returns the address of v[0] for a []float32 v.
func f32[F Float](v []F) *float32 { return &any(v).([]float32)[0] }

// vec returns how many leading elements of n the AVX2 loops handle for
// element type F: n rounded down to a multiple of 8 for float32 when the
// CPU has AVX2, else 0.
func vec[F Float](n int) int {
	var z F
	if _, ok := any(z).(float32); ok && haveAVX2 {
		return n &^ 7
	}
	return 0
}

// lstmState sets c = f·cp + i·j.
func lstmState[F Float](c, cp, i, j, f []F) {
	n := len(c)
	cp, i, j, f = cp[:n], i[:n], j[:n], f[:n]
	k := vec[F](n)
	if k > 0 {
		lstmStateAVX2(k, f32(c), f32(cp), f32(i), f32(j), f32(f))
	}
	for ; k < n; k++ {
		c[k] = f[k]*cp[k] + i[k]*j[k]
	}
}

// mul sets dst = dst·src.
func mul[F Float](dst, src []F) {
	n := len(dst)
	src = src[:n]
	k := vec[F](n)
	if k > 0 {
		mulAVX2(k, f32(dst), f32(src))
	}
	for ; k < n; k++ {
		dst[k] *= src[k]
	}
}

// mul3 sets dst = a·b.
func mul3[F Float](dst, a, b []F) {
	n := len(dst)
	a, b = a[:n], b[:n]
	k := vec[F](n)
	if k > 0 {
		mul3AVX2(k, f32(dst), f32(a), f32(b))
	}
	for ; k < n; k++ {
		dst[k] = a[k] * b[k]
	}
}

// lstmBackO sets do = dm·t·o·(1-o) (the gradient of o's pre-activation,
// from m = o·t) and adds dm·o·(1-t²) to cc (the gradient of c, t being
// tanh(c)).
func lstmBackO[F Float](do, cc, dm, t, o []F) {
	n := len(do)
	cc, dm, t, o = cc[:n], dm[:n], t[:n], o[:n]
	k := vec[F](n)
	if k > 0 {
		lstmBackOAVX2(k, f32(do), f32(cc), f32(dm), f32(t), f32(o))
	}
	for ; k < n; k++ {
		tk, ok := t[k], o[k]
		do[k] = dm[k] * tk * ok * (1 - ok)
		cc[k] += dm[k] * ok * (1 - tk*tk)
	}
}

// lstmBackC writes the gradients of i's, j's and f's pre-activations from
// d = cc, the gradient of c = f·cp + i·j (σ(i), tanh(j), σ(f) given),
// and replaces cc with the gradient of cp, d·f.
func lstmBackC[F Float](di, dj, df, cc, cp, i, j, f []F) {
	n := len(di)
	dj, df, cc, cp, i, j, f = dj[:n], df[:n], cc[:n], cp[:n], i[:n], j[:n], f[:n]
	k := vec[F](n)
	if k > 0 {
		lstmBackCAVX2(k, f32(di), f32(dj), f32(df), f32(cc), f32(cp), f32(i), f32(j), f32(f))
	}
	for ; k < n; k++ {
		d := cc[k]
		ik, jk, fk := i[k], j[k], f[k]
		df[k] = d * cp[k] * fk * (1 - fk)
		di[k] = d * jk * ik * (1 - ik)
		dj[k] = d * ik * (1 - jk*jk)
		cc[k] = d * fk
	}
}

// gruH sets h = u·hp + (1-u)·c.
func gruH[F Float](h, u, hp, c []F) {
	n := len(h)
	u, hp, c = u[:n], hp[:n], c[:n]
	k := vec[F](n)
	if k > 0 {
		gruHAVX2(k, f32(h), f32(u), f32(hp), f32(c))
	}
	for ; k < n; k++ {
		h[k] = u[k]*hp[k] + (1-u[k])*c[k]
	}
}

// gruBack1 writes, from dh the gradient of h' = u·h + (1-u)·c, those of
// c's pre-activation (dc), of u's (du) and of h through u·h (nx).
func gruBack1[F Float](dc, du, nx, dh, u, c, h []F) {
	n := len(dc)
	du, nx, dh, u, c, h = du[:n], nx[:n], dh[:n], u[:n], c[:n], h[:n]
	k := vec[F](n)
	if k > 0 {
		gruBack1AVX2(k, f32(dc), f32(du), f32(nx), f32(dh), f32(u), f32(c), f32(h))
	}
	for ; k < n; k++ {
		uk, ck := u[k], c[k]
		dc[k] = dh[k] * (1 - uk) * (1 - ck*ck)
		du[k] = dh[k] * (h[k] - ck) * uk * (1 - uk)
		nx[k] = dh[k] * uk
	}
}

// gruBack2 writes, from d the gradient of r·h, that of r's pre-activation
// (dr) and adds that of h to nx.
func gruBack2[F Float](dr, nx, d, h, r []F) {
	n := len(dr)
	nx, d, h, r = nx[:n], d[:n], h[:n], r[:n]
	k := vec[F](n)
	if k > 0 {
		gruBack2AVX2(k, f32(dr), f32(nx), f32(d), f32(h), f32(r))
	}
	for ; k < n; k++ {
		rk := r[k]
		dr[k] = d[k] * h[k] * rk * (1 - rk)
		nx[k] += d[k] * rk
	}
}
