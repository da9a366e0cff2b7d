// Package fused holds hand-written kernels for whole layers whose generic,
// op-by-op form is slow: a BasicRNNCell loop over all time steps, forward
// and backward (this file), and stacks of LSTM, GRU and BasicRNN layers
// (stack.go, lstm.go, gru.go: TF's BasicLSTMCell, LSTMCell, GRUCell and
// MultiRNNCell). Kernels work on row-major slices; the graph code checks
// shapes before calling them.
//
// Sequences of a batch are independent until the weight gradients sum
// over them, so both passes split the batch into parts, one goroutine
// each (as many as GOMAXPROCS, when the layer is large enough to pay for
// it), every product on one OpenBLAS thread. The forward pass runs, per
// part and step, h_t = act(x_t·Wx + h_{t-1}·Wh + b) with two products and
// one pass of activation, writing into preallocated buffers. The backward
// pass runs the steps in reverse with one small product per step and part,
// then computes the weight gradients with large products over all steps,
// split by columns.
package fused

import (
	"math"
	"math/bits"
	"runtime"
	"sync"

	gblas "gonum.org/v1/gonum/blas"

	"github.com/gorgoflow/gorgoflow/internal/blas"
	"github.com/gorgoflow/gorgoflow/internal/fastmath"
)

// Float is the element type of the kernels.
type Float interface{ ~float32 | ~float64 }

// Act is a cell activation.
type Act int

// The activations the fused loop supports.
const (
	Tanh Act = iota
	Relu
)

// Dims are a layer's sizes.
type Dims struct {
	B, T, In, U int
	TimeMajor   bool // x and out are [T,B,·] instead of [B,T,·]
}

func gemm[F Float](tA, tB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	ta, tb := gblas.NoTrans, gblas.NoTrans
	if tA {
		ta = gblas.Trans
	}
	if tB {
		tb = gblas.Trans
	}
	switch aa := any(a).(type) {
	case []float32:
		blas.Sgemm(ta, tb, m, n, k, float32(alpha), aa, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		blas.Dgemm(ta, tb, m, n, k, float64(alpha), aa, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	}
}

// Scratch buffers come from pools, one per element type and power-of-two
// size class (a buffer of class k holds 2^k elements): a training step
// would otherwise allocate several megabytes of them, and one pool for all
// sizes would drop a small buffer each time a large one is wanted.
var pool32, pool64 [64]sync.Pool

// sizeClass returns the smallest k with 2^k >= n.
func sizeClass(n int) int { return bits.Len(uint(max(n, 1) - 1)) }

// scratch returns a buffer of n elements, contents undefined; give it back
// with release.
func scratch[F Float](n int) []F {
	k := sizeClass(n)
	p := &pool64[k]
	var z F
	if _, ok := any(z).(float32); ok {
		p = &pool32[k]
	}
	if v, ok := p.Get().(*[]F); ok && cap(*v) >= n {
		return (*v)[:n]
	}
	return make([]F, n, 1<<k)
}

func release[F Float](b []F) {
	c := cap(b)
	if c == 0 {
		return
	}
	k := bits.Len(uint(c)) - 1 // the largest class b can serve
	p := &pool64[k]
	if _, ok := any(b).([]float32); ok {
		p = &pool32[k]
	}
	p.Put(&b)
}

// Parallelism: a layer of at least concurrentMNK multiply-adds
// (T·B·U·(U+In)) is split into up to procs() parts of at least minRows
// sequences.
var (
	concurrentMNK int64 = 1 << 20
	minRows             = 16
	procs               = func() int { return runtime.GOMAXPROCS(0) }
)

// smallIn is the largest input size whose projection forwardRows computes
// itself rather than with a product.
const smallIn = 4

// parts returns how many parts n rows are split into for a layer of the
// given size.
func parts(n, minSize int, work int64) int {
	if work < concurrentMNK {
		return 1
	}
	return max(1, min(procs(), n/max(minSize, 1)))
}

// split runs f on p near-equal parts i, [lo,hi) of [0,n), part 0 on the
// calling goroutine, the others on their own, and waits for them.
func split(p, n int, f func(i, lo, hi int)) {
	if p <= 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 1; i < p; i++ {
		lo, hi := i*n/p, (i+1)*n/p
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i, lo, hi)
		}()
	}
	f(0, 0, n/p)
	wg.Wait()
}

