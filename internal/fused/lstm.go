package fused

// LSTM layers: TF's BasicLSTMCell and LSTMCell (rnn_cell_impl.py), gates
// i, j, f, o of [x, h]·kernel + bias:
//
//	c' = σ(f + forget_bias [+ w_f_diag·c])·c + σ(i [+ w_i_diag·c])·tanh(j)
//	c' = clip(c', ±cell_clip)                      (with cell_clip)
//	m  = σ(o [+ w_o_diag·c'])·tanh(c')
//	m  = clip(m·projection, ±proj_clip)            (with num_proj)
//
// state (c', m), output m.

// lstmWeights are a KindLSTM layer's weights by name.
type lstmWeights[F Float] struct {
	wx, wh, bias []F
	wf, wi, wo   []F // peepholes, nil without
	wp           []F // projection [U, H], nil without
}

func lstmWeightsOf[F Float](L *Layer, w [][]F) lstmWeights[F] {
	G := 4 * L.U
	lw := lstmWeights[F]{wx: w[0][:L.In*G], wh: w[0][L.In*G:], bias: w[1]}
	i := 2
	if L.Peepholes {
		lw.wf, lw.wi, lw.wo = w[2], w[3], w[4]
		i = 5
	}
	if L.Proj > 0 {
		lw.wp = w[i]
	}
	return lw
}

// lstmForward runs a KindLSTM layer over x (time-major when inTM), saving
// in work (at lw) the gates' activations, c, the unprojected m, and h.
func lstmForward[F Float](L *Layer, B, T int, x rowsOf[F], w, init [][]F, lens []int32, work []F, lw layerWork) {
	In, U, H, G, TB := L.In, L.U, L.OutSize(), 4*L.U, T*B
	wt := lstmWeightsOf(L, w)
	gates := work[lw.gates : lw.gates+TB*G]
	cs := work[lw.c : lw.c+TB*U]
	hs := work[lw.h : lw.h+TB*H]
	ms := hs
	if wt.wp != nil {
		ms = work[lw.m : lw.m+TB*U]
	}
	projectInputs(B, T, In, G, x, wt.wx, G, gates, G)
	c0, h0 := init[0], init[1]
	zero0 := allZero(h0) && finite(wt.wh)
	func(b0, b1 int) {
		nb := b1 - b0
		for t := 0; t < T; t++ {
			r0, r1 := t*B+b0, t*B+b1
			z := gates[r0*G : r1*G]
			hp := prevRows(hs, h0, B, H, t, b0, b1)
			cp := prevRows(cs, c0, B, U, t, b0, b1)
			if t > 0 || !zero0 {
				gemm(false, false, nb, G, H, 1, hp, H, wt.wh, G, 1, z, G)
			}
			c, m := cs[r0*U:r1*U], ms[r0*U:r1*U]
			for i := 0; i < nb; i++ {
				ci, mi := c[i*U:(i+1)*U], m[i*U:(i+1)*U]
				if !running(lens, b0+i, t) {
					copy(ci, cp[i*U:(i+1)*U])
					clear(mi) // read by the projection's gradient product
					continue
				}
				lstmCell(L, &wt, z[i*G:(i+1)*G], cp[i*U:(i+1)*U], ci, mi)
			}
			if wt.wp != nil {
				h := hs[r0*H : r1*H]
				gemm(false, false, nb, H, U, 1, m, U, wt.wp, H, 0, h, H)
				if L.ClipProj {
					clipTo(h, F(L.ProjClip))
				}
			}
			for i := 0; i < nb; i++ {
				if !running(lens, b0+i, t) {
					copy(hs[(r0+i)*H:(r0+i+1)*H], hp[i*H:(i+1)*H])
				}
			}
		}
	}(0, B)
}

// lstmCell runs one sequence's step: z is the row of [x, h]·kernel, which
// it overwrites with σ(i), tanh(j), σ(f), σ(o); cp is the previous c; it
// writes the new c and m (before any projection).
func lstmCell[F Float](L *Layer, wt *lstmWeights[F], z, cp, c, m []F) {
	U := L.U
	add(z, wt.bias[:4*U])
	zi, zj, zf, zo := z[:U], z[U:2*U], z[2*U:3*U], z[3*U:4*U]
	fb := F(L.ForgetBias)
	cp = cp[:U]
	if wt.wf != nil {
		for k := range zf {
			zf[k] = zf[k] + fb + wt.wf[k]*cp[k]
			zi[k] += wt.wi[k] * cp[k]
		}
		sigmoids(zi)
		tanhs(zj)
		sigmoids(zf)
	} else {
		for k := range zf {
			zf[k] += fb
		}
		sigmoids(zi)
		tanhs(zj)
		sigmoids(z[2*U:])
	}
	c, m = c[:U], m[:U]
	lstmState(c, cp, zi, zj, zf)
	if L.ClipCell {
		clipTo(c, F(L.CellClip))
	}
	if wt.wo != nil {
		for k := range zo {
			zo[k] += wt.wo[k] * c[k]
		}
		sigmoids(zo)
	}
	copy(m, c)
	tanhs(m)
	mul(m, zo)
}

