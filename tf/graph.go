package tf

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Graph holds operations and the tensors between them, as TF's tf.Graph.
// Building is safe from several goroutines; a Graph is usually built by one.
type Graph struct {
	mu        sync.Mutex
	ops       []*Operation
	names     map[string]int // name -> count of uses, for uniquifying as TF does
	scopes    []string       // name-scope stack
	varScopes []varScope     // variable-scope stack
	devices   []string       // device-scope stack (tf.device), recorded on ops
	varCounts map[string]int // variable scope -> times opened since its parent was entered (TF's variable_scopes_count)
	variables []*Variable
	trainable []*Variable
	byName    map[string]*Variable // variables by full name, for GetVariable
	seed      *int64               // graph-level seed (SetRandomSeed)
	opSeeds   int64                // counter giving op-level seeds when only the graph seed is set
	err       error                // first build error, for Err
	parent    *Graph               // for loop bodies: the graph whose tensors they capture
	body      *funcBody            // non-nil while this graph is a loop body
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{names: map[string]int{}, byName: map[string]*Variable{}}
}

var (
	defaultMu    sync.Mutex
	defaultGraph = NewGraph()
)

// DefaultGraph returns the graph that op constructors use when none of their
// inputs names one (tf.get_default_graph).
func DefaultGraph() *Graph {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	return defaultGraph
}

// ResetDefaultGraph replaces the default graph by an empty one
// (tf.reset_default_graph). Tensors of the old graph stay valid in it.
func ResetDefaultGraph() {
	defaultMu.Lock()
	defaultGraph = NewGraph()
	defaultMu.Unlock()
}

// AsDefault makes g the default graph and returns a function that restores
// the previous one (Python's "with g.as_default():"):
//
//	defer g.AsDefault()()
func (g *Graph) AsDefault() (restore func()) {
	defaultMu.Lock()
	prev := defaultGraph
	defaultGraph = g
	defaultMu.Unlock()
	return func() {
		defaultMu.Lock()
		defaultGraph = prev
		defaultMu.Unlock()
	}
}

// Err returns the first error met while building g, or nil. Each failed
// constructor also returns a tensor carrying its error, so checking once after
// building (or at Session.Run) is enough, as bufio.Scanner.Err.
func (g *Graph) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// Operations returns g's operations in creation order.
func (g *Graph) Operations() []*Operation {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*Operation(nil), g.ops...)
}

// Operation returns the operation with the given full name, or nil.
func (g *Graph) Operation(name string) *Operation {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, op := range g.ops {
		if op.name == name {
			return op
		}
	}
	return nil
}

// Tensor returns the tensor with the given name ("op:0" or "op"), or nil.
func (g *Graph) Tensor(name string) *Tensor {
	idx := 0
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		n, err := strconv.Atoi(name[i+1:])
		if err == nil {
			idx = n
			name = name[:i]
		}
	}
	op := g.Operation(name)
	if op == nil || idx >= len(op.outputs) {
		return nil
	}
	return op.outputs[idx]
}

// NameScope opens a name scope (tf.name_scope) on the default graph and
// returns the function that closes it:
//
//	defer tf.NameScope("rnn")()
func NameScope(name string) (closeScope func()) { return DefaultGraph().NameScope(name) }

// Device opens a device scope on the default graph (tf.device): the ops
// built until the returned function is called record name as their device
// (Operation.Device), as TF's ops do. gorgoflow runs every op on the CPU,
// so the device is recorded and otherwise ignored: "/gpu:1" runs on the
// CPU. Scopes nest; the innermost applies, and "" clears the device.
//
//	defer tf.Device("/cpu:0")()
func Device(name string) (closeScope func()) { return DefaultGraph().root().Device(name) }

// Device opens a device scope on g; see the package function Device.
func (g *Graph) Device(name string) (closeScope func()) {
	g.mu.Lock()
	g.devices = append(g.devices, name)
	n := len(g.devices)
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		if len(g.devices) >= n {
			g.devices = g.devices[:n-1]
		}
		g.mu.Unlock()
	}
}

// currentDevice returns the innermost device scope's name.
func (g *Graph) currentDevice() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if n := len(g.devices); n > 0 {
		return g.devices[n-1]
	}
	return ""
}

// NameScope opens a name scope on g; see the package function NameScope.
// As in TF, the name "" returns to the top level, and a name ending in "/"
// ("rnn/") re-enters that exact scope, from the top, without uniquifying.
func (g *Graph) NameScope(name string) (closeScope func()) {
	g.mu.Lock()
	var full string
	switch {
	case name == "":
		full = ""
	case strings.HasSuffix(name, "/"):
		full = strings.TrimSuffix(name, "/")
	default:
		full = g.uniqueLocked(g.scopedLocked(name))
	}
	g.scopes = append(g.scopes, full)
	n := len(g.scopes)
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		if len(g.scopes) >= n {
			g.scopes = g.scopes[:n-1]
		}
		g.mu.Unlock()
	}
}

func (g *Graph) scopedLocked(name string) string {
	if len(g.scopes) == 0 || g.scopes[len(g.scopes)-1] == "" {
		return name
	}
	return g.scopes[len(g.scopes)-1] + "/" + name
}

// uniqueLocked returns name if unused, else name_1, name_2, ... as TF's
// Graph.unique_name.
func (g *Graph) uniqueLocked(name string) string {
	n := g.names[name]
	g.names[name] = n + 1
	if n == 0 {
		return name
	}
	for {
		cand := name + "_" + strconv.Itoa(n)
		if g.names[cand] == 0 {
			g.names[cand] = 1
			g.names[name] = n + 1
			return cand
		}
		n++
	}
}

// setErr records err as g's first error.
func (g *Graph) setErr(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
}

// Variables returns every variable of g (tf.global_variables). For a loop
// body it returns the variables of the outermost graph, where they live.
func (g *Graph) Variables() []*Variable {
	g = g.root()
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*Variable(nil), g.variables...)
}

// TrainableVariables returns the trainable variables of g
// (tf.trainable_variables); for a loop body, those of the outermost graph.
func (g *Graph) TrainableVariables() []*Variable {
	g = g.root()
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*Variable(nil), g.trainable...)
}

// GlobalVariables returns the variables of the default graph (tf.global_variables).
func GlobalVariables() []*Variable { return DefaultGraph().Variables() }

// TrainableVariables returns the trainable variables of the default graph
// (tf.trainable_variables).
func TrainableVariables() []*Variable { return DefaultGraph().TrainableVariables() }

// String lists g's operations, one a line, for debugging.
func (g *Graph) String() string {
	var b strings.Builder
	for _, op := range g.Operations() {
		fmt.Fprintf(&b, "%s = %s(", op.name, op.def.Type)
		for i, in := range op.inputs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(in.Name())
		}
		b.WriteString(")")
		keys := make([]string, 0, len(op.attrs))
		for k := range op.attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%v", k, op.attrs[k])
		}
		b.WriteString("\n")
	}
	return b.String()
}
