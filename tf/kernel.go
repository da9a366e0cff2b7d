package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// Env is what a running kernel may ask of the session that runs it.
type Env interface {
	// ReadVariable returns v's current value, or an error naming v when it
	// has not been initialized.
	ReadVariable(v *Variable) (*tensor.Dense, error)
	// AssignVariable replaces v's value by value (which the session owns
	// from then on).
	AssignVariable(v *Variable, value *tensor.Dense) error
	// OpState returns the state the session keeps for op across runs
	// (a random generator, a compiled loop body), made by create at first use.
	OpState(op *Operation, create func() any) any
	// RunFunc runs a function graph (a loop body) on concrete inputs and
	// returns its outputs. The session compiles it once per input shapes.
	RunFunc(f *Func, inputs []*tensor.Dense) ([]*tensor.Dense, error)
}

// InPlaceEnv is an Env that can let a kernel change variables' values in
// place, as TensorFlow's optimizers do, when nobody can see them change:
// no other run of the session is in flight and no value of the running
// program that shares their memory is still to be read or fetched.
// Kernels check for it with a type assertion and fall back to
// AssignVariable of new values when it is missing or refuses.
type InPlaceEnv interface {
	Env
	// UpdateInPlace calls f with the current values of vars, for f to
	// change in place, and returns true and f's error; or returns false
	// without calling f when that is not safe now. f must check what it
	// needs before changing anything, and must not call the Env.
	UpdateInPlace(vars []*Variable, f func(vals []*tensor.Dense) error) (bool, error)
}

// KernelContext is what a kernel sees: its op, its inputs' values, and room
// for its outputs, whose concrete specs are known before it runs.
type KernelContext struct {
	Op       *Operation
	In       []*tensor.Dense
	Out      []*tensor.Dense
	OutSpecs []Spec
	Env      Env
	// Pool, when set, gives buffers back between runs, zeroed when zero is
	// true; kernels ask through Alloc and AllocUninit.
	Pool func(spec Spec, i int, zero bool) *tensor.Dense
	// Want, when not nil, says which outputs the running program reads
	// (another op's input or a fetch); see Wanted.
	Want []bool
	// Local, when set, returns the state the running program keeps for
	// key across its runs (a loop's compiled body and its buffers), made
	// by create at first use. Runs of one program are serialized, so the
	// state needs no lock; it goes away with the program.
	Local func(key any, create func() any) any
	// RunID numbers the runs of the running program (it differs between
	// any two runs), for kernels that share state within one run.
	RunID uint64
}

// Wanted reports whether output i is read by the running program. A kernel
// may leave an output that is not wanted unset (and skip computing it);
// it must set every wanted output.
func (c *KernelContext) Wanted(i int) bool { return c.Want == nil || c.Want[i] }

// Alloc returns a buffer of zeros for output i, shaped as OutSpecs[i], and
// sets it as that output.
func (c *KernelContext) Alloc(i int) *tensor.Dense { return c.alloc(i, true) }

// AllocUninit is Alloc for kernels that write every element of output i:
// the buffer's contents are undefined (a reused buffer keeps the values of
// an earlier run), which saves clearing it.
func (c *KernelContext) AllocUninit(i int) *tensor.Dense { return c.alloc(i, false) }

// AllocZeroed is Alloc.
func (c *KernelContext) AllocZeroed(i int) *tensor.Dense { return c.alloc(i, true) }

func (c *KernelContext) alloc(i int, zero bool) *tensor.Dense {
	var d *tensor.Dense
	if c.Pool != nil {
		d = c.Pool(c.OutSpecs[i], i, zero)
	}
	if d == nil {
		d = NewDense(c.OutSpecs[i])
	}
	c.Out[i] = d
	return d
}

// Set makes d output i. The kernel must not change d afterwards.
func (c *KernelContext) Set(i int, d *tensor.Dense) { c.Out[i] = d }

// Attrs returns the op's attributes.
func (c *KernelContext) Attrs() Attrs { return c.Op.attrs }

// NewDense returns a zeroed dense tensor of a concrete spec.
func NewDense(s Spec) *tensor.Dense {
	shape := []int(s.Shape)
	n := 1
	for _, d := range shape {
		n *= d
	}
	var back any
	switch s.DType {
	case Float32:
		back = make([]float32, n)
	case Float64:
		back = make([]float64, n)
	case Int32:
		back = make([]int32, n)
	case Int64:
		back = make([]int64, n)
	case Bool:
		back = make([]bool, n)
	default:
		back = make([]float32, n)
	}
	if len(shape) == 0 {
		return tensor.New(tensor.WithShape(), tensor.WithBacking(back))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(back))
}

// SpecOf returns the spec of a dense tensor.
func SpecOf(d *tensor.Dense) Spec {
	return Spec{DType: DTypeOf(d.Dtype()), Shape: Shape(append([]int{}, d.Shape()...))}
}

// ---- the ops every graph has: Const, Placeholder, Identity, NoOp ----

