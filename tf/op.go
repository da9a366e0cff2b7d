package tf

import (
	"fmt"
	"strings"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
)

// Spec is the element type and shape of a tensor. Shapes may hold None while
// a graph is built; at Run time every dimension is known.
type Spec struct {
	DType DType
	Shape Shape
}

// String formats s as dtype[shape], e.g. float32[?,3].
func (s Spec) String() string { return s.DType.String() + s.Shape.String() }

// Operation is a node of a Graph, as TF's tf.Operation.
type Operation struct {
	g       *Graph
	def     *OpDef
	name    string
	inputs  []*Tensor
	control []*Operation
	attrs   Attrs
	outputs []*Tensor
	site    string
	device  string
	id      int
	err     error
}

// Name returns the operation's full name, scopes included.
func (op *Operation) Name() string { return op.name }

// Type returns the operation's type ("MatMul").
func (op *Operation) Type() string { return op.def.Type }

// Graph returns the graph holding op.
func (op *Operation) Graph() *Graph { return op.g }

// Inputs returns the tensors op reads.
func (op *Operation) Inputs() []*Tensor { return op.inputs }

// ControlInputs returns the operations that must run before op.
func (op *Operation) ControlInputs() []*Operation { return op.control }

// Outputs returns op's output tensors.
func (op *Operation) Outputs() []*Tensor { return op.outputs }

// Attrs returns op's attributes. Do not modify them.
func (op *Operation) Attrs() Attrs { return op.attrs }

// Device returns the device the op was built for: the innermost tf.Device
// scope around its construction, "" outside any. It is recorded only:
// gorgoflow runs every op on the CPU.
func (op *Operation) Device() string { return op.device }

// Err returns the error that kept op from being built, or nil.
func (op *Operation) Err() error { return op.err }

// Output returns output i of op; for an op that failed to build, a tensor
// carrying its error.
func (op *Operation) Output(i int) *Tensor {
	if op.err != nil {
		return errTensor(op.g, op.err)
	}
	if i < 0 || i >= len(op.outputs) {
		return errTensor(op.g, errors.Errorf("%s: op %q has %d outputs, asked for output %d", op.def.Type, op.name, len(op.outputs), i))
	}
	return op.outputs[i]
}

// String returns op's name and type.
func (op *Operation) String() string {
	if op.err != nil {
		return "<failed op: " + op.err.Error() + ">"
	}
	return fmt.Sprintf("<tf.Operation %q type=%s>", op.name, op.def.Type)
}

// Tensor is one output of an Operation, as TF's tf.Tensor: a symbolic value
// computed when a Session runs it.
type Tensor struct {
	g     *Graph
	op    *Operation
	index int
	spec  Spec
	err   error
}

func errTensor(g *Graph, err error) *Tensor { return &Tensor{g: g, err: err} }

// errorTensor returns a tensor that carries err: ops built on it fail with err,
// and running it returns err. Op constructors outside tf return it when
// their arguments are wrong.
func errorTensor(err error) *Tensor {
	g := DefaultGraph()
	g.setErr(err)
	return errTensor(g, err)
}

// Op returns the operation that produces t (nil for an error tensor).
func (t *Tensor) Op() *Operation { return t.op }

// Index returns which output of its operation t is.
func (t *Tensor) Index() int { return t.index }

// Graph returns the graph holding t.
func (t *Tensor) Graph() *Graph { return t.g }

// DType returns t's element type.
func (t *Tensor) DType() DType { return t.spec.DType }

// Shape returns t's static shape, with None where unknown. Do not modify it.
func (t *Tensor) Shape() Shape { return t.spec.Shape }

// Spec returns t's dtype and static shape.
func (t *Tensor) Spec() Spec { return t.spec }

// Err returns the error that kept t from being built, or nil.
func (t *Tensor) Err() error { return t.err }

// Name returns t's name, "op:index" as TF's.
func (t *Tensor) Name() string {
	if t.op == nil {
		return "<error>"
	}
	return fmt.Sprintf("%s:%d", t.op.name, t.index)
}

