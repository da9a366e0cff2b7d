package nn

import (
	"github.com/gorgoflow/gorgoflow/internal/blas"
	"github.com/pkg/errors"
	gblas "gonum.org/v1/gonum/blas"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/lower"

	"github.com/gorgoflow/gorgoflow/tf"
)

// The loop ops of DynamicRNN.
//
// DynamicRNNLoop: inputs x, initial state (k), sequence lengths (when given),
// the step's captured tensors; outputs the outputs, the final state (k) and
// every step's state (k tensors [time, batch, size], which the gradient
// reads).
//
// DynamicRNNLoopGrad: inputs x, initial state (k), sequence lengths, the
// step's captured tensors, the saved states (k), and the gradients of the
// forward outputs (1 + 2k); outputs the gradients of x, of the initial
// state (k) and of the floating captured tensors (grad.Params). It reads
// the step values its forward op kept in the same run (loopState).

var rnnLoopDef = &tf.OpDef{Type: "DynamicRNNLoop", Infer: inferLoop, Kernel: byFloat(runLoop[float32], runLoop[float64]), GradTakesNil: true}

var rnnLoopGradDef = &tf.OpDef{Type: "DynamicRNNLoopGrad", Infer: inferLoopGrad, Kernel: byFloat(runLoopGrad[float32], runLoopGrad[float64])}

func init() { rnnLoopDef.Grad = loopGrad }

// loopShapes checks the specs shared by both loop ops and returns time and
// batch sizes (None when unknown).
func loopShapes(L *rnnLoop, a tf.Attrs, in []tf.Spec) (T, B int, err error) {
	x := in[0]
	if len(x.Shape) != 3 {
		return 0, 0, errors.Errorf("inputs have shape %v, want rank 3", x.Shape)
	}
	tAxis := a.Int("time_axis", 1)
	T, B = x.Shape[tAxis], x.Shape[1-tAxis]
	if x.Shape[2] >= 0 && x.Shape[2] != L.depth {
		return 0, 0, errors.Errorf("inputs have depth %d, the cell was built for depth %d", x.Shape[2], L.depth)
	}
	for i := 0; i < L.k; i++ {
		s := in[1+i]
		if len(s.Shape) != 2 || (s.Shape[1] >= 0 && s.Shape[1] != L.sizes[i]) {
			return 0, 0, errors.Errorf("initial state %d has shape %v, want [batch, %d]", i, s.Shape, L.sizes[i])
		}
		if s.Shape[0] >= 0 && B >= 0 && s.Shape[0] != B {
			return 0, 0, errors.Errorf("initial state %d has batch size %d, inputs have batch size %d", i, s.Shape[0], B)
		}
		B = mergeDim(B, s.Shape[0])
	}
	if L.seq {
		s := in[1+L.k]
		if s.DType != tf.Int32 {
			return 0, 0, errors.Errorf("sequence_length has dtype %s, want int32", s.DType)
		}
		if len(s.Shape) != 1 {
			return 0, 0, errors.Errorf("sequence_length must be a vector of length batch_size, but saw shape: %v", s.Shape)
		}
		if s.Shape[0] >= 0 && B >= 0 && s.Shape[0] != B {
			return 0, 0, errors.Errorf("sequence_length has %d entries, but the batch size is %d: it needs one length per sequence", s.Shape[0], B)
		}
	}
	return T, B, nil
}

func (L *rnnLoop) nIn() int {
	n := 1 + L.k + len(L.fwd.Captured)
	if L.seq {
		n++
	}
	return n
}

func outShape(timeMajor bool, T, B, n int) tf.Shape {
	if timeMajor {
		return tf.Shape{T, B, n}
	}
	return tf.Shape{B, T, n}
}

func inferLoop(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	L := a["loop"].(*rnnLoop)
	T, B, err := loopShapes(L, a, in)
	if err != nil {
		return nil, err
	}
	dt := in[0].DType
	out := []tf.Spec{{DType: dt, Shape: outShape(L.timeMajor, T, B, L.outSize)}}
	for _, n := range L.sizes {
		out = append(out, tf.Spec{DType: dt, Shape: tf.Shape{B, n}})
	}
	for _, n := range L.sizes {
		out = append(out, tf.Spec{DType: dt, Shape: tf.Shape{T, B, n}})
	}
	return out, nil
}