// Forward runs the layer. x is [B,T,In] (or [T,B,In]); k is the cell kernel
// [In+U, U] (rows 0..In-1 multiply x, the rest h); bias is [U]; h0 is [B,U];
// lens, when not nil, holds each sequence's length in [0,T]. It writes out
// ([B,T,U] or [T,B,U]; zero past a sequence's length), states ([T,B,U]: the
// state after each step, the previous state carried through past a
// sequence's length), and final ([B,U], the state after the last valid step).
// Any of out, states and final may be nil when not wanted; without states
// the layer needs only two [B,U] buffers besides its outputs.
func Forward[F Float](d Dims, act Act, x, k, bias, h0 []F, lens []int32, out, states, final []F) {
	B, T, In, U := d.B, d.T, d.In, d.U
	if T == 0 {
		copy(final, h0)
		return
	}
	p := parts(B, minRows, int64(T)*int64(B)*int64(U)*int64(U+In))
	if p > 1 {
		defer blas.Serial()()
	}
	split(p, B, func(_, b0, b1 int) { forwardRows(d, act, x, k, bias, h0, lens, out, states, final, b0, b1) })
}

// forwardRows runs Forward for sequences b0..b1-1. Each step's input
// projection is read straight from x (a step's rows are T·In apart in a
// batch-major x).
func forwardRows[F Float](d Dims, act Act, x, k, bias, h0 []F, lens []int32, out, states, final []F, b0, b1 int) {
	B, T, In, U := d.B, d.T, d.In, d.U
	nb := b1 - b0
	if nb == 0 {
		return
	}
	wx, wh := k[:In*U], k[In*U:]
	var bufA, bufB []F
	if states == nil {
		bufA, bufB = scratch[F](nb*U), scratch[F](nb*U)
		defer release(bufA)
		defer release(bufB)
	}
	prev := h0[b0*U : b1*U]
	// A zero initial state adds nothing at step 0 (0·Wh is 0 when Wh is
	// finite, else NaN, as TF's product gives).
	zero0 := allZero(prev) && finite(k[In*U:])
	if act == Relu && In == 1 && lens == nil {
		// One pass per step after the product: input projection, bias
		// and ReLU, (h_{t-1}·Wh + x_t·wx) + b as the general path's
		// (x_t·wx + h_{t-1}·Wh) + b.
		for t := 0; t < T; t++ {
			var cur []F
			if states != nil {
				cur = states[(t*B+b0)*U : (t*B+b1)*U]
			} else {
				cur = bufA
				bufA, bufB = bufB, bufA
			}
			xt, ldx := x[(b0*T+t)*In:], T*In
			if d.TimeMajor {
				xt, ldx = x[(t*B+b0)*In:], In
			}
			if t > 0 || !zero0 {
				gemm(false, false, nb, U, U, 1, prev, U, wh, U, 0, cur, U)
			} else {
				clear(cur)
			}
			for i := 0; i < nb; i++ {
				row := cur[i*U : (i+1)*U]
				reluProj(row, bias, wx, xt[i*ldx])
				if out != nil {
					copy(outRow(d, out, b0+i, t), row)
				}
			}
			prev = cur
		}
		if final != nil {
			copy(final[b0*U:b1*U], prev)
		}
		return
	}
	for t := 0; t < T; t++ {
		var cur []F
		if states != nil {
			cur = states[(t*B+b0)*U : (t*B+b1)*U]
		} else {
			cur = bufA
			bufA, bufB = bufB, bufA
		}
		xt, ldx := x[(b0*T+t)*In:], T*In
		if d.TimeMajor {
			xt, ldx = x[(t*B+b0)*In:], In
		}
		if In <= smallIn {
			// A product this thin costs more to call than to do here.
			for i := 0; i < nb; i++ {
				row := cur[i*U : (i+1)*U]
				xr := xt[i*ldx : i*ldx+In]
				for j, v := range xr {
					scale(row, wx[j*U:(j+1)*U], v, j > 0)
				}
			}
		} else {
			gemm(false, false, nb, U, In, 1, xt, ldx, wx, U, 0, cur, U)
		}
		if t > 0 || !zero0 {
			gemm(false, false, nb, U, U, 1, prev, U, wh, U, 1, cur, U)
		}
		if allRunning(lens, b0, b1, t) {
			// One pass over the whole block: the vector tanh then leaves
			// a tail of under 8 elements per step, not per row.
			if act == Relu {
				// Bias and activation in one pass.
				for i := 0; i < nb; i++ {
					reluBias(cur[i*U:(i+1)*U], bias)
				}
			} else {
				for i := 0; i < nb; i++ {
					addBias(cur[i*U:(i+1)*U], bias)
				}
				activate(act, cur, nil)
			}
			if out != nil {
				for i := 0; i < nb; i++ {
					copy(outRow(d, out, b0+i, t), cur[i*U:(i+1)*U])
				}
			}
			prev = cur
			continue
		}
		for i := 0; i < nb; i++ {
			b := b0 + i
			row := cur[i*U : (i+1)*U]
			if lens != nil && int(lens[b]) <= t {
				copy(row, prev[i*U:(i+1)*U])
				if out != nil {
					clear(outRow(d, out, b, t))
				}
				continue
			}
			activate(act, row, bias)
			if out != nil {
				copy(outRow(d, out, b, t), row)
			}
		}
		prev = cur
	}
	if final != nil {
		copy(final[b0*U:b1*U], prev)
	}
}