var constDef = &OpDef{
	Type: "Const",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		d, ok := a["value"].(*tensor.Dense)
		if !ok {
			return nil, errors.New("Const needs a value")
		}
		return []Spec{SpecOf(d)}, nil
	},
	Kernel: func(c *KernelContext) error {
		c.Set(0, c.Op.attrs["value"].(*tensor.Dense))
		return nil
	},
}

// Constant returns a tensor holding value (tf.constant): a Go number, bool,
// nested slice or tensor.Tensor, converted as ConvertToTensor does. Give
// dtype Invalid to keep the value's own type.
//
// Options: Name.
func Constant(value any, dtype DType, opts ...Option) *Tensor {
	o, err := parseOptions("tf.Constant", opts, "name")
	if err != nil {
		return ErrTensor(err)
	}
	d, err := ConvertToTensor(value, dtype)
	if err != nil {
		return ErrTensor(errors.Wrapf(err, "tf.Constant at %s", callerSite()))
	}
	if dtype != Invalid && DTypeOf(d.Dtype()) != dtype {
		return ErrTensor(errors.Errorf("tf.Constant: value has type %s, want %s", DTypeOf(d.Dtype()), dtype))
	}
	return AddOp(OpSpec{Def: constDef, Name: o.name, Attrs: Attrs{"value": d}}).Output(0)
}

// nameOnly parses options of functions that take only Name.
func nameOnly(fn string, opts []Option) (string, error) {
	o, err := parseOptions(fn, opts, "name")
	if err != nil {
		return "", err
	}
	return o.name, nil
}

var placeholderDef = &OpDef{
	Type: "Placeholder",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: a["dtype"].(DType), Shape: a["shape"].(Shape)}}, nil
	},
	Kernel: func(c *KernelContext) error {
		return errors.New(MissingFeedMessage(c.Op.outputs[0]))
	},
	Stateful: true,
}

// MissingFeedMessage is the error text for a placeholder run without a feed,
// worded as TF's.
func MissingFeedMessage(t *Tensor) string {
	return "You must feed a value for placeholder tensor '" + t.op.name + "' with dtype " + t.spec.DType.protoName() + " and shape " + t.spec.Shape.String()
}

// Placeholder returns a tensor whose value is given by a feed at Run time
// (tf.placeholder). A nil shape means unknown rank; None marks unknown
// dimensions. The placeholder package wraps it with TF's options.
//
// Options: Name.
func Placeholder(dtype DType, shape Shape, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Placeholder", opts)
	if err != nil {
		return ErrTensor(err)
	}
	if dtype == Invalid || dtype > Bool {
		return ErrTensor(errors.Errorf("tf.Placeholder at %s: dtype %v is not one of float32, float64, int32, int64, bool", callerSite(), dtype))
	}
	for _, d := range shape {
		if d < None {
			return ErrTensor(errors.Errorf("tf.Placeholder at %s: shape %v has a negative dimension; use tf.None for an unknown one", callerSite(), []int(shape)))
		}
	}
	return AddOp(OpSpec{Def: placeholderDef, Name: name, Attrs: Attrs{"dtype": dtype, "shape": shape.Clone()}}).Output(0)
}

// IsPlaceholder reports whether t is the output of a placeholder.
func IsPlaceholder(t *Tensor) bool { return t.op != nil && t.op.def == placeholderDef }

var identityDef = &OpDef{
	Type:  "Identity",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) { return []Spec{in[0]}, nil },
	Kernel: func(c *KernelContext) error {
		c.Set(0, c.In[0])
		return nil
	},
}

// Identity returns a tensor with the value of x (tf.identity).
func Identity(x any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Identity", opts)
	if err != nil {
		return ErrTensor(err)
	}
	return AddOp(OpSpec{Def: identityDef, Name: name, Inputs: []any{x}}).Output(0)
}

var noOpDef = &OpDef{
	Type:   "NoOp",
	Infer:  func(a Attrs, in []Spec) ([]Spec, error) { return nil, nil },
	Kernel: func(c *KernelContext) error { return nil },
}

// Group returns an operation that runs all of ops (tf.group).
func Group(ops []*Operation, opts ...Option) *Operation {
	name, err := nameOnly("tf.Group", opts)
	if err != nil {
		return failedOp(nil, noOpDef, err)
	}
	var g *Graph
	for _, o := range ops {
		if o == nil {
			return failedOp(nil, noOpDef, errors.Errorf("tf.Group at %s: an op is nil", callerSite()))
		}
		if o.err != nil {
			return failedOp(o.g, noOpDef, o.err)
		}
		g = o.g
	}
	return AddOp(OpSpec{Def: noOpDef, Name: name, Control: ops, Graph: g})
}

// NoOp returns an operation that does nothing (tf.no_op).
func NoOp(opts ...Option) *Operation {
	name, err := nameOnly("tf.NoOp", opts)
	if err != nil {
		return failedOp(nil, noOpDef, err)
	}
	return AddOp(OpSpec{Def: noOpDef, Name: name})
}

func init() {
	identityDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor { return []*Tensor{dy[0]} }
}
