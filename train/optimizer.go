package train

import (
	"fmt"
	"sort"
	"sync"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// GradVar is one (gradient, variable) pair of ComputeGradients and
// ApplyGradients (Python's grads_and_vars tuples). Grad is nil where the
// variable does not affect the loss.
type GradVar struct {
	Grad *tf.Tensor
	Var  *tf.Variable
}

// Optimizer is what every optimizer of this package does, as TF's
// tf.train.Optimizer.
type Optimizer interface {
	// ComputeGradients returns the gradients of loss with respect to the
	// variables (compute_gradients). Options: VarList.
	ComputeGradients(loss *tf.Tensor, opts ...Option) ([]GradVar, error)
	// ApplyGradients returns an operation that applies the gradients
	// (apply_gradients), skipping pairs whose Grad is nil. Options:
	// GlobalStep, Name.
	ApplyGradients(gradsAndVars []GradVar, opts ...Option) *tf.Operation
	// Minimize returns an operation that takes one step to reduce loss
	// (minimize): ComputeGradients then ApplyGradients. Options: VarList,
	// GlobalStep, Name.
	Minimize(loss *tf.Tensor, opts ...Option) *tf.Operation
	// Slot returns the optimizer's slot variable of the given name ("m",
	// "v", "momentum", "rms", "accumulator") for v, or nil (get_slot).
	Slot(v *tf.Variable, name string) *tf.Variable
	// SlotNames returns the names of the optimizer's slots, sorted
	// (get_slot_names).
	SlotNames() []string
	// Variables returns the variables holding the optimizer's state in the
	// default graph, slots and non-slot variables (Adam's beta powers),
	// sorted by name (variables).
	Variables() []*tf.Variable
	// GetName returns the optimizer's name, the prefix of its ops and slot
	// variables (get_name).
	GetName() string
}

// slotSpec describes one slot variable: its name for Slot and its initial
// value; suffix, when set, replaces the optimizer's name in the slot
// variable's name (Ftrl's accum_name and linear_name).
type slotSpec struct {
	name   string
	init   float64
	suffix string
	// initT, when set, is the initial value instead of init (Adam's
	// beta1_power given beta1 as a tensor), cast to the variable's dtype.
	initT *tf.Tensor
}

// kind is what distinguishes one optimizer from another.
type kind interface {
	slots() []slotSpec
	// nonSlot returns the optimizer's non-slot variables (Adam's powers of
	// beta) as (name, initial value) pairs.
	nonSlot() []slotSpec
	// applyDef is the op updating one variable: inputs [grad], attrs given
	// by applyAttrs.
	applyDef() *tf.OpDef
	// sparseDef is the op applying a sparse gradient: inputs [values,
	// indices] of a tf.IndexedSlices, the same attrs.
	sparseDef() *tf.OpDef
	applyAttrs() tf.Attrs
	// finish returns ops that run after every update (Adam's beta powers).
	finish(b *base, updates []*tf.Operation) []*tf.Operation
}

// base implements Optimizer for every kind.
type base struct {
	name string
	lr   any // float64 or *tf.Tensor
	err  error
	k    kind

	mu      sync.Mutex
	slotVar map[*tf.Variable]map[string]*tf.Variable
	nonSlot map[*tf.Graph]map[string]*tf.Variable
}

func newBase(fn, defName string, lr any, opts []Option, allowed []string, k func(fn string, o *options) (kind, error)) *base {
	b := &base{name: defName, slotVar: map[*tf.Variable]map[string]*tf.Variable{}, nonSlot: map[*tf.Graph]map[string]*tf.Variable{}}
	b.err = b.init(fn, lr, opts, allowed, k)
	if b.err != nil {
		b.err = errors.WithMessagef(b.err, "optimizer made at %s", callsite.User())
	}
	return b
}

func (b *base) init(fn string, lr any, opts []Option, allowed []string, k func(fn string, o *options) (kind, error)) error {
	var err error
	if b.lr, err = hyperValue(fn, "learning_rate", lr); err != nil {
		return err
	}
	o, err := parse(fn, opts, append(allowed, "name")...)
	if err != nil {
		return err
	}
	if o.name != "" {
		b.name = o.name
	}
	b.k, err = k(fn, o)
	return err
}

// failOp returns an operation carrying err.
func failOp(err error) *tf.Operation {
	return tf.AddOp(tf.OpSpec{Def: noopDef, Inputs: []any{tfimpl.ErrTensor(err)}})
}

var noopDef = &tf.OpDef{
	Type:   "NoOp",
	Infer:  func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return nil, nil },
	Kernel: func(c *tf.KernelContext) error { return nil },
}

// ComputeGradients implements Optimizer.
func (b *base) ComputeGradients(loss *tf.Tensor, opts ...Option) ([]GradVar, error) {
	if b.err != nil {
		return nil, b.err
	}
	fn := b.name + "Optimizer.ComputeGradients at " + callsite.User()
	o, err := parse(fn, opts, "var_list")
	if err != nil {
		return nil, err
	}
	return b.computeGradients(fn, loss, o.varList)
}