// outRow returns row (b, t) of out.
func outRow[F Float](d Dims, out []F, b, t int) []F {
	U := d.U
	if d.TimeMajor {
		return out[(t*d.B+b)*U : (t*d.B+b+1)*U]
	}
	return out[(b*d.T+t)*U : (b*d.T+t+1)*U]
}

// activate applies the activation to row + bias in place; bias nil means
// none (it was added already).
func activate[F Float](act Act, row, bias []F) {
	if bias != nil {
		addBias(row, bias)
	}
	switch act {
	case Relu:
		for i, v := range row {
			row[i] = max(v, 0) // no branch: signs are random
		}
	default:
		switch r := any(row).(type) {
		case []float32:
			fastmath.Tanh32s(r)
		case []float64:
			for i, v := range r {
				r[i] = math.Tanh(v)
			}
		}
	}
}

// scale sets dst to v·w, or adds v·w to it when add.
func scale[F Float](dst, w []F, v F, add bool) {
	w = w[:len(dst)]
	if d, ok := any(dst).([]float32); ok && haveAVX2 && len(dst) >= 8 {
		n := len(dst) &^ 7
		scaleAVX2(n, &d[0], &any(w).([]float32)[0], any(v).(float32), add)
		dst, w = dst[n:], w[n:]
	}
	if add {
		for i := range dst {
			dst[i] += v * w[i]
		}
		return
	}
	for i := range dst {
		dst[i] = v * w[i]
	}
}

// reluProj sets row to max((row + v·w) + bias, 0).
func reluProj[F Float](row, bias, w []F, v F) {
	bias, w = bias[:len(row)], w[:len(row)]
	if r, ok := any(row).([]float32); ok && haveAVX2 && len(row) >= 8 {
		n := len(row) &^ 7
		reluProjAVX2(n, &r[0], &any(bias).([]float32)[0], &any(w).([]float32)[0], any(v).(float32))
		row, bias, w = row[n:], bias[n:], w[n:]
	}
	for i, e := range row {
		row[i] = max(e+v*w[i]+bias[i], 0)
	}
}

// reluBias sets row to max(row + bias, 0).
func reluBias[F Float](row, bias []F) {
	bias = bias[:len(row)]
	if r, ok := any(row).([]float32); ok && haveAVX2 && len(row) >= 8 {
		n := len(row) &^ 7
		reluBiasAVX2(n, &r[0], &any(bias).([]float32)[0])
		row, bias = row[n:], bias[n:]
	}
	for i, v := range row {
		row[i] = max(v+bias[i], 0)
	}
}

func addBias[F Float](row, bias []F) {
	bias = bias[:len(row)]
	for i := range row {
		row[i] += bias[i]
	}
}

// transpose writes the n×n matrix a transposed into t, in tiles that stay
// in cache.
func transpose[F Float](t, a []F, n int) { transposeRect(t, a, n, n, n) }

// transposeRect writes the rows×cols matrix a (rows lda apart) transposed
// into t (cols×rows, contiguous), in tiles that stay in cache.
func transposeRect[F Float](t, a []F, rows, cols, lda int) {
	const tile = 16
	for i0 := 0; i0 < rows; i0 += tile {
		i1 := min(i0+tile, rows)
		for j0 := 0; j0 < cols; j0 += tile {
			j1 := min(j0+tile, cols)
			for i := i0; i < i1; i++ {
				row := a[i*lda+j0 : i*lda+j1]
				for j, v := range row {
					t[(j0+j)*rows+i] = v
				}
			}
		}
	}
}

