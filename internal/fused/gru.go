package fused

// GRU layers: TF's GRUCell (rnn_cell_impl.py):
//
//	r, u = split(σ([x, h]·gates/kernel + gates/bias), 2)
//	c    = tanh([x, r·h]·candidate/kernel + candidate/bias)
//	h'   = u·h + (1 - u)·c

// gruWeights are a KindGRU layer's weights by name.
type gruWeights[F Float] struct {
	wgx, wgh, bg, wcx, wch, bc []F
}

func gruWeightsOf[F Float](L *Layer, w [][]F) gruWeights[F] {
	In, U := L.In, L.U
	return gruWeights[F]{wgx: w[0][:In*2*U], wgh: w[0][In*2*U:], bg: w[1], wcx: w[2][:In*U], wch: w[2][In*U:], bc: w[3]}
}

// gruForward runs a KindGRU layer over x (time-major when inTM), saving in
// work (at lw) r, u and c of each step, r·h, and h.
func gruForward[F Float](L *Layer, B, T int, x rowsOf[F], w, init [][]F, lens []int32, work []F, lw layerWork) {
	In, U, TB := L.In, L.U, T*B
	G := 3 * U // a saved row: r, u, c
	wt := gruWeightsOf(L, w)
	gates := work[lw.gates : lw.gates+TB*G]
	rh := work[lw.m : lw.m+TB*U]
	hs := work[lw.h : lw.h+TB*U]
	// All steps' input projections of r, u and the candidate in one
	// product, by [gates/kernel | candidate/kernel]'s input rows.
	wx := joinCols(wt.wgx, 2*U, wt.wcx, U, In)
	defer release(wx)
	projectInputs(B, T, In, G, x, wx, G, gates, G)
	h0 := init[0]
	zero0 := allZero(h0) && finite(wt.wgh) && finite(wt.wch)
	func(b0, b1 int) {
		nb := b1 - b0
		for t := 0; t < T; t++ {
			r0, r1 := t*B+b0, t*B+b1
			z := gates[r0*G : r1*G]
			hp := prevRows(hs, h0, B, U, t, b0, b1)
			first := t == 0 && zero0
			if !first {
				gemm(false, false, nb, 2*U, U, 1, hp, U, wt.wgh, 2*U, 1, z, G)
			}
			rhs := rh[r0*U : r1*U]
			for i := 0; i < nb; i++ {
				rr := rhs[i*U : (i+1)*U]
				if !running(lens, b0+i, t) {
					clear(rr) // read by the candidate kernel's gradient product
					continue
				}
				g := z[i*G : i*G+2*U]
				add(g, wt.bg[:2*U])
				sigmoids(g)
				mul3(rr, g[:U], hp[i*U:(i+1)*U])
			}
			if !first {
				gemm(false, false, nb, U, U, 1, rhs, U, wt.wch, U, 1, z[2*U:], G)
			}
			for i := 0; i < nb; i++ {
				h := hs[(r0+i)*U : (r0+i+1)*U]
				h1 := hp[i*U : (i+1)*U]
				if !running(lens, b0+i, t) {
					copy(h, h1)
					continue
				}
				u, c := z[i*G+U:i*G+2*U], z[i*G+2*U:(i+1)*G]
				add(c, wt.bc[:U])
				tanhs(c)
				gruH(h, u, h1, c)
			}
		}
	}(0, B)
}

// joinCols returns, in scratch space, the rows×(na+nb) matrix whose row i
// is row i of a (na elements) then row i of b (nb elements).
func joinCols[F Float](a []F, na int, b []F, nb, rows int) []F {
	m := scratch[F](rows * (na + nb))
	for i := 0; i < rows; i++ {
		copy(m[i*(na+nb):], a[i*na:(i+1)*na])
		copy(m[i*(na+nb)+na:], b[i*nb:(i+1)*nb])
	}
	return m
}

