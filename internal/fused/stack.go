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
		if flatW != nil {
			w[i], flatW = flatW[:nw:nw], flatW[nw:]
		}
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
// The batch is split into parts (as many as GOMAXPROCS when the stack is
// large enough), each run through every layer by its own goroutine with
// one-thread products, with no synchronization until the end: sequences
// are independent. Within a part each layer computes its input projections
// for all steps with one product, then runs the steps with one product per
// step (two for GRU). A part's saved values are contiguous in work, each
// layer's time-major ([T, rows of the part, ·]).
func StackForward[F Float](s []Layer, B, T int, timeMajor bool, x []F, w, init [][]F, lens []int32, out []F, final [][]F, work []F) {
	if T == 0 {
		for i, f := range final {
			copy(f, init[i])
		}
		return
	}
	lw, _ := splitStack(s, B, T, w, nil)
	p := parts(B, minRows, stackMACs(s, B, T))
	if p > 1 {
		defer blas.Serial()()
	}
	if work != nil {
		split(p, B, func(_, b0, b1 int) {
			forwardPart(s, B, T, timeMajor, x, lw, init, lens, out, final, work[WorkSize(s, b0, T):WorkSize(s, b1, T)], b0, b1)
		})
		return
	}
	// Without a gradient nothing needs every sequence's saved values at
	// once: each part runs its sequences in chunks through one small
	// workspace (evaluating 10,000 sequences would otherwise take
	// gigabytes).
	split(p, B, func(_, b0, b1 int) {
		n := min(b1-b0, inferRows)
		buf := scratch[F](WorkSize(s, n, T))
		defer release(buf)
		for c0 := b0; c0 < b1; c0 += n {
			c1 := min(c0+n, b1)
			forwardPart(s, B, T, timeMajor, x, lw, init, lens, out, final, buf[:WorkSize(s, c1-c0, T)], c0, c1)
		}
	})
}

// inferRows is the most sequences StackForward runs at once per part when
// no gradient is wanted.
var inferRows = 128

// stackMACs returns the multiply-adds of a stack's forward pass.
func stackMACs(s []Layer, B, T int) int64 {
	var n int64
	for i := range s {
		L := &s[i]
		g := max(L.gateWidth(), L.U)
		n += int64(T) * int64(B) * int64(g) * int64(L.In+L.OutSize())
	}
	return n
}

// rowsOf is a [T, rows, n] view of a buffer: row i of step t at
// v[t·step+i·ld:].
type rowsOf[F Float] struct {
	v        []F
	step, ld int
}

func (r rowsOf[F]) row(t, i int) []F { return r.v[t*r.step+i*r.ld:] }

// contiguous reports whether the view's rows follow each other for all
// steps (a time-major block of n-element rows).
func (r rowsOf[F]) contiguous(rows, n int) bool { return r.ld == n && r.step == rows*n }

// inputRows returns the view of sequences b0.. of x, [B,T,n] or, when
// timeMajor, [T,B,n].
func inputRows[F Float](x []F, B, T, n int, timeMajor bool, b0 int) rowsOf[F] {
	if timeMajor {
		return rowsOf[F]{v: x[b0*n:], step: B * n, ld: n}
	}
	return rowsOf[F]{v: x[b0*T*n:], step: n, ld: T * n}
}

// partRows returns the parts of per-sequence [B,n] tensors for sequences
// b0..b1-1 (nil entries stay nil), n from sizes.
func partRows[F Float](v [][]F, sizes []int, b0, b1 int) [][]F {
	out := make([][]F, len(v))
	for i, e := range v {
		if e != nil {
			out[i] = e[b0*sizes[i] : b1*sizes[i]]
		}
	}
	return out
}

// stateSizes returns the sizes of every layer's state tensors, in order.
func stateSizes(s []Layer) []int {
	var n []int
	for i := range s {
		n = append(n, s[i].StateSizes()...)
	}
	return n
}

