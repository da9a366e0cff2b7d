package nn

import (
	"runtime"
	"sync"

	"github.com/pkg/errors"
	gblas "gonum.org/v1/gonum/blas"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/blas"
	"github.com/gorgoflow/gorgoflow/internal/lower"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The generic loop's kernels: the step compiled once into plans
// (internal/lower) per part of the batch, the step input's hoisted
// products, the stacks of the values the gradient reads.

// loopState is what a loop's kernels keep in the program running them
// (tfimpl.Run(c).Local, keyed by the forward op): the inputs and the
// hoisted products of all steps, and the parts of the batch the steps run
// in (loopPart). Nothing here is allocated again once a program has run.
type loopState[T float] struct {
	B, T, I int

	xs      []T    // the inputs, time-major [T, B, I]
	xsOf    uint64 // the RunID xs holds the inputs of
	pre     [][]T  // per hoisted product, all steps [T, B, n]
	dpre    [][]T  // per hoisted product, its gradient [T, B, n]
	dxs     []T    // the inputs' gradient from the hoisted products, [T, B, I]
	parts   []*loopPart[T]
	stackOf uint64 // the RunID the parts' stacks hold values of
}

// loopPart is the rows [b0, b1) of the batch, run through the steps by one
// goroutine: the step compiled for its shapes, forward (with and without
// the values the gradient reads) and backward, the buffers it is fed from,
// and the values the forward kept of each step for the backward (its
// stacks).
type loopPart[T float] struct {
	b0, b1 int

	fwd, fwdSave, bwd *lower.Plan

	xD   []*tensor.Dense   // per step, its rows of xs
	preD [][]*tensor.Dense // per hoisted product and step, its rows of pre
	prvD []*tensor.Dense   // of the state's spec, for compiling the plans (the steps read the state by prevAt)
	dy   []T               // the step's output gradient
	dyD  *tensor.Dense
	ds   [][]T // the gradient of the step's new state
	dsD  []*tensor.Dense
	dhN  [][]T           // the state gradients before masking
	in   []*tensor.Dense // the forward's inputs: x, state, captured, hoisted
	bin  []*tensor.Dense // the backward's inputs
	bout []int           // the backward's fetch of each of grad.Grads, -1 when zero
	dCap [][]T           // the part's sums of the captured tensors' step gradients

	stacks [][]T             // per saved tensor, T steps (nil for the state)
	stackD [][]*tensor.Dense // per saved tensor, a header per step

	// Headers on the part's rows of the loop's saved states (the state
	// after each step, [T, B, n], an output of the forward op) and of the
	// initial state: the steps read the state from there, so it is never
	// copied to a buffer of its own. They are made again only when those
	// tensors' memory moves.
	sHdr [][]*tensor.Dense
	iHdr []*tensor.Dense
	sPtr []*T
	iPtr []*T
}

// stateHeaders points P.sHdr and P.iHdr at saved and init (whole batch),
// remaking them only when their memory moved.
func (P *loopPart[T]) stateHeaders(L *rnnLoop, saved [][]T, init []*tensor.Dense, nT, B int) {
	k := L.k
	if P.sHdr == nil {
		P.sHdr, P.iHdr = make([][]*tensor.Dense, k), make([]*tensor.Dense, k)
		P.sPtr, P.iPtr = make([]*T, k), make([]*T, k)
	}
	for i, n := range L.sizes {
		// (Empty tensors have no address: their headers are made each run.)
		if len(saved[i]) == 0 || P.sPtr[i] != &saved[i][0] || len(P.sHdr[i]) != nT {
			P.sHdr[i] = rowHeaders(saved[i], nT, B, n, P.b0, P.b1)
			if len(saved[i]) > 0 {
				P.sPtr[i] = &saved[i][0]
			}
		}
		iv := vals[T](init[i])
		if len(iv) == 0 || P.iPtr[i] != &iv[0] {
			P.iHdr[i] = dense([]int{P.b1 - P.b0, n}, iv[P.b0*n:P.b1*n])
			if len(iv) > 0 {
				P.iPtr[i] = &iv[0]
			}
		}
	}
}

// prevAt returns the part's state i before step t.
func (P *loopPart[T]) prevAt(i, t int) *tensor.Dense {
	if t == 0 {
		return P.iHdr[i]
	}
	return P.sHdr[i][t-1]
}

func (st *loopState[T]) init(L *rnnLoop, B, nT, I, nCaps, nParts int) {
	*st = loopState[T]{B: B, T: nT, I: I}
	st.xs = make([]T, nT*B*I)
	for _, h := range L.fwd.Hoisted {
		st.pre = append(st.pre, make([]T, nT*B*h.Arg.Shape()[1]))
	}
	for p := 0; p < nParts; p++ {
		b0, b1 := B*p/nParts, B*(p+1)/nParts
		P := &loopPart[T]{b0: b0, b1: b1}
		Bp := b1 - b0
		P.xD = rowHeaders(st.xs, nT, B, I, b0, b1)
		for _, d := range st.pre {
			P.preD = append(P.preD, rowHeaders(d, nT, B, len(d)/max(nT*B, 1), b0, b1))
		}
		P.dy = make([]T, Bp*L.outSize)
		P.dyD = dense([]int{Bp, L.outSize}, P.dy)
		for _, n := range L.sizes {
			d := make([]T, Bp*n)
			P.ds = append(P.ds, d)
			P.prvD, P.dsD = append(P.prvD, dense([]int{Bp, n}, d)), append(P.dsD, dense([]int{Bp, n}, d))
		}
		P.dhN = make([][]T, L.k)
		P.in = make([]*tensor.Dense, 1+L.k+nCaps+len(L.fwd.Hoisted))
		copy(P.in[1:], P.prvD)
		st.parts = append(st.parts, P)
	}
}

// rowHeaders returns, per step, a [b1-b0, n] header on rows [b0, b1) of
// the step in data, [nT, B, n].
func rowHeaders[T float](data []T, nT, B, n, b0, b1 int) []*tensor.Dense {
	h := make([]*tensor.Dense, nT)
	for t := range h {
		h[t] = dense([]int{b1 - b0, n}, data[(t*B+b0)*n:(t*B+b1)*n])
	}
	return h
}

// loopStateOf returns the loop's state in the running program, for the
// shapes of this run, in nParts parts (0: as many as it has).
func loopStateOf[T float](c *tf.KernelContext, fwdOp *tf.Operation, r *loopRun, nCaps, nParts int) *loopState[T] {
	st := tfimpl.Run(c).Local(fwdOp, func() any { return new(loopState[T]) }).(*loopState[T])
	if nParts == 0 {
		nParts = max(len(st.parts), 1)
	}
	if st.xs == nil || st.B != r.B || st.T != r.T || st.I != r.I || len(st.parts) != nParts {
		st.init(r.L, r.B, r.T, r.I, nCaps, nParts)
	}
	return st
}

// minPartRows is the fewest rows of the batch a part of a split loop runs
// (tests lower it to split small batches).
var minPartRows = 16

// loopProcs is the most parts a loop's batch is split into (tests raise
// it).
var loopProcs = func() int { return runtime.GOMAXPROCS(0) }

// loopParts returns how many parts the loop's batch of B rows runs in: one
// per core when the step (and its gradient, with grad) keeps the rows of
// the batch apart (rowClasses) and the batch is large enough.
func (L *rnnLoop) loopParts(B int, grad bool) int {
	n := min(loopProcs(), B/max(minPartRows, 1))
	if n < 2 {
		return 1
	}
	L.rowsOnce.Do(func() {
		feeds := map[*tf.Tensor]rowClass{}
		for _, t := range append(L.fwd.Args, L.hoistedArgs()...) {
			feeds[t] = rows
		}
		for _, t := range L.fwd.Params {
			feeds[t] = inv
		}
		var saved []*tf.Tensor
		g, err := L.gradient()
		if err == nil {
			saved = g.Saved
		}
		class, ok := rowClasses(feeds, append(append([]*tf.Tensor(nil), L.fwd.Outputs...), saved...), nil)
		L.rowsFwd = ok
		if !ok || g == nil {
			return
		}
		for _, t := range g.Saved {
			feeds[t] = class[t]
		}
		for _, t := range g.DYs {
			feeds[t] = rows
		}
		nArgs := len(L.fwd.Args) + len(L.fwd.Hoisted)
		var wantRows, wantPartial []*tf.Tensor
		for i, t := range g.Grads {
			switch {
			case g.Zero[i]:
			case i < nArgs:
				wantRows = append(wantRows, t)
			default:
				wantPartial = append(wantPartial, t)
			}
		}
		_, L.rowsBwd = rowClasses(feeds, wantRows, wantPartial)
	})
	if !L.rowsFwd || (grad && !L.rowsBwd) {
		return 1
	}
	return n
}

// specs returns the specs of values.
func specs(values []*tensor.Dense) []tf.Spec {
	out := make([]tf.Spec, len(values))
	for i, v := range values {
		out[i] = tfimpl.SpecOf(v)
	}
	return out
}

// hoistedArgs returns the body arguments of L's hoisted products.
func (L *rnnLoop) hoistedArgs() []*tf.Tensor {
	out := make([]*tf.Tensor, len(L.fwd.Hoisted))
	for i, h := range L.fwd.Hoisted {
		out[i] = h.Arg
	}
	return out
}

// forwardPlan returns the step compiled for the part's forward loop,
// fetching the values the gradient reads when save is true.
func (P *loopPart[T]) forwardPlan(L *rnnLoop, save bool) (*lower.Plan, error) {
	p := &P.fwd
	fetches := L.fwd.Outputs
	if save {
		p = &P.fwdSave
		fetches = append(append([]*tf.Tensor(nil), fetches...), L.grad.Saved...)
	}
	if *p == nil {
		feeds := append(append(append([]*tf.Tensor(nil), L.fwd.Args...), L.fwd.Params...), L.hoistedArgs()...)
		sp := specs(P.in[:len(P.in)-len(P.preD)])
		for _, d := range P.preD {
			sp = append(sp, tfimpl.SpecOf(d[0]))
		}
		plan, err := lower.CompilePlan(fetches, feeds, sp)
		if err != nil {
			return nil, errors.Wrap(err, "compiling the cell's step")
		}
		*p = plan
	}
	return *p, nil
}

// loadInputs copies the run's inputs x into st.xs, time-major, unless they
// are there already.
func (st *loopState[T]) loadInputs(r *loopRun, x []T, runID uint64) {
	if st.xsOf == runID {
		return
	}
	B, I := r.B, r.I
	if r.L.timeMajor {
		copy(st.xs, x)
	} else {
		for t := 0; t < r.T; t++ {
			for b := 0; b < B; b++ {
				copy(st.xs[(t*B+b)*I:(t*B+b+1)*I], x[r.row(t, b, I):r.row(t, b, I)+I])
			}
		}
	}
	st.xsOf = runID
}

// gemm is C = op(A)·op(B) + beta·C on row-major slices.
func gemm[T float](tA, tB bool, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
		return
	}
	ta, tb := gblas.NoTrans, gblas.NoTrans
	if tA {
		ta = gblas.Trans
	}
	if tB {
		tb = gblas.Trans
	}
	switch aa := any(a).(type) {
	case []float32:
		blas.Sgemm(ta, tb, m, n, k, 1, aa, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		blas.Dgemm(ta, tb, m, n, k, 1, aa, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	}
}

// hoist computes every hoisted product of the step for all steps at once:
// pre_h = xs·W_h[rows], [T·B, I]·[I, n]; a Zero entry's are zeros.
func (st *loopState[T]) hoist(L *rnnLoop, caps []*tensor.Dense) error {
	TB := st.T * st.B
	for i, h := range L.fwd.Hoisted {
		if h.Zero {
			clear(st.pre[i])
			continue
		}
		w := caps[h.W]
		ws := w.Shape()
		n := h.Arg.Shape()[1]
		if len(ws) != 2 || ws[1] != n || h.Row+h.Rows > ws[0] || h.Rows != st.I {
			return errors.Errorf("the cell's weights %v do not fit its hoisted product of %d inputs by %d units", tf.Shape(w.Shape()), st.I, n)
		}
		gemm(false, false, TB, n, st.I, st.xs, st.I, vals[T](w)[h.Row*n:], n, 0, st.pre[i], n)
	}
	return nil
}

// inParts runs f on every part, concurrently when there are several (each
// product then on one BLAS thread), and returns the first error.
func inParts[T float](parts []*loopPart[T], f func(P *loopPart[T]) error) error {
	if len(parts) == 1 {
		return f(parts[0])
	}
	defer blas.Serial()()
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, P := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(P)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func runLoop[T float](c *tf.KernelContext) error {
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	r, err := newLoopRun(c, len(L.fwd.Captured))
	if err != nil {
		return err
	}
	k, B := L.k, r.B
	// The values the gradient reads are kept when the program reads the
	// saved states: only the gradient op does.
	save := false
	if c.Wanted(1 + k) {
		if g, _ := L.gradient(); g != nil {
			save = true
		}
	}
	st := loopStateOf[T](c, c.Op, r, len(r.caps), L.loopParts(B, save))
	st.loadInputs(r, vals[T](c.In[0]), tfimpl.Run(c).RunID)
	if err := st.hoist(L, r.caps); err != nil {
		return err
	}
	var out []T // nil when no one reads the outputs (a model of the final state)
	switch {
	case !c.Wanted(0):
	case r.lens != nil:
		out = vals[T](c.Alloc(0)) // zeros past each sequence's end
	default:
		out = vals[T](c.AllocUninit(0))
	}
	saved := make([][]T, k)
	for i := 0; i < k; i++ {
		saved[i] = vals[T](c.AllocUninit(1 + k + i))
	}
	if save {
		st.stackOf = 0
	}
	err = inParts(st.parts, func(P *loopPart[T]) error {
		return P.forward(L, r, c, save, out, saved)
	})
	if err != nil {
		return err
	}
	for i, n := range L.sizes {
		final := vals[T](c.AllocUninit(1 + i))
		for _, P := range st.parts {
			copy(final[P.b0*n:P.b1*n], vals[T](P.prevAt(i, r.T)))
		}
	}
	if save {
		st.stackOf = tfimpl.Run(c).RunID
	}
	return nil
}

// forward runs the part's rows through the steps: outputs into out, the
// state after each step into saved (time-major, which the steps read it
// from).
func (P *loopPart[T]) forward(L *rnnLoop, r *loopRun, c *tf.KernelContext, save bool, out []T, saved [][]T) error {
	k, O, B := L.k, L.outSize, r.B
	b0, Bp := P.b0, P.b1-P.b0
	nCaps := len(r.caps)
	copy(P.in[1+k:], r.caps)
	var plan *lower.Plan // compiled at the first step the part runs
	P.stateHeaders(L, saved, c.In[1:1+k], r.T, B)
	hin := P.in[1+k+nCaps:]
	for t := 0; t < r.T; t++ {
		nv := r.nValidIn(t, b0, P.b1)
		if nv == 0 {
			for i := range L.sizes {
				copy(vals[T](P.sHdr[i][t]), vals[T](P.prevAt(i, t)))
			}
			continue
		}
		{
			P.in[0] = P.xD[t]
			for i := range L.sizes {
				P.in[1+i] = P.prevAt(i, t)
			}
			for i := range hin {
				hin[i] = P.preD[i][t]
			}
			if plan == nil {
				var err error
				if plan, err = P.forwardPlan(L, save); err != nil {
					return err
				}
			}
			if err := plan.Run(tfimpl.Env(c), P.in); err != nil {
				return errors.Wrapf(err, "step %d", t)
			}
			y := plan.Out(0)
			if err := checkShape(y, Bp, O, "output"); err != nil {
				return err
			}
			yv := vals[T](y)
			switch {
			case out == nil:
			case r.lens == nil && L.timeMajor:
				copy(out[(t*B+b0)*O:(t*B+P.b1)*O], yv)
			default:
				for b := b0; b < P.b1; b++ {
					if r.valid(t, b) {
						copy(out[r.row(t, b, O):r.row(t, b, O)+O], yv[(b-b0)*O:(b-b0+1)*O])
					}
				}
			}
			for i, n := range L.sizes {
				h := plan.Out(1 + i)
				if err := checkShape(h, Bp, n, "new state"); err != nil {
					return err
				}
				hv, dst := vals[T](h), vals[T](P.sHdr[i][t])
				if nv == Bp {
					copy(dst, hv)
					continue
				}
				pv := vals[T](P.prevAt(i, t))
				for b := 0; b < Bp; b++ {
					src := pv
					if r.valid(t, b0+b) {
						src = hv
					}
					copy(dst[b*n:(b+1)*n], src[b*n:(b+1)*n])
				}
			}
			if save {
				if err := P.push(L, plan, t, r.T); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// nValidIn returns how many of the sequences [b0, b1) have a step t.
func (r *loopRun) nValidIn(t, b0, b1 int) int {
	if r.lens == nil {
		return b1 - b0
	}
	n := 0
	for _, l := range r.lens[b0:b1] {
		if t < int(l) {
			n++
		}
	}
	return n
}

// push keeps step t's values the gradient reads (outputs 1+k.. of the
// forward plan).
func (P *loopPart[T]) push(L *rnnLoop, plan *lower.Plan, t, nT int) error {
	n := len(L.grad.Saved)
	if P.stacks == nil {
		P.stacks = make([][]T, n)
		P.stackD = make([][]*tensor.Dense, n)
		for j := range n {
			if L.savedState[j] >= 0 {
				continue
			}
			v := plan.Out(1 + L.k + j)
			sz := v.DataSize()
			shape := append([]int(nil), v.Shape()...)
			P.stackD[j] = make([]*tensor.Dense, nT)
			if L.shapeOnly[j] {
				// One value of the shape for every step.
				d := dense(shape, make([]T, sz))
				for s := range nT {
					P.stackD[j][s] = d
				}
				continue
			}
			P.stacks[j] = make([]T, nT*sz)
			for s := range nT {
				P.stackD[j][s] = dense(shape, P.stacks[j][s*sz:(s+1)*sz])
			}
		}
	}
	for j := range n {
		if L.savedState[j] >= 0 {
			continue // in the saved states
		}
		v := plan.Out(1 + L.k + j)
		d := P.stackD[j][t]
		if !sameShape(v, d) {
			return errors.Errorf("the cell's step value %q has shape %v at step %d, %v before", L.grad.Saved[j].Name(), tf.Shape(v.Shape()), t, tf.Shape(d.Shape()))
		}
		if !L.shapeOnly[j] {
			copy(vals[T](d), vals[T](v))
		}
	}
	return nil
}

func sameShape(a, b *tensor.Dense) bool {
	as, bs := a.Shape(), b.Shape()
	if len(as) != len(bs) {
		return false
	}
	for i := range as {
		if as[i] != bs[i] {
			return false
		}
	}
	return true
}

// backwardPlan returns the step's gradient compiled for the part's shapes:
// feeds x, state, dy, dstate, captured, hoisted, saved; fetches the
// gradients of G.Grads that are not zero (P.bout).
func (P *loopPart[T]) backwardPlan(L *rnnLoop, caps []*tensor.Dense) (*lower.Plan, error) {
	if P.bwd != nil {
		return P.bwd, nil
	}
	G := L.grad
	feeds := append(append(append(append(append([]*tf.Tensor(nil), L.fwd.Args...), G.DYs...), L.fwd.Params...), L.hoistedArgs()...), G.Saved...)
	sp := []tf.Spec{tfimpl.SpecOf(P.xD[0])}
	sp = append(sp, specs(P.prvD)...)
	sp = append(sp, tfimpl.SpecOf(P.dyD))
	sp = append(sp, specs(P.dsD)...)
	sp = append(sp, specs(caps)...)
	for _, d := range P.preD {
		sp = append(sp, tfimpl.SpecOf(d[0]))
	}
	for j := range G.Saved {
		if i := L.savedState[j]; i >= 0 {
			sp = append(sp, tfimpl.SpecOf(P.prvD[i]))
		} else {
			sp = append(sp, tfimpl.SpecOf(P.stackD[j][0]))
		}
	}
	var fetches []*tf.Tensor
	P.bout = make([]int, len(G.Grads))
	for i, g := range G.Grads {
		P.bout[i] = -1
		if !G.Zero[i] {
			P.bout[i] = len(fetches)
			fetches = append(fetches, g)
		}
	}
	p, err := lower.CompilePlan(fetches, feeds, sp)
	if err != nil {
		return nil, errors.Wrap(err, "compiling the gradient of the cell's step")
	}
	P.bwd = p
	P.bin = make([]*tensor.Dense, len(feeds))
	return p, nil
}

// gradOut returns the step gradient's value of G.Grads[i], nil when it is
// zero.
func (P *loopPart[T]) gradOut(i int) *tensor.Dense {
	if j := P.bout[i]; j >= 0 {
		return P.bwd.Out(j)
	}
	return nil
}

// loopGradRun is what the parts of a gradient loop's run share.
type loopGradRun[T float] struct {
	r                 *loopRun
	c                 *tf.KernelContext
	saved, dSaved, dh [][]T // whole batch; dh holds the final state's gradient, then the initial state's
	dOut, dx          []T
	dCaps             [][]T // the captured tensors' gradients (nil when not wanted)
}

func runLoopGrad[T float](c *tf.KernelContext) error {
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	G := L.grad
	nCaps := len(L.fwd.Captured)
	r, err := newLoopRun(c, nCaps)
	if err != nil {
		return err
	}
	k := L.k
	nH := len(L.fwd.Hoisted)
	// After the captured tensors: saved (k), then those of dOut, dFinal
	// (k), dSaved (k) that flow (attr "has"; nil for the others).
	capStart := 1 + k
	if L.seq {
		capStart++
	}
	rest := make([]*tensor.Dense, 3*k+1)
	copy(rest, c.In[capStart+nCaps:capStart+nCaps+k])
	next := capStart + nCaps + k
	for i, h := range c.Op.Attrs()["has"].([]bool) {
		if h {
			rest[k+i] = c.In[next]
			next++
		}
	}
	st := loopStateOf[T](c, c.Op.Inputs()[capStart+nCaps].Op(), r, nCaps, 0)
	if (len(G.Saved) > 0 || nH > 0) && st.stackOf != tfimpl.Run(c).RunID {
		return errors.New("the forward loop did not run in this run (were its outputs fed?): its gradient needs the values it keeps of each step")
	}
	st.loadInputs(r, vals[T](c.In[0]), tfimpl.Run(c).RunID)
	if st.dpre == nil && nH > 0 {
		st.dpre = make([][]T, nH)
		for i := range st.dpre {
			st.dpre[i] = make([]T, len(st.pre[i]))
		}
	}
	g := &loopGradRun[T]{r: r, c: c}
	g.saved, g.dSaved, g.dh = make([][]T, k), make([][]T, k), make([][]T, k)
	for i, n := range L.sizes {
		g.saved[i] = vals[T](rest[i])
		if d := rest[1+2*k+i]; d != nil {
			g.dSaved[i] = vals[T](d)
		}
		g.dh[i] = vals[T](c.AllocUninit(1 + i))
		if d := rest[1+k+i]; d != nil {
			copy(g.dh[i], vals[T](d))
		} else {
			clear(g.dh[i])
		}
		_ = n
	}
	if rest[k] != nil {
		g.dOut = vals[T](rest[k])
	}
	if c.Wanted(0) {
		if r.lens != nil || G.Zero[0] {
			g.dx = vals[T](c.Alloc(0))
		} else {
			g.dx = vals[T](c.AllocUninit(0))
		}
	}
	g.dCaps = make([][]T, len(G.Params))
	for n := range g.dCaps {
		if c.Wanted(1 + k + n) {
			g.dCaps[n] = vals[T](c.Alloc(1 + k + n))
		}
	}
	err = inParts(st.parts, func(P *loopPart[T]) error {
		return P.backward(L, st, g)
	})
	if err != nil {
		return err
	}
	if len(st.parts) > 1 {
		for _, P := range st.parts {
			for n, acc := range g.dCaps {
				if acc == nil || P.dCap[n] == nil {
					continue
				}
				for j, v := range P.dCap[n] {
					acc[j] += v
				}
			}
		}
	}
	return st.hoistedGrads(L, r, c, g.dx, g.dCaps, g.saved)
}

// backward runs the part's rows through the steps in reverse: the inputs'
// gradient into g.dx, the state's into g.dh, the captured tensors' sums
// into g.dCaps (one part) or P.dCap (several), the hoisted products' into
// st.dpre.
func (P *loopPart[T]) backward(L *rnnLoop, st *loopState[T], g *loopGradRun[T]) error {
	G, k, O := L.grad, L.k, L.outSize
	r, c := g.r, g.c
	B, I := r.B, r.I
	b0, b1, Bp := P.b0, P.b1, P.b1-P.b0
	nCaps := len(r.caps)
	nH := len(L.fwd.Hoisted)
	var bwd *lower.Plan // compiled at the first step the part runs
	var bin, hin, sv []*tensor.Dense
	P.stateHeaders(L, g.saved, c.In[1:1+k], r.T, B)
	dh := P.ds // dh lives in the step's state-gradient buffers between steps
	for i, n := range L.sizes {
		copy(dh[i], g.dh[i][b0*n:b1*n])
	}
	dCaps := g.dCaps
	if len(st.parts) > 1 {
		if P.dCap == nil {
			P.dCap = make([][]T, len(g.dCaps))
		}
		for n, d := range g.dCaps {
			if d == nil {
				continue
			}
			if len(P.dCap[n]) != len(d) {
				P.dCap[n] = make([]T, len(d))
			}
			clear(P.dCap[n])
		}
		dCaps = P.dCap
	}
	gCap := 1 + k + nH // G.Grads index of the first param's gradient
	for t := r.T - 1; t >= 0; t-- {
		for i, n := range L.sizes {
			if g.dSaved[i] == nil {
				continue
			}
			for j, v := range g.dSaved[i][(t*B+b0)*n : (t*B+b1)*n] {
				dh[i][j] += v
			}
		}
		nv := r.nValidIn(t, b0, b1)
		if nv == 0 {
			for i := range st.dpre {
				u := len(st.dpre[i]) / max(r.T*B, 1)
				clear(st.dpre[i][(t*B+b0)*u : (t*B+b1)*u])
			}
			continue // the step copied the state: dh flows through unchanged
		}
		if bwd == nil {
			var err error
			if bwd, err = P.backwardPlan(L, r.caps); err != nil {
				return err
			}
			bin = P.bin
			bin[1+k] = P.dyD
			copy(bin[2+k:], P.dsD)
			copy(bin[2+2*k:], r.caps)
			hin = bin[2+2*k+nCaps : 2+2*k+nCaps+nH]
			sv = bin[2+2*k+nCaps+nH:]
		}
		bin[0] = P.xD[t]
		for i := range hin {
			hin[i] = P.preD[i][t]
		}
		for i := range L.sizes {
			bin[1+i] = P.prevAt(i, t)
		}
		if g.dOut != nil && r.lens == nil && L.timeMajor {
			copy(P.dy, g.dOut[(t*B+b0)*O:(t*B+b1)*O])
		} else {
			for b := b0; b < b1; b++ {
				d := P.dy[(b-b0)*O : (b-b0+1)*O]
				if g.dOut != nil && r.valid(t, b) {
					copy(d, g.dOut[r.row(t, b, O):r.row(t, b, O)+O])
				} else {
					clear(d)
				}
			}
		}
		// Rows past their sequence's end: the step's gradient must not
		// see their dh (it flows through unchanged), so it is set aside.
		for i, n := range L.sizes {
			if nv == Bp {
				continue
			}
			if P.dhN[i] == nil {
				P.dhN[i] = make([]T, Bp*n)
			}
			copy(P.dhN[i], dh[i])
			for b := b0; b < b1; b++ {
				if !r.valid(t, b) {
					clear(dh[i][(b-b0)*n : (b-b0+1)*n])
				}
			}
		}
		for j := range G.Saved {
			if i := L.savedState[j]; i >= 0 {
				sv[j] = P.sHdr[i][t]
			} else {
				sv[j] = P.stackD[j][t]
			}
		}
		if err := bwd.Run(tfimpl.Env(c), bin); err != nil {
			return errors.Wrapf(err, "gradient of step %d", t)
		}
		if gx := P.gradOut(0); gx != nil && g.dx != nil {
			if err := checkShape(gx, Bp, I, "input gradient"); err != nil {
				return err
			}
			gv := vals[T](gx)
			for b := b0; b < b1; b++ {
				if r.valid(t, b) {
					copy(g.dx[r.row(t, b, I):r.row(t, b, I)+I], gv[(b-b0)*I:(b-b0+1)*I])
				}
			}
		}
		for i, n := range L.sizes {
			gs := P.gradOut(1 + i)
			var gv []T
			if gs != nil {
				if err := checkShape(gs, Bp, n, "state gradient"); err != nil {
					return err
				}
				gv = vals[T](gs)
			}
			if nv == Bp && gv != nil {
				copy(dh[i], gv)
				continue
			}
			for b := b0; b < b1; b++ {
				row := dh[i][(b-b0)*n : (b-b0+1)*n]
				switch {
				case !r.valid(t, b):
					copy(row, P.dhN[i][(b-b0)*n:(b-b0+1)*n])
				case gv == nil:
					clear(row)
				default:
					copy(row, gv[(b-b0)*n:(b-b0+1)*n])
				}
			}
		}
		for h := range st.dpre {
			u := len(st.dpre[h]) / max(r.T*B, 1)
			dst := st.dpre[h][(t*B+b0)*u : (t*B+b1)*u]
			gp := P.gradOut(1 + k + h)
			if gp == nil {
				clear(dst)
				continue
			}
			if err := checkShape(gp, Bp, u, "hoisted product's gradient"); err != nil {
				return err
			}
			copy(dst, vals[T](gp))
			if nv < Bp {
				for b := b0; b < b1; b++ {
					if !r.valid(t, b) {
						clear(dst[(b-b0)*u : (b-b0+1)*u])
					}
				}
			}
		}
		for n, acc := range dCaps {
			gc := P.gradOut(gCap + n)
			if gc == nil || acc == nil {
				continue
			}
			gv := vals[T](gc)
			if len(gv) != len(acc) {
				return errors.Errorf("the gradient of captured tensor %d has %d elements, want %d", G.Params[n], len(gv), len(acc))
			}
			for j, v := range gv {
				acc[j] += v
			}
		}
	}
	for i, n := range L.sizes {
		copy(g.dh[i][b0*n:b1*n], dh[i])
	}
	return nil
}

// hoistedGrads adds, after the reverse loop, the gradients of the hoisted
// products and the deferred weight gradient blocks, each one product over
// all steps: dx += dpre·W_hᵀ, dW_h += xsᵀ·dpre, and for a deferred block of
// the state, dW += [s_0; s_1..s_T-1]ᵀ·dpre (the state before each step;
// dpre is the gradient of the product's output, that of a Zero entry for
// a plain MatMul(h, W)).
func (st *loopState[T]) hoistedGrads(L *rnnLoop, r *loopRun, c *tf.KernelContext, dx []T, dCaps, saved [][]T) error {
	G, k := L.grad, L.k
	B, nT, I := r.B, r.T, r.I
	TB := B * nT
	param := func(j int) []T { // the gradient of Params[j], nil when not wanted
		for n, p := range G.Params {
			if p == j {
				return dCaps[n]
			}
		}
		return nil
	}
	for h, hv := range L.fwd.Hoisted {
		if hv.Zero {
			continue // no product of x: its dpre is for a Deferred block only
		}
		dp := st.dpre[h]
		n := len(dp) / max(TB, 1)
		if dw := param(hv.W); dw != nil {
			gemm(true, false, hv.Rows, n, TB, st.xs, I, dp, n, 1, dw[hv.Row*n:], n)
		}
		if dx == nil {
			continue
		}
		if st.dxs == nil {
			st.dxs = make([]T, len(st.xs))
		}
		w := vals[T](r.caps[hv.W])
		gemm(false, true, TB, I, n, dp, n, w[hv.Row*n:], n, 0, st.dxs, I)
		for t := 0; t < nT; t++ {
			for b := 0; b < B; b++ {
				if !r.valid(t, b) {
					continue
				}
				src, dst := st.dxs[(t*B+b)*I:(t*B+b+1)*I], dx[r.row(t, b, I):r.row(t, b, I)+I]
				for j, v := range src {
					dst[j] += v
				}
			}
		}
	}
	for _, d := range L.fwd.Deferred {
		dw := param(d.W)
		if dw == nil {
			continue
		}
		i := d.A - 1 // Args are x, then the state
		if i < 0 || i >= k || L.sizes[i] != d.Rows {
			return errors.Errorf("internal error: deferred gradient of argument %d", d.A)
		}
		dp := st.dpre[d.Of]
		n := len(dp) / max(TB, 1)
		s0 := vals[T](c.In[1+i])
		gemm(true, false, d.Rows, n, B, s0, d.Rows, dp, n, 1, dw[d.Row*n:], n)
		if nT > 1 {
			gemm(true, false, d.Rows, n, TB-B, saved[i], d.Rows, dp[B*n:], n, 1, dw[d.Row*n:], n)
		}
	}
	return nil
}