func (b *base) computeGradients(fn string, loss *tf.Tensor, varList []*tf.Variable) ([]GradVar, error) {
	if loss == nil {
		return nil, errors.Errorf("%s: loss is a nil *tf.Tensor", fn)
	}
	if loss.Err() != nil {
		return nil, loss.Err()
	}
	if !loss.DType().IsFloating() {
		return nil, errors.Errorf("%s: loss %q has dtype %s; it must be float32 or float64", fn, loss.Name(), loss.DType())
	}
	if varList == nil {
		varList = loss.Graph().TrainableVariables()
	}
	if len(varList) == 0 {
		return nil, errors.Errorf("%s: No variables to optimize (loss %q)", fn, loss.Name())
	}
	xs := make([]any, len(varList))
	for i, v := range varList {
		if v == nil {
			return nil, errors.Errorf("%s: var_list[%d] is nil", fn, i)
		}
		if v.Err() != nil {
			return nil, v.Err()
		}
		if !v.DType().IsFloating() {
			return nil, errors.Errorf("%s: variable %q has dtype %s; only float32 and float64 variables can be trained", fn, v.Name(), v.DType())
		}
		xs[i] = v
	}
	grads, err := tf.Gradients([]*tf.Tensor{loss}, xs)
	if err != nil {
		return nil, err
	}
	out := make([]GradVar, len(varList))
	for i, v := range varList {
		out[i] = GradVar{Grad: grads[i], Var: v}
	}
	return out, nil
}

// Minimize implements Optimizer.
func (b *base) Minimize(loss *tf.Tensor, opts ...Option) *tf.Operation {
	if b.err != nil {
		return failOp(b.err)
	}
	fn := b.name + "Optimizer.Minimize at " + callsite.User()
	o, err := parse(fn, opts, "var_list", "global_step", "name")
	if err != nil {
		return failOp(err)
	}
	step, err := o.stepVariable(fn)
	if err != nil {
		return failOp(err)
	}
	gv, err := b.computeGradients(fn, loss, o.varList)
	if err != nil {
		return failOp(err)
	}
	var vars []string
	for _, p := range gv {
		vars = append(vars, p.Var.Name())
	}
	return b.applyGradients(fn, gv, step, o.name, fmt.Sprintf("between variables %v and loss %q", vars, loss.Name()))
}

// ApplyGradients implements Optimizer.
func (b *base) ApplyGradients(gradsAndVars []GradVar, opts ...Option) *tf.Operation {
	if b.err != nil {
		return failOp(b.err)
	}
	fn := b.name + "Optimizer.ApplyGradients at " + callsite.User()
	o, err := parse(fn, opts, "global_step", "name")
	if err != nil {
		return failOp(err)
	}
	step, err := o.stepVariable(fn)
	if err != nil {
		return failOp(err)
	}
	var vars []string
	for _, p := range gradsAndVars {
		if p.Var != nil {
			vars = append(vars, p.Var.Name())
		}
	}
	return b.applyGradients(fn, gradsAndVars, step, o.name, fmt.Sprintf("for variables %v", vars))
}

func (b *base) applyGradients(fn string, gv []GradVar, globalStep *tf.Variable, name, what string) *tf.Operation {
	if name == "" {
		name = b.name
	}
	var pairs []GradVar
	seen := map[*tf.Variable]bool{}
	for i, p := range gv {
		if p.Var == nil {
			return failOp(errors.Errorf("%s: grads_and_vars[%d] has a nil variable", fn, i))
		}
		if p.Var.Err() != nil {
			return failOp(p.Var.Err())
		}
		if seen[p.Var] {
			return failOp(errors.Errorf("%s: variable %q appears more than once in grads_and_vars", fn, p.Var.Name()))
		}
		seen[p.Var] = true
		if p.Grad == nil {
			continue
		}
		if p.Grad.Err() != nil {
			return failOp(p.Grad.Err())
		}
		if p.Grad.DType() != p.Var.DType() || !p.Grad.Shape().IsCompatibleWith(p.Var.Shape()) {
			return failOp(errors.Errorf("%s: gradient %s of variable %q does not fit it (%s%v)", fn, p.Grad.Spec(), p.Var.Name(), p.Var.DType(), p.Var.Shape()))
		}
		pairs = append(pairs, p)
	}
	if len(pairs) == 0 {
		return failOp(errors.Errorf("%s: No gradients provided for any variable, check your graph for ops that do not support gradients, %s", fn, what))
	}
	g := pairs[0].Var.Graph()
	defer g.AsDefault()()
	if err := b.createSlots(g, pairs); err != nil {
		return failOp(err)
	}
	// Every gradient (and every tensor hyperparameter) is computed before
	// any variable changes.
	var gradOps []*tf.Operation
	seenOp := map[*tf.Operation]bool{}
	addSrc := func(src ...*tf.Tensor) {
		for _, t := range src {
			if op := t.Op(); !seenOp[op] {
				seenOp[op] = true
				gradOps = append(gradOps, op)
			}
		}
	}
	for _, p := range pairs {
		if s := tf.IndexedSlicesOf(p.Grad); s != nil {
			// A sparse gradient is applied from its slices: the dense
			// tensor is never made.
			addSrc(s.Values, s.Indices)
		} else {
			addSrc(p.Grad)
		}
	}
	var updates []*tf.Operation
	for _, p := range pairs {
		def, inputs := b.k.applyDef(), []any{p.Grad}
		if s := tf.IndexedSlicesOf(p.Grad); s != nil {
			def, inputs = b.k.sparseDef(), []any{s.Values, s.Indices}
		}
		attrs := b.k.applyAttrs()
		attrs["lr"] = b.lr
		attrs["variable"] = p.Var
		attrs["slots"] = b.slotList(p.Var)
		attrs["nonslot"] = b.nonSlotList(g)
		for _, t := range splitHypers(attrs) {
			addSrc(t)
			inputs = append(inputs, t)
		}
		op := tf.AddOp(tf.OpSpec{Def: def, Name: name + "/update_" + p.Var.Name() + "/" + def.Type,
			Inputs: inputs, Attrs: attrs, Control: gradOps})
		if op.Err() != nil {
			return op
		}
		updates = append(updates, op)
	}
	updates = append(updates, b.k.finish(b, updates)...)
	if globalStep == nil {
		return tf.Group(updates, tf.Name(name))
	}
	if globalStep.Err() != nil {
		return failOp(globalStep.Err())
	}
	done := tf.Group(updates, tf.Name(name+"/update"))
	return assignAdd(globalStep, 1, name, []*tf.Operation{done})
}

