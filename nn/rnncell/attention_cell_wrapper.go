package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// AttentionCellWrapper is TF's AttentionCellWrapper
// (tf.contrib.rnn.AttentionCellWrapper): a cell with attention over its
// own last attn_length outputs (Cheng, Dong and Lapata, "Long Short-Term
// Memory-Networks for Machine Reading"). Its state is the wrapped cell's
// state, then attns [batch, A] (the last attention read) and attn_states
// [batch, L·A] (the last L outputs, oldest first), with L = attn_length, A
// = attn_size and V = attn_vec_size. Each step computes
//
//	x  = [inputs, attns]·kernel + bias                     (input_size units)
//	out, s' = cell(x, s)
//	q  = concat(s', axis 1)                                (the cell's new state)
//	f_l = attn_states_l·attn_w                              (l = 1..L; attn_w [A, V])
//	e_l = sum(attn_v·tanh(f_l + q·attention/kernel + attention/bias))
//	a  = softmax(e);  attns' = sum_l a_l·attn_states_l
//	output = [out, attns']·attn_output_projection/kernel + attn_output_projection/bias
//	attn_states' = attn_states_2..L, output
//
// and returns output [batch, A] and (s', attns', attn_states') as its
// state. With StateIsTuple(false) the state is one tensor, the three parts
// concatenated (the wrapped cell must then have one state tensor).
//
// Its variables, made on the first Call under the current variable scope
// and "attention_cell_wrapper", are TF's, in TF's order: "kernel" [depth+A,
// input_size] and "bias" [input_size], the wrapped cell's (under its own
// scope, as "attention_cell_wrapper/lstm_cell/kernel"),
// "attention/attn_w" [1, 1, A, V] (TF's 1×1 convolution filter),
// "attention/attn_v" [V], "attention/kernel" [Q, V] and "attention/bias"
// [V] (Q the total size of the cell's state),
// "attn_output_projection/kernel" [out+A, A] and
// "attn_output_projection/bias" [A]; kernels glorot-uniform, biases zeros.
type AttentionCellWrapper struct {
	cell                 Cell
	attnLength, attnSize int
	attnVecSize          int
	inputSize            int
	stateIsTuple         bool
	err                  error
	scope                string
	inKernel, inBias     *tf.Variable
	attnW, attnV         *tf.Variable
	queryKernel          *tf.Variable
	queryBias            *tf.Variable
	outKernel, outBias   *tf.Variable
}

// NewAttentionCellWrapper wraps cell with attention over its last
// attnLength outputs (AttentionCellWrapper(cell, attn_length)). A bad
// argument is reported, with the line of this call, by the first Call.
//
// Options: AttnSize (default the cell's output size), AttnVecSize (default
// the attention size), InputSize (the size of the cell's inputs made from
// the step's inputs and attns; default the inputs' depth), StateIsTuple
// (default true).
func NewAttentionCellWrapper(cell Cell, attnLength int, opts ...Option) *AttentionCellWrapper {
	const fn = "rnn.NewAttentionCellWrapper"
	w := &AttentionCellWrapper{cell: cell, attnLength: attnLength, stateIsTuple: true}
	o, err := ParseOptions(fn, opts, "attn_size", "attn_vec_size", "input_size", "state_is_tuple")
	switch {
	case err != nil:
		w.err = err
	case cell == nil:
		w.err = errorf("%s: cell is nil", fn)
	case !o.StateIsTuple && len(cell.StateSize()) != 1:
		w.err = errorf("%s: Cell returns tuple of states, but the flag state_is_tuple is not set. State size is: %v", fn, cell.StateSize())
	case attnLength <= 0:
		w.err = errorf("%s: attn_length should be greater than zero, got %d", fn, attnLength)
	case o.Given["attn_size"] && o.AttnSize <= 0:
		w.err = errorf("%s: attn_size must be positive, got %d", fn, o.AttnSize)
	case o.Given["attn_vec_size"] && o.AttnVecSize <= 0:
		w.err = errorf("%s: attn_vec_size must be positive, got %d", fn, o.AttnVecSize)
	case o.Given["input_size"] && o.InputSize <= 0:
		w.err = errorf("%s: input_size must be positive, got %d", fn, o.InputSize)
	default:
		w.stateIsTuple, w.inputSize = o.StateIsTuple, o.InputSize
		w.attnSize = cell.OutputSize()
		if o.Given["attn_size"] {
			w.attnSize = o.AttnSize
		}
		w.attnVecSize = w.attnSize
		if o.Given["attn_vec_size"] {
			w.attnVecSize = o.AttnVecSize
		}
	}
	return w
}

