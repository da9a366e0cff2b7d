package tf

import (
	"github.com/pkg/errors"
)

// Func is a function graph: a body built once (a loop's cell step) and run
// many times by a kernel (compiled by internal/lower as a Plan), as TF's
// while_loop bodies.
// Its graph is a child of the graph it is built in: ops inside it may use
// tensors of the enclosing graphs, which become captured inputs.
type Func struct {
	Graph    *Graph    // the body graph
	Args     []*Tensor // the body's explicit inputs (placeholders)
	Outputs  []*Tensor // what the body computes
	Captured []*Tensor // tensors of the enclosing graph the body uses, fed after Args
	// Hoisted and Deferred are the products a loop computes for all steps
	// at once, set by HoistProducts.
	Hoisted  []Hoisted
	Deferred []Deferred
	captures map[*Tensor]*Tensor
	params   []*Tensor // body placeholders for Captured, same order
}

// NewFunc builds a function graph inside outer: it makes one placeholder per
// argument spec, calls build with them (with the body graph as the default
// graph) and records what build returns as the outputs. Variables made by
// build (a cell's weights) go to the outermost graph, as TF lifts them out
// of while loops.
func NewFunc(outer *Graph, name string, args []Spec, build func(args []*Tensor) []*Tensor) (f *Func, err error) {
	body := NewGraph()
	body.parent = outer
	f = &Func{Graph: body, captures: map[*Tensor]*Tensor{}}
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
			t, err := f.capture(o)
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

// Outer returns the graph a loop body's graph was built in (the graph given
// to NewFunc), or nil when g is not a loop body. Sessions use it to tell
// tensors of a loop body from tensors of another graph.
func (g *Graph) Outer() *Graph { return g.parent }

// Params returns the body placeholders standing for Captured, in order.
func (f *Func) Params() []*Tensor { return f.params }

// capture returns the body tensor standing for outer tensor t.
func (f *Func) capture(t *Tensor) (*Tensor, error) {
	if p, ok := f.captures[t]; ok {
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
		src, err = parent.body.capture(t)
		if err != nil {
			return nil, err
		}
	}
	op := f.Graph.addOp(OpSpec{Def: argDef, Name: "captured", Attrs: Attrs{"dtype": t.spec.DType, "shape": t.spec.Shape.Clone(), "index": -1 - len(f.params)}}, "")
	if op.err != nil {
		return nil, op.err
	}
	p := op.outputs[0]
	f.captures[t] = p
	f.Captured = append(f.Captured, src)
	f.params = append(f.params, p)
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

// isArg reports whether t is a body argument or captured tensor of a Func.
func isArg(t *Tensor) bool { return t.op != nil && t.op.def == argDef }

// Func returns the function whose body g is, or nil when g is not a loop
// body. A build function passed to NewFunc finds its Func this way
// (tf.DefaultGraph().Func()), for example to take gradients with respect to
// the tensors captured so far (Params).
func (g *Graph) Func() *Func { return g.body }

// Outer returns the graph f's body was built in.
func (f *Func) Outer() *Graph { return f.Graph.parent }

// Capture returns the body tensor standing for t, a tensor of a graph
// enclosing f's body, capturing it if it is not captured yet. Ops built in
// the body capture their outer inputs themselves; Capture lets a build
// function fix the order of Captured (and Params) in advance.
func (f *Func) Capture(t *Tensor) (*Tensor, error) {
	if t == nil {
		return nil, errors.New("tf.Func.Capture: nil tensor")
	}
	if t.err != nil {
		return nil, t.err
	}
	if t.g == f.Graph {
		return t, nil
	}
	return f.capture(t)
}

// FuncGrad is the vector-Jacobian product of a Func's outputs, built in the
// Func's own body graph from the ops the body already holds (as TF builds
// a while loop's gradient from its body): the forward ops are never built
// again, so a body's random ops, variable scopes and variables exist once.
type FuncGrad struct {
	// DYs are new arguments of the body, one per output of the Func: the
	// gradients flowing into the outputs.
	DYs []*Tensor
	// Params lists the indices into the Func's Params (and Captured) of
	// the floating tensors differentiated.
	Params []int
	// Grads are the gradients of the Func's Args, then of its Hoisted
	// arguments, then of the Params listed, zeros where none flows.
	Grads []*Tensor
	// Zero tells, per Grads, where no gradient flows (Grads holds zeros),
	// which a loop need neither compute nor add.
	Zero []bool
	// Saved are the forward tensors the gradient ops read, other than
	// arguments, params and constants: what a loop keeps of each step for
	// its gradient (TF's while-loop stacks).
	Saved []*Tensor
}

// Gradient builds the vector-Jacobian product of f's outputs with respect
// to its arguments and floating captured tensors (see FuncGrad).
func (f *Func) Gradient() (fg *FuncGrad, err error) {
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
	nCaps := len(f.params)
	fg = &FuncGrad{}
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
	for j, p := range f.params {
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
	if len(f.params) != nCaps {
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