// lstmBackward is StackBackward for one KindLSTM layer.
func lstmBackward[F Float](L *Layer, B, T int, x rowsOf[F], w, init [][]F, lens []int32, work []F, lw layerWork, dy []F, df [][]F, dxin rowsOf[F], dw, dinit [][]F) {
	In, U, H, G, TB := L.In, L.U, L.OutSize(), 4*L.U, T*B
	wt := lstmWeightsOf(L, w)
	gates := work[lw.gates : lw.gates+TB*G]
	cs := work[lw.c : lw.c+TB*U]
	hs := work[lw.h : lw.h+TB*H]
	c0, h0 := init[0], init[1]
	dz := scratch[F](TB * G)
	defer release(dz)
	whT := transposed(wt.wh, H, G, G)
	defer release(whT)
	var dhs []F // with a projection: the gradient of each step's h
	if wt.wp != nil {
		dhs = scratch[F](TB * H)
		defer release(dhs)
	}
	var pg [3][]F // the peepholes' gradients (f, i, o), summed here
	if wt.wf != nil {
		pg = [3][]F{dw[2], dw[3], dw[4]}
	}
	func(b0, b1 int) {
		nb := b1 - b0
		carryH, nextH := scratch[F](nb*H), scratch[F](nb*H)
		carryC, dm, tc := scratch[F](nb*U), scratch[F](nb*U), scratch[F](U)
		defer release(carryH)
		defer release(nextH)
		defer release(carryC)
		defer release(dm)
		defer release(tc)
		fromOrZero(carryC, df[0], b0*U, b1*U)
		fromOrZero(carryH, df[1], b0*H, b1*H)
		for t := T - 1; t >= 0; t-- {
			r0, r1 := t*B+b0, t*B+b1
			// dh: the gradient of h_t; then of m before the projection.
			dh := carryH
			if dy != nil {
				dh = nextH
				copy(dh, carryH)
				add(dh, dy[r0*H:r1*H])
			}
			if wt.wp != nil {
				d := dhs[r0*H : r1*H]
				copy(d, dh)
				for i := 0; i < nb; i++ {
					if !running(lens, b0+i, t) {
						clear(d[i*H : (i+1)*H])
					}
				}
				if L.ClipProj {
					passClipped(d, hs[r0*H:r1*H], F(L.ProjClip))
				}
				gemm(false, true, nb, U, H, 1, d, H, wt.wp, H, 0, dm, U)
			} else {
				copy(dm, dh)
			}
			cp := prevRows(cs, c0, B, U, t, b0, b1)
			for i := 0; i < nb; i++ {
				zr := dz[(r0+i)*G : (r0+i+1)*G]
				cc := carryC[i*U : (i+1)*U]
				if !running(lens, b0+i, t) {
					clear(zr) // the carries pass through
					continue
				}
				lstmCellBack(L, &wt, zr, gates[(r0+i)*G:(r0+i+1)*G], cs[(r0+i)*U:(r0+i+1)*U], cp[i*U:(i+1)*U], dm[i*U:(i+1)*U], cc, tc, &pg)
			}
			// dh_{t-1} = dz_t·Whᵀ for running sequences; carried otherwise.
			if t > 0 || dinit[1] != nil {
				gemm(false, false, nb, H, G, 1, dz[r0*G:r1*G], G, whT, H, 0, nextH, H)
				for i := 0; i < nb; i++ {
					if !running(lens, b0+i, t) {
						copy(nextH[i*H:(i+1)*H], carryH[i*H:(i+1)*H])
					}
				}
				carryH, nextH = nextH, carryH
			}
		}
		if dinit[0] != nil {
			copy(dinit[0][b0*U:b1*U], carryC)
		}
		if dinit[1] != nil {
			copy(dinit[1][b0*H:b1*H], carryH)
		}
	}(0, B)
	dk, db := dw[0], dw[1]
	inputGrads(B, T, In, G, x, dz, G, wt.wx, G, dk[:In*G], dxin, false)
	stateGrads(B, T, H, G, hs, h0, dz, G, dk[In*G:], G)
	colSums(db, dz, TB, G, G)
	i := 2
	if wt.wf != nil {
		i = 5
	}
	if wt.wp != nil {
		ms := work[lw.m : lw.m+TB*U]
		gemm(true, false, U, H, TB, 1, ms, U, dhs, H, 1, dw[i], H)
	}
}

// lstmCellBack runs one sequence's step backward: g holds the step's gate
// activations, c its (clipped) c, cp the previous c, dm the gradient of m
// before the projection; cc holds the gradient of c from later steps,
// which it replaces with that of cp. It writes the gradients of the gates'
// pre-activations into dz and adds the peepholes' terms to pg (f, i, o).
// tc is scratch of U elements.
func lstmCellBack[F Float](L *Layer, wt *lstmWeights[F], dz, g, c, cp, dm, cc, tc []F, pg *[3][]F) {
	U := L.U
	gi, gj, gf, og := g[:U], g[U:2*U], g[2*U:3*U], g[3*U:4*U]
	di, dj, dfz, do := dz[:U], dz[U:2*U], dz[2*U:3*U], dz[3*U:4*U]
	c, cp, dm, cc, tc = c[:U], cp[:U], dm[:U], cc[:U], tc[:U]
	copy(tc, c)
	tanhs(tc)
	lstmBackO(do, cc, dm, tc, og)
	if wt.wo != nil {
		for k := range cc {
			cc[k] += do[k] * wt.wo[k]
		}
	}
	if L.ClipCell {
		passClipped(cc, c, F(L.CellClip))
	}
	lstmBackC(di, dj, dfz, cc, cp, gi, gj, gf)
	if wt.wf != nil {
		pf, pi, po := pg[0][:U], pg[1][:U], pg[2][:U]
		for k := range cc {
			cc[k] += dfz[k]*wt.wf[k] + di[k]*wt.wi[k]
			pf[k] += dfz[k] * cp[k]
			pi[k] += di[k] * cp[k]
			po[k] += do[k] * c[k]
		}
	}
}

// fromOrZero copies src[lo:hi] into dst, or zeroes dst when src is nil.
func fromOrZero[F Float](dst, src []F, lo, hi int) {
	if src == nil {
		clear(dst)
		return
	}
	copy(dst, src[lo:hi])
}
