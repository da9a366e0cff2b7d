// Package fused holds hand-written kernels for whole layers whose generic,
// op-by-op form is slow: a BasicRNNCell loop over all time steps, forward
// and backward. Kernels work on row-major slices; the graph code checks
// shapes before calling them.
//
// The forward pass computes every step's input projection X·Wx in one matrix
// product, then per step h_t = act(XW_t + h_{t-1}·Wh + b) with one small
// product and one pass of activation, writing into preallocated buffers. The
// backward pass runs the steps in reverse with one small product per step
// and computes the weight gradients with two large products over all steps.
package fused

import (
	"math"
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

// Scratch buffers come from pools: a training step would otherwise
// allocate several megabytes of them.
var pool32, pool64 sync.Pool

// scratch returns a buffer of n elements, contents undefined; give it back
// with release.
func scratch[F Float](n int) []F {
	var p *sync.Pool = &pool64
	var z F
	if _, ok := any(z).(float32); ok {
		p = &pool32
	}
	if v, ok := p.Get().(*[]F); ok && cap(*v) >= n {
		return (*v)[:n]
	}
	return make([]F, n)
}

func release[F Float](b []F) {
	var p *sync.Pool = &pool64
	if _, ok := any(b).([]float32); ok {
		p = &pool32
	}
	p.Put(&b)
}

// toTimeMajor copies x [B,T,n] into dst [T,B,n].
func toTimeMajor[F Float](x, dst []F, B, T, n int) {
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			copy(dst[(t*B+b)*n:(t*B+b+1)*n], x[(b*T+t)*n:(b*T+t+1)*n])
		}
	}
}

