package tf

import (
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/pkg/errors"
)

// This file is tf's custom-op API, the one part of tf that is not a TF 1.x
// Python function: OpDef, OpSpec, AddOp, Attrs and KernelContext, with
// which packages beside tf and users define ops (TF's REGISTER_OP and
// OpKernel, with tf.custom_gradient's role played by OpDef.Grad). What
// the engine passes a kernel beyond its op and values is hidden in
// KernelContext and reached through internal/tfimpl (see doc.go).

// Attrs are an operation's attributes (TF's op attrs): shapes, axes, flags.
type Attrs map[string]any

// Int returns attribute k as an int, or def when it is absent.
func (a Attrs) Int(k string, def int) int {
	if v, ok := a[k].(int); ok {
		return v
	}
	return def
}

// Bool returns attribute k as a bool, or false when it is absent.
func (a Attrs) Bool(k string) bool { v, _ := a[k].(bool); return v }

// Float returns attribute k as a float64, or def when it is absent.
func (a Attrs) Float(k string, def float64) float64 {
	if v, ok := a[k].(float64); ok {
		return v
	}
	return def
}

// Ints returns attribute k as an []int, or nil.
func (a Attrs) Ints(k string) []int { v, _ := a[k].([]int); return v }

// OpDef defines an operation type: how its outputs' types and shapes follow
// from its inputs', how to differentiate it and how to compute it. Packages
// beside tf (nn, train, contrib/rnn) and users define their own ops with it.
type OpDef struct {
	// Type names the operation type, as TF's op names ("MatMul").
	Type string
	// Infer returns the outputs' specs from the attributes and the inputs'
	// specs. It is called when the op is built, with shapes that may hold
	// None, and again at Run time with concrete shapes, where every output
	// dimension it returns must be known. An error names what is wrong; the
	// caller adds the op, its inputs and the call site.
	Infer func(attrs Attrs, in []Spec) ([]Spec, error)
	// Grad builds the gradients of the op's inputs from the gradients of its
	// outputs (dys[i] is nil where no gradient flows to output i). It returns
	// one tensor per input, nil where the input has no gradient. A nil Grad
	// means the op is not differentiable.
	Grad func(op *Operation, dys []*Tensor) []*Tensor
	// Kernel computes the op at Run time.
	Kernel func(c *KernelContext) error
	// Stateful ops (random numbers, assignments) run every time and are never
	// merged with other ops.
	Stateful bool
	// NoFeed marks ops whose outputs cannot be fed.
	NoFeed bool
	// GradTakesNil marks ops whose Grad accepts nil in dys for outputs no
	// gradient flows to; for other ops tf.Gradients passes zeros there.
	GradTakesNil bool
}

// OpSpec describes an operation to add with AddOp.
type OpSpec struct {
	Def     *OpDef
	Name    string // optional: the op's name inside the current name scope; Def.Type if empty
	Inputs  []any  // *Tensor, *Variable, or Go values converted as ConvertToTensor does
	Attrs   Attrs
	Control []*Operation // ops that must run first (tf.control_dependencies)
	Graph   *Graph       // optional: where to build when no input names a graph
}

// AddOp builds an operation. It never returns nil: when the op cannot be
// built, the returned operation carries the error (Err), its outputs are
// error tensors, and the graph records the error (Graph.Err). The error names
// the op type, the inputs' specs and the user's file:line.
func AddOp(s OpSpec) *Operation {
	site := callerSite()
	g, err := pickGraph(s)
	if err != nil {
		return failedOp(g, s.Def, errors.Wrapf(err, "built at %s", site))
	}
	return g.addOp(s, site)
}

// KernelContext is what a kernel sees: its op, its inputs' values, and room
// for its outputs, whose concrete specs are known before it runs. What the
// engine gives a kernel beyond these (the session's variables, per-op state,
// planned buffers) is not part of the public API: gorgoflow's own packages
// reach it through internal/tfimpl.
type KernelContext struct {
	Op       *Operation
	In       []*tensor.Dense
	Out      []*tensor.Dense
	OutSpecs []Spec
	run      runenv.Run
}

// Wanted reports whether output i is read by the running program. A kernel
// may leave an output that is not wanted unset (and skip computing it);
// it must set every wanted output.
func (c *KernelContext) Wanted(i int) bool { return c.run.Want == nil || c.run.Want[i] }

// Alloc returns a buffer of zeros for output i, shaped as OutSpecs[i], and
// sets it as that output.
func (c *KernelContext) Alloc(i int) *tensor.Dense { return c.alloc(i, true) }

// AllocUninit is Alloc for kernels that write every element of output i:
// the buffer's contents are undefined (a reused buffer keeps the values of
// an earlier run), which saves clearing it.
func (c *KernelContext) AllocUninit(i int) *tensor.Dense { return c.alloc(i, false) }

func (c *KernelContext) alloc(i int, zero bool) *tensor.Dense {
	var d *tensor.Dense
	if c.run.Pool != nil {
		d = c.run.Pool(i, zero)
	}
	if d == nil {
		d = newDense(c.OutSpecs[i])
	}
	c.Out[i] = d
	return d
}

// Set makes d output i. The kernel must not change d afterwards.
func (c *KernelContext) Set(i int, d *tensor.Dense) { c.Out[i] = d }

// Attrs returns the op's attributes.
func (c *KernelContext) Attrs() Attrs { return c.Op.attrs }