// String describes t as TF does: Tensor("MatMul:0", shape=(?, 5), dtype=float32).
func (t *Tensor) String() string {
	if t.err != nil {
		return "<error tensor: " + t.err.Error() + ">"
	}
	dims := make([]string, len(t.spec.Shape))
	for i, d := range t.spec.Shape {
		if d < 0 {
			dims[i] = "?"
		} else {
			dims[i] = fmt.Sprint(d)
		}
	}
	sh := strings.Join(dims, ", ")
	if len(dims) == 1 {
		sh += ","
	}
	return fmt.Sprintf("Tensor(%q, shape=(%s), dtype=%s)", t.Name(), sh, t.spec.DType)
}

// Fetch is what Session.Run can run: a *Tensor (its value is returned), an
// *Operation (run for its effect), or a *Variable (its value).
type Fetch interface {
	fetch() (*Tensor, *Operation, error)
}

func (t *Tensor) fetch() (*Tensor, *Operation, error) {
	if t == nil {
		return nil, nil, errors.New("fetch is a nil *tf.Tensor")
	}
	if t.err != nil {
		return nil, nil, t.err
	}
	return t, t.op, nil
}

func (op *Operation) fetch() (*Tensor, *Operation, error) {
	if op == nil {
		return nil, nil, errors.New("fetch is a nil *tf.Operation")
	}
	if op.err != nil {
		return nil, nil, op.err
	}
	return nil, op, nil
}

func failedOp(g *Graph, def *OpDef, err error) *Operation {
	if g == nil {
		g = DefaultGraph()
	}
	g.setErr(err)
	if def == nil {
		def = &OpDef{Type: "Invalid"}
	}
	return &Operation{g: g, def: def, err: err}
}

// pickGraph finds the graph an op is built in: the innermost graph among its
// inputs (a loop body captures tensors of the graphs around it), else the
// spec's Graph, else the default graph.
func pickGraph(s OpSpec) (*Graph, error) {
	var g *Graph
	for _, in := range s.Inputs {
		var ig *Graph
		switch x := in.(type) {
		case *Tensor:
			if x == nil {
				return s.Graph, errors.Errorf("%s: an input is a nil *tf.Tensor", s.Def.Type)
			}
			if x.err != nil {
				return x.g, x.err
			}
			ig = x.g
		case *Variable:
			if x == nil {
				return s.Graph, errors.Errorf("%s: an input is a nil *tf.Variable", s.Def.Type)
			}
			if x.err != nil {
				return x.g, x.err
			}
			ig = x.g
		default:
			continue
		}
		switch {
		case g == nil || g == ig || ig.isAncestorOf(g):
			if g == nil {
				g = ig
			}
		case g.isAncestorOf(ig):
			g = ig
		default:
			return g, errors.Errorf("%s: input %s is from another graph: all inputs of an op must be in one graph", s.Def.Type, describeInput(in))
		}
	}
	if g == nil {
		g = s.Graph
	}
	if g == nil {
		g = DefaultGraph()
	}
	if s.Graph != nil && g != s.Graph && !g.isAncestorOf(s.Graph) {
		return g, errors.Errorf("%s: inputs are from another graph than the one asked for", s.Def.Type)
	}
	return g, nil
}

func describeInput(in any) string {
	switch x := in.(type) {
	case *Tensor:
		return fmt.Sprintf("%q", x.Name())
	case *Variable:
		return fmt.Sprintf("%q", x.Name())
	}
	return fmt.Sprintf("%T", in)
}

func (g *Graph) isAncestorOf(o *Graph) bool {
	for p := o.parent; p != nil; p = p.parent {
		if p == g {
			return true
		}
	}
	return false
}

