package nn

import (
	"reflect"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/fused"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The fused loop of DynamicRNN (issue 5): for a cell whose step is
// activation([x, h]·kernel + bias) with tanh or relu (rnn.BasicRNNCell),
// one op runs every step with internal/fused's kernels, which compute all
// steps' input projections in one matrix product and need no per-step
// concatenation, instead of running the cell's step graph once per step.
// Its outputs are those of the generic loop op (outputs, final state, the
// state after each step), and so are their values and gradients; the tests
// check the two against each other.
//
// DynamicRNNFused: inputs x, initial state, sequence lengths (when given),
// kernel, bias; outputs as DynamicRNNLoop's.
//
// DynamicRNNFusedGrad: inputs x, initial state, sequence lengths, kernel,
// the saved states, then the gradients of the outputs, of the final state
// and of the saved states that exist (attr "has"); outputs the gradients of
// x, of the initial state, of kernel and of bias.

// fusableCell is the optional interface of cells the fused loop can run
// (rnn.BasicRNNCell implements it).
type fusableCell interface {
	FusedWeights() (kernel, bias *tf.Variable, activation rnncell.ActivationFunc)
}

// genericOnly makes DynamicRNN always build the generic loop (tests set it
// to compare the two paths).
var genericOnly bool

var fusedLoopDef = &tf.OpDef{Type: "DynamicRNNFused", Infer: inferFused, Kernel: byFloat(runFused[float32], runFused[float64])}

var fusedLoopGradDef = &tf.OpDef{Type: "DynamicRNNFusedGrad", Infer: inferFusedGrad, Kernel: byFloat(runFusedGrad[float32], runFusedGrad[float64])}

func init() { fusedLoopDef.Grad = fusedGrad }

func funcPC(f any) uintptr { return reflect.ValueOf(f).Pointer() }

// fusedPlan returns the fused form of L's cell: its kernel and bias and the
// activation, or ok false when the cell is not one the fused loop runs.
func fusedPlan(L *rnnLoop, dtype tf.DType) (kernel, bias *tf.Variable, act fused.Act, ok bool) {
	if genericOnly || forceStack || L.k != 1 || L.outSize != L.sizes[0] {
		return nil, nil, 0, false
	}
	fc, is := L.cell.(fusableCell)
	if !is {
		return nil, nil, 0, false
	}
	kernel, bias, fn := fc.FusedWeights()
	if kernel == nil || bias == nil || fn == nil || kernel.Err() != nil || bias.Err() != nil {
		return nil, nil, 0, false
	}
	want := ""
	switch funcPC(fn) {
	case funcPC(tf.Tanh), funcPC(Tanh):
		act, want = fused.Tanh, "Tanh"
	case funcPC(tf.Relu), funcPC(Relu):
		act, want = fused.Relu, "Relu"
	default:
		return nil, nil, 0, false
	}
	// The step the cell built must be that activation of its kernel.
	if len(L.fwd.Outputs) == 0 || L.fwd.Outputs[0].Op().Type() != want {
		return nil, nil, 0, false
	}
	U := L.sizes[0]
	if kernel.DType() != dtype || bias.DType() != dtype ||
		!kernel.Shape().Equal(tf.Shape{L.depth + U, U}) || !bias.Shape().Equal(tf.Shape{U}) {
		return nil, nil, 0, false
	}
	return kernel, bias, act, true
}

func fusedDims(a tf.Attrs, x []int, U int) fused.Dims {
	tAxis := a.Int("time_axis", 1)
	return fused.Dims{B: x[1-tAxis], T: x[tAxis], In: x[2], U: U, TimeMajor: tAxis == 0}
}

// fusedWeightsIndex returns the index of the kernel input (bias follows).
func (L *rnnLoop) fusedWeightsIndex() int {
	if L.seq {
		return 3
	}
	return 2
}

func checkWeights(L *rnnLoop, k, b tf.Spec) error {
	U := L.sizes[0]
	if !k.Shape.Equal(tf.Shape{L.depth + U, U}) {
		return errors.Errorf("the cell's kernel has shape %v, want [%d, %d]", k.Shape, L.depth+U, U)
	}
	if !b.Shape.Equal(tf.Shape{U}) {
		return errors.Errorf("the cell's bias has shape %v, want [%d]", b.Shape, U)
	}
	return nil
}

func inferFused(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	L := a["loop"].(*rnnLoop)
	T, B, err := loopShapes(L, a, in)
	if err != nil {
		return nil, err
	}
	w := L.fusedWeightsIndex()
	if err := checkWeights(L, in[w], in[w+1]); err != nil {
		return nil, err
	}
	dt, U := in[0].DType, L.sizes[0]
	return []tf.Spec{
		{DType: dt, Shape: outShape(L.timeMajor, T, B, U)},
		{DType: dt, Shape: tf.Shape{B, U}},
		{DType: dt, Shape: tf.Shape{T, B, U}},
	}, nil
}

func inferFusedGrad(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	L := a["loop"].(*rnnLoop)
	if _, _, err := loopShapes(L, a, in); err != nil {
		return nil, err
	}
	w := L.fusedWeightsIndex()
	dt, U := in[0].DType, L.sizes[0]
	return []tf.Spec{in[0], in[1], in[w], {DType: dt, Shape: tf.Shape{U}}}, nil
}

// fusedGrad builds the gradient op of a DynamicRNNFused op.
func fusedGrad(op *tf.Operation, dys []*tf.Tensor) []*tf.Tensor {
	L := op.Attrs()["loop"].(*rnnLoop)
	ins := op.Inputs()
	w := L.fusedWeightsIndex()
	in := make([]any, 0, w+5)
	for _, t := range ins[:w+1] { // x, h0, [lengths], kernel
		in = append(in, t)
	}
	in = append(in, op.Outputs()[2])
	var has [3]bool
	for i, d := range dys {
		// tf.Gradients gives zeros_like(output) for outputs that do not
		// reach the loss: that is no gradient, and reading it would keep
		// the output (and its zeros) alive for nothing.
		if d != nil && d.Op() != nil && d.Op().Type() != "ZerosLike" {
			has[i] = true
			in = append(in, d)
		}
	}
	g := tf.AddOp(tf.OpSpec{Def: fusedLoopGradDef, Name: "while_grad", Inputs: in,
		Attrs: tf.Attrs{"loop": L, "time_axis": op.Attrs().Int("time_axis", 1), "act": op.Attrs()["act"], "has": has}})
	grads := make([]*tf.Tensor, len(ins))
	grads[0], grads[1] = g.Output(0), g.Output(1)
	grads[w], grads[w+1] = g.Output(2), g.Output(3)
	return grads
}

// checkLens checks sequence lengths against the number of steps.
func checkLens(lens []int32, T int) error {
	for b, n := range lens {
		if n < 0 || int(n) > T {
			return errors.Errorf("sequence_length[%d] = %d is outside [0, %d], the number of time steps", b, n, T)
		}
	}
	return nil
}

// fusedArgs reads what the fused loop's kernels share: the op's attributes,
// the dimensions, the sequence lengths (nil without; checked against the
// steps) and the index of the kernel among the inputs.
func fusedArgs(c *tf.KernelContext) (a tf.Attrs, d fused.Dims, lens []int32, w int, err error) {
	a = c.Op.Attrs()
	L := a["loop"].(*rnnLoop)
	d = fusedDims(a, c.In[0].Shape(), L.sizes[0])
	if L.seq {
		lens = c.In[2].Int32s()
		if err := checkLens(lens, d.T); err != nil {
			return nil, d, nil, 0, err
		}
	}
	return a, d, lens, L.fusedWeightsIndex(), nil
}

func runFused[T float](c *tf.KernelContext) error {
	a, d, lens, w, err := fusedArgs(c)
	if err != nil {
		return err
	}
	// Outputs nobody reads are not computed: without the saved states (no
	// gradient in the program) the loop keeps only two steps' states.
	fused.Forward(d, a["act"].(fused.Act), vals[T](c.In[0]), vals[T](c.In[w]), vals[T](c.In[w+1]), vals[T](c.In[1]), lens,
		wanted[T](c, 0), wanted[T](c, 2), wanted[T](c, 1))
	return nil
}

// wanted returns the data of a buffer for output i (contents undefined:
// fused.Forward and Backward write every element of theirs), or nil when
// the program does not read output i.
func wanted[T float](c *tf.KernelContext, i int) []T {
	if !c.Wanted(i) {
		return nil
	}
	return vals[T](c.AllocUninit(i))
}

func runFusedGrad[T float](c *tf.KernelContext) error {
	a, d, lens, w, err := fusedArgs(c)
	if err != nil {
		return err
	}
	has := a["has"].([3]bool)
	next := w + 2 // after kernel and the saved states
	var dy [3][]T
	for i, h := range has {
		if h {
			dy[i] = vals[T](c.In[next])
			next++
		}
	}
	fused.Backward(d, a["act"].(fused.Act), vals[T](c.In[0]), vals[T](c.In[w]), vals[T](c.In[1]), lens,
		vals[T](c.In[w+1]), dy[0], dy[1], dy[2],
		wanted[T](c, 0), vals[T](c.AllocUninit(2)), vals[T](c.AllocUninit(3)), wanted[T](c, 1))
	return nil
}
