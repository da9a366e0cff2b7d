package nn

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// StaticRNN unrolls cell over a list of time steps (tf.nn.static_rnn,
// tf.contrib.rnn.static_rnn): inputs[t] is the batch of step t, [batch, depth]
// (or integer ids [batch], for a cell that embeds them such as
// rnncell.EmbeddingWrapper). It
// returns one output per step ([batch, cell.OutputSize()]) and the final
// state. The graph holds one copy of the cell per step, all sharing the
// cell's variables: as TF's static_rnn, the loop's variable scope switches
// to reuse (tf.Reuse) after step 0, so a cell whose Call makes variables by
// name (tf.GetVariable, a layers.Dense, named or not) gets step 0's
// variables at every later step. For long sequences use DynamicRNN, whose
// graph does not grow with the number of steps.
//
// Options: DType (required unless InitialState is given), InitialState,
// SequenceLength, Scope (default "rnn": the variables of a BasicRNNCell are
// "rnn/basic_rnn_cell/kernel" and "rnn/basic_rnn_cell/bias", as TF's).
//
// With SequenceLength, the steps of a sequence past its length output zeros
// and copy the state through, so the final state is the state after the
// sequence's last valid step (the initial state for length 0). A length
// outside [0, len(inputs)] or a length vector not of the batch's size is an
// error naming the offending value, when the graph is built if the shapes
// are known, else at Run time.
//
// On failure every returned tensor carries the error.
func StaticRNN(cell rnncell.Cell, inputs []*tf.Tensor, opts ...rnncell.Option) (outputs []*tf.Tensor, state []*tf.Tensor) {
	fn := "nn.StaticRNN at " + callsite.User()
	nState := 1
	if cell != nil {
		nState = len(cell.StateSize())
	}
	fail := func(err error) ([]*tf.Tensor, []*tf.Tensor) {
		return errState(err, len(inputs)), errState(err, nState)
	}
	o, err := rnncell.ParseOptions("nn.StaticRNN", opts, "dtype", "initial_state", "sequence_length", "scope")
	if err != nil {
		return fail(err)
	}
	if cell == nil {
		return fail(errors.Errorf("%s: cell is nil", fn))
	}
	if len(inputs) == 0 {
		return fail(errors.Errorf("%s: inputs must not be empty", fn))
	}
	batch := tf.None
	for t, x := range inputs {
		if x == nil {
			return fail(errors.Errorf("%s: inputs[%d] is a nil *tf.Tensor", fn, t))
		}
		if x.Err() != nil {
			return fail(x.Err())
		}
		s := x.Shape()
		if s == nil || len(s) != 2 && !(len(s) == 1 && x.DType().IsInteger()) {
			return fail(errors.Errorf("%s: inputs[%d] %q has shape %v; want [batch, depth] (or ids [batch] for a cell that embeds them)", fn, t, x.Name(), s))
		}
		if len(s) == 2 && s[1] < 0 {
			return fail(errors.Errorf("%s: Input size (dimension 1 of inputs[%d] %q) must be accessible via shape inference, but saw value None", fn, t, x.Name()))
		}
		if s[0] >= 0 && batch >= 0 && s[0] != batch {
			return fail(errors.Errorf("%s: inputs[%d] %q has batch size %d, earlier inputs have %d", fn, t, x.Name(), s[0], batch))
		}
		if s[0] >= 0 {
			batch = s[0]
		}
	}
	scope := o.Scope
	if scope == "" {
		scope = "rnn"
	}
	closeScope := tf.VariableScope(scope, tf.ReuseInherit)
	defer func() { closeScope() }()

	if o.Given["initial_state"] {
		state = o.InitialState
		if len(state) != nState {
			return fail(errors.Errorf("%s: initial state has %d tensors, the cell's state has %d (StateSize %v)", fn, len(state), nState, cell.StateSize()))
		}
	} else {
		if !o.Given["dtype"] || o.DType == tf.Invalid {
			return fail(errors.Errorf("%s: If no initial_state is provided, dtype must be specified (rnn.DType)", fn))
		}
		state = cell.ZeroState(inputs[0], o.DType)
	}
	for i, s := range state {
		if s == nil {
			return fail(errors.Errorf("%s: initial state %d is a nil *tf.Tensor", fn, i))
		}
		if s.Err() != nil {
			return fail(s.Err())
		}
	}

	var seqLen *tf.Tensor
	if o.Given["sequence_length"] {
		seqLen, err = checkedLengths(fn, o.SequenceLength, inputs[0], batch, len(inputs))
		if err != nil {
			return fail(err)
		}
	}

	outputs = make([]*tf.Tensor, len(inputs))
	for t, x := range inputs {
		if t > 0 {
			// TF's varscope.reuse_variables() after the first step.
			// Re-entering the scope at each step restarts its default
			// names (an unnamed layer is "dense" again, as at step 0), as
			// TF's cells re-entering their own scope at each call do.
			closeScope()
			closeScope = tf.VariableScope(scope, tf.Reuse)
		}
		out, ns := cell.Call(x, state)
		if out == nil {
			return fail(errors.Errorf("%s: the cell returned a nil output at step %d", fn, t))
		}
		if out.Err() != nil {
			return fail(out.Err())
		}
		if len(ns) != nState {
			return fail(errors.Errorf("%s: the cell returned %d state tensors at step %d, its StateSize has %d", fn, len(ns), t, nState))
		}
		for _, s := range ns {
			if s == nil || s.Err() != nil {
				if s == nil {
					return fail(errors.Errorf("%s: the cell returned a nil state at step %d", fn, t))
				}
				return fail(s.Err())
			}
		}
		if seqLen != nil {
			// TF's _rnn_step: past a sequence's length, zero output and
			// the state copied through.
			valid := tf.Reshape(tf.Less(t, seqLen), []int{-1, 1})
			out = tf.Where(valid, out, tf.ZerosLike(out))
			for i := range ns {
				ns[i] = tf.Where(valid, ns[i], state[i])
			}
		}
		outputs[t] = out
		state = ns
	}
	return outputs, state
}