// transposed returns a transposed copy of the rows×cols matrix a (rows lda
// apart) in scratch space: a right operand untransposed makes faster
// products (none of its packing per product).
func transposed[F Float](a []F, rows, cols, lda int) []F {
	t := scratch[F](rows * cols)
	transposeRect(t, a, rows, cols, lda)
	return t
}

// add adds src to dst elementwise.
func add[F Float](dst, src []F) {
	src = src[:len(dst)]
	if d, ok := any(dst).([]float32); ok && haveAVX2 && len(dst) >= 8 {
		n := len(dst) &^ 7
		addAVX2(n, &d[0], &any(src).([]float32)[0])
		dst, src = dst[n:], src[n:]
	}
	for i, v := range src {
		dst[i] += v
	}
}

// allZero reports whether every element of v is zero.
func allZero[F Float](v []F) bool {
	for _, e := range v {
		if e != 0 {
			return false
		}
	}
	return true
}

// finite reports whether every element of v is finite: e·0 is 0 for
// those, NaN for infinities and NaNs.
func finite[F Float](v []F) bool {
	var a0, a1, a2, a3 F
	i := 0
	for ; i+4 <= len(v); i += 4 {
		a0 += v[i] * 0
		a1 += v[i+1] * 0
		a2 += v[i+2] * 0
		a3 += v[i+3] * 0
	}
	for ; i < len(v); i++ {
		a0 += v[i] * 0
	}
	return a0+a1+a2+a3 == 0
}

// allRunning reports whether sequences b0..b1-1 all run at step t.
func allRunning(lens []int32, b0, b1, t int) bool {
	if lens == nil {
		return true
	}
	for _, n := range lens[b0:b1] {
		if int(n) <= t {
			return false
		}
	}
	return true
}

// Backward computes the gradients of the layer from those of its outputs
// (dOut, like out; nil when the outputs do not reach the loss), of its
// final state (dFinal, [B,U]; nil likewise) and of its states (dStates,
// [T,B,U] as states; nil likewise). It needs the forward's inputs and
// states. It writes dx (like x; may be nil when not wanted), dk ([In+U,U]),
// dbias ([U]) and dh0 ([B,U]; may be nil).
func Backward[F Float](d Dims, act Act, x, k, h0 []F, lens []int32, states, dOut, dFinal, dStates []F, dx, dk, dbias, dh0 []F) {
	B, T, In, U := d.B, d.T, d.In, d.U
	clear(dk)
	clear(dbias)
	if T == 0 || B == 0 {
		if dh0 != nil {
			if dFinal != nil {
				copy(dh0, dFinal)
			} else {
				clear(dh0)
			}
		}
		if dx != nil {
			clear(dx)
		}
		return
	}
	p := parts(B, minRows, int64(T)*int64(B)*int64(U)*int64(U+In))
	if p > 1 {
		defer blas.Serial()()
	}
	// The products dpre_t·Whᵀ run on a transposed copy of Wh: an
	// untransposed right operand makes a faster product.
	whT := scratch[F](U * U)
	defer release(whT)
	wh := k[In*U:]
	transpose(whT, wh, U)
	// Each part sums its sequences' terms of the kernel's and the bias's
	// gradients into buffers of its own (part 0 into dk and dbias), added
	// up at the end.
	accK, accB := make([][]F, p), make([][]F, p)
	accK[0], accB[0] = dk, dbias
	for i := 1; i < p; i++ {
		accK[i], accB[i] = scratch[F](len(dk)), scratch[F](U)
		clear(accK[i])
		clear(accB[i])
	}
	split(p, B, func(i, b0, b1 int) {
		backwardRows(d, act, x, k, whT, h0, lens, states, dOut, dFinal, dStates, dx, dh0, accK[i], accB[i], b0, b1)
	})
	for i := 1; i < p; i++ {
		add(dk, accK[i])
		for j, v := range accB[i] {
			dbias[j] += v
		}
		release(accK[i])
		release(accB[i])
	}
}

