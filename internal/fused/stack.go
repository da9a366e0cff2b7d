package fused

import (
	"github.com/gorgoflow/gorgoflow/internal/blas"
)

// Kind is the cell of a layer of a stack.
type Kind int

// The cells a stack's layers can be.
const (
	KindRNN  Kind = iota // BasicRNNCell: h' = act([x, h]·kernel + bias)
	KindLSTM             // BasicLSTMCell and LSTMCell (TF's gates i, j, f, o)
	KindGRU              // GRUCell (TF's formula: reset applied to h before the candidate's product)
)

// Layer describes one layer of a stack (TF's MultiRNNCell of these cells;
// one layer for a single cell). Its weights, in the order Forward takes
// them:
//
//   - KindRNN: kernel [In+U, U], bias [U].
//   - KindLSTM: kernel [In+H, 4U], bias [4U] (gates i, j, f, o), then with
//     Peepholes w_f_diag, w_i_diag, w_o_diag [U], then with Proj > 0
//     projection/kernel [U, Proj]. H is Proj when Proj > 0, else U.
//   - KindGRU: gates/kernel [In+U, 2U], gates/bias [2U] (r, u),
//     candidate/kernel [In+U, U], candidate/bias [U].
//
// Its state tensors, in TF's order: KindLSTM c [U] then h (m) [H]; the
// others h [U]. Its output is h (the LSTM's m, of size H).
type Layer struct {
	Kind  Kind
	Act   Act // KindRNN's activation (LSTM and GRU use tanh)
	In, U int

	// KindLSTM only.
	ForgetBias float64 // added to f before its sigmoid (TF's forget_bias)
	Peepholes  bool    // TF's use_peepholes
	Proj       int     // TF's num_proj (0: none)
	CellClip   float64 // TF's cell_clip when ClipCell
	ProjClip   float64 // TF's proj_clip when ClipProj (with Proj > 0)
	ClipCell   bool
	ClipProj   bool
}

// OutSize returns the size of the layer's output (its h).
func (l *Layer) OutSize() int {
	if l.Kind == KindLSTM && l.Proj > 0 {
		return l.Proj
	}
	return l.U
}

// StateSizes returns the sizes of the layer's state tensors.
func (l *Layer) StateSizes() []int {
	if l.Kind == KindLSTM {
		return []int{l.U, l.OutSize()}
	}
	return []int{l.U}
}

// WeightSizes returns the number of elements of each of the layer's
// weights, in order.
func (l *Layer) WeightSizes() []int {
	In, U, H := l.In, l.U, l.OutSize()
	switch l.Kind {
	case KindLSTM:
		s := []int{(In + H) * 4 * U, 4 * U}
		if l.Peepholes {
			s = append(s, U, U, U)
		}
		if l.Proj > 0 {
			s = append(s, U*l.Proj)
		}
		return s
	case KindGRU:
		return []int{(In + U) * 2 * U, 2 * U, (In + U) * U, U}
	}
	return []int{(In + U) * U, U}
}

// gateWidth is the width of the layer's pre-activations saved per step
// (LSTM: 4U, GRU: 3U for r, u and the candidate, RNN: none: h is enough).
func (l *Layer) gateWidth() int {
	switch l.Kind {
	case KindLSTM:
		return 4 * l.U
	case KindGRU:
		return 3 * l.U
	}
	return 0
}

// layerWork is where a layer's saved values lie in a workspace: each a
// time-major [T,B,n] block.
type layerWork struct {
	gates int // LSTM: σ(i), tanh(j), σ(f), σ(o); GRU: r, u, candidate
	c     int // LSTM: c after each step (carried past a length)
	m     int // LSTM with projection: o·tanh(c) before the projection; GRU: r·h
	h     int // h after each step (carried past a length)
	end   int
}