// gruBackward is StackBackward for one KindGRU layer.
func gruBackward[F Float](L *Layer, B, T int, x rowsOf[F], w, init [][]F, lens []int32, work []F, lw layerWork, dy []F, df [][]F, dxin rowsOf[F], dw, dinit [][]F) {
	In, U, TB := L.In, L.U, T*B
	G := 3 * U
	wt := gruWeightsOf(L, w)
	gates := work[lw.gates : lw.gates+TB*G]
	rh := work[lw.m : lw.m+TB*U]
	hs := work[lw.h : lw.h+TB*U]
	h0 := init[0]
	dz := scratch[F](TB * G) // gradients of r's, u's and c's pre-activations
	defer release(dz)
	wchT, wghT := transposed(wt.wch, U, U, U), transposed(wt.wgh, U, 2*U, 2*U)
	defer release(wchT)
	defer release(wghT)
	func(b0, b1 int) {
		nb := b1 - b0
		carry, next, drh := scratch[F](nb*U), scratch[F](nb*U), scratch[F](nb*U)
		defer release(carry)
		defer release(next)
		defer release(drh)
		fromOrZero(carry, df[0], b0*U, b1*U)
		for t := T - 1; t >= 0; t-- {
			r0, r1 := t*B+b0, t*B+b1
			hp := prevRows(hs, h0, B, U, t, b0, b1)
			if dy != nil {
				add(carry, dy[r0*U:r1*U]) // zero past the lengths
			}
			for i := 0; i < nb; i++ {
				d := dz[(r0+i)*G : (r0+i+1)*G]
				dh, nx := carry[i*U:(i+1)*U], next[i*U:(i+1)*U]
				if !running(lens, b0+i, t) {
					clear(d)
					copy(nx, dh)
					continue
				}
				g := gates[(r0+i)*G : (r0+i+1)*G]
				u, c := g[U:2*U], g[2*U:3*U]
				gruBack1(d[2*U:3*U], d[U:2*U], nx, dh, u, c, hp[i*U:(i+1)*U])
			}
			// Through r·h: d(r·h) = dc·Wchᵀ.
			gemm(false, false, nb, U, U, 1, dz[r0*G+2*U:], G, wchT, U, 0, drh, U)
			for i := 0; i < nb; i++ {
				if !running(lens, b0+i, t) {
					continue
				}
				r := gates[(r0+i)*G : (r0+i)*G+U]
				dr := dz[(r0+i)*G : (r0+i)*G+U]
				gruBack2(dr, next[i*U:(i+1)*U], drh[i*U:(i+1)*U], hp[i*U:(i+1)*U], r)
			}
			// Through the gates: dh_{t-1} += d(r, u)·Wghᵀ (zero rows past
			// the lengths).
			if t > 0 || dinit[0] != nil {
				gemm(false, false, nb, U, 2*U, 1, dz[r0*G:], G, wghT, U, 1, next, U)
			}
			carry, next = next, carry
		}
		if dinit[0] != nil {
			copy(dinit[0][b0*U:b1*U], carry)
		}
	}(0, B)
	dg, dbg, dc, dbc := dw[0], dw[1], dw[2], dw[3]
	// The input rows' terms of both kernels' gradients, and the input's
	// gradient, in one product each, as in the forward pass.
	wx := joinCols(wt.wgx, 2*U, wt.wcx, U, In)
	defer release(wx)
	dwx := scratch[F](In * G)
	defer release(dwx)
	clear(dwx)
	inputGrads(B, T, In, G, x, dz, G, wx, G, dwx, dxin, false)
	for i := 0; i < In; i++ {
		add(dg[i*2*U:(i+1)*2*U], dwx[i*G:i*G+2*U])
		add(dc[i*U:(i+1)*U], dwx[i*G+2*U:(i+1)*G])
	}
	stateGrads(B, T, U, 2*U, hs, h0, dz, G, dg[In*2*U:], 2*U)
	gemm(true, false, U, U, TB, 1, rh, U, dz[2*U:], G, 1, dc[In*U:], U)
	colSums(dbg, dz, TB, 2*U, G)
	colSums(dbc, dz[2*U:], TB, U, G)
}