// forwardPart runs StackForward for sequences b0..b1-1, saving their
// values in pw (WorkSize(s, b1-b0, T) elements).
func forwardPart[F Float](s []Layer, B, T int, timeMajor bool, x []F, lw [][][]F, init [][]F, lens []int32, out []F, final [][]F, pw []F, b0, b1 int) {
	nb := b1 - b0
	if nb == 0 {
		return
	}
	sizes := stateSizes(s)
	_, li := splitStack(s, nb, T, nil, partRows(init, sizes, b0, b1))
	var lf [][][]F
	if final != nil {
		_, lf = splitStack(s, nb, T, nil, partRows(final, sizes, b0, b1))
	} else {
		_, lf = splitStack[F](s, nb, T, nil, nil)
	}
	var pl []int32
	if lens != nil {
		pl = lens[b0:b1]
	}
	xin := inputRows(x, B, T, s[0].In, timeMajor, b0)
	TB := T * nb
	off := 0
	for l := range s {
		L := &s[l]
		lwk := L.work(off, TB)
		off = lwk.end
		switch L.Kind {
		case KindLSTM:
			lstmForward(L, nb, T, xin, lw[l], li[l], pl, pw, lwk)
		case KindGRU:
			gruForward(L, nb, T, xin, lw[l], li[l], pl, pw, lwk)
		default:
			rnnForward(L, nb, T, xin, lw[l], li[l], pl, pw, lwk)
		}
		// Final states: the saved states of the last step (carried past
		// each sequence's length).
		H := L.OutSize()
		hs := pw[lwk.h : lwk.h+TB*H]
		last := (T - 1) * nb
		if L.Kind == KindLSTM {
			if f := lf[l][0]; f != nil {
				copy(f, pw[lwk.c+last*L.U:lwk.c+TB*L.U])
			}
			if f := lf[l][1]; f != nil {
				copy(f, hs[last*H:])
			}
		} else if f := lf[l][0]; f != nil {
			copy(f, hs[last*H:])
		}
		xin = rowsOf[F]{v: hs, step: nb * H, ld: H}
	}
	if out != nil {
		H := s[len(s)-1].OutSize()
		o := inputRows(out, B, T, H, timeMajor, b0)
		for t := 0; t < T; t++ {
			for i := 0; i < nb; i++ {
				row := o.row(t, i)[:H]
				if running(pl, i, t) {
					copy(row, xin.row(t, i))
				} else {
					clear(row)
				}
			}
		}
	}
}