func (l *Layer) work(off, TB int) layerWork {
	w := layerWork{gates: off}
	off += TB * l.gateWidth()
	w.c = off
	if l.Kind == KindLSTM {
		off += TB * l.U
	}
	w.m = off
	if (l.Kind == KindLSTM && l.Proj > 0) || l.Kind == KindGRU {
		off += TB * l.U
	}
	w.h = off
	off += TB * l.OutSize()
	w.end = off
	return w
}

// WorkSize returns the number of elements of the workspace Forward fills
// for Backward, for a batch of B sequences of T steps.
func WorkSize(s []Layer, B, T int) int {
	off := 0
	for i := range s {
		off = s[i].work(off, B*T).end
	}
	return off
}

// stackArgs are a stack's slices, split by layer.
type stackArgs[F Float] struct {
	s          []Layer
	B, T       int
	timeMajor  bool
	lens       []int32
	w, st      [][][]F // per layer: weights; states (init, final, or their gradients)
	work       []F
	layerWorks []layerWork
}

func splitStack[F Float](s []Layer, B, T int, flatW, flatSt [][]F) (w, st [][][]F) {
	w, st = make([][][]F, len(s)), make([][][]F, len(s))
	for i := range s {
		nw, ns := len(s[i].WeightSizes()), len(s[i].StateSizes())
		w[i], flatW = flatW[:nw:nw], flatW[nw:]
		if flatSt != nil {
			st[i], flatSt = flatSt[:ns:ns], flatSt[ns:]
		} else {
			st[i] = make([][]F, ns) // none given: nil entries
		}
	}
	return w, st
}

// StackForward runs a stack of layers (layer l's output is layer l+1's
// input) over x, [B,T,In] (or [T,B,In] when timeMajor). w holds every
// layer's weights in order (Layer), init every layer's initial states
// ([B,n] each), lens (nil or each sequence's length in [0,T]). It writes
// out (the top layer's outputs, shaped as x with the top layer's output
// size; zero past a sequence's length; may be nil), final (every layer's
// state after its last valid step, as init; entries may be nil) and work
// (WorkSize elements: what Backward needs; may be nil when no gradient is
// wanted).
//
// Each layer computes its input projections for all steps with one product,
// then runs the steps with one product per step (two for GRU), the batch
// split over goroutines.
func StackForward[F Float](s []Layer, B, T int, timeMajor bool, x []F, w, init [][]F, lens []int32, out []F, final [][]F, work []F) {
	lw, li := splitStack(s, B, T, w, init)
	_, lf := splitStack(s, B, T, w, final)
	if work == nil {
		work = scratch[F](WorkSize(s, B, T))
		defer release(work)
	}
	TB := T * B
	xin := x
	inTM := timeMajor
	if T == 0 {
		for l := range s {
			for i, f := range lf[l] {
				copy(f, li[l][i])
			}
		}
		return
	}
	off := 0
	for l := range s {
		L := &s[l]
		lwk := L.work(off, TB)
		off = lwk.end
		switch L.Kind {
		case KindLSTM:
			lstmForward(L, B, T, inTM, xin, lw[l], li[l], lens, work, lwk)
		case KindGRU:
			gruForward(L, B, T, inTM, xin, lw[l], li[l], lens, work, lwk)
		default:
			rnnForward(L, B, T, inTM, xin, lw[l], li[l], lens, work, lwk)
		}
		H := L.OutSize()
		hs := work[lwk.h : lwk.h+TB*H]
		// Final states: the saved states of the last step (carried past
		// each sequence's length).
		last := (T - 1) * B
		if L.Kind == KindLSTM {
			if f := lf[l][0]; f != nil {
				copy(f, work[lwk.c+last*L.U:lwk.c+TB*L.U])
			}
			if f := lf[l][1]; f != nil {
				copy(f, hs[last*H:])
			}
		} else if f := lf[l][0]; f != nil {
			copy(f, hs[last*H:])
		}
		xin, inTM = hs, true
	}
	if out != nil {
		H := s[len(s)-1].OutSize()
		for t := 0; t < T; t++ {
			for b := 0; b < B; b++ {
				o := outRow(Dims{B: B, T: T, U: H, TimeMajor: timeMajor}, out, b, t)
				if lens != nil && int(lens[b]) <= t {
					clear(o)
				} else {
					copy(o, xin[(t*B+b)*H:])
				}
			}
		}
	}
}