// checkedLengths returns the sequence lengths as int32, checked against the
// batch size and the number of steps when the graph is built (when known)
// and when it runs.
func checkedLengths(fn string, lengths, batchRef *tf.Tensor, batch, steps int) (*tf.Tensor, error) {
	if lengths == nil {
		return nil, errors.Errorf("%s: sequence_length is a nil *tf.Tensor", fn)
	}
	if lengths.Err() != nil {
		return nil, lengths.Err()
	}
	switch lengths.DType() {
	case tf.Int32:
	case tf.Int64:
		lengths = tf.Cast(lengths, tf.Int32)
	default:
		return nil, errors.Errorf("%s: sequence_length %q has dtype %s; want int32 or int64", fn, lengths.Name(), lengths.DType())
	}
	s := lengths.Shape()
	if s != nil && len(s) != 1 {
		return nil, errors.Errorf("%s: sequence_length must be a vector of length batch_size, but saw shape: %v", fn, s)
	}
	op := tf.AddOp(tf.OpSpec{Def: checkLengthsDef, Name: "sequence_length", Inputs: []any{lengths, batchRef}, Attrs: tf.Attrs{"steps": steps}})
	if op.Err() != nil {
		return nil, op.Err()
	}
	return op.Output(0), nil
}

// checkLengthsDef passes sequence lengths through after checking them
// against the batch (input 1's dimension 0) and the number of steps.
var checkLengthsDef = &tf.OpDef{
	Type: "CheckSequenceLength",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		l, ref := in[0].Shape, in[1].Shape
		if l != nil && ref != nil && len(l) == 1 && len(ref) > 0 && l[0] >= 0 && ref[0] >= 0 && l[0] != ref[0] {
			return nil, errors.Errorf("sequence_length has %d entries, but the batch size is %d: it needs one length per sequence", l[0], ref[0])
		}
		return []tf.Spec{in[0]}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		steps := c.Op.Attrs().Int("steps", 0)
		for b, n := range c.In[0].Int32s() {
			if n < 0 || int(n) > steps {
				return errors.Errorf("sequence_length[%d] = %d is outside [0, %d], the number of time steps", b, n, steps)
			}
		}
		c.Set(0, c.In[0])
		return nil
	},
	Grad: func(op *tf.Operation, dys []*tf.Tensor) []*tf.Tensor { return []*tf.Tensor{nil, nil} },
}

// errState returns n tensors carrying err (at least one).
func errState(err error, n int) []*tf.Tensor {
	n = max(n, 1)
	out := make([]*tf.Tensor, n)
	t := tfimpl.ErrTensor(err)
	for i := range out {
		out[i] = t
	}
	return out
}
