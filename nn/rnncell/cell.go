package rnncell

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Cell is a recurrent cell (TF's RNNCell): the computation of one time step.
// See the package documentation for the state convention.
type Cell interface {
	// StateSize returns the sizes of the state's tensors, in order: the
	// i-th state tensor has shape [batch, StateSize()[i]].
	StateSize() []int
	// OutputSize returns the size of an output: outputs are [batch, OutputSize()].
	OutputSize() int
	// ZeroState returns the state before the first step, one tensor per
	// StateSize entry. batchSize is an int, a *tf.Tensor whose dimension 0
	// is the batch (such as the first step's inputs), or a BatchDim.
	ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor
	// Call computes one step: inputs [batch, depth] and the previous state
	// give the step's output and the new state (TF's cell(inputs, state)).
	// On failure it returns tensors carrying the error.
	Call(inputs *tf.Tensor, state []*tf.Tensor) (output *tf.Tensor, newState []*tf.Tensor)
}

// BatchDim names the batch size of a tensor whose batch dimension is not
// dimension 0, for ZeroState: the batch size is dimension Axis of Of.
//
// TF's zero_state takes the batch size as a number or a scalar tensor
// (tf.shape(x)[0]); gorgoflow infers shapes from shapes, not from values,
// so it takes the tensor whose dimension is the batch size instead.
type BatchDim struct {
	Of   *tf.Tensor
	Axis int
}

// ZeroState returns zeros for each of cell's state tensors ([batch,
// StateSize()[i]] of dtype): TF's default RNNCell.zero_state. Cells may
// implement their ZeroState method with it. batchSize is as for
// Cell.ZeroState.
func ZeroState(cell Cell, batchSize any, dtype tf.DType) []*tf.Tensor {
	if cell == nil {
		return []*tf.Tensor{tfimpl.ErrTensor(errorf("rnn.ZeroState: cell is nil"))}
	}
	if e, ok := cell.(interface{ Err() error }); ok && e.Err() != nil {
		// A cell that failed to build reports why (and where), not the
		// zeros' complaint about its sizes.
		return errState(e.Err(), len(cell.StateSize()))
	}
	sizes := cell.StateSize()
	out := make([]*tf.Tensor, len(sizes))
	for i, n := range sizes {
		out[i] = Zeros(batchSize, n, dtype)
	}
	return out
}

var zerosDef = &tf.OpDef{
	Type: "RNNZeros",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		axis, units, dtype := a.Int("axis", 0), a.Int("units", 0), a["dtype"].(tf.DType)
		s := in[0].Shape
		if s == nil {
			return []tf.Spec{{DType: dtype, Shape: tf.Shape{tf.None, units}}}, nil
		}
		if axis < 0 || axis >= len(s) {
			return nil, errors.Errorf("batch axis %d is not a dimension of a tensor of shape %v", axis, s)
		}
		return []tf.Spec{{DType: dtype, Shape: tf.Shape{s[axis], units}}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		c.Alloc(0)
		return nil
	},
	Grad: func(op *tf.Operation, dys []*tf.Tensor) []*tf.Tensor { return []*tf.Tensor{nil} },
}

// Zeros returns zeros of shape [batch, units] and the given dtype, the
// batch size given as for Cell.ZeroState.
func Zeros(batchSize any, units int, dtype tf.DType) *tf.Tensor {
	if !dtype.IsFloating() {
		return tfimpl.ErrTensor(errorf("rnn.Zeros: dtype %v is not float32 or float64", dtype))
	}
	if units < 0 {
		return tfimpl.ErrTensor(errorf("rnn.Zeros: negative size %d", units))
	}
	var ref *tf.Tensor
	axis := 0
	switch b := batchSize.(type) {
	case int:
		if b < 0 {
			return tfimpl.ErrTensor(errorf("rnn.Zeros: negative batch size %d", b))
		}
		return tf.Zeros(tf.Shape{b, units}, dtype)
	case *tf.Tensor:
		ref = b
	case BatchDim:
		ref, axis = b.Of, b.Axis
	default:
		return tfimpl.ErrTensor(errorf("rnn.Zeros: batch size is a %T; give an int, a *tf.Tensor whose dimension 0 is the batch, or an rnn.BatchDim", batchSize))
	}
	if ref == nil {
		return tfimpl.ErrTensor(errorf("rnn.Zeros: batch size tensor is nil"))
	}
	return tf.AddOp(tf.OpSpec{Def: zerosDef, Name: "zeros", Inputs: []any{ref},
		Attrs: tf.Attrs{"axis": axis, "units": units, "dtype": dtype}}).Output(0)
}

// rootGraph returns the outermost graph around g (variables live there).
func rootGraph(g *tf.Graph) *tf.Graph {
	for tfimpl.Outer(g) != nil {
		g = tfimpl.Outer(g)
	}
	return g
}

// uniqueScope returns base, or base_1, base_2, ... : the first name that
// tf.UniqueVariableScope gives (no scope of that name opened since the
// current scope was entered, TF's default variable-scope names) and that no
// variable under the current variable scope uses yet (so a second cell in a
// re-entered scope gets new variables rather than TF's "already exists").
func uniqueScope(base string) string {
	prefix := tf.CurrentVariableScope()
	if prefix != "" {
		prefix += "/"
	}
	used := map[string]bool{}
	for _, v := range rootGraph(tf.DefaultGraph()).Variables() {
		if rest, ok := strings.CutPrefix(v.Name(), prefix); ok {
			if i := strings.IndexByte(rest, '/'); i > 0 {
				used[rest[:i]] = true
			}
		}
	}
	name := base
	for i := 1; used[name] || tf.UniqueVariableScope(name) != name; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
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

// checkInputs checks a step's inputs and state against a cell's sizes.
func checkStep(fn string, inputs *tf.Tensor, state []*tf.Tensor, sizes []int) error {
	if inputs == nil {
		return errorf("%s: inputs is a nil *tf.Tensor", fn)
	}
	if inputs.Err() != nil {
		return inputs.Err()
	}
	if s := inputs.Shape(); s != nil && len(s) != 2 {
		return errorf("%s: inputs %q have shape %v; want a matrix [batch, depth]", fn, inputs.Name(), s)
	}
	if len(state) != len(sizes) {
		return errorf("%s: state has %d tensors, the cell's state has %d (StateSize %v)", fn, len(state), len(sizes), sizes)
	}
	for i, s := range state {
		if s == nil {
			return errorf("%s: state[%d] is a nil *tf.Tensor", fn, i)
		}
		if s.Err() != nil {
			return s.Err()
		}
		if sh := s.Shape(); sh != nil && (len(sh) != 2 || (sh[1] >= 0 && sh[1] != sizes[i])) {
			return errorf("%s: state[%d] %q has shape %v; want [batch, %d]", fn, i, s.Name(), sh, sizes[i])
		}
	}
	return nil
}

// errorf is errors.Errorf with the user's file:line after the function
// name that starts format ("rnn.NewLSTMCell: ..." becomes "rnn.NewLSTMCell
// at main.go:12: ...").
func errorf(format string, args ...any) error {
	if i := strings.Index(format, ": "); i > 0 && !strings.Contains(format[:i], " ") {
		format = format[:i] + " at " + callsite.User() + format[i:]
	}
	return errors.Errorf(format, args...)
}

// base is what every cell of this package keeps: its scope's base name, a
// constructor error, and the inputs' depth and dtype once its variables
// exist.
type base struct {
	fn    string // "rnn.BasicLSTMCell", for errors
	name  string // default variable-scope name ("basic_lstm_cell")
	err   error
	built bool
	depth int
	dtype tf.DType
}

// Err returns the error the cell's constructor met (a bad argument or
// option, with the line of the call), nil if none. The cell's ZeroState
// and first Call report it too.
func (b *base) Err() error { return b.err }

// prepare checks a step's inputs and state against sizes; on the first call
// it opens the cell's variable scope (name, made unique) and runs build,
// which makes the variables for inputs of that depth and dtype.
func (b *base) prepare(inputs *tf.Tensor, state []*tf.Tensor, sizes []int, build func(depth int, dtype tf.DType) error) error {
	if b.err != nil {
		return b.err
	}
	if err := checkStep(b.fn, inputs, state, sizes); err != nil {
		return err
	}
	s := inputs.Shape()
	if s == nil || s[1] < 0 {
		return errorf("%s: Expected inputs.shape[-1] to be known, saw shape: %v", b.fn, s)
	}
	if b.built {
		if s[1] != b.depth {
			return errorf("%s: inputs %q have depth %d, but the cell was built for depth %d", b.fn, inputs.Name(), s[1], b.depth)
		}
		if inputs.DType() != b.dtype {
			return errorf("%s: inputs %q have dtype %s, but the cell's variables are %s", b.fn, inputs.Name(), inputs.DType(), b.dtype)
		}
		return nil
	}
	if !inputs.DType().IsFloating() {
		return errorf("%s: inputs %q have dtype %s; want float32 or float64", b.fn, inputs.Name(), inputs.DType())
	}
	defer tf.VariableScope(uniqueScope(b.name), tf.ReuseInherit)()
	if err := build(s[1], inputs.DType()); err != nil {
		return err
	}
	b.built, b.depth, b.dtype = true, s[1], inputs.DType()
	return nil
}

// variables makes variables in the current scope, stopping at the first
// error.
type variables struct {
	dtype tf.DType
	err   error
}

// get returns the variable name of shape, made with init (nil: TF's
// default, glorot-uniform).
func (v *variables) get(name string, shape tf.Shape, init tf.Initializer) *tf.Variable {
	if v.err != nil {
		return nil
	}
	opts := []tf.Option{tf.WithDType(v.dtype)}
	if init != nil {
		opts = append(opts, tf.WithInitializer(init))
	}
	x := tf.GetVariable(name, shape, opts...)
	v.err = x.Err()
	return x
}

// fail returns an output and n state tensors carrying err.
func fail(err error, n int) (*tf.Tensor, []*tf.Tensor) {
	return tfimpl.ErrTensor(err), errState(err, n)
}
