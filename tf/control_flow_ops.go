package tf

import "github.com/pkg/errors"

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
