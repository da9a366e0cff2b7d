package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/funcgraph"
)

// funcBody is a function graph: a loop body built once and run many times
// by a kernel (compiled by internal/lower as a Plan), as TF's while_loop
// bodies; see package internal/funcgraph. The engine builds one with
// tfimpl.NewFunc.
type funcBody = funcgraph.Func[*Graph, *Tensor]

// funcGrad is the vector-Jacobian product of a funcBody's outputs (see
// funcgraph.Grad), built by funcGradient.
type funcGrad = funcgraph.Grad[*Tensor]

// newFunc builds a function graph inside outer: it makes one placeholder per
// argument spec, calls build with them (with the body graph as the default
// graph) and records what build returns as the outputs. Variables made by
// build (a cell's weights) go to the outermost graph, as TF lifts them out
// of while loops.
func newFunc(outer *Graph, name string, args []Spec, build func(args []*Tensor) []*Tensor) (f *funcBody, err error) {
	body := NewGraph()
	body.parent = outer
	f = &funcBody{Graph: body, Captures: map[*Tensor]*Tensor{}}
	body.body = f
	// Body ops are named under the outer graph's current scope, for messages.
	outer.mu.Lock()
	if n := len(outer.scopes); n > 0 {
		body.scopes = []string{outer.scopes[n-1] + "/" + name}
	} else {
		body.scopes = []string{name}
	}
	body.seed = outer.root().seed
	root := outer.root()
	outer.mu.Unlock()
	root.mu.Lock()
	body.varScopes = append([]varScope(nil), root.varScopes...)
	root.mu.Unlock()
	for i, s := range args {
		op := body.addOp(OpSpec{Def: argDef, Name: "arg", Attrs: Attrs{"dtype": s.DType, "shape": s.Shape.Clone(), "index": i}}, "")
		if op.err != nil {
			return nil, op.err
		}
		f.Args = append(f.Args, op.outputs[0])
	}
	restore := body.AsDefault()
	defer func() {
		restore()
		if r := recover(); r != nil {
			err = errors.Errorf("building loop body %q: %v", name, r)
		}
	}()
	outs := build(f.Args)
	for _, o := range outs {
		if o == nil {
			return nil, errors.Errorf("loop body %q returned a nil tensor", name)
		}
		if o.err != nil {
			return nil, o.err
		}
		if o.g != body {
			// An output computed outside the body: bring it in.
			t, err := capture(f, o)
			if err != nil {
				return nil, err
			}
			o = Identity(t)
		}
		f.Outputs = append(f.Outputs, o)
	}
	if err := body.Err(); err != nil {
		return nil, err
	}
	body.fuseConcatMatMul()
	return f, nil
}

// capture returns the body tensor of f standing for outer tensor t.
func capture(f *funcBody, t *Tensor) (*Tensor, error) {
	if p, ok := f.Captures[t]; ok {
		return p, nil
	}
	parent := f.Graph.parent
	src := t
	if t.g != parent {
		if !t.g.isAncestorOf(parent) {
			return nil, errors.Errorf("tensor %q is from another graph", t.Name())
		}
		// Capture through the enclosing body first.
		var err error
		src, err = capture(parent.body, t)
		if err != nil {
			return nil, err
		}
	}
	op := f.Graph.addOp(OpSpec{Def: argDef, Name: "captured", Attrs: Attrs{"dtype": t.spec.DType, "shape": t.spec.Shape.Clone(), "index": -1 - len(f.Params)}}, "")
	if op.err != nil {
		return nil, op.err
	}
	p := op.outputs[0]
	f.Captures[t] = p
	f.Captured = append(f.Captured, src)
	f.Params = append(f.Params, p)
	return p, nil
}

// argDef is the op of a body argument or captured tensor: always fed by the
// kernel running the body, never by users.
var argDef = &OpDef{
	Type: "_Arg",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: a["dtype"].(DType), Shape: a["shape"].(Shape)}}, nil
	},
	Kernel: func(c *KernelContext) error {
		return errors.Errorf("loop-body argument %q was not given a value", c.Op.name)
	},
	NoFeed:   true,
	Stateful: true,
}

// isArg reports whether t is a body argument or captured tensor of a loop body.
func isArg(t *Tensor) bool { return t.op != nil && t.op.def == argDef }

// funcGradient builds the vector-Jacobian product of f's outputs with
// respect to its arguments and floating captured tensors (see
// funcgraph.Grad).
func funcGradient(f *funcBody) (fg *funcGrad, err error) {
	body := f.Graph
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("building the gradient of a loop body: %v", r)
		}
	}()
	restore := body.AsDefault()
	defer restore()
	body.mu.Lock()
	start := len(body.ops)
	body.mu.Unlock()
	nCaps := len(f.Params)
	fg = &funcGrad{}
	for i, o := range f.Outputs {
		op := body.addOp(OpSpec{Def: argDef, Name: "grad_arg", Attrs: Attrs{"dtype": o.spec.DType, "shape": o.spec.Shape.Clone(), "index": len(f.Args) + i}}, "")
		if op.err != nil {
			return nil, op.err
		}
		fg.DYs = append(fg.DYs, op.outputs[0])
	}
	xs := make([]any, 0, len(f.Args)+len(f.Hoisted)+nCaps)
	for _, a := range f.Args {
		xs = append(xs, a)
	}
	for _, h := range f.Hoisted {
		xs = append(xs, h.Arg)
	}
	for j, p := range f.Params {
		if p.spec.DType.IsFloating() {
			fg.Params = append(fg.Params, j)
			xs = append(xs, p)
		}
	}
	grads, err := Gradients(f.Outputs, xs, fg.DYs...)
	if err != nil {
		return nil, err
	}
	fg.Zero = make([]bool, len(grads))
	for i, d := range grads {
		if d == nil {
			grads[i] = ZerosLike(xs[i])
			fg.Zero[i] = true
		}
	}
	fg.Grads = grads
	if len(f.Params) != nCaps {
		return nil, errors.New("the gradient of a loop body uses tensors from outside the body that the body does not")
	}
	body.mu.Lock()
	ops := body.ops[start:]
	body.mu.Unlock()
	seen := map[*Tensor]bool{}
	for _, op := range ops {
		for _, t := range op.inputs {
			if t.op.id >= start || seen[t] || t.op.def == argDef || t.op.def == constDef {
				continue
			}
			seen[t] = true
			fg.Saved = append(fg.Saved, t)
		}
	}
	if err := body.Err(); err != nil {
		return nil, err
	}
	return fg, nil
}