// projectInputs sets dst ([T·B, n], time-major) to x·wx for every step:
// x is [B,T,In] or, when inTM, [T,B,In]; wx is [In, n] with rows n apart
// (ldw).
func projectInputs[F Float](B, T, In, n int, inTM bool, x, wx []F, ldw int, dst []F, ldd int) {
	if inTM || T == 1 {
		gemm(false, false, T*B, n, In, 1, x, In, wx, ldw, 0, dst, ldd)
		return
	}
	for t := 0; t < T; t++ {
		gemm(false, false, B, n, In, 1, x[t*In:], T*In, wx, ldw, 0, dst[t*B*ldd:], ldd)
	}
}

// running reports whether sequence b runs at step t.
func running(lens []int32, b, t int) bool { return lens == nil || int(lens[b]) > t }

// prevRows returns the rows b0..b1-1 of the state before step t: from init
// at step 0, else from the saved [T,B,n] block.
func prevRows[F Float](saved, init []F, B, n, t, b0, b1 int) []F {
	if t == 0 {
		return init[b0*n : b1*n]
	}
	return saved[((t-1)*B+b0)*n : ((t-1)*B+b1)*n]
}

// runParts runs f over the batch split in parts, one goroutine each, every
// product on one thread, when the layer is large enough.
func runParts(B int, work int64, f func(i, b0, b1 int)) int {
	p := parts(B, minRows, work)
	if p > 1 {
		defer blas.Serial()()
	}
	split(p, B, f)
	return p
}

// rnnForward runs a KindRNN layer.
func rnnForward[F Float](L *Layer, B, T int, inTM bool, x []F, w, init [][]F, lens []int32, work []F, lw layerWork) {
	In, U := L.In, L.U
	k, bias := w[0], w[1]
	wx, wh := k[:In*U], k[In*U:]
	hs := work[lw.h : lw.h+T*B*U]
	projectInputs(B, T, In, U, inTM, x, wx, U, hs, U)
	zero0 := allZero(init[0]) && finite(wh)
	runParts(B, int64(T)*int64(B)*int64(U)*int64(U+In), func(_, b0, b1 int) {
		nb := b1 - b0
		for t := 0; t < T; t++ {
			cur := hs[(t*B+b0)*U : (t*B+b1)*U]
			prev := prevRows(hs, init[0], B, U, t, b0, b1)
			if t > 0 || !zero0 {
				gemm(false, false, nb, U, U, 1, prev, U, wh, U, 1, cur, U)
			}
			for i := 0; i < nb; i++ {
				row := cur[i*U : (i+1)*U]
				if !running(lens, b0+i, t) {
					copy(row, prev[i*U:(i+1)*U])
					continue
				}
				if L.Act == Relu {
					reluBias(row, bias)
				} else {
					activate(Tanh, row, bias)
				}
			}
		}
	})
}

