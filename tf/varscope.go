package tf

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"
)

// ReuseMode says whether GetVariable may return an existing variable.
type ReuseMode int

// Reuse modes of a variable scope (reuse= of tf.variable_scope).
const (
	ReuseInherit ReuseMode = iota // as the enclosing scope (the top is NoReuse)
	NoReuse                       // GetVariable creates; an existing name is an error
	Reuse                         // GetVariable returns existing; a missing name is an error
	AutoReuse                     // tf.AUTO_REUSE: return existing, create missing
)

type varScope struct {
	name  string
	reuse ReuseMode
}

// VariableScope opens a variable scope on the default graph
// (tf.variable_scope): GetVariable names start with it and its reuse mode
// applies; it also opens a name scope of the same name. It returns the
// function that closes both:
//
//	defer tf.VariableScope("rnn", tf.ReuseInherit)()
func VariableScope(name string, reuse ReuseMode) (closeScope func()) {
	return DefaultGraph().root().VariableScope(name, reuse)
}

// VariableScope opens a variable scope on g; see the package function.
func (g *Graph) VariableScope(name string, reuse ReuseMode) (closeScope func()) {
	g.mu.Lock()
	full := name
	inherited := NoReuse
	if n := len(g.varScopes); n > 0 {
		full = g.varScopes[n-1].name + "/" + name
		inherited = g.varScopes[n-1].reuse
	}
	if reuse == ReuseInherit || (inherited == Reuse && reuse == NoReuse) {
		reuse = inherited
	}
	g.varScopes = append(g.varScopes, varScope{name: full, reuse: reuse})
	n := len(g.varScopes)
	// TF's open_variable_scope and close_variable_subscopes: count this
	// opening, and restart the default names inside the scope.
	if g.varCounts == nil {
		g.varCounts = map[string]int{}
	}
	g.varCounts[full]++
	for k := range g.varCounts {
		if strings.HasPrefix(k, full+"/") {
			delete(g.varCounts, k)
		}
	}
	g.mu.Unlock()
	closeNames := g.NameScope(name)
	return func() {
		closeNames()
		g.mu.Lock()
		if len(g.varScopes) >= n {
			g.varScopes = g.varScopes[:n-1]
		}
		g.mu.Unlock()
	}
}

// UniqueVariableScope returns the name TF's variable_scope(None,
// default_name=base) opens inside the current variable scope of the default
// graph: base when no scope of that name was opened there since the
// current scope was entered, else base_1, base_2, ..., the first not yet
// opened. Entering a scope restarts the default names inside it, so a
// layer without a name that is built again under a re-entered scope (as
// nn.StaticRNN does at each step, with tf.Reuse) gets the same name and
// shares its variables; built twice in one scope, it gets two names.
func UniqueVariableScope(base string) string {
	g := DefaultGraph().root()
	g.mu.Lock()
	defer g.mu.Unlock()
	prefix := ""
	if n := len(g.varScopes); n > 0 {
		prefix = g.varScopes[n-1].name + "/"
	}
	name := base
	for i := 1; g.varCounts[prefix+name] > 0; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}

// CurrentVariableScope returns the name of the innermost variable scope of
// the default graph ("" at the top).
func CurrentVariableScope() string {
	g := DefaultGraph().root()
	g.mu.Lock()
	defer g.mu.Unlock()
	if n := len(g.varScopes); n > 0 {
		return g.varScopes[n-1].name
	}
	return ""
}

// GetVariable returns the variable "scope/name" of the default graph, making
// it when the scope's reuse mode allows (tf.get_variable). A new variable
// takes its initial value from the initializer: by default glorot-uniform for
// floating types and zeros for the others, as TF 1.x.
//
// Options: WithDType (default Float32), WithInitializer, Trainable.
func GetVariable(name string, shape Shape, opts ...Option) *Variable {
	o, err := parseOptions("tf.GetVariable", opts, "dtype", "initializer", "trainable")
	if err != nil {
		return failedVariable(err)
	}
	site := callerSite()
	g := DefaultGraph().root()
	g.mu.Lock()
	full := name
	reuse := NoReuse
	if n := len(g.varScopes); n > 0 {
		full = g.varScopes[n-1].name + "/" + name
		reuse = g.varScopes[n-1].reuse
	}
	existing := g.byName[full]
	g.mu.Unlock()
	dtype := o.dtype
	if dtype == Invalid {
		dtype = Float32
	}
	if existing != nil {
		if reuse == NoReuse {
			return failedVariable(errors.Errorf("tf.GetVariable at %s: Variable %s already exists, disallowed. Did you mean to set reuse=tf.Reuse or tf.AutoReuse in VariableScope?", site, full))
		}
		if shape != nil && !existing.shape.Equal(shape) {
			return failedVariable(errors.Errorf("tf.GetVariable at %s: trying to share variable %s, but specified shape %v and found shape %v", site, full, shape, existing.shape))
		}
		if o.given["dtype"] && existing.dtype != dtype {
			return failedVariable(errors.Errorf("tf.GetVariable at %s: trying to share variable %s, but specified dtype %s and found dtype %s", site, full, dtype, existing.dtype))
		}
		return existing
	}
	if reuse == Reuse {
		return failedVariable(errors.Errorf("tf.GetVariable at %s: Variable %s does not exist, or was not created with tf.GetVariable(). Did you mean to set reuse=tf.AutoReuse in VariableScope?", site, full))
	}
	if !shape.IsFullyDefined() || shape == nil {
		return failedVariable(errors.Errorf("tf.GetVariable at %s: shape %v of new variable %s must be fully known", site, shape, full))
	}
	init := o.init
	if init == nil {
		if dtype.IsFloating() {
			init = GlorotUniformInitializer()
		} else {
			init = ZerosInitializer()
		}
	}
	// The initial value lives in the variable's own name scope, in the root graph.
	restore := g.AsDefault()
	g.mu.Lock()
	saved := g.scopes
	g.scopes = []string{full}
	g.mu.Unlock()
	initT := init(shape, dtype)
	g.mu.Lock()
	g.scopes = saved
	g.mu.Unlock()
	restore()
	if initT.err != nil {
		return failedVariable(initT.err)
	}
	if initT.spec.DType != dtype || !initT.spec.Shape.Equal(shape) {
		return failedVariable(errors.Errorf("tf.GetVariable at %s: initializer of %s gave %v, want %s%v", site, full, initT.spec, dtype, shape))
	}
	// Create the variable under its full name, outside the current name scope.
	g.mu.Lock()
	saved = g.scopes
	g.scopes = nil
	g.mu.Unlock()
	v := g.newVariable(full, initT, o.trainable, site)
	g.mu.Lock()
	g.scopes = saved
	g.mu.Unlock()
	return v
}