// backwardRows runs the steps of Backward in reverse for sequences
// b0..b1-1: it writes their rows of dx and dh0 and adds their terms of the
// kernel's and the bias's gradients to dk and dbias: with dpre_t the
// gradient of step t's pre-activation, dWh = Σ_t h_{t-1}ᵀ·dpre_t (h_{-1}
// being h0), dWx = Σ_t x_tᵀ·dpre_t, dbias = Σ_t Σ_rows dpre_t, each step's
// terms while its dpre_t is in cache.
//
// whT is Wh transposed.
func backwardRows[F Float](d Dims, act Act, x, k, whT, h0 []F, lens []int32, states, dOut, dFinal, dStates, dx, dh0, dk, dbias []F, b0, b1 int) {
	B, T, In, U := d.B, d.T, d.In, d.U
	nb := b1 - b0
	if nb == 0 {
		return
	}
	wx := k[:In*U]
	dwx, dwh := dk[:In*U], dk[In*U:]
	dbias = dbias[:U]
	dp := scratch[F](nb * U)
	carry := scratch[F](nb * U) // dL/dh_t flowing back
	next := scratch[F](nb * U)
	defer release(dp)
	defer release(carry)
	defer release(next)
	// A ReLU layer of one input adds each step's terms of dWx and dbias in
	// the pass that computes dpre_t.
	merged := act == Relu && In == 1
	if dFinal != nil {
		copy(carry, dFinal[b0*U:b1*U])
	} else {
		clear(carry)
	}
	for t := T - 1; t >= 0; t-- {
		off := (t*B + b0) * U
		if dStates != nil {
			// The state saved at step t is h_t for running sequences and
			// the carried state past a sequence's length: either way its
			// gradient joins dL/dh_t.
			ds := dStates[off : off+nb*U]
			for i := range carry {
				carry[i] += ds[i]
			}
		}
		st := states[off : off+nb*U]
		xt, ldx := x[(b0*T+t)*In:], T*In
		if d.TimeMajor {
			xt, ldx = x[(t*B+b0)*In:], In
		}
		for i := 0; i < nb; i++ {
			b := b0 + i
			row := dp[i*U : (i+1)*U]
			if lens != nil && int(lens[b]) <= t {
				clear(row) // the carry passes through below
				continue
			}
			var o []F
			if dOut != nil {
				o = outRow(d, dOut, b, t)
			}
			if merged {
				reluBackAcc(row, carry[i*U:(i+1)*U], o, st[i*U:(i+1)*U], dbias, dwx, xt[i*ldx])
				continue
			}
			backRow(act, row, carry[i*U:(i+1)*U], o, st[i*U:(i+1)*U])
		}
		// dh_{t-1} = dpre_t · Whᵀ for running sequences; carried otherwise.
		if t > 0 || dh0 != nil {
			gemm(false, false, nb, U, U, 1, dp, U, whT, U, 0, next, U)
		}
		if lens != nil {
			for i := 0; i < nb; i++ {
				if int(lens[b0+i]) <= t {
					copy(next[i*U:(i+1)*U], carry[i*U:(i+1)*U])
				}
			}
		}
		carry, next = next, carry
		// The weight gradients' terms of step t.
		hp := h0[b0*U : b1*U]
		if t > 0 {
			hp = states[off-B*U : off-B*U+nb*U]
		}
		if t > 0 || !allZero(hp) || !finite(dp) {
			gemm(true, false, U, U, nb, 1, hp, U, dp, U, 1, dwh, U)
		}
		if merged {
			// dWx's and dbias's terms were added with dpre_t.
		} else if In <= smallIn {
			for i := 0; i < nb; i++ {
				row := dp[i*U : (i+1)*U]
				for j, v := range xt[i*ldx : i*ldx+In] {
					w := dwx[j*U : (j+1)*U]
					for c, g := range row {
						w[c] += v * g
					}
				}
			}
		} else {
			gemm(true, false, In, U, nb, 1, xt, ldx, dp, U, 1, dwx, U)
		}
		for i := 0; i < nb && !merged; i++ {
			for j, v := range dp[i*U : (i+1)*U] {
				dbias[j] += v
			}
		}
		if dx != nil {
			// dx_t = dpre_t·Wxᵀ; in a batch-major dx a step's rows are T·In apart.
			if d.TimeMajor {
				gemm(false, true, nb, In, U, 1, dp, U, wx, U, 0, dx[(t*B+b0)*In:], In)
			} else {
				gemm(false, true, nb, In, U, 1, dp, U, wx, U, 0, dx[(b0*T+t)*In:], T*In)
			}
		}
	}
	if dh0 != nil {
		copy(dh0[b0*U:b1*U], carry)
	}
}