// createSlots makes the slot and non-slot variables the pairs need.
func (b *base) createSlots(g *tf.Graph, pairs []GradVar) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.nonSlot[g]; !ok {
		first := pairs[0].Var
		m := map[string]*tf.Variable{}
		for _, s := range b.k.nonSlot() {
			init := scalar(s.init, first.DType())
			if s.initT != nil {
				init = tf.Cast(s.initT, first.DType())
			}
			v := tf.NewVariable(init, tf.Name(s.name), tf.Trainable(false))
			if v.Err() != nil {
				return v.Err()
			}
			m[s.name] = v
		}
		b.nonSlot[g] = m
	}
	for _, p := range pairs {
		if _, ok := b.slotVar[p.Var]; ok {
			continue
		}
		m := map[string]*tf.Variable{}
		for _, s := range b.k.slots() {
			suffix := b.name
			if s.suffix != "" {
				suffix = s.suffix
			}
			v, err := makeSlot(g, p.Var, suffix, s.init)
			if err != nil {
				return err
			}
			m[s.name] = v
		}
		b.slotVar[p.Var] = m
	}
	return nil
}

// makeSlot creates the slot variable "<var>/<opt>" (uniquified: "_1", ...)
// at the top of the name scopes, filled with init.
func makeSlot(g *tf.Graph, v *tf.Variable, opt string, init float64) (*tf.Variable, error) {
	base := v.Name() + "/" + opt
	name := base
	for i := 1; g.Operation(name) != nil; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	closeTop := g.NameScope("")
	defer closeTop()
	closeInit := g.NameScope(name + "/Initializer/")
	val := tf.Fill(v.Shape(), init, v.DType())
	closeInit()
	s := tf.NewVariable(val, tf.Name(name), tf.Trainable(false))
	return s, s.Err()
}

func scalar(v float64, dt tf.DType) *tf.Tensor {
	if dt == tf.Float32 {
		return tf.Constant(tensor.New(tensor.FromScalar(float32(v))), tf.Float32)
	}
	return tf.Constant(tensor.New(tensor.FromScalar(v)), tf.Float64)
}

func (b *base) slotList(v *tf.Variable) []*tf.Variable {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []*tf.Variable
	for _, s := range b.k.slots() {
		out = append(out, b.slotVar[v][s.name])
	}
	return out
}

func (b *base) nonSlotList(g *tf.Graph) []*tf.Variable {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []*tf.Variable
	for _, s := range b.k.nonSlot() {
		out = append(out, b.nonSlot[g][s.name])
	}
	return out
}

// Slot implements Optimizer.
func (b *base) Slot(v *tf.Variable, name string) *tf.Variable {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.slotVar[v][name]
}

// GetName implements Optimizer.
func (b *base) GetName() string { return b.name }

// Variables implements Optimizer.
func (b *base) Variables() []*tf.Variable {
	b.mu.Lock()
	defer b.mu.Unlock()
	g := tf.DefaultGraph()
	var out []*tf.Variable
	for _, v := range b.nonSlot[g] {
		out = append(out, v)
	}
	for v, m := range b.slotVar {
		if v.Graph() != g {
			continue
		}
		for _, s := range m {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// SlotNames implements Optimizer.
func (b *base) SlotNames() []string {
	if b.k == nil {
		return nil
	}
	var out []string
	for _, s := range b.k.slots() {
		out = append(out, s.name)
	}
	sort.Strings(out) // TF's get_slot_names: sorted(self._slots.keys())
	return out
}
