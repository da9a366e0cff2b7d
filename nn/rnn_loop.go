package nn

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
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
		t := tfimpl.ErrTensor(err)
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

// checkShape checks that d is a [rows, cols] matrix.
func checkShape(d *tensor.Dense, rows, cols int, what string) error {
	if s := d.Shape(); len(s) != 2 || s[0] != rows || s[1] != cols {
		return errors.Errorf("the cell's %s has shape %v at run time, want %v", what, tf.Shape(d.Shape()), tf.Shape{rows, cols})
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