// fromTimeMajor copies src [T,B,n] into x [B,T,n].
func fromTimeMajor[F Float](src, x []F, B, T, n int) {
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			copy(x[(b*T+t)*n:(b*T+t+1)*n], src[(t*B+b)*n:(t*B+b+1)*n])
		}
	}
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
	if states == nil {
		forwardSteps(d, act, x, k, bias, h0, lens, out, final)
		return
	}
	wx, wh := k[:In*U], k[In*U:]
	// states doubles as the buffer of every step's pre-activation.
	xs := x
	if !d.TimeMajor && B > 1 {
		xs = scratch[F](len(x))
		defer release(xs)
		toTimeMajor(x, xs, B, T, In)
	}
	gemm(false, false, T*B, U, In, 1, xs, In, wx, U, 0, states, U)
	prev := h0
	for t := 0; t < T; t++ {
		st := states[t*B*U : (t+1)*B*U]
		gemm(false, false, B, U, U, 1, prev, U, wh, U, 1, st, U)
		for b := 0; b < B; b++ {
			row := st[b*U : (b+1)*U]
			if lens != nil && int(lens[b]) <= t {
				copy(row, prev[b*U:(b+1)*U])
				continue
			}
			activate(act, row, bias)
		}
		prev = st
	}
	copy(final, prev)
	if out == nil {
		return
	}
	// Outputs: the states, zero past each sequence's length.
	if d.TimeMajor || B == 1 {
		copy(out, states)
	} else {
		fromTimeMajor(states, out, B, T, U)
	}
	if lens != nil {
		for b := 0; b < B; b++ {
			for t := int(lens[b]); t < T; t++ {
				clear(outRow(d, out, b, t))
			}
		}
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

// forwardSteps is Forward without saved states: step by step, each step's
// input projection read straight from x (rows of a step are T·In apart in
// a batch-major x), the state in two [B,U] buffers.
func forwardSteps[F Float](d Dims, act Act, x, k, bias, h0 []F, lens []int32, out, final []F) {
	B, T, In, U := d.B, d.T, d.In, d.U
	if B == 0 {
		return
	}
	wx, wh := k[:In*U], k[In*U:]
	bufA, bufB := scratch[F](B*U), scratch[F](B*U)
	defer release(bufA)
	defer release(bufB)
	prev, cur := h0, bufA
	for t := 0; t < T; t++ {
		xt, ldx := x[t*In:], T*In
		if d.TimeMajor {
			xt, ldx = x[t*B*In:], In
		}
		gemm(false, false, B, U, In, 1, xt, ldx, wx, U, 0, cur, U)
		gemm(false, false, B, U, U, 1, prev, U, wh, U, 1, cur, U)
		for b := 0; b < B; b++ {
			row := cur[b*U : (b+1)*U]
			if lens != nil && int(lens[b]) <= t {
				copy(row, prev[b*U:(b+1)*U])
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
		prev, cur = cur, bufB
		bufA, bufB = bufB, bufA
	}
	copy(final, prev)
}

func activate[F Float](act Act, row, bias []F) {
	switch act {
	case Relu:
		for i := range row {
			v := row[i] + bias[i]
			if v < 0 {
				v = 0
			}
			row[i] = v
		}
	default:
		switch r := any(row).(type) {
		case []float32:
			b := any(bias).([]float32)
			for i := range r {
				r[i] += b[i]
			}
			fastmath.Tanh32s(r)
		case []float64:
			b := any(bias).([]float64)
			for i := range r {
				r[i] = math.Tanh(r[i] + b[i])
			}
		}
	}
}

// Backward computes the gradients of the layer from those of its outputs
// (dOut, like out; nil when the outputs do not reach the loss), of its
// final state (dFinal, [B,U]; nil likewise) and of its states (dStates,
// [T,B,U] as states; nil likewise). It needs the forward's inputs and
// states. It writes dx (like x; may be nil when not wanted), dk ([In+U,U]),
// dbias ([U]) and dh0 ([B,U]; may be nil).
//
// The steps run in reverse, one small product each; the weight gradients
// (and dx) are sums of products over the steps, which a second goroutine
// computes a few steps at a time behind the loop when the layer is large
// enough to pay for it.
func Backward[F Float](d Dims, act Act, x, k, h0 []F, lens []int32, states, dOut, dFinal, dStates []F, dx, dk, dbias, dh0 []F) {
	B, T, In, U := d.B, d.T, d.In, d.U
	clear(dk)
	clear(dbias)
	if T == 0 {
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
	wh := k[In*U:]
	dpre := scratch[F](T * B * U) // time-major
	carry := scratch[F](B * U)    // dL/dh_t flowing back
	next := scratch[F](B * U)
	defer release(dpre)
	defer release(carry)
	defer release(next)
	if dFinal != nil {
		copy(carry, dFinal)
	} else {
		clear(carry)
	}
	wg := weightGrads[F]{d: d, x: x, wx: k[:In*U], h0: h0, states: states, dpre: dpre, dx: dx, dk: dk, dbias: dbias}
	chunk := max(1, (chunkRows+B-1)/max(B, 1))
	concurrent := runtime.GOMAXPROCS(0) > 1 && int64(T)*int64(B)*int64(U)*int64(U+In) >= concurrentMNK
	var jobs chan [2]int
	var done chan struct{}
	if concurrent {
		end := blas.Serial()
		jobs = make(chan [2]int, (T+chunk-1)/chunk)
		done = make(chan struct{})
		go func() {
			for r := range jobs {
				wg.steps(r[0], r[1])
			}
			close(done)
		}()
		defer func() {
			close(jobs)
			<-done
			end()
		}()
	}
	hi := T
	for t := T - 1; t >= 0; t-- {
		if dStates != nil {
			// The state saved at step t is h_t for running sequences and
			// the carried state past a sequence's length: either way its
			// gradient joins dL/dh_t.
			ds := dStates[t*B*U : (t+1)*B*U]
			for i := range carry {
				carry[i] += ds[i]
			}
		}
		dp := dpre[t*B*U : (t+1)*B*U]
		st := states[t*B*U : (t+1)*B*U]
		for b := 0; b < B; b++ {
			row := dp[b*U : (b+1)*U]
			if lens != nil && int(lens[b]) <= t {
				clear(row) // the carry passes through below
				continue
			}
			var o []F
			if dOut != nil {
				o = outRow(d, dOut, b, t)
			}
			backRow(act, row, carry[b*U:(b+1)*U], o, st[b*U:(b+1)*U])
		}
		// dh_{t-1} = dpre_t · Whᵀ for running sequences; carried otherwise.
		gemm(false, true, B, U, U, 1, dp, U, wh, U, 0, next, U)
		if lens != nil {
			for b := 0; b < B; b++ {
				if int(lens[b]) <= t {
					copy(next[b*U:(b+1)*U], carry[b*U:(b+1)*U])
				}
			}
		}
		carry, next = next, carry
		if concurrent && (hi-t >= chunk || t == 0) {
			jobs <- [2]int{t, hi}
			hi = t
		}
	}
	if dh0 != nil {
		copy(dh0, carry)
	}
	if !concurrent {
		wg.steps(0, T)
	}
}

// concurrentMNK is the size (T·B·U·(U+In) multiply-adds) from which
// Backward computes the weight gradients in a second goroutine.
var concurrentMNK int64 = 1 << 20

// chunkRows is about how many rows (steps × B) of dpre the weight-gradient
// goroutine takes at a time.
var chunkRows = 600

// backRow writes the gradient of a step's pre-activation for one sequence:
// (dL/dh_t + dOut_t) · act'(h_t). o may be nil.
func backRow[F Float](act Act, row, c, o, h []F) {
	c = c[:len(row)]
	h = h[:len(row)]
	switch {
	case act == Relu && o == nil:
		for i := range row {
			v := c[i]
			if h[i] <= 0 {
				v = 0
			}
			row[i] = v
		}
	case act == Relu:
		o = o[:len(row)]
		for i := range row {
			v := c[i] + o[i]
			if h[i] <= 0 {
				v = 0
			}
			row[i] = v
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

// weightGrads accumulates the gradients that are sums over steps: of the
// kernel and bias, and dx.
type weightGrads[F Float] struct {
	d                       Dims
	x, wx, h0, states, dpre []F
	dx, dk, dbias           []F
}

// steps adds the terms of steps lo..hi-1, whose rows of dpre are final.
func (w *weightGrads[F]) steps(lo, hi int) {
	d, dpre := w.d, w.dpre
	B, T, In, U := d.B, d.T, d.In, d.U
	if B == 0 {
		return
	}
	dwx, dwh := w.dk[:In*U], w.dk[In*U:]
	// dWh += Σ_t h_{t-1}ᵀ·dpre_t, h_{-1} being h0.
	a := lo
	if lo == 0 {
		gemm(true, false, U, U, B, 1, w.h0, U, dpre[:B*U], U, 1, dwh, U)
		a = 1
	}
	if hi > a {
		gemm(true, false, U, U, (hi-a)*B, 1, w.states[(a-1)*B*U:(hi-1)*B*U], U, dpre[a*B*U:hi*B*U], U, 1, dwh, U)
	}
	// dWx += Σ_t x_tᵀ·dpre_t, with x's rows of these steps time-major.
	n := hi - lo
	xs := w.x[lo*B*In:]
	if !d.TimeMajor && B > 1 {
		xs = scratch[F](n * B * In)
		defer release(xs)
		for t := lo; t < hi; t++ {
			for b := 0; b < B; b++ {
				copy(xs[((t-lo)*B+b)*In:((t-lo)*B+b+1)*In], w.x[(b*T+t)*In:(b*T+t+1)*In])
			}
		}
	}
	gemm(true, false, In, U, n*B, 1, xs, In, dpre[lo*B*U:hi*B*U], U, 1, dwx, U)
	db := w.dbias[:U]
	for i := lo * B; i < hi*B; i++ {
		row := dpre[i*U : (i+1)*U]
		for j, v := range row {
			db[j] += v
		}
	}
	if w.dx == nil {
		return
	}
	// dx_t = dpre_t·Wxᵀ; in a batch-major dx a step's rows are T·In apart.
	if d.TimeMajor || B == 1 {
		gemm(false, true, n*B, In, U, 1, dpre[lo*B*U:hi*B*U], U, w.wx, U, 0, w.dx[lo*B*In:], In)
		return
	}
	for t := lo; t < hi; t++ {
		gemm(false, true, B, In, U, 1, dpre[t*B*U:(t+1)*B*U], U, w.wx, U, 0, w.dx[t*In:], T*In)
	}
}