// Cell returns the wrapped cell.
func (w *AttentionCellWrapper) Cell() Cell { return w.cell }

// AttnLength returns the attention window's length L.
func (w *AttentionCellWrapper) AttnLength() int { return w.attnLength }

// AttnSize returns the size A of the attention vectors and outputs.
func (w *AttentionCellWrapper) AttnSize() int { return w.attnSize }

// AttnVecSize returns the size V of the attention features.
func (w *AttentionCellWrapper) AttnVecSize() int { return w.attnVecSize }

// cellSizes returns the wrapped cell's state sizes (nil without a cell).
func (w *AttentionCellWrapper) cellSizes() []int {
	if w.cell == nil {
		return nil
	}
	return w.cell.StateSize()
}

// StateSize returns the cell's state sizes, then A and L·A; without
// StateIsTuple their sum.
func (w *AttentionCellWrapper) StateSize() []int {
	if w.err != nil {
		return []int{0}
	}
	sizes := append(append([]int(nil), w.cellSizes()...), w.attnSize, w.attnSize*w.attnLength)
	if w.stateIsTuple {
		return sizes
	}
	sum := 0
	for _, n := range sizes {
		sum += n
	}
	return []int{sum}
}

// StateKinds returns the cell's state kinds, then StatePlain twice; without
// StateIsTuple [StatePlain].
func (w *AttentionCellWrapper) StateKinds() []StateKind {
	if w.err != nil || !w.stateIsTuple {
		return []StateKind{StatePlain}
	}
	return append(StateKinds(w.cell), StatePlain, StatePlain)
}

// OutputSize returns the attention size A.
func (w *AttentionCellWrapper) OutputSize() int { return w.attnSize }

// ZeroState returns zeros for every state tensor.
func (w *AttentionCellWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, 1)
	}
	return ZeroState(w, batchSize, dtype)
}

// Err returns the error the constructor met, nil if none.
func (w *AttentionCellWrapper) Err() error { return w.err }

