package tf

import (
	"fmt"
	"strings"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// Variable is a tensor whose value lives in a Session across runs, as TF's
// tf.Variable. It can stand wherever an op takes a tensor. Its value exists
// only after its initializer has run in that session.
type Variable struct {
	g         *Graph
	name      string
	dtype     DType
	shape     Shape
	value     *Tensor    // output of the VariableV2 op
	init      *Operation // the Assign of the initial value
	initValue *Tensor
	trainable bool
	err       error
}

var variableDef = &OpDef{
	Type: "VariableV2",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		v := a["variable"].(*Variable)
		return []Spec{{DType: v.dtype, Shape: v.shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		d, err := c.run.Env.ReadVariable(c.Op.attrs["variable"].(*Variable))
		if err != nil {
			return err
		}
		c.Set(0, d)
		return nil
	},
	Stateful: true,
}

// NewVariable makes a variable whose initial value is initialValue: a tensor
// (often from an initializer such as RandomNormal) or a Go value
// (tf.Variable). Its shape and dtype are those of the initial value, whose
// shape must be fully known.
//
// Options: Name (default "Variable"), Trainable (default true), WithDType.
func NewVariable(initialValue any, opts ...Option) *Variable {
	o, err := parseOptions("tf.Variable", opts, "name", "trainable", "dtype")
	if err != nil {
		return failedVariable(err)
	}
	site := callerSite()
	g := DefaultGraph().root()
	var initT *Tensor
	switch x := initialValue.(type) {
	case *Tensor:
		if x == nil {
			return failedVariable(errors.Errorf("tf.Variable at %s: initial value is a nil *tf.Tensor", site))
		}
		if x.err != nil {
			return failedVariable(x.err)
		}
		initT = x
		g = x.g
		if g.body != nil {
			// Built inside a loop body (a cell's Call under DynamicRNN):
			// the initializer is lifted out of the loop into the outermost
			// graph, as TF lifts variables' initializers out of while loops.
			lifted, err := g.liftToRoot(x, map[*Tensor]*Tensor{})
			if err != nil {
				return failedVariable(errors.Wrapf(err, "tf.Variable at %s: initial value %q is computed inside a loop body; compute it from outside the loop, or use tf.GetVariable with an initializer", site, x.Name()))
			}
			initT, g = lifted, lifted.g
		}
	case *Variable:
		if x.err != nil {
			return failedVariable(x.err)
		}
		initT = x.value
		g = x.g
	default:
		d, err := convertToTensor(initialValue, o.dtype)
		if err != nil {
			return failedVariable(errors.Wrapf(err, "tf.Variable at %s: initial value", site))
		}
		initT = g.constOp(d, "initial_value")
	}
	if o.dtype != Invalid && o.dtype != initT.spec.DType {
		initT = Cast(initT, o.dtype)
	}
	if !initT.spec.Shape.IsFullyDefined() || initT.spec.Shape == nil {
		return failedVariable(errors.Errorf("tf.Variable at %s: initial value %s has shape %v; a variable's shape must be fully known", site, initT.Name(), initT.spec.Shape))
	}
	return g.newVariable(o.name, initT, o.trainable, site)
}

func failedVariable(err error) *Variable {
	g := DefaultGraph()
	g.setErr(err)
	return &Variable{g: g, err: err, value: errTensor(g, err)}
}

// root returns the outermost graph (variables always live there).
func (g *Graph) root() *Graph {
	for g.parent != nil {
		g = g.parent
	}
	return g
}

func (g *Graph) newVariable(name string, initT *Tensor, trainable bool, site string) *Variable {
	if name == "" {
		name = "Variable"
	}
	v := &Variable{g: g, dtype: initT.spec.DType, shape: initT.spec.Shape.Clone(), initValue: initT, trainable: trainable}
	op := g.addOp(OpSpec{Def: variableDef, Name: name, Attrs: Attrs{"variable": v}}, site)
	if op.err != nil {
		v.err = op.err
		v.value = errTensor(g, op.err)
		return v
	}
	v.name = op.name
	v.value = op.outputs[0]
	// Re-enter the variable's own name as a scope ("Variable/Assign", as TF)
	// without marking the name used again: NameScope would make it unique
	// and the next variable would skip a number (Variable, Variable_2).
	g.mu.Lock()
	saved := g.scopes
	g.scopes = append(append([]string(nil), saved...), v.name)
	g.mu.Unlock()
	v.init = g.addOp(OpSpec{Def: assignDef, Name: "Assign", Inputs: []any{initT}, Attrs: Attrs{"variable": v}}, site)
	g.mu.Lock()
	g.scopes = saved
	g.mu.Unlock()
	g.mu.Lock()
	g.variables = append(g.variables, v)
	if trainable {
		g.trainable = append(g.trainable, v)
	}
	g.byName[v.name] = v
	g.mu.Unlock()
	return v
}

// Name returns the variable's name ("rnn/basic_rnn_cell/kernel").
func (v *Variable) Name() string { return v.name }

// DType returns the variable's element type.
func (v *Variable) DType() DType { return v.dtype }

// Shape returns the variable's shape.
func (v *Variable) Shape() Shape { return v.shape }

// Graph returns the graph holding v.
func (v *Variable) Graph() *Graph { return v.g }

// Err returns the error that kept v from being built, or nil.
func (v *Variable) Err() error { return v.err }

// Value returns the tensor that reads v.
func (v *Variable) Value() *Tensor { return v.value }

// Op returns the variable's op.
func (v *Variable) Op() *Operation { return v.value.op }

// Initializer returns the op that assigns v its initial value (v.initializer).
func (v *Variable) Initializer() *Operation {
	if v.err != nil {
		return failedOp(v.g, assignDef, v.err)
	}
	return v.init
}

// InitialValue returns the tensor v is initialized from.
func (v *Variable) InitialValue() *Tensor { return v.initValue }

// IsTrainable reports whether optimizers train v by default.
func (v *Variable) IsTrainable() bool { return v.trainable }

// String describes v as TF does.
func (v *Variable) String() string {
	if v.err != nil {
		return "<failed variable: " + v.err.Error() + ">"
	}
	return fmt.Sprintf("<tf.Variable '%s:0' shape=%s dtype=%s>", v.name, tupleShape(v.shape), v.dtype)
}

func tupleShape(s Shape) string {
	parts := make([]string, len(s))
	for i, d := range s {
		if d < 0 {
			parts[i] = "?"
		} else {
			parts[i] = fmt.Sprint(d)
		}
	}
	r := "(" + strings.Join(parts, ", ")
	if len(s) == 1 {
		r += ","
	}
	return r + ")"
}

func (v *Variable) fetch() (*Tensor, *Operation, error) {
	if v == nil {
		return nil, nil, errors.New("fetch is a nil *tf.Variable")
	}
	if v.err != nil {
		return nil, nil, v.err
	}
	return v.value, v.value.op, nil
}

// Loader is what can load a value into a variable: a Session.
type Loader interface {
	LoadVariable(v *Variable, value any) error
}

// Load sets v's value in a session without running an op (var.load(value,
// sess)). The value is converted to v's dtype and must have v's shape.
func (v *Variable) Load(value any, sess Loader) error {
	if v.err != nil {
		return v.err
	}
	if sess == nil {
		return errors.Errorf("Variable.Load of %q at %s: session is nil", v.name, callerSite())
	}
	if err := sess.LoadVariable(v, value); err != nil {
		return errors.Wrapf(err, "Variable.Load of %q at %s", v.name, callerSite())
	}
	return nil
}

// checkValue converts value for v and checks its shape, for loading.
func (v *Variable) checkValue(value any) (*tensor.Dense, error) {
	d, err := convertToTensor(value, v.dtype)
	if err != nil {
		return nil, errors.Wrapf(err, "loading variable %q (dtype %s, shape %v)", v.name, v.dtype, v.shape)
	}
	if !Shape(d.Shape()).Equal(v.shape) {
		return nil, errors.Errorf("cannot load a value of shape %v into variable %q of shape %v", Shape(d.Shape()), v.name, v.shape)
	}
	if d == value {
		d = d.Clone().(*tensor.Dense)
	}
	return d, nil
}

var assignDef = &OpDef{
	Type: "Assign",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		v := a["variable"].(*Variable)
		if in[0].DType != v.dtype {
			return nil, errors.Errorf("cannot assign a %s value to variable %q of dtype %s", in[0].DType, v.name, v.dtype)
		}
		if !v.shape.IsCompatibleWith(in[0].Shape) {
			return nil, errors.Errorf("cannot assign a value of shape %v to variable %q of shape %v", in[0].Shape, v.name, v.shape)
		}
		return []Spec{{DType: v.dtype, Shape: v.shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		v := c.Op.attrs["variable"].(*Variable)
		val := c.In[0].Clone().(*tensor.Dense)
		if err := c.run.Env.AssignVariable(v, val); err != nil {
			return err
		}
		c.Set(0, val)
		return nil
	},
	Stateful: true,
}

// Assign returns a tensor that, when run, sets v to value and yields the new
// value (tf.assign, var.assign). Shapes and dtypes must match.
//
// Options: Name.
func Assign(v *Variable, value any, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Assign", opts)
	if err != nil {
		return errorTensor(err)
	}
	if v == nil {
		return errorTensor(errors.Errorf("tf.Assign at %s: variable is nil", callerSite()))
	}
	if v.err != nil {
		return errTensor(v.g, v.err)
	}
	if name == "" {
		name = "Assign"
	}
	return AddOp(OpSpec{Def: assignDef, Name: name, Inputs: []any{value}, Attrs: Attrs{"variable": v}, Graph: v.g}).Output(0)
}

// Assign returns tf.Assign(v, value).
func (v *Variable) Assign(value any) *Tensor { return Assign(v, value) }

// GlobalVariablesInitializer returns an op that initializes every variable
// of the default graph (tf.global_variables_initializer). Build it after the
// variables.
func GlobalVariablesInitializer() *Operation {
	return VariablesInitializer(GlobalVariables(), Name("init"))
}

// VariablesInitializer returns an op that initializes vars
// (tf.variables_initializer). Options: Name.
func VariablesInitializer(vars []*Variable, opts ...Option) *Operation {
	name, err := nameOnly("tf.VariablesInitializer", opts)
	if err != nil {
		return failedOp(nil, noOpDef, err)
	}
	if name == "" {
		name = "init"
	}
	ops := make([]*Operation, 0, len(vars))
	var g *Graph
	for _, v := range vars {
		if v.err != nil {
			return failedOp(v.g, noOpDef, v.err)
		}
		ops = append(ops, v.init)
		g = v.g
	}
	if g == nil {
		g = DefaultGraph()
	}
	return AddOp(OpSpec{Def: noOpDef, Name: name, Control: ops, Graph: g})
}

// liftToRoot rebuilds t, a tensor of loop body g, in the outermost graph:
// the ops computing it are added there again (same definitions and
// attributes), and the body's captured tensors stand for their outer
// values. It fails when t depends on the loop's own arguments.
func (g *Graph) liftToRoot(t *Tensor, done map[*Tensor]*Tensor) (*Tensor, error) {
	if r, ok := done[t]; ok {
		return r, nil
	}
	if t.g.body == nil {
		return t, nil
	}
	op := t.op
	if op.def == argDef {
		f := t.g.body
		for i, p := range f.Params {
			if p == t {
				return g.liftToRoot(f.Captured[i], done)
			}
		}
		return nil, errors.Errorf("it depends on the loop's input %q", op.name)
	}
	if op.def == variableDef {
		return t, nil
	}
	in := make([]any, len(op.inputs))
	for i, x := range op.inputs {
		r, err := x.g.liftToRoot(x, done)
		if err != nil {
			return nil, err
		}
		in[i] = r
	}
	root := g.root()
	name := op.name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	lifted := root.addOp(OpSpec{Def: op.def, Name: name, Inputs: in, Attrs: op.attrs, Graph: root}, op.site)
	if lifted.err != nil {
		return nil, lifted.err
	}
	for i, o := range op.outputs {
		done[o] = lifted.outputs[i]
	}
	return done[t], nil
}
