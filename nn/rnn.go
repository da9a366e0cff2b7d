package nn

import (
	"strconv"
	"sync"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// DynamicRNN runs cell over the time steps of inputs in a loop
// (tf.nn.dynamic_rnn). inputs is [batch, time, depth] ([time, batch, depth]
// with TimeMajor(true)); the time dimension may be None and differ from one
// Run to the next, and depth must be known. It returns the outputs, shaped
// as inputs with depth cell.OutputSize(), and the final state (one tensor
// per entry of cell.StateSize(); for BasicRNNCell, state[0] is the last
// output).
//
// As TF's while_loop, the graph holds the cell once, not once per step: the
// cell's step is built once as a loop body (a tfimpl.Func whose captured
// tensors are the cell's weights; Call runs exactly once) and one loop op
// runs it once per step, compiled once per shapes into a plan its kernel
// runs in place, so the graph, its build time and its compiled program do
// not grow with the number of steps. The loop's gradient is a second loop
// op running the step's vector-Jacobian product, built once from the
// step's own graph (tfimpl.Func.Gradient: the cell is not called again), from
// the last step to the first, summing the weights' gradients; when it is
// wanted the forward loop keeps, per step, the values the product reads
// (the state, and what the step's gradient ops read, as TF's while-loop
// stacks), so random ops in the cell draw once and gradients belong to the
// outputs. Memory is bounded by those saved values, time × batch × their
// sizes.
//
// Options (rnn.*): DType (required unless InitialState is given),
// InitialState, SequenceLength, TimeMajor, SwapMemory (accepted; a no-op
// here, as every tensor lives in host memory), Scope (default "rnn": the
// cell's variables are "rnn/basic_rnn_cell/kernel", as TF's).
//
// With SequenceLength, the steps of a sequence past its length output zeros
// and copy the state through, so the final state is the state after the
// sequence's last valid step (the initial state for length 0). A length
// outside [0, time] or a length vector not of the batch's size is an error
// naming the offending value, when the graph is built if the shapes are
// known, else at Run time.
func DynamicRNN(cell rnncell.Cell, inputs *tf.Tensor, opts ...rnncell.Option) (outputs *tf.Tensor, state []*tf.Tensor) {
	fn := "nn.DynamicRNN at " + callsite.User()
	nState := 1
	if cell != nil {
		nState = max(len(cell.StateSize()), 1)
	}
	fail := func(err error) (*tf.Tensor, []*tf.Tensor) {
		t := tfimpl.ErrTensor(err)
		st := make([]*tf.Tensor, nState)
		for i := range st {
			st[i] = t
		}
		return t, st
	}
	o, err := rnncell.ParseOptions("nn.DynamicRNN", opts, "dtype", "initial_state", "sequence_length", "time_major", "swap_memory", "scope")
	if err != nil {
		return fail(err)
	}
	if cell == nil {
		return fail(errors.Errorf("%s: cell is nil", fn))
	}
	if inputs == nil {
		return fail(errors.Errorf("%s: inputs is a nil *tf.Tensor", fn))
	}
	if inputs.Err() != nil {
		return fail(inputs.Err())
	}
	xs := inputs.Shape()
	if xs == nil || len(xs) != 3 {
		return fail(errors.Errorf("%s: inputs %q have shape %v; want rank 3, [batch, time, depth] (or [time, batch, depth] with rnncell.TimeMajor)", fn, inputs.Name(), xs))
	}
	if xs[2] < 0 {
		return fail(errors.Errorf("%s: Input size (depth of inputs) must be accessible via shape inference, but saw value None (inputs %q have shape %v)", fn, inputs.Name(), xs))
	}
	if !inputs.DType().IsFloating() {
		return fail(errors.Errorf("%s: inputs %q have dtype %s; want float32 or float64", fn, inputs.Name(), inputs.DType()))
	}
	sizes := cell.StateSize()
	if len(sizes) == 0 {
		return fail(errors.Errorf("%s: the cell's StateSize is empty", fn))
	}
	batchAxis, timeAxis := 0, 1
	if o.TimeMajor {
		batchAxis, timeAxis = 1, 0
	}
	batch := xs[batchAxis]
	scope := o.Scope
	if scope == "" {
		scope = "rnn"
	}
	closeScope := tf.VariableScope(scope, tf.ReuseInherit)
	defer func() {
		if closeScope != nil {
			closeScope()
		}
	}()

	// The initial state.
	var init []*tf.Tensor
	if o.Given["initial_state"] {
		init = o.InitialState
		if len(init) != len(sizes) {
			return fail(errors.Errorf("%s: initial state has %d tensors, the cell's state has %d (StateSize %v)", fn, len(init), len(sizes), sizes))
		}
	} else {
		if !o.Given["dtype"] || o.DType == tf.Invalid {
			return fail(errors.Errorf("%s: If there is no initial_state, you must give a dtype (rnncell.DType)", fn))
		}
		init = cell.ZeroState(rnncell.BatchDim{Of: inputs, Axis: batchAxis}, o.DType)
	}
	for i, s := range init {
		if s == nil {
			return fail(errors.Errorf("%s: initial state %d is a nil *tf.Tensor", fn, i))
		}
		if s.Err() != nil {
			return fail(s.Err())
		}
		if s.DType() != inputs.DType() {
			return fail(errors.Errorf("%s: initial state %d %q has dtype %s, inputs have %s", fn, i, s.Name(), s.DType(), inputs.DType()))
		}
		sh := s.Shape()
		if sh == nil || len(sh) != 2 || sh[1] != sizes[i] {
			return fail(errors.Errorf("%s: initial state %d %q has shape %v; want [batch, %d]", fn, i, s.Name(), sh, sizes[i]))
		}
		if sh[0] >= 0 && batch >= 0 && sh[0] != batch {
			return fail(errors.Errorf("%s: initial state %d %q has batch size %d, inputs %q have %d", fn, i, s.Name(), sh[0], inputs.Name(), batch))
		}
		batch = mergeDim(batch, sh[0])
	}

	// The sequence lengths.
	var seqLen *tf.Tensor
	if o.Given["sequence_length"] {
		seqLen = o.SequenceLength
		if seqLen == nil {
			return fail(errors.Errorf("%s: sequence_length is a nil *tf.Tensor", fn))
		}
		if seqLen.Err() != nil {
			return fail(seqLen.Err())
		}
		switch seqLen.DType() {
		case tf.Int32:
		case tf.Int64:
			seqLen = tf.Cast(seqLen, tf.Int32)
		default:
			return fail(errors.Errorf("%s: sequence_length %q has dtype %s; want int32 or int64", fn, seqLen.Name(), seqLen.DType()))
		}
		if sh := seqLen.Shape(); sh != nil && len(sh) != 1 {
			return fail(errors.Errorf("%s: sequence_length must be a vector of length batch_size, but saw shape: %v", fn, sh))
		}
	}

	// The step, built once; and its vector-Jacobian product.
	dtype := inputs.DType()
	stepIn := []tf.Spec{{DType: dtype, Shape: tf.Shape{batch, xs[2]}}}
	for _, n := range sizes {
		stepIn = append(stepIn, tf.Spec{DType: dtype, Shape: tf.Shape{batch, n}})
	}
	L := &rnnLoop{cell: cell, k: len(sizes), sizes: append([]int(nil), sizes...), outSize: cell.OutputSize(),
		seq: seqLen != nil, timeMajor: o.TimeMajor, depth: xs[2], swapMemory: o.SwapMemory}
	g := inputs.Graph()
	L.fwd, err = tfimpl.NewFunc(g, "while", stepIn, func(args []*tf.Tensor) []*tf.Tensor {
		out, ns := cell.Call(args[0], args[1:])
		return append([]*tf.Tensor{out}, ns...)
	})
	if err != nil {
		return fail(errors.Wrapf(err, "%s: building the cell's step", fn))
	}
	if err := L.checkStep(L.fwd, dtype); err != nil {
		return fail(errors.Wrapf(err, "%s", fn))
	}
	in := []any{inputs}
	for _, s := range init {
		in = append(in, s)
	}
	if seqLen != nil {
		in = append(in, seqLen)
	}
	if kernel, bias, act, ok := fusedPlan(L, dtype); ok {
		// The fused loop (rnn_fused.go): same outputs, no step graph run.
		in = append(in, kernel, bias)
		op := tf.AddOp(tf.OpSpec{Def: fusedLoopDef, Name: "while", Inputs: in, Attrs: tf.Attrs{"loop": L, "time_axis": timeAxis, "act": act}})
		if op.Err() != nil {
			return fail(op.Err())
		}
		return op.Output(0), []*tf.Tensor{op.Output(1)}
	}
	if p, ok := planStack(L, dtype); ok {
		// The fused LSTM/GRU/stack loop (rnn_fused_stack.go).
		for _, w := range p.weights {
			in = append(in, w)
		}
		op := tf.AddOp(tf.OpSpec{Def: stackDef, Name: "while", Inputs: in, Attrs: tf.Attrs{"loop": L, "time_axis": timeAxis, "layers": p.layers}})
		if op.Err() != nil {
			return fail(op.Err())
		}
		state = make([]*tf.Tensor, L.k)
		for i := range state {
			state[i] = op.Output(1 + i)
		}
		return op.Output(0), state
	}
	if hoistProducts {
		// The step input's products by the cell's weights: one product
		// for all steps (rnn_loop.go, hoist).
		if err := tfimpl.HoistProducts(L.fwd, 0); err != nil {
			return fail(errors.Wrapf(err, "%s", fn))
		}
	}
	for _, c := range L.fwd.Captured {
		in = append(in, c)
	}
	op := tf.AddOp(tf.OpSpec{Def: rnnLoopDef, Name: "while", Inputs: in, Attrs: tf.Attrs{"loop": L, "time_axis": timeAxis}})
	if op.Err() != nil {
		return fail(op.Err())
	}
	state = make([]*tf.Tensor, L.k)
	for i := range state {
		state[i] = op.Output(1 + i)
	}
	return op.Output(0), state
}

// rnnLoop is what the loop ops know of their loop.
//
// Speed (issue 5): for a cell implementing fusableCell (BasicRNNCell, found
// by type assertion as database/sql's optional driver interfaces) with tanh
// or relu, DynamicRNN builds the fused loop op of rnn_fused.go instead,
// which computes all steps' input projections in one matrix product and
// needs no per-step concatenation.
type rnnLoop struct {
	cell rnncell.Cell
	fwd  *tfimpl.Func // args x_t, state...; outputs y_t, new state...
	k    int          // number of state tensors

	// The step's gradient, built in fwd's body from its ops the first time
	// the loop is differentiated (gradOnce): args dy_t, dnew state...;
	// outputs dx_t, dstate..., dcaptured (grad.Params)...
	// Whether the step (rowsFwd) and its gradient (rowsBwd) keep the
	// batch's rows apart, found once (rowsOnce, loopParts).
	rowsOnce         sync.Once
	rowsFwd, rowsBwd bool

	gradOnce   sync.Once
	grad       *tfimpl.FuncGrad
	gradErr    error
	savedState []int  // per grad.Saved, the state output it is, -1
	shapeOnly  []bool // per grad.Saved, only its shape is read

	sizes      []int
	outSize    int
	depth      int
	seq        bool
	timeMajor  bool
	swapMemory bool
}

func (L *rnnLoop) String() string { return "<rnn loop>" }

// Body returns the loop's step function; tf.Graph.AsGraphDef writes it as
// a function of the GraphDef's library.
func (L *rnnLoop) Body() *tfimpl.Func { return L.fwd }

// checkStep checks the built step's outputs against the cell's sizes.
func (L *rnnLoop) checkStep(f *tfimpl.Func, dtype tf.DType) error {
	if len(f.Outputs) != 1+L.k {
		return errors.Errorf("the cell's Call returned %d state tensors, its StateSize has %d", len(f.Outputs)-1, L.k)
	}
	for i, t := range f.Outputs {
		want := L.outSize
		what := "output"
		if i > 0 {
			want, what = L.sizes[i-1], "new state "+strconv.Itoa(i-1)
		}
		s := t.Shape()
		if t.DType() != dtype {
			return errors.Errorf("the cell's %s has dtype %s, inputs have %s", what, t.DType(), dtype)
		}
		if s == nil || len(s) != 2 || s[1] != want {
			return errors.Errorf("the cell's %s has shape %v, want [batch, %d]", what, s, want)
		}
	}
	return nil
}

// gradient returns the step's vector-Jacobian product, built once from
// the step's body graph (tfimpl.Func.Gradient): the cell is never called again.
// A failure (a cell op without a gradient) is reported by the loop's
// gradient only: the forward loop works without it.
func (L *rnnLoop) gradient() (*tfimpl.FuncGrad, error) {
	L.gradOnce.Do(func() {
		L.grad, L.gradErr = tfimpl.Gradient(L.fwd)
		if L.gradErr != nil {
			L.grad, L.gradErr = nil, errors.Wrap(L.gradErr, "building the gradient of the cell's step")
			return
		}
		// The saved values that are the step's new state need no stack:
		// the loop's saved states hold them.
		L.savedState = make([]int, len(L.grad.Saved))
		for j, t := range L.grad.Saved {
			L.savedState[j] = -1
			for i, o := range L.fwd.Outputs[1:] {
				if t == o {
					L.savedState[j] = i
					break
				}
			}
		}
		// The saved values whose every gradient reader only takes their
		// shape (the gradient of a broadcast, SumToShapeOf's second
		// input) need a value of that shape, not each step's.
		L.shapeOnly = make([]bool, len(L.grad.Saved))
		start := tfimpl.OpID(L.grad.DYs[0].Op()) // the gradient's ops come after
		readers := map[*tf.Tensor][]*tf.Operation{}
		for _, op := range L.fwd.Graph.Operations() {
			if tfimpl.OpID(op) < start {
				continue
			}
			for _, in := range op.Inputs() {
				readers[in] = append(readers[in], op)
			}
		}
		for j, t := range L.grad.Saved {
			only := len(readers[t]) > 0
			for _, op := range readers[t] {
				if op.Type() != "SumToShapeOf" || op.Inputs()[0] == t {
					only = false
				}
			}
			L.shapeOnly[j] = only && L.savedState[j] < 0
		}
	})
	return L.grad, L.gradErr
}

// hoistProducts makes the generic loop compute the products of the step's
// input by the cell's weights for all steps at once (tfimpl.Func.HoistProducts);
// tests turn it off to compare.
var hoistProducts = true

func mergeDim(a, b int) int {
	if a < 0 {
		return b
	}
	return a
}

// StepGradient returns the step's vector-Jacobian product (built once);
// tf.Graph.AsGraphDef writes a loop's gradient from it.
func (L *rnnLoop) StepGradient() (*tfimpl.FuncGrad, error) { return L.gradient() }