// projectInputs sets dst ([T·rows, n] time-major, rows ldd apart) to x·wx
// for every step: one product when x's rows are contiguous, else one per
// step; wx is [In, n] with rows ldw apart.
func projectInputs[F Float](rows, T, In, n int, x rowsOf[F], wx []F, ldw int, dst []F, ldd int) {
	if x.contiguous(rows, In) || T == 1 {
		gemm(false, false, T*rows, n, In, 1, x.v, x.ld, wx, ldw, 0, dst, ldd)
		return
	}
	for t := 0; t < T; t++ {
		gemm(false, false, rows, n, In, 1, x.row(t, 0), x.ld, wx, ldw, 0, dst[t*rows*ldd:], ldd)
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

// rnnForward runs a KindRNN layer.
func rnnForward[F Float](L *Layer, B, T int, x rowsOf[F], w, init [][]F, lens []int32, work []F, lw layerWork) {
	In, U := L.In, L.U
	k, bias := w[0], w[1]
	wx, wh := k[:In*U], k[In*U:]
	hs := work[lw.h : lw.h+T*B*U]
	projectInputs(B, T, In, U, x, wx, U, hs, U)
	zero0 := allZero(init[0]) && finite(wh)
	func(b0, b1 int) {
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
	}(0, B)
}

// StackBackward computes the gradients of a stack run by StackForward
// (with the same s, B, T, timeMajor, x, w, init, lens and its work) from
// those of its outputs (dOut, as out; nil when they do not reach the loss)
// and of its final states (dFinal, as final; nil entries for none). It
// writes dx (as x; may be nil), dw (as w) and dinit (as init; entries may
// be nil).
//
// The batch is split as by StackForward, each part run through the layers
// from the top down by its own goroutine, summing its terms of the
// weights' gradients in buffers of its own (part 0 in dw), added up at the
// end. Within a part each layer runs its steps in reverse with one product
// per step (two for GRU), keeping every step's gradient of its
// pre-activations; the weights' and the input's gradients are then
// products over all steps at once.
func StackBackward[F Float](s []Layer, B, T int, timeMajor bool, x []F, w, init [][]F, lens []int32, work []F, dOut []F, dFinal [][]F, dx []F, dw, dinit [][]F) {
	for _, g := range dw {
		clear(g)
	}
	if T == 0 || B == 0 {
		for i, d := range dinit {
			if d == nil {
				continue
			}
			if dFinal != nil && dFinal[i] != nil {
				copy(d, dFinal[i])
			} else {
				clear(d)
			}
		}
		if dx != nil {
			clear(dx)
		}
		return
	}
	lw, _ := splitStack(s, B, T, w, nil)
	p := parts(B, minRows, stackMACs(s, B, T))
	if p > 1 {
		defer blas.Serial()()
	}
	acc := make([][]F, p*len(dw)) // part i's weight gradients: acc[i*len(dw):]
	copy(acc, dw)
	for i := len(dw); i < len(acc); i++ {
		acc[i] = scratch[F](len(dw[i%len(dw)]))
		clear(acc[i])
	}
	split(p, B, func(i, b0, b1 int) {
		ldw, _ := splitStack(s, B, T, acc[i*len(dw):(i+1)*len(dw)], nil)
		backwardPart(s, B, T, timeMajor, x, lw, init, lens, work, dOut, dFinal, dx, ldw, dinit, b0, b1)
	})
	for i := len(dw); i < len(acc); i++ {
		add(dw[i%len(dw)], acc[i])
		release(acc[i])
	}
}

// backwardPart runs StackBackward for sequences b0..b1-1, adding their
// terms of the weights' gradients to dw.
func backwardPart[F Float](s []Layer, B, T int, timeMajor bool, x []F, lw [][][]F, init [][]F, lens []int32, work []F, dOut []F, dFinal [][]F, dx []F, dw [][][]F, dinit [][]F, b0, b1 int) {
	nb := b1 - b0
	if nb == 0 {
		return
	}
	sizes := stateSizes(s)
	_, li := splitStack(s, nb, T, nil, partRows(init, sizes, b0, b1))
	var ldf, ldi [][][]F
	if dFinal != nil {
		_, ldf = splitStack(s, nb, T, nil, partRows(dFinal, sizes, b0, b1))
	} else {
		_, ldf = splitStack[F](s, nb, T, nil, nil)
	}
	if dinit != nil {
		_, ldi = splitStack(s, nb, T, nil, partRows(dinit, sizes, b0, b1))
	} else {
		_, ldi = splitStack[F](s, nb, T, nil, nil)
	}
	var pl []int32
	if lens != nil {
		pl = lens[b0:b1]
	}
	pw := work[WorkSize(s, b0, T):WorkSize(s, b1, T)]
	TB := T * nb
	works := make([]layerWork, len(s))
	off := 0
	for l := range s {
		works[l] = s[l].work(off, TB)
		off = works[l].end
	}
	// dy: the gradient of the current layer's outputs, time-major; the top
	// layer's from dOut, zero past the lengths.
	var dy []F
	if dOut != nil {
		H := s[len(s)-1].OutSize()
		dy = scratch[F](TB * H)
		defer release(dy)
		o := inputRows(dOut, B, T, H, timeMajor, b0)
		for t := 0; t < T; t++ {
			for i := 0; i < nb; i++ {
				row := dy[(t*nb+i)*H : (t*nb+i+1)*H]
				if running(pl, i, t) {
					copy(row, o.row(t, i))
				} else {
					clear(row)
				}
			}
		}
	}
	for l := len(s) - 1; l >= 0; l-- {
		L := &s[l]
		var xin rowsOf[F]
		if l > 0 {
			pv, H := works[l-1], s[l-1].OutSize()
			xin = rowsOf[F]{v: pw[pv.h : pv.h+TB*H], step: nb * H, ld: H}
		} else {
			xin = inputRows(x, B, T, L.In, timeMajor, b0)
		}
		var dxin rowsOf[F] // the gradient of the layer's input (v nil: not wanted)
		var next []F
		if l > 0 {
			next = scratch[F](TB * L.In)
			defer release(next)
			dxin = rowsOf[F]{v: next, step: nb * L.In, ld: L.In}
		} else if dx != nil {
			dxin = inputRows(dx, B, T, L.In, timeMajor, b0)
		}
		switch L.Kind {
		case KindLSTM:
			lstmBackward(L, nb, T, xin, lw[l], li[l], pl, pw, works[l], dy, ldf[l], dxin, dw[l], ldi[l])
		case KindGRU:
			gruBackward(L, nb, T, xin, lw[l], li[l], pl, pw, works[l], dy, ldf[l], dxin, dw[l], ldi[l])
		default:
			rnnBackward(L, nb, T, xin, lw[l], li[l], pl, pw, works[l], dy, ldf[l], dxin, dw[l], ldi[l])
		}
		dy = next
	}
}

// inputGrads adds the terms of all steps at once: dwx += xᵀ·dz (x the
// layer's input), and sets (or adds to, when add) dxin = dz·wxᵀ when
// dxin.v is not nil; dz is [T·rows, n] time-major with rows ldz apart, wx
// [In, n] with rows ldw apart.
func inputGrads[F Float](rows, T, In, n int, x rowsOf[F], dz []F, ldz int, wx []F, ldw int, dwx []F, dxin rowsOf[F], add bool) {
	if x.contiguous(rows, In) || T == 1 {
		gemm(true, false, In, n, T*rows, 1, x.v, x.ld, dz, ldz, 1, dwx, ldw)
	} else {
		for t := 0; t < T; t++ {
			gemm(true, false, In, n, rows, 1, x.row(t, 0), x.ld, dz[t*rows*ldz:], ldz, 1, dwx, ldw)
		}
	}
	if dxin.v == nil {
		return
	}
	beta := F(0)
	if add {
		beta = 1
	}
	if dxin.contiguous(rows, In) || T == 1 {
		gemm(false, true, T*rows, In, n, 1, dz, ldz, wx, ldw, beta, dxin.v, dxin.ld)
		return
	}
	for t := 0; t < T; t++ {
		gemm(false, true, rows, In, n, 1, dz[t*rows*ldz:], ldz, wx, ldw, beta, dxin.row(t, 0), dxin.ld)
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
func rnnBackward[F Float](L *Layer, B, T int, x rowsOf[F], w, init [][]F, lens []int32, work []F, lw layerWork, dy []F, df [][]F, dxin rowsOf[F], dw, dinit [][]F) {
	In, U := L.In, L.U
	k := w[0]
	whT := transposed(k[In*U:], U, U, U)
	defer release(whT)
	hs := work[lw.h : lw.h+T*B*U]
	dz := scratch[F](T * B * U)
	defer release(dz)
	func(b0, b1 int) {
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
				gemm(false, false, nb, U, U, 1, d, U, whT, U, 0, next, U)
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
	}(0, B)
	dk, db := dw[0], dw[1]
	inputGrads(B, T, In, U, x, dz, U, k, U, dk[:In*U], dxin, false)
	stateGrads(B, T, U, U, hs, init[0], dz, U, dk[In*U:], U)
	colSums(db, dz, T*B, U, U)
}