// StackBackward computes the gradients of a stack run by StackForward
// (with the same s, B, T, timeMajor, x, w, init, lens and its work) from
// those of its outputs (dOut, as out; nil when they do not reach the loss)
// and of its final states (dFinal, as final; nil entries for none). It
// writes dx (as x; may be nil), dw (as w) and dinit (as init; entries may
// be nil).
//
// Each layer runs its steps in reverse with one product per step (two for
// GRU), the batch split over goroutines, keeping every step's gradient of
// its pre-activations; then the weights' gradients and the gradient of the
// layer's input are products over all steps at once.
func StackBackward[F Float](s []Layer, B, T int, timeMajor bool, x []F, w, init [][]F, lens []int32, work []F, dOut []F, dFinal [][]F, dx []F, dw, dinit [][]F) {
	lw, li := splitStack(s, B, T, w, init)
	_, ldf := splitStack(s, B, T, w, dFinal)
	ldw, _ := splitStack(s, B, T, dw, nil)
	_, ldi := splitStack(s, B, T, w, dinit)
	for _, g := range dw {
		clear(g)
	}
	TB := T * B
	if T == 0 || B == 0 {
		for l := range s {
			for i, d := range ldi[l] {
				if d == nil {
					continue
				}
				if ldf[l][i] != nil {
					copy(d, ldf[l][i])
				} else {
					clear(d)
				}
			}
		}
		if dx != nil {
			clear(dx)
		}
		return
	}
	works := make([]layerWork, len(s))
	off := 0
	for l := range s {
		works[l] = s[l].work(off, TB)
		off = works[l].end
	}
	// dy: the gradient of the current layer's outputs, time-major; the top
	// layer's from dOut, masked past the lengths.
	top := &s[len(s)-1]
	H := top.OutSize()
	var dy []F
	if dOut != nil {
		dy = scratch[F](TB * H)
		defer release(dy)
		for t := 0; t < T; t++ {
			for b := 0; b < B; b++ {
				row := dy[(t*B+b)*H : (t*B+b+1)*H]
				if running(lens, b, t) {
					copy(row, outRow(Dims{B: B, T: T, U: H, TimeMajor: timeMajor}, dOut, b, t))
				} else {
					clear(row)
				}
			}
		}
	}
	for l := len(s) - 1; l >= 0; l-- {
		L := &s[l]
		xin, inTM := x, timeMajor
		if l > 0 {
			pw := works[l-1]
			xin, inTM = work[pw.h:pw.h+TB*s[l-1].OutSize()], true
		}
		var dxin []F // time-major gradient of the layer's input
		if l > 0 {
			dxin = scratch[F](TB * L.In)
			defer release(dxin)
		} else if dx != nil {
			if timeMajor || T == 1 {
				dxin = dx
			} else {
				dxin = scratch[F](TB * L.In)
				defer release(dxin)
			}
		}
		df := ldf[l]
		switch L.Kind {
		case KindLSTM:
			lstmBackward(L, B, T, inTM, xin, lw[l], li[l], lens, work, works[l], dy, df, dxin, ldw[l], ldi[l])
		case KindGRU:
			gruBackward(L, B, T, inTM, xin, lw[l], li[l], lens, work, works[l], dy, df, dxin, ldw[l], ldi[l])
		default:
			rnnBackward(L, B, T, inTM, xin, lw[l], li[l], lens, work, works[l], dy, df, dxin, ldw[l], ldi[l])
		}
		if l == 0 && dx != nil && !timeMajor && T > 1 {
			In := L.In
			for t := 0; t < T; t++ {
				for b := 0; b < B; b++ {
					copy(dx[(b*T+t)*In:(b*T+t+1)*In], dxin[(t*B+b)*In:])
				}
			}
		}
		dy = dxin
	}
}

// inputGrads adds the terms of all steps at once: dwx += xᵀ·dz (x the
// layer's input, [T·B, In] time-major or [B,T,In]), and sets (or adds to,
// when add) dxin = dz·wxᵀ (time-major); dz is [T·B, n] time-major with rows
// ldz apart, wx [In, n] with rows ldw apart.
func inputGrads[F Float](B, T, In, n int, inTM bool, x, dz []F, ldz int, wx []F, ldw int, dwx []F, dxin []F, add bool) {
	if inTM || T == 1 {
		gemm(true, false, In, n, T*B, 1, x, In, dz, ldz, 1, dwx, ldw)
	} else {
		for t := 0; t < T; t++ {
			gemm(true, false, In, n, B, 1, x[t*In:], T*In, dz[t*B*ldz:], ldz, 1, dwx, ldw)
		}
	}
	if dxin != nil {
		beta := F(0)
		if add {
			beta = 1
		}
		gemm(false, true, T*B, In, n, 1, dz, ldz, wx, ldw, beta, dxin, In)
	}
}