func inferLoopGrad(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	L := a["loop"].(*rnnLoop)
	if _, _, err := loopShapes(L, a, in); err != nil {
		return nil, err
	}
	out := make([]tf.Spec, 0, 1+L.k+len(L.grad.Params))
	out = append(out, in[:1+L.k]...)
	capStart := 1 + L.k
	if L.seq {
		capStart++
	}
	for _, j := range L.grad.Params {
		out = append(out, in[capStart+j])
	}
	return out, nil
}

// loopGrad builds the gradient loop op of a DynamicRNNLoop.
func loopGrad(op *tf.Operation, dys []*tf.Tensor) []*tf.Tensor {
	L := op.Attrs()["loop"].(*rnnLoop)
	nIn := len(op.Inputs())
	if _, err := L.gradient(); err != nil {
		t := tf.ErrTensor(err)
		out := make([]*tf.Tensor, nIn)
		for i := range out {
			out[i] = t
		}
		return out
	}
	fixed := 1 + L.k // x, initial state
	if L.seq {
		fixed++
	}
	in := make([]any, 0, len(op.Inputs())+1+3*L.k)
	for _, t := range op.Inputs() {
		in = append(in, t)
	}
	outs := op.Outputs()
	for _, s := range outs[1+L.k:] {
		in = append(in, s)
	}
	has := make([]bool, len(dys)) // the gradients that flow: no zeros are made for the others
	for i, d := range dys {
		if d != nil {
			has[i] = true
			in = append(in, d)
		}
	}
	g := tf.AddOp(tf.OpSpec{Def: rnnLoopGradDef, Name: "while_grad", Inputs: in,
		Attrs: tf.Attrs{"loop": L, "time_axis": op.Attrs().Int("time_axis", 1), "has": has}})
	grads := make([]*tf.Tensor, nIn)
	for i := 0; i < 1+L.k; i++ {
		grads[i] = g.Output(i)
	}
	for n, j := range L.grad.Params {
		grads[fixed+j] = g.Output(1 + L.k + n)
	}
	return grads
}

// ---- kernels ----

// loopRun is one run of a loop op: its sizes and inputs' values.
type loopRun struct {
	L       *rnnLoop
	c       *tf.KernelContext
	T, B, I int
	lens    []int32 // nil without sequence lengths
	caps    []*tensor.Dense
}

func newLoopRun(c *tf.KernelContext, nCaps int) (*loopRun, error) {
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	r := &loopRun{L: L, c: c}
	xs := c.In[0].Shape()
	tAxis := c.Op.Attrs().Int("time_axis", 1)
	r.T, r.B, r.I = xs[tAxis], xs[1-tAxis], xs[2]
	capStart := 1 + L.k
	if L.seq {
		r.lens = c.In[1+L.k].Int32s()
		for b, n := range r.lens {
			if n < 0 || int(n) > r.T {
				return nil, errors.Errorf("sequence_length[%d] = %d is outside [0, %d], the number of time steps", b, n, r.T)
			}
		}
		capStart++
	}
	r.caps = c.In[capStart : capStart+nCaps]
	return r, nil
}

// valid reports whether sequence b has a step t.
func (r *loopRun) valid(t, b int) bool { return r.lens == nil || t < int(r.lens[b]) }

// nValid returns how many sequences have a step t.
func (r *loopRun) nValid(t int) int {
	if r.lens == nil {
		return r.B
	}
	n := 0
	for _, l := range r.lens {
		if t < int(l) {
			n++
		}
	}
	return n
}

// row returns the offset of (t, b) in a [.., .., n] tensor laid out as the inputs.
func (r *loopRun) row(t, b, n int) int {
	if r.L.timeMajor {
		return (t*r.B + b) * n
	}
	return (b*r.T + t) * n
}

func dense[T float](shape []int, data []T) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