func (g *Graph) addOp(s OpSpec, site string) *Operation {
	def := s.Def
	// Convert inputs: Go values take the dtype of the first tensor input.
	hint := Invalid
	for _, in := range s.Inputs {
		switch x := in.(type) {
		case *Tensor:
			hint = x.spec.DType
		case *Variable:
			hint = x.dtype
		}
		if hint != Invalid {
			break
		}
	}
	inputs := make([]*Tensor, len(s.Inputs))
	for i, in := range s.Inputs {
		t, err := g.inputTensor(in, hint, site)
		if err != nil {
			return failedOp(g, def, g.buildErr(def, s.Name, nil, site, errors.Wrapf(err, "input %d", i)))
		}
		inputs[i] = t
	}
	specs := make([]Spec, len(inputs))
	for i, t := range inputs {
		specs[i] = t.spec
	}
	outs, err := safeInfer(def, s.Attrs, specs)
	if err != nil {
		return failedOp(g, def, g.buildErr(def, s.Name, specs, site, err))
	}
	attrs := s.Attrs
	if attrs == nil {
		attrs = Attrs{}
	}
	device := g.root().currentDevice()
	g.mu.Lock()
	name := s.Name
	if name == "" {
		name = def.Type
	}
	op := &Operation{g: g, def: def, inputs: inputs, control: s.Control, attrs: attrs, site: site, device: device, id: len(g.ops)}
	op.name = g.uniqueLocked(g.scopedLocked(name))
	op.outputs = make([]*Tensor, len(outs))
	for i, sp := range outs {
		op.outputs[i] = &Tensor{g: g, op: op, index: i, spec: sp}
	}
	g.ops = append(g.ops, op)
	g.mu.Unlock()
	return op
}

// safeInfer calls def.Infer, turning a panic into an error.
func safeInfer(def *OpDef, attrs Attrs, in []Spec) (out []Spec, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("internal error inferring shapes: %v", r)
		}
	}()
	if def == nil || def.Infer == nil {
		return nil, errors.New("op has no definition")
	}
	if attrs == nil {
		attrs = Attrs{}
	}
	return def.Infer(attrs, in)
}

func (g *Graph) buildErr(def *OpDef, name string, in []Spec, site string, err error) error {
	typ := "op"
	if def != nil {
		typ = def.Type
	}
	var b strings.Builder
	b.WriteString("tf.")
	b.WriteString(typ)
	if name != "" && name != typ {
		fmt.Fprintf(&b, " %q", name)
	}
	if in != nil {
		b.WriteString(" with inputs ")
		for i, s := range in {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(s.String())
		}
	}
	if site != "" {
		b.WriteString(" at ")
		b.WriteString(site)
	}
	return errors.Wrap(err, b.String())
}

// inputTensor turns an op input into a tensor of g, capturing tensors of
// enclosing graphs into loop bodies. A Go value becomes a constant built at
// site, the site of the op it is an input of.
func (g *Graph) inputTensor(in any, hint DType, site string) (*Tensor, error) {
	var t *Tensor
	switch x := in.(type) {
	case *Tensor:
		t = x
	case *Variable:
		t = x.value
	case Fetch:
		return nil, errors.Errorf("an %T cannot be an op input", in)
	default:
		d, err := convertToTensor(in, hint)
		if err != nil {
			return nil, err
		}
		return g.addOp(OpSpec{Def: constDef, Attrs: Attrs{"value": d}}, site).Output(0), nil
	}
	if t.g != g {
		if g.body == nil {
			return nil, errors.Errorf("tensor %q is from another graph", t.Name())
		}
		return capture(g.body, t)
	}
	return t, nil
}

// callerSite returns file:line of the first caller outside the library
// (see package internal/callsite for its form under GoNB).
func callerSite() string { return callsite.User() }

// constOp adds a Const op holding d, built at the user's call.
func (g *Graph) constOp(d *tensor.Dense, name string) *Tensor {
	op := g.addOp(OpSpec{Def: constDef, Name: name, Attrs: Attrs{"value": d}}, callerSite())
	return op.Output(0)
}