// stateGrads adds hᵀ·dz over all steps to dwh, h being the state before
// each step (init at step 0, then the saved states hs, [T,B,n]): dz is
// [T·B, m] with rows ldz apart, dwh [n, m] with rows ldw apart.
func stateGrads[F Float](B, T, n, m int, hs, init, dz []F, ldz int, dwh []F, ldw int) {
	if T > 1 {
		gemm(true, false, n, m, (T-1)*B, 1, hs, n, dz[B*ldz:], ldz, 1, dwh, ldw)
	}
	if !allZero(init) || !finiteRows(dz, B, m, ldz) {
		gemm(true, false, n, m, B, 1, init, n, dz, ldz, 1, dwh, ldw)
	}
}

func finiteRows[F Float](v []F, rows, n, ld int) bool {
	for i := 0; i < rows; i++ {
		if !finite(v[i*ld : i*ld+n]) {
			return false
		}
	}
	return true
}

// colSums adds the column sums of the [rows, n] matrix v (rows ld apart)
// to dst.
func colSums[F Float](dst, v []F, rows, n, ld int) {
	for i := 0; i < rows; i++ {
		add(dst[:n], v[i*ld:i*ld+n])
	}
}

// rnnBackward is StackBackward for one KindRNN layer: dy the gradient of
// its outputs (time-major; nil for none), df of its final state.
func rnnBackward[F Float](L *Layer, B, T int, inTM bool, x []F, w, init [][]F, lens []int32, work []F, lw layerWork, dy []F, df [][]F, dxin []F, dw, dinit [][]F) {
	In, U := L.In, L.U
	k := w[0]
	wh := k[In*U:]
	hs := work[lw.h : lw.h+T*B*U]
	dz := scratch[F](T * B * U)
	defer release(dz)
	runParts(B, int64(T)*int64(B)*int64(U)*int64(U+In), func(_, b0, b1 int) {
		nb := b1 - b0
		carry, next := scratch[F](nb*U), scratch[F](nb*U)
		defer release(carry)
		defer release(next)
		if df[0] != nil {
			copy(carry, df[0][b0*U:b1*U])
		} else {
			clear(carry)
		}
		for t := T - 1; t >= 0; t-- {
			off := (t*B + b0) * U
			d := dz[off : off+nb*U]
			h := hs[off : off+nb*U]
			var o []F
			if dy != nil {
				o = dy[off : off+nb*U]
			}
			for i := 0; i < nb; i++ {
				row := d[i*U : (i+1)*U]
				if !running(lens, b0+i, t) {
					clear(row)
					continue
				}
				var oi []F
				if o != nil {
					oi = o[i*U : (i+1)*U]
				}
				backRow(L.Act, row, carry[i*U:(i+1)*U], oi, h[i*U:(i+1)*U])
			}
			if t > 0 || dinit[0] != nil {
				gemm(false, true, nb, U, U, 1, d, U, wh, U, 0, next, U)
				for i := 0; i < nb; i++ {
					if !running(lens, b0+i, t) {
						copy(next[i*U:(i+1)*U], carry[i*U:(i+1)*U])
					}
				}
				carry, next = next, carry
			}
		}
		if dinit[0] != nil {
			copy(dinit[0][b0*U:b1*U], carry)
		}
	})
	dk, db := dw[0], dw[1]
	inputGrads(B, T, In, U, inTM, x, dz, U, k, U, dk[:In*U], dxin, false)
	stateGrads(B, T, U, U, hs, init[0], dz, U, dk[In*U:], U)
	colSums(db, dz, T*B, U, U)
}