type float interface{ ~float32 | ~float64 }

func vals[T float](d *tensor.Dense) []T { return kernels.Data[T](d) }

// fillStep copies x_t, [B, I], into buf.
func fillStep[T float](r *loopRun, x []T, t int, buf []T) {
	B, I := r.B, r.I
	if r.L.timeMajor {
		copy(buf, x[t*B*I:(t+1)*B*I])
		return
	}
	for b := 0; b < B; b++ {
		copy(buf[b*I:(b+1)*I], x[r.row(t, b, I):r.row(t, b, I)+I])
	}
}

func checkShape(d *tensor.Dense, want []int, what string) error {
	if !tf.Shape(d.Shape()).Equal(tf.Shape(want)) {
		return errors.Errorf("the cell's %s has shape %v at run time, want %v", what, tf.Shape(d.Shape()), tf.Shape(want))
	}
	return nil
}

// byFloat returns a kernel running f32 or f64 by the dtype of output 0.
func byFloat(f32, f64 func(*tf.KernelContext) error) func(*tf.KernelContext) error {
	return func(c *tf.KernelContext) error {
		switch c.OutSpecs[0].DType {
		case tf.Float32:
			return f32(c)
		case tf.Float64:
			return f64(c)
		}
		return errors.Errorf("dtype %s is not float32 or float64", c.OutSpecs[0].DType)
	}
}

// loopState is what a loop's kernels keep in the program running them
// (tf.KernelContext.Local, keyed by the forward op): the step compiled for
// the program's shapes, forward (with and without the values the gradient
// reads) and backward, the buffers they are fed from, and the values the
// forward kept of each step for the backward (its stacks). Nothing here is
// allocated again once a program has run.
type loopState[T float] struct {
	B, T, I int

	fwd, fwdSave, bwd *lower.Plan

	xs   []T               // the inputs, time-major [T, B, I]
	xsD  []*tensor.Dense   // a header per step
	xsOf uint64            // the RunID xs holds the inputs of
	pre  [][]T             // per hoisted product, all steps [T, B, n]
	preD [][]*tensor.Dense // a header per step
	dpre [][]T             // per hoisted product, its gradient [T, B, n]
	dxs  []T               // the inputs' gradient from the hoisted products, [T, B, I]
	prev [][]T             // the state before the step
	prvD []*tensor.Dense
	dy   []T // the step's output gradient
	dyD  *tensor.Dense
	ds   [][]T // the gradient of the step's new state
	dsD  []*tensor.Dense
	in   []*tensor.Dense // the forward's inputs: x, state, captured, hoisted
	bin  []*tensor.Dense // the backward's inputs
	bout []int           // the backward's fetch of each of grad.Grads, -1 when zero

	stacks  [][]T             // per saved tensor, T steps
	stackD  [][]*tensor.Dense // per saved tensor, a header per step
	stackOf uint64            // the RunID the stacks hold values of
}

func (st *loopState[T]) init(L *rnnLoop, B, nT, I, nCaps int) {
	*st = loopState[T]{B: B, T: nT, I: I}
	st.xs = make([]T, nT*B*I)
	st.xsD = headers(st.xs, nT, B, I)
	for _, h := range L.fwd.Hoisted {
		n := h.Arg.Shape()[1]
		p := make([]T, nT*B*n)
		st.pre, st.preD = append(st.pre, p), append(st.preD, headers(p, nT, B, n))
	}
	st.dy = make([]T, B*L.outSize)
	st.dyD = dense([]int{B, L.outSize}, st.dy)
	for _, n := range L.sizes {
		p, d := make([]T, B*n), make([]T, B*n)
		st.prev, st.ds = append(st.prev, p), append(st.ds, d)
		st.prvD, st.dsD = append(st.prvD, dense([]int{B, n}, p)), append(st.dsD, dense([]int{B, n}, d))
	}
	st.in = make([]*tensor.Dense, 1+L.k+nCaps+len(L.fwd.Hoisted))
	st.in[0] = st.xsD[0]
	copy(st.in[1:], st.prvD)
}