// backRow writes the gradient of a step's pre-activation for one sequence:
// (dL/dh_t + dOut_t) · act'(h_t). o may be nil.
func backRow[F Float](act Act, row, c, o, h []F) {
	c = c[:len(row)]
	h = h[:len(row)]
	switch {
	case act == Relu:
		switch r := any(row).(type) {
		case []float32:
			reluGrad32(r, any(c).([]float32), any(o).([]float32), any(h).([]float32))
		case []float64:
			reluGrad64(r, any(c).([]float64), any(o).([]float64), any(h).([]float64))
		}
	case o == nil:
		for i := range row {
			row[i] = c[i] * (1 - h[i]*h[i])
		}
	default:
		o = o[:len(row)]
		for i := range row {
			row[i] = (c[i] + o[i]) * (1 - h[i]*h[i])
		}
	}
}

// reluBackAcc writes row = (c + o)·relu'(h) (o may be nil), as backRow
// for Relu, and adds row to db and xv·row to dw.
func reluBackAcc[F Float](row, c, o, h, db, dw []F, xv F) {
	switch r := any(row).(type) {
	case []float32:
		reluBackAcc32(r, any(c).([]float32), any(o).([]float32), any(h).([]float32), any(db).([]float32), any(dw).([]float32), any(xv).(float32))
	default:
		backRow(Relu, row, c, o, h)
		db, dw = db[:len(row)], dw[:len(row)]
		for i, g := range row {
			db[i] += g
			dw[i] += xv * g
		}
	}
}

// reluBackAcc32 is reluBackAcc for float32, branch-free as reluGrad32.
func reluBackAcc32(row, c, o, h, db, dw []float32, xv float32) {
	c, h, db, dw = c[:len(row)], h[:len(row)], db[:len(row)], dw[:len(row)]
	if o != nil {
		o = o[:len(row)]
		if haveAVX2 && len(row) >= 8 {
			n := len(row) &^ 7
			reluBackAccAVX2(n, &row[0], &c[0], &o[0], &h[0], &db[0], &dw[0], xv)
			row, c, o, h, db, dw = row[n:], c[n:], o[n:], h[n:], db[n:], dw[n:]
		}
		for i := range row {
			hb := int32(math.Float32bits(h[i]))
			keep := uint32((^hb & -hb) >> 31) // all ones when h > 0
			g := math.Float32frombits(math.Float32bits(c[i]+o[i]) & keep)
			row[i] = g
			db[i] += g
			dw[i] += xv * g
		}
		return
	}
	for i := range row {
		hb := int32(math.Float32bits(h[i]))
		keep := uint32((^hb & -hb) >> 31)
		g := math.Float32frombits(math.Float32bits(c[i]) & keep)
		row[i] = g
		db[i] += g
		dw[i] += xv * g
	}
}

// reluGrad32 writes row = (c + o) where h > 0, else 0 (o may be nil),
// without branches: which units are active is random, and a mispredicted
// branch per element costs several times the arithmetic.
func reluGrad32(row, c, o, h []float32) {
	c, h = c[:len(row)], h[:len(row)]
	if o != nil {
		o = o[:len(row)]
		for i := range row {
			hb := int32(math.Float32bits(h[i]))
			keep := uint32((^hb & -hb) >> 31) // all ones when h > 0
			row[i] = math.Float32frombits(math.Float32bits(c[i]+o[i]) & keep)
		}
		return
	}
	for i := range row {
		hb := int32(math.Float32bits(h[i]))
		keep := uint32((^hb & -hb) >> 31)
		row[i] = math.Float32frombits(math.Float32bits(c[i]) & keep)
	}
}

// reluGrad64 is reluGrad32 for float64.
func reluGrad64(row, c, o, h []float64) {
	c, h = c[:len(row)], h[:len(row)]
	if o != nil {
		o = o[:len(row)]
		for i := range row {
			hb := int64(math.Float64bits(h[i]))
			keep := uint64((^hb & -hb) >> 63)
			row[i] = math.Float64frombits(math.Float64bits(c[i]+o[i]) & keep)
		}
		return
	}
	for i := range row {
		hb := int64(math.Float64bits(h[i]))
		keep := uint64((^hb & -hb) >> 63)
		row[i] = math.Float64frombits(math.Float64bits(c[i]) & keep)
	}
}