// Call computes one step; see AttentionCellWrapper.
func (w *AttentionCellWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	const fn = "rnn.AttentionCellWrapper"
	sizes := w.StateSize()
	n := len(sizes)
	if w.err != nil {
		return fail(w.err, n)
	}
	if err := checkStep(fn, inputs, state, sizes); err != nil {
		return fail(err, n)
	}
	depth := inputs.Shape()[1]
	if depth < 0 {
		return fail(errorf("%s: Expected inputs.shape[-1] to be known, saw shape: %v", fn, inputs.Shape()), n)
	}
	L, A, V := w.attnLength, w.attnSize, w.attnVecSize
	cs := w.cellSizes()
	var cellState []*tf.Tensor
	var attns, attnStates *tf.Tensor
	if w.stateIsTuple {
		k := len(cs)
		cellState, attns, attnStates = state[:k], state[k], state[k+1]
	} else {
		parts := tf.Split(state[0], []int{cs[0], A, A * L}, 1)
		if len(parts) != 3 {
			return fail(parts[0].Err(), n)
		}
		cellState, attns, attnStates = parts[:1], parts[1], parts[2]
	}
	if w.scope == "" {
		w.scope = uniqueScope("attention_cell_wrapper")
	}
	defer tf.VariableScope(w.scope, tf.ReuseInherit)()
	dt := inputs.DType()
	first := w.inKernel == nil
	q := 0
	for _, s := range cs {
		q += s
	}
	if first {
		inSize := w.inputSize
		if inSize == 0 {
			inSize = depth
		}
		v := &variables{dtype: dt}
		w.inKernel = v.get("kernel", tf.Shape{depth + A, inSize}, nil)
		w.inBias = v.get("bias", tf.Shape{inSize}, tf.ZerosInitializer())
		if v.err != nil {
			w.inKernel = nil
			return fail(v.err, n)
		}
	}
	x := linear([]*tf.Tensor{inputs, attns}, w.inKernel, w.inBias)
	cellOut, newCellState := w.cell.Call(x, cellState)
	if cellOut == nil || cellOut.Err() != nil {
		return cellOut, errState(cellOut.Err(), n)
	}
	query := newCellState[0]
	if len(newCellState) > 1 {
		query = tf.Concat(newCellState, 1)
	}
	if first {
		v := &variables{dtype: dt}
		closeAttn := tf.VariableScope("attention", tf.ReuseInherit)
		w.attnW = v.get("attn_w", tf.Shape{1, 1, A, V}, nil)
		w.attnV = v.get("attn_v", tf.Shape{V}, nil)
		w.queryKernel = v.get("kernel", tf.Shape{q, V}, nil)
		w.queryBias = v.get("bias", tf.Shape{V}, tf.ZerosInitializer())
		closeAttn()
		closeProj := tf.VariableScope("attn_output_projection", tf.ReuseInherit)
		w.outKernel = v.get("kernel", tf.Shape{w.cell.OutputSize() + A, A}, nil)
		w.outBias = v.get("bias", tf.Shape{A}, tf.ZerosInitializer())
		closeProj()
		if v.err != nil {
			return fail(v.err, n)
		}
	}
	// The attention (TF's _attention): the 1×1 convolution of the window
	// [batch, L, 1, A] by attn_w is a product of its rows by attn_w [A, V].
	closeAttn := tf.VariableScope("attention", tf.ReuseInherit)
	hidden := tf.Reshape(attnStates, []int{-1, L, A})
	features := tf.Reshape(tf.MatMul(tf.Reshape(attnStates, []int{-1, A}), tf.Reshape(w.attnW, []int{A, V})), []int{-1, L, V})
	y := tf.Reshape(linear([]*tf.Tensor{query}, w.queryKernel, w.queryBias), []int{-1, 1, V})
	s := tf.ReduceSum(tf.Mul(w.attnV, tf.Tanh(tf.Add(features, y))), tf.Axis(2))
	a := softmax(s)
	newAttns := tf.ReduceSum(tf.Mul(tf.Reshape(a, []int{-1, L, 1}), hidden), tf.Axis(1))
	closeAttn()
	closeProj := tf.VariableScope("attn_output_projection", tf.ReuseInherit)
	output := linear([]*tf.Tensor{cellOut, newAttns}, w.outKernel, w.outBias)
	closeProj()
	// The window drops its oldest output and appends this step's.
	newAttnStates := output
	if L > 1 {
		window := tf.Split(attnStates, L, 1)
		newAttnStates = tf.Concat(append(window[1:], output), 1)
	}
	newState := append(append([]*tf.Tensor(nil), newCellState...), newAttns, newAttnStates)
	if !w.stateIsTuple {
		newState = []*tf.Tensor{tf.Concat(newState, 1)}
	}
	return output, newState
}

// softmax is tf.nn.softmax over the last axis of a matrix, computed as
// TF's kernel does: exp(x - max(x))/sum(exp(x - max(x))). The shift is a
// constant for the gradient (it cancels out of the softmax's).
func softmax(x *tf.Tensor) *tf.Tensor {
	e := tf.Exp(tf.Sub(x, tf.StopGradient(tf.ReduceMax(x, tf.Axis(1), tf.KeepDims(true)))))
	return tf.Div(e, tf.ReduceSum(e, tf.Axis(1), tf.KeepDims(true)))
}