// headers returns a [B, n] header on each of data's nT steps.
func headers[T float](data []T, nT, B, n int) []*tensor.Dense {
	h := make([]*tensor.Dense, nT)
	for t := range h {
		h[t] = dense([]int{B, n}, data[t*B*n:(t+1)*B*n])
	}
	return h
}

// loopStateOf returns the loop's state in the running program, for the shapes
// of this run.
func loopStateOf[T float](c *tf.KernelContext, fwdOp *tf.Operation, r *loopRun, nCaps int) *loopState[T] {
	st := c.Local(fwdOp, func() any { return new(loopState[T]) }).(*loopState[T])
	if st.xs == nil || st.B != r.B || st.T != r.T || st.I != r.I {
		st.init(r.L, r.B, r.T, r.I, nCaps)
	}
	return st
}

// specs returns the specs of values.
func specs(values []*tensor.Dense) []tf.Spec {
	out := make([]tf.Spec, len(values))
	for i, v := range values {
		out[i] = tf.SpecOf(v)
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

// forwardPlan returns the step compiled for the forward loop, fetching the
// values the gradient reads when save is true.
func (st *loopState[T]) forwardPlan(L *rnnLoop, save bool) (*lower.Plan, error) {
	p := &st.fwd
	fetches := L.fwd.Outputs
	if save {
		p = &st.fwdSave
		fetches = append(append([]*tf.Tensor(nil), fetches...), L.grad.Saved...)
	}
	if *p == nil {
		feeds := append(append(append([]*tf.Tensor(nil), L.fwd.Args...), L.fwd.Params()...), L.hoistedArgs()...)
		sp := specs(st.in[:len(st.in)-len(st.pre)])
		for _, d := range st.preD {
			sp = append(sp, tf.SpecOf(d[0]))
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

// gemm is C = alpha·op(A)·op(B) + beta·C on row-major slices.
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
// pre_h = xs·W_h[rows], [T·B, I]·[I, n].
func (st *loopState[T]) hoist(L *rnnLoop, caps []*tensor.Dense) error {
	TB := st.T * st.B
	for i, h := range L.fwd.Hoisted {
		w := caps[h.W]
		n := len(st.pre[i]) / max(TB, 1)
		if ws := w.Shape(); len(ws) != 2 || ws[1] != n || h.Row+h.Rows > ws[0] || h.Rows != st.I {
			return errors.Errorf("the cell's weights %v do not fit its hoisted product of %d inputs by %d units", tf.Shape(w.Shape()), st.I, n)
		}
		gemm(false, false, TB, n, st.I, st.xs, st.I, vals[T](w)[h.Row*n:], n, 0, st.pre[i], n)
	}
	return nil
}

func runLoop[T float](c *tf.KernelContext) error {
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	r, err := newLoopRun(c, len(L.fwd.Captured))
	if err != nil {
		return err
	}
	k, B, O := L.k, r.B, L.outSize
	nCaps := len(r.caps)
	st := loopStateOf[T](c, c.Op, r, nCaps)
	copy(st.in[1+k:], r.caps)
	// The values the gradient reads are kept when the program reads the
	// saved states: only the gradient op does.
	save := false
	if c.Wanted(1 + k) {
		if g, _ := L.gradient(); g != nil {
			save = true
		}
	}
	plan, err := st.forwardPlan(L, save)
	if err != nil {
		return err
	}
	st.loadInputs(r, vals[T](c.In[0]), c.RunID)
	if err := st.hoist(L, r.caps); err != nil {
		return err
	}
	var out []T
	if r.lens != nil {
		out = vals[T](c.Alloc(0)) // zeros past each sequence's end
	} else {
		out = vals[T](c.AllocUninit(0))
	}
	saved := make([][]T, k)
	for i := 0; i < k; i++ {
		saved[i] = vals[T](c.AllocUninit(1 + k + i))
		copy(st.prev[i], vals[T](c.In[1+i]))
	}
	if save {
		st.stackOf = 0
	}
	hin := st.in[1+k+nCaps:]
	for t := 0; t < r.T; t++ {
		nv := r.nValid(t)
		if nv > 0 {
			st.in[0] = st.xsD[t]
			for i := range hin {
				hin[i] = st.preD[i][t]
			}
			if err := plan.Run(c.Env, st.in); err != nil {
				return errors.Wrapf(err, "step %d", t)
			}
			y := plan.Out(0)
			if err := checkShape(y, []int{B, O}, "output"); err != nil {
				return err
			}
			yv := vals[T](y)
			if r.lens == nil && L.timeMajor {
				copy(out[t*B*O:(t+1)*B*O], yv)
			} else {
				for b := 0; b < B; b++ {
					if r.valid(t, b) {
						copy(out[r.row(t, b, O):r.row(t, b, O)+O], yv[b*O:(b+1)*O])
					}
				}
			}
			for i, n := range L.sizes {
				h := plan.Out(1 + i)
				if err := checkShape(h, []int{B, n}, "new state"); err != nil {
					return err
				}
				hv := vals[T](h)
				if nv == B {
					copy(st.prev[i], hv)
					continue
				}
				for b := 0; b < B; b++ {
					if r.valid(t, b) {
						copy(st.prev[i][b*n:(b+1)*n], hv[b*n:(b+1)*n])
					}
				}
			}
			if save {
				if err := st.push(L, plan, t, r.T); err != nil {
					return err
				}
			}
		}
		for i, n := range L.sizes {
			copy(saved[i][t*B*n:(t+1)*B*n], st.prev[i])
		}
	}
	for i := 0; i < k; i++ {
		copy(vals[T](c.AllocUninit(1+i)), st.prev[i])
	}
	if save {
		st.stackOf = c.RunID
	}
	return nil
}

// push keeps step t's values the gradient reads (outputs 1+k.. of the
// forward plan).
func (st *loopState[T]) push(L *rnnLoop, plan *lower.Plan, t, nT int) error {
	n := len(L.grad.Saved)
	if st.stacks == nil {
		st.stacks = make([][]T, n)
		st.stackD = make([][]*tensor.Dense, n)
		for j := range n {
			v := plan.Out(1 + L.k + j)
			sz := v.DataSize()
			shape := append([]int(nil), v.Shape()...)
			st.stacks[j] = make([]T, nT*sz)
			st.stackD[j] = make([]*tensor.Dense, nT)
			for s := range nT {
				st.stackD[j][s] = dense(shape, st.stacks[j][s*sz:(s+1)*sz])
			}
		}
	}
	for j := range n {
		v := plan.Out(1 + L.k + j)
		d := st.stackD[j][t]
		if !sameShape(v, d) {
			return errors.Errorf("the cell's step value %q has shape %v at step %d, %v before", L.grad.Saved[j].Name(), tf.Shape(v.Shape()), t, tf.Shape(d.Shape()))
		}
		copy(vals[T](d), vals[T](v))
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

// backwardPlan returns the step's gradient compiled for this run's shapes:
// feeds x, state, dy, dstate, captured, hoisted, saved; fetches the
// gradients of G.Grads that are not zero (st.bout).
func (st *loopState[T]) backwardPlan(L *rnnLoop, caps []*tensor.Dense) (*lower.Plan, error) {
	if st.bwd != nil {
		return st.bwd, nil
	}
	G, k := L.grad, L.k
	feeds := append(append(append(append(append([]*tf.Tensor(nil), L.fwd.Args...), G.DYs...), L.fwd.Params()...), L.hoistedArgs()...), G.Saved...)
	sp := specs(st.in[1 : 1+k])
	sp = append([]tf.Spec{tf.SpecOf(st.xsD[0])}, sp...)
	sp = append(sp, tf.SpecOf(st.dyD))
	sp = append(sp, specs(st.dsD)...)
	sp = append(sp, specs(caps)...)
	for _, d := range st.preD {
		sp = append(sp, tf.SpecOf(d[0]))
	}
	for j := range G.Saved {
		sp = append(sp, tf.SpecOf(st.stackD[j][0]))
	}
	var fetches []*tf.Tensor
	st.bout = make([]int, len(G.Grads))
	for i, g := range G.Grads {
		st.bout[i] = -1
		if !G.Zero[i] {
			st.bout[i] = len(fetches)
			fetches = append(fetches, g)
		}
	}
	p, err := lower.CompilePlan(fetches, feeds, sp)
	if err != nil {
		return nil, errors.Wrap(err, "compiling the gradient of the cell's step")
	}
	st.bwd = p
	st.bin = make([]*tensor.Dense, len(feeds))
	if n := len(L.fwd.Hoisted); n > 0 {
		st.dpre = make([][]T, n)
		for i := range st.dpre {
			st.dpre[i] = make([]T, len(st.pre[i]))
		}
	}
	return p, nil
}

// gradOut returns the step gradient's value of G.Grads[i], nil when it is
// zero.
func (st *loopState[T]) gradOut(i int) *tensor.Dense {
	if j := st.bout[i]; j >= 0 {
		return st.bwd.Out(j)
	}
	return nil
}

func runLoopGrad[T float](c *tf.KernelContext) error {
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	G := L.grad
	nCaps := len(L.fwd.Captured)
	r, err := newLoopRun(c, nCaps)
	if err != nil {
		return err
	}
	k, B, O, I := L.k, r.B, L.outSize, r.I
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
	st := loopStateOf[T](c, c.Op.Inputs()[capStart+nCaps].Op(), r, nCaps)
	if (len(G.Saved) > 0 || nH > 0) && st.stackOf != c.RunID {
		return errors.New("the forward loop did not run in this run (were its outputs fed?): its gradient needs the values it keeps of each step")
	}
	bwd, err := st.backwardPlan(L, r.caps)
	if err != nil {
		return err
	}
	st.loadInputs(r, vals[T](c.In[0]), c.RunID)
	bin := st.bin
	copy(bin[1:], st.prvD)
	bin[1+k] = st.dyD
	copy(bin[2+k:], st.dsD)
	copy(bin[2+2*k:], r.caps)
	hin := bin[2+2*k+nCaps : 2+2*k+nCaps+nH]
	sv := bin[2+2*k+nCaps+nH:]

	saved := make([][]T, k)
	dSaved := make([][]T, k)
	dh := make([][]T, k)
	for i := 0; i < k; i++ {
		saved[i] = vals[T](rest[i])
		if d := rest[1+2*k+i]; d != nil {
			dSaved[i] = vals[T](d)
		}
		dh[i] = st.ds[i] // dh lives in the step's state-gradient buffer between steps
		if d := rest[1+k+i]; d != nil {
			copy(dh[i], vals[T](d))
		} else {
			clear(dh[i])
		}
	}
	var dOut []T
	if rest[k] != nil {
		dOut = vals[T](rest[k])
	}
	var dx []T
	if c.Wanted(0) {
		if r.lens != nil || G.Zero[0] {
			dx = vals[T](c.Alloc(0))
		} else {
			dx = vals[T](c.AllocUninit(0))
		}
	}
	nf := len(G.Params)
	dCaps := make([][]T, nf)
	for n := range dCaps {
		if c.Wanted(1 + k + n) {
			dCaps[n] = vals[T](c.Alloc(1 + k + n))
		}
	}
	gCap := 1 + k + nH       // G.Grads index of the first param's gradient
	dhNext := make([][]T, k) // the step's state gradients, before masking
	for t := r.T - 1; t >= 0; t-- {
		for i := range dh {
			if dSaved[i] == nil {
				continue
			}
			for j, v := range dSaved[i][t*B*L.sizes[i] : (t+1)*B*L.sizes[i]] {
				dh[i][j] += v
			}
		}
		nv := r.nValid(t)
		if nv == 0 {
			for i := range st.dpre {
				n := len(st.dpre[i]) / r.T
				clear(st.dpre[i][t*n : (t+1)*n])
			}
			continue // the step copied the state: dh flows through unchanged
		}
		bin[0] = st.xsD[t]
		for i := range hin {
			hin[i] = st.preD[i][t]
		}
		for i, n := range L.sizes {
			if t == 0 {
				copy(st.prev[i], vals[T](c.In[1+i]))
			} else {
				copy(st.prev[i], saved[i][(t-1)*B*n:t*B*n])
			}
		}
		if dOut != nil && r.lens == nil && L.timeMajor {
			copy(st.dy, dOut[t*B*O:(t+1)*B*O])
		} else {
			for b := 0; b < B; b++ {
				if dOut != nil && r.valid(t, b) {
					copy(st.dy[b*O:(b+1)*O], dOut[r.row(t, b, O):r.row(t, b, O)+O])
				} else {
					clear(st.dy[b*O : (b+1)*O])
				}
			}
		}
		// Rows past their sequence's end: the step's gradient must not
		// see their dh (it flows through unchanged), so it is set aside.
		for i, n := range L.sizes {
			if nv == B {
				continue
			}
			if dhNext[i] == nil {
				dhNext[i] = make([]T, B*n)
			}
			copy(dhNext[i], dh[i])
			for b := 0; b < B; b++ {
				if !r.valid(t, b) {
					clear(dh[i][b*n : (b+1)*n])
				}
			}
		}
		for j := range G.Saved {
			sv[j] = st.stackD[j][t]
		}
		if err := bwd.Run(c.Env, bin); err != nil {
			return errors.Wrapf(err, "gradient of step %d", t)
		}
		if g := st.gradOut(0); g != nil && dx != nil {
			if err := checkShape(g, []int{B, I}, "input gradient"); err != nil {
				return err
			}
			gv := vals[T](g)
			for b := 0; b < B; b++ {
				if r.valid(t, b) {
					copy(dx[r.row(t, b, I):r.row(t, b, I)+I], gv[b*I:(b+1)*I])
				}
			}
		}
		for i, n := range L.sizes {
			g := st.gradOut(1 + i)
			var gv []T
			if g != nil {
				if err := checkShape(g, []int{B, n}, "state gradient"); err != nil {
					return err
				}
				gv = vals[T](g)
			}
			if nv == B && gv != nil {
				copy(dh[i], gv)
				continue
			}
			for b := 0; b < B; b++ {
				switch {
				case !r.valid(t, b):
					copy(dh[i][b*n:(b+1)*n], dhNext[i][b*n:(b+1)*n])
				case gv == nil:
					clear(dh[i][b*n : (b+1)*n])
				default:
					copy(dh[i][b*n:(b+1)*n], gv[b*n:(b+1)*n])
				}
			}
		}
		for h := range st.dpre {
			n := len(st.dpre[h]) / r.T
			dst := st.dpre[h][t*n : (t+1)*n]
			g := st.gradOut(1 + k + h)
			if g == nil {
				clear(dst)
				continue
			}
			if err := checkShape(g, []int{B, n / B}, "hoisted product's gradient"); err != nil {
				return err
			}
			copy(dst, vals[T](g))
			if nv < B {
				u := n / B
				for b := 0; b < B; b++ {
					if !r.valid(t, b) {
						clear(dst[b*u : (b+1)*u])
					}
				}
			}
		}
		for n := range dCaps {
			g := st.gradOut(gCap + n)
			if g == nil || dCaps[n] == nil {
				continue
			}
			gv := vals[T](g)
			if len(gv) != len(dCaps[n]) {
				return errors.Errorf("the gradient of captured tensor %d has %d elements, want %d", G.Params[n], len(gv), len(dCaps[n]))
			}
			acc := dCaps[n]
			for j, v := range gv {
				acc[j] += v
			}
		}
	}
	if err := st.hoistedGrads(L, r, c, dx, dCaps, saved); err != nil {
		return err
	}
	for i := range dh {
		copy(vals[T](c.AllocUninit(1+i)), dh[i])
	}
	return nil
}

// hoistedGrads adds, after the reverse loop, the gradients of the hoisted
// products and the deferred weight gradient blocks, each one product over
// all steps: dx += dpre·W_hᵀ, dW_h += xsᵀ·dpre, and for a deferred block of
// the state, dW += [s_0; s_1..s_T-1]ᵀ·dpre (the state before each step).
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
