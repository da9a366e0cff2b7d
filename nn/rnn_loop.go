package nn

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"

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
// vector-Jacobian body's captured tensors, the saved states (k), and the
// gradients of the forward outputs (1 + 2k); outputs the gradients of x, of
// the initial state (k) and of the floating captured tensors.

var rnnLoopDef = &tf.OpDef{Type: "DynamicRNNLoop", Infer: inferLoop, Kernel: byFloat(runLoop[float32], runLoop[float64])}

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
	out := make([]tf.Spec, 0, 1+L.k+len(L.floatCaps))
	out = append(out, in[:1+L.k]...)
	capStart := 1 + L.k
	if L.seq {
		capStart++
	}
	for _, j := range L.floatCaps {
		out = append(out, in[capStart+j])
	}
	return out, nil
}

// loopGrad builds the gradient loop op of a DynamicRNNLoop.
func loopGrad(op *tf.Operation, dys []*tf.Tensor) []*tf.Tensor {
	L := op.Attrs()["loop"].(*rnnLoop)
	nIn := len(op.Inputs())
	if L.vjp == nil {
		t := tf.ErrTensor(L.vjpErr)
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
	in := make([]any, 0, fixed+len(L.vjp.Captured)+1+3*L.k)
	for _, t := range op.Inputs()[:fixed] {
		in = append(in, t)
	}
	for _, c := range L.vjp.Captured {
		in = append(in, c)
	}
	outs := op.Outputs()
	for _, s := range outs[1+L.k:] {
		in = append(in, s)
	}
	for i, d := range dys {
		if d == nil {
			d = tf.ZerosLike(outs[i])
		}
		in = append(in, d)
	}
	g := tf.AddOp(tf.OpSpec{Def: rnnLoopGradDef, Name: "while_grad", Inputs: in,
		Attrs: tf.Attrs{"loop": L, "time_axis": op.Attrs().Int("time_axis", 1)}})
	grads := make([]*tf.Tensor, nIn)
	for i := 0; i < 1+L.k; i++ {
		grads[i] = g.Output(i)
	}
	for n, j := range L.floatCaps {
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

func vals[T float](d *tensor.Dense) []T { return tf.Backing(d).([]T) }

// stepInput returns x_t as a [B, I] tensor (a view when time-major).
func stepInput[T float](r *loopRun, x []T, t int, buf []T) *tensor.Dense {
	B, I := r.B, r.I
	if r.L.timeMajor {
		return dense([]int{B, I}, x[t*B*I:(t+1)*B*I])
	}
	for b := 0; b < B; b++ {
		copy(buf[b*I:(b+1)*I], x[r.row(t, b, I):r.row(t, b, I)+I])
	}
	return dense([]int{B, I}, buf)
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

func runLoop[T float](c *tf.KernelContext) error {
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	r, err := newLoopRun(c, len(L.fwd.Captured))
	if err != nil {
		return err
	}
	k, B, O := L.k, r.B, L.outSize
	x := vals[T](c.In[0])
	out := vals[T](c.AllocZeroed(0))
	saved := make([][]T, k)
	prev := make([]*tensor.Dense, k)
	for i := 0; i < k; i++ {
		saved[i] = vals[T](c.Alloc(1 + k + i))
		prev[i] = c.In[1+i]
	}
	buf := make([]T, B*r.I)
	in := make([]*tensor.Dense, 1+k+len(r.caps))
	copy(in[1+k:], r.caps)
	for t := 0; t < r.T; t++ {
		nv := r.nValid(t)
		var res []*tensor.Dense
		if nv > 0 {
			in[0] = stepInput(r, x, t, buf)
			copy(in[1:], prev)
			res, err = c.Env.RunFunc(L.fwd, in)
			if err != nil {
				return errors.Wrapf(err, "step %d", t)
			}
			if err := checkShape(res[0], []int{B, O}, "output"); err != nil {
				return err
			}
			y := vals[T](res[0])
			for b := 0; b < B; b++ {
				if r.valid(t, b) {
					copy(out[r.row(t, b, O):r.row(t, b, O)+O], y[b*O:(b+1)*O])
				}
			}
		}
		for i, n := range L.sizes {
			st := saved[i][t*B*n : (t+1)*B*n]
			p := vals[T](prev[i])
			if nv == 0 {
				copy(st, p)
			} else {
				if err := checkShape(res[1+i], []int{B, n}, "new state"); err != nil {
					return err
				}
				h := vals[T](res[1+i])
				for b := 0; b < B; b++ {
					if r.valid(t, b) {
						copy(st[b*n:(b+1)*n], h[b*n:(b+1)*n])
					} else {
						copy(st[b*n:(b+1)*n], p[b*n:(b+1)*n])
					}
				}
			}
			prev[i] = dense([]int{B, n}, st)
		}
	}
	for i := 0; i < k; i++ {
		f := vals[T](c.Alloc(1 + i))
		copy(f, vals[T](prev[i]))
	}
	return nil
}

func runLoopGrad[T float](c *tf.KernelContext) error {
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	nCaps := len(L.vjp.Captured)
	r, err := newLoopRun(c, nCaps)
	if err != nil {
		return err
	}
	k, B, O, I := L.k, r.B, L.outSize, r.I
	rest := c.In[len(c.In)-(3*k+1):] // saved (k), dOut, dFinal (k), dSaved (k)
	saved := make([][]T, k)
	dSaved := make([][]T, k)
	dh := make([][]T, k)
	for i := 0; i < k; i++ {
		saved[i] = vals[T](rest[i])
		dSaved[i] = vals[T](rest[1+2*k+i])
		dh[i] = append([]T(nil), vals[T](rest[1+k+i])...)
	}
	dOut := vals[T](rest[k])
	x := vals[T](c.In[0])
	dx := vals[T](c.AllocZeroed(0))
	nf := len(L.floatCaps)
	dCaps := make([][]T, nf)
	for n := range dCaps {
		dCaps[n] = vals[T](c.AllocZeroed(1 + k + n))
	}
	buf := make([]T, B*I)
	in := make([]*tensor.Dense, 2+2*k+nCaps)
	copy(in[2+2*k:], r.caps)
	for t := r.T - 1; t >= 0; t-- {
		for i := range dh {
			for j, v := range dSaved[i][t*B*L.sizes[i] : (t+1)*B*L.sizes[i]] {
				dh[i][j] += v
			}
		}
		if r.nValid(t) == 0 {
			continue // the step copied the state: dh flows through unchanged
		}
		in[0] = stepInput(r, x, t, buf)
		for i, n := range L.sizes {
			if t == 0 {
				in[1+i] = c.In[1+i]
			} else {
				in[1+i] = dense([]int{B, n}, saved[i][(t-1)*B*n:t*B*n])
			}
		}
		dy := make([]T, B*O)
		for b := 0; b < B; b++ {
			if r.valid(t, b) {
				copy(dy[b*O:(b+1)*O], dOut[r.row(t, b, O):r.row(t, b, O)+O])
			}
		}
		in[1+k] = dense([]int{B, O}, dy)
		for i, n := range L.sizes {
			m := make([]T, B*n)
			for b := 0; b < B; b++ {
				if r.valid(t, b) {
					copy(m[b*n:(b+1)*n], dh[i][b*n:(b+1)*n])
				}
			}
			in[2+k+i] = dense([]int{B, n}, m)
		}
		res, err := c.Env.RunFunc(L.vjp, in)
		if err != nil {
			return errors.Wrapf(err, "gradient of step %d", t)
		}
		if err := checkShape(res[0], []int{B, I}, "input gradient"); err != nil {
			return err
		}
		g := vals[T](res[0])
		for b := 0; b < B; b++ {
			if r.valid(t, b) {
				copy(dx[r.row(t, b, I):r.row(t, b, I)+I], g[b*I:(b+1)*I])
			}
		}
		for i, n := range L.sizes {
			if err := checkShape(res[1+i], []int{B, n}, "state gradient"); err != nil {
				return err
			}
			g := vals[T](res[1+i])
			for b := 0; b < B; b++ {
				if r.valid(t, b) {
					copy(dh[i][b*n:(b+1)*n], g[b*n:(b+1)*n])
				}
			}
		}
		for n := range dCaps {
			g := vals[T](res[1+k+n])
			if len(g) != len(dCaps[n]) {
				return errors.Errorf("the gradient of captured tensor %d has %d elements, want %d", L.floatCaps[n], len(g), len(dCaps[n]))
			}
			for j, v := range g {
				dCaps[n][j] += v
			}
		}
	}
	for i := range dh {
		copy(vals[T](c.Alloc(1+i)), dh[i])
	}
	return nil
}
