// Package lower compiles a gorgoflow graph, for the concrete shapes of one
// Run's feeds, into a Gorgonia ExprGraph run by a Gorgonia TapeMachine, and
// loop bodies into Plans (plan.go) that loop kernels run once per step.
//
// Each tf operation becomes one Gorgonia node whose Op is an adapter around
// the operation's kernel; Gorgonia orders and runs them. The Gorgonia
// limitations worked around, and why:
//
//   - Gorgonia will not compile a graph without input nodes, and an op node
//     needs children: a scalar "trigger" input, bound each run, is the
//     child of every op that reads nothing (constants, variables, random).
//   - A Gorgonia node has one value; tf ops may have several outputs: a
//     pickOp node stands for each output after the first.
//   - The TapeMachine writes its engine into every value a node returns
//     (setEngine), and values may be shared with runs of other programs
//     at the same time (a variable's value, a constant, a feed): nodes
//     hand Gorgonia a tensor header of their own (gorgoniaValue), and
//     kernels read their inputs from the program's values, not from Do's
//     arguments. (Issue 8 asks for values to flow through Do's arguments
//     instead; not done yet.)
//   - Gorgonia's dataflow analysis merges nodes whose ops hash alike
//     (common subexpressions): an adapter's hash holds its op's address,
//     so no two tf ops merge (stateful ones must not).
//   - Gorgonia reports some failures by panicking: everything it panics
//     with is recovered here and returned as an error.
//   - Each TapeMachine run costs a goroutine, two channels, a slice per
//     node and a header per value: loop bodies, run T times per Run, are
//     Plans instead (plan.go has the measurement).
package lower

import (
	"fmt"
	"hash"
	"hash/fnv"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/chewxy/hm"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/varstore"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Program is a graph compiled for fixed feed shapes.
type Program struct {
	mu      sync.Mutex
	eg      *G.ExprGraph
	vm      G.VM
	trigger *G.Node
	feeds   map[*tf.Tensor]*G.Node
	ops     []*tf.Operation
	specs   map[*tf.Tensor]tf.Spec
	fetches []*tf.Tensor
	nodes   map[*tf.Operation]*kernelOp

	// per-run state, guarded by mu
	values map[*tf.Tensor]*tensor.Dense
	env    tf.Env
	err    error

	// Buffer reuse (RunCopy only): pool holds, per op output, the buffer
	// Alloc gave in the last run that nobody outside the program can hold;
	// taken lists the buffers given in this run; escaped the memory handed
	// to the session by AssignVariable in this run.
	reuse bool
	pool  map[poolKey]*tensor.Dense
	// For varstore.Updater (RunCopy only): the program's ops reading each
	// tensor, the fetched tensors, and the number of the run, which
	// kernelOp.ranIn compares with to tell the ops already run.
	consumers map[*tf.Tensor][]*kernelOp
	fetched   map[*tf.Tensor]bool
	runSeq    uint64

	taken   []pooled
	escaped []memRange
	tenv    trackEnv

	// The kernels' state across runs (KernelContext.Local).
	local   map[any]any
	localFn func(key any, create func() any) any
}

type poolKey struct {
	k *kernelOp
	i int
}

type pooled struct {
	key poolKey
	d   *tensor.Dense
}

type memRange struct{ lo, hi uintptr }

// trackEnv is the Env kernels see in a RunCopy: it records the memory of
// values given to AssignVariable, which the session keeps, so that their
// buffers never go back to the pool.
type trackEnv struct {
	tf.Env
	p *Program
}

func (e *trackEnv) AssignVariable(v *tf.Variable, value *tensor.Dense) error {
	if value != nil {
		e.p.escaped = append(e.p.escaped, rangeOf(value))
	}
	return e.Env.AssignVariable(v, value)
}

// storeHolder is what the session's Env offers: its variable store.
type storeHolder interface{ Store() *varstore.Store }

// Update implements varstore.Updater with the session's store and the
// running program's live memory (liveMemory), which the in-place rule
// needs.
func (e *trackEnv) Update(op *tf.Operation, vars []*tf.Variable, f func(vals []*tensor.Dense) error) error {
	h, ok := e.Env.(storeHolder)
	if !ok {
		return errors.New("internal error: the session has no variable store")
	}
	return h.Store().Update(op, vars, e.p.liveMemory, f)
}

// liveMemory reports whether a live value of the running program (one a
// kernel still to run reads, or a fetch) shares memory with d.
func (p *Program) liveMemory(d *tensor.Dense) bool {
	for t, v := range p.values {
		if varstore.Overlap(v, d) && p.live(t) {
			return true
		}
	}
	return false
}

// live reports whether t's value will still be read in this run: it is
// fetched, or an op that reads it has not run yet.
func (p *Program) live(t *tf.Tensor) bool {
	if p.fetched[t] {
		return true
	}
	for _, k := range p.consumers[t] {
		if k.ranIn != p.runSeq {
			return true
		}
	}
	return false
}

// rangeOf returns the memory of d's backing data.
func rangeOf(d *tensor.Dense) memRange {
	if d.DataSize() == 0 {
		return memRange{}
	}
	lo := d.Uintptr()
	return memRange{lo, lo + uintptr(d.DataSize())*d.Dtype().Size()}
}

func (r memRange) overlaps(o memRange) bool { return r.lo < o.hi && o.lo < r.hi }

// Compile lowers the ops needed to compute fetches and run targets, with
// the given tensors fed values of the given specs.
func Compile(fetches []*tf.Tensor, targets []*tf.Operation, feeds map[*tf.Tensor]tf.Spec) (p *Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("internal error compiling the graph: %v", r)
		}
	}()
	p = &Program{feeds: map[*tf.Tensor]*G.Node{}, fetches: fetches, nodes: map[*tf.Operation]*kernelOp{}}
	var used map[*tf.Tensor]bool
	p.ops, p.specs, used, err = prepare(fetches, targets, feeds)
	if err != nil {
		return nil, err
	}

	// 3. The Gorgonia graph.
	p.eg = G.NewGraph()
	p.trigger = G.NewScalar(p.eg, tensor.Float32, G.WithName("trigger"))
	feedList := make([]*tf.Tensor, 0, len(feeds))
	for t := range feeds {
		feedList = append(feedList, t)
	}
	sort.Slice(feedList, func(i, j int) bool { return feedList[i].Name() < feedList[j].Name() })
	for i, t := range feedList {
		s := feeds[t]
		p.feeds[t] = newInput(p.eg, s, fmt.Sprintf("feed%d", i))
	}
	nodeOf := map[*tf.Tensor]*G.Node{}
	for t, n := range p.feeds {
		nodeOf[t] = n
	}
	opNode := map[*tf.Operation]*G.Node{}
	for _, op := range p.ops {
		var children []*G.Node
		var childTypes []hm.Type
		for _, t := range op.Inputs() {
			n := nodeOf[t]
			children = append(children, n)
			childTypes = append(childTypes, nodeType(p.specOfNode(t)))
		}
		for _, c := range op.ControlInputs() {
			n := opNode[c]
			if n == nil {
				continue // a fed placeholder (prepare)
			}
			children = append(children, n)
			childTypes = append(childTypes, n.Type())
		}
		if len(children) == 0 {
			children = append(children, p.trigger)
			childTypes = append(childTypes, tensor.Float32)
		}
		k := &kernelOp{p: p, op: op, arity: len(children), inTypes: childTypes,
			in: make([]*tensor.Dense, len(op.Inputs())), out: make([]*tensor.Dense, len(op.Outputs()))}
		k.pool = func(spec tf.Spec, i int, zero bool) *tensor.Dense { return p.alloc(k, spec, i, zero) }
		outSpecs := make([]tf.Spec, len(op.Outputs()))
		for i, t := range op.Outputs() {
			outSpecs[i] = p.specs[t]
		}
		k.outSpecs = outSpecs
		want := make([]bool, len(op.Outputs()))
		for i, t := range op.Outputs() {
			want[i] = used[t]
		}
		k.want = want
		if len(outSpecs) > 0 && want[0] {
			k.retSpec = outSpecs[0]
		} else {
			k.retSpec = tf.Spec{DType: tf.Float32, Shape: tf.Shape{}}
		}
		n, err := G.ApplyOp(k, children...)
		if err != nil {
			return nil, errors.Wrapf(err, "lowering %s %q", op.Type(), op.Name())
		}
		p.nodes[op] = k
		opNode[op] = n
		for i, t := range op.Outputs() {
			if _, fed := feeds[t]; fed || !want[i] {
				continue
			}
			if i == 0 {
				nodeOf[t] = n
				continue
			}
			pk := &pickOp{p: p, t: t, in: nodeType(k.retSpec), spec: p.specs[t]}
			pn, err := G.ApplyOp(pk, n)
			if err != nil {
				return nil, errors.Wrapf(err, "lowering output %d of %s %q", i, op.Type(), op.Name())
			}
			nodeOf[t] = pn
		}
	}
	p.consumers = map[*tf.Tensor][]*kernelOp{}
	for _, op := range p.ops {
		k := p.nodes[op]
		for _, t := range op.Inputs() {
			if c := p.consumers[t]; len(c) == 0 || c[len(c)-1] != k {
				p.consumers[t] = append(c, k)
			}
		}
	}
	p.fetched = make(map[*tf.Tensor]bool, len(fetches))
	for _, t := range fetches {
		p.fetched[t] = true
	}
	p.local = map[any]any{}
	p.localFn = func(key any, create func() any) any {
		v, ok := p.local[key]
		if !ok {
			v = create()
			p.local[key] = v
		}
		return v
	}
	p.vm = G.NewTapeMachine(p.eg)
	// Gorgonia's TapeMachine has a finalizer (a no-op without CUDA), and the
	// machine reaches itself: its instructions hold the kernelOps, which
	// point back at the Program holding the machine. Go never collects a
	// cycle holding an object with a finalizer, so every program would stay
	// in memory for good; without the finalizer the cycle is ordinary
	// garbage once the session drops the program.
	runtime.SetFinalizer(p.vm, nil)
	return p, nil
}

// prepare finds the ops needed to compute fetches and run targets, with
// the given tensors fed values of the given specs, in creation order; the
// concrete specs of their outputs; and which outputs the program reads
// (other ops' inputs and the fetches, unless fed), which kernels may skip
// computing otherwise (KernelContext.Wanted).
func prepare(fetches []*tf.Tensor, targets []*tf.Operation, feeds map[*tf.Tensor]tf.Spec) (ops []*tf.Operation, specs map[*tf.Tensor]tf.Spec, used map[*tf.Tensor]bool, err error) {
	specs = map[*tf.Tensor]tf.Spec{}
	// 1. The ops needed, stopping at fed tensors.
	need := map[*tf.Operation]bool{}
	var visit func(op *tf.Operation, viaOutputs []*tf.Tensor)
	visit = func(op *tf.Operation, via []*tf.Tensor) {
		if need[op] {
			return
		}
		allFed := len(via) > 0
		for _, t := range via {
			if _, ok := feeds[t]; !ok {
				allFed = false
			}
		}
		if allFed {
			return
		}
		need[op] = true
		for _, in := range op.Inputs() {
			visit(in.Op(), []*tf.Tensor{in})
		}
		for _, c := range op.ControlInputs() {
			if fedPlaceholder(c, feeds) {
				// TF moves a fed placeholder's control edges to the
				// value fed (subgraph.cc, FeedInputs): nothing to run.
				continue
			}
			visit(c, nil)
		}
	}
	for _, t := range fetches {
		visit(t.Op(), []*tf.Tensor{t})
	}
	for _, op := range targets {
		visit(op, nil)
	}
	for op := range need {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID() < ops[j].ID() })

	// 2. Concrete shapes.
	for t, s := range feeds {
		specs[t] = s
	}
	for _, op := range ops {
		if len(op.Outputs()) > 0 && tf.IsPlaceholder(op.Outputs()[0]) {
			return nil, nil, nil, errors.New(tf.MissingFeedMessage(op.Outputs()[0]))
		}
		if len(op.Outputs()) > 0 && tf.IsArg(op.Outputs()[0]) {
			return nil, nil, nil, errors.Errorf("loop-body input %q was not given a value", op.Name())
		}
		in := make([]tf.Spec, len(op.Inputs()))
		for i, t := range op.Inputs() {
			in[i] = specs[t]
		}
		out, err := tf.InferSpecs(op.Def(), op.Attrs(), in)
		if err != nil {
			return nil, nil, nil, errors.Wrapf(err, "%s %q (built at %s) with inputs %s", op.Type(), op.Name(), op.Site(), specList(in))
		}
		if len(out) != len(op.Outputs()) {
			return nil, nil, nil, errors.Errorf("%s %q: shape inference gave %d outputs, want %d", op.Type(), op.Name(), len(out), len(op.Outputs()))
		}
		for i, s := range out {
			if !s.Shape.IsFullyDefined() || s.Shape == nil {
				return nil, nil, nil, errors.Errorf("%s %q (built at %s): output %d has shape %v at run time with inputs %s", op.Type(), op.Name(), op.Site(), i, s.Shape, specList(in))
			}
			t := op.Outputs()[i]
			if _, fed := feeds[t]; !fed {
				specs[t] = s
			}
		}
	}

	// Which outputs the program reads: other ops' inputs and the fetches,
	// unless fed. Kernels may skip the others (KernelContext.Wanted).
	used = map[*tf.Tensor]bool{}
	for _, op := range ops {
		for _, t := range op.Inputs() {
			used[t] = true
		}
	}
	for _, t := range fetches {
		used[t] = true
	}
	for t := range feeds {
		delete(used, t)
	}

	return ops, specs, used, nil
}

// fedPlaceholder reports whether op is a placeholder whose value is fed: a
// control dependency on it is met by the feed.
func fedPlaceholder(op *tf.Operation, feeds map[*tf.Tensor]tf.Spec) bool {
	if len(op.Outputs()) != 1 || !tf.IsPlaceholder(op.Outputs()[0]) {
		return false
	}
	_, fed := feeds[op.Outputs()[0]]
	return fed
}

func specList(in []tf.Spec) string {
	parts := make([]string, len(in))
	for i, s := range in {
		parts[i] = s.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func (p *Program) specOfNode(t *tf.Tensor) tf.Spec { return p.specs[t] }

// NodeCount returns the number of Gorgonia nodes of the program.
func (p *Program) NodeCount() int { return len(p.eg.AllNodes()) }

func nodeType(s tf.Spec) hm.Type {
	if len(s.Shape) == 0 {
		return s.DType.TensorDtype()
	}
	return G.TensorType{Dims: len(s.Shape), Of: s.DType.TensorDtype()}
}

func newInput(g *G.ExprGraph, s tf.Spec, name string) *G.Node {
	if len(s.Shape) == 0 {
		return G.NewScalar(g, s.DType.TensorDtype(), G.WithName(name))
	}
	return G.NewTensor(g, s.DType.TensorDtype(), len(s.Shape), G.WithShape(s.Shape...), G.WithName(name))
}

// Run runs the program with the given feed values and returns the values of
// its fetches, which may share memory with the feeds, the variables and
// constants. Runs of one program are serialized.
func (p *Program) Run(env tf.Env, feeds map[*tf.Tensor]*tensor.Dense) (out []*tensor.Dense, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reuse = false
	return p.run(env, feeds)
}

// RunCopy is Run returning copies of the fetches' values, which lets the
// program keep the buffers its kernels allocate and reuse them in its next
// runs instead of allocating new ones: every buffer a kernel got from
// Alloc goes back to the program at the end of a successful run, except
// those whose memory a kernel handed to Env.AssignVariable (the session
// keeps them). Reused buffers are zeroed before a kernel gets them, as new
// ones are, unless it asks with AllocUninit.
func (p *Program) RunCopy(env tf.Env, feeds map[*tf.Tensor]*tensor.Dense) (out []*tensor.Dense, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reuse = true
	p.taken = p.taken[:0]
	p.escaped = p.escaped[:0]
	p.tenv = trackEnv{Env: env, p: p}
	defer func() { p.tenv = trackEnv{} }()
	out, err = p.run(&p.tenv, feeds)
	if err != nil {
		return nil, err
	}
	for i, d := range out {
		out[i] = d.Clone().(*tensor.Dense)
	}
	if p.pool == nil {
		p.pool = make(map[poolKey]*tensor.Dense, len(p.taken))
	}
next:
	for _, b := range p.taken {
		r := rangeOf(b.d)
		for _, e := range p.escaped {
			if r.overlaps(e) {
				continue next
			}
		}
		p.pool[b.key] = b.d
	}
	p.taken = p.taken[:0]
	return out, nil
}

// alloc is the KernelContext.Pool of a RunCopy: the buffer output i of k
// had in the last run (zeroed when zero is true), or a new one.
func (p *Program) alloc(k *kernelOp, spec tf.Spec, i int, zero bool) *tensor.Dense {
	key := poolKey{k, i}
	d := p.pool[key]
	if d != nil {
		delete(p.pool, key)
		if !tf.Shape(d.Shape()).Equal(spec.Shape) || tf.DTypeOf(d.Dtype()) != spec.DType {
			d = nil
		} else if zero {
			d.Zero()
		}
	}
	if d == nil {
		d = tf.NewDense(spec)
	}
	p.taken = append(p.taken, pooled{key, d})
	return d
}

func (p *Program) run(env tf.Env, feeds map[*tf.Tensor]*tensor.Dense) (out []*tensor.Dense, err error) {
	if p.values == nil {
		p.values = make(map[*tf.Tensor]*tensor.Dense, len(p.specs))
	}
	p.env = env
	p.err = nil
	p.runSeq++
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("internal error running the graph: %v", r)
		}
		p.vm.Reset()
		clear(p.values)
		p.env = nil
	}()
	if err := G.Let(p.trigger, tensor.New(tensor.FromScalar(float32(0)))); err != nil {
		return nil, errors.Wrap(err, "internal error binding the trigger")
	}
	for t, n := range p.feeds {
		v, ok := feeds[t]
		if !ok {
			return nil, errors.Errorf("internal error: feed %q missing", t.Name())
		}
		p.values[t] = v
		if err := G.Let(n, v.ShallowClone()); err != nil {
			return nil, errors.Wrapf(err, "internal error binding feed %q", t.Name())
		}
	}
	if err := p.vm.RunAll(); err != nil {
		if p.err != nil {
			return nil, p.err
		}
		return nil, errors.Wrap(err, "running the graph")
	}
	if p.err != nil {
		return nil, p.err
	}
	out = make([]*tensor.Dense, len(p.fetches))
	for i, t := range p.fetches {
		v, ok := p.values[t]
		if !ok {
			return nil, errors.Errorf("internal error: %q was not computed", t.Name())
		}
		out[i] = v
	}
	return out, nil
}

// kernelOp adapts one tf operation to Gorgonia's Op interface.
type kernelOp struct {
	p        *Program
	op       *tf.Operation
	arity    int
	inTypes  []hm.Type
	outSpecs []tf.Spec
	want     []bool  // which outputs the program reads
	retSpec  tf.Spec // the node's value: output 0 when wanted, else a scalar

	// reused by every run (runs of a program are serialized)
	ctx     tf.KernelContext
	in, out []*tensor.Dense
	pool    func(spec tf.Spec, i int, zero bool) *tensor.Dense
	ranIn   uint64 // the Program.runSeq of the last run that ran the kernel
}

func (k *kernelOp) Arity() int { return k.arity }
func (k *kernelOp) Type() hm.Type {
	ts := append(append([]hm.Type(nil), k.inTypes...), nodeType(k.retSpec))
	return hm.NewFnType(ts...)
}
func (k *kernelOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(append([]int{}, k.retSpec.Shape...)), nil
}
func (k *kernelOp) ReturnsPtr() bool     { return false }
func (k *kernelOp) CallsExtern() bool    { return false }
func (k *kernelOp) OverwritesInput() int { return -1 }
func (k *kernelOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gorgoflow %p %d %s", k.op, k.op.ID(), k.op.Name())
}
func (k *kernelOp) Hashcode() uint32 { h := fnv.New32a(); k.WriteHash(h); return h.Sum32() }
func (k *kernelOp) String() string   { return k.op.Type() + ":" + k.op.Name() }

func (k *kernelOp) Do(vals ...G.Value) (ret G.Value, err error) {
	p := k.p
	if p.err != nil {
		return nil, p.err
	}
	op := k.op
	c := &k.ctx
	*c = tf.KernelContext{Op: op, In: k.in, Out: k.out, OutSpecs: k.outSpecs, Env: p.env, Want: k.want, Local: p.localFn, RunID: p.runSeq}
	clear(c.Out)
	if p.reuse {
		c.Pool = k.pool
	}
	for i, t := range op.Inputs() {
		v, ok := p.values[t]
		if !ok {
			p.err = errors.Errorf("internal error: input %q of %q not computed", t.Name(), op.Name())
			return nil, p.err
		}
		c.In[i] = v
	}
	if err := runKernel(c); err != nil {
		p.err = errors.Wrapf(err, "%s %q (built at %s)", op.Type(), op.Name(), op.Site())
		return nil, p.err
	}
	k.ranIn = p.runSeq
	for i, t := range op.Outputs() {
		v := c.Out[i]
		if v == nil && !k.want[i] {
			continue
		}
		if v == nil {
			p.err = errors.Errorf("internal error: %s %q did not set output %d", op.Type(), op.Name(), i)
			return nil, p.err
		}
		if got := tf.SpecOf(v); got.DType != k.outSpecs[i].DType || !got.Shape.Equal(k.outSpecs[i].Shape) {
			p.err = errors.Errorf("internal error: %s %q output %d is %v, inferred %v", op.Type(), op.Name(), i, got, k.outSpecs[i])
			return nil, p.err
		}
		if _, fed := p.feeds[t]; !fed {
			p.values[t] = v
		}
	}
	clear(c.In)
	if len(c.Out) > 0 && k.want[0] {
		return gorgoniaValue(p.values[op.Outputs()[0]]), nil
	}
	return tensor.New(tensor.FromScalar(float32(0))), nil
}

func runKernel(c *tf.KernelContext) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("kernel panicked: %v", r)
		}
	}()
	if c.Op.Def().Kernel == nil {
		return errors.New("op has no kernel")
	}
	return c.Op.Def().Kernel(c)
}

// pickOp selects output i>0 of a multi-output kernel node.
type pickOp struct {
	p    *Program
	t    *tf.Tensor
	in   hm.Type
	spec tf.Spec
}

func (o *pickOp) Arity() int    { return 1 }
func (o *pickOp) Type() hm.Type { return hm.NewFnType(o.in, nodeType(o.spec)) }
func (o *pickOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(append([]int{}, o.spec.Shape...)), nil
}
func (o *pickOp) ReturnsPtr() bool     { return false }
func (o *pickOp) CallsExtern() bool    { return false }
func (o *pickOp) OverwritesInput() int { return -1 }
func (o *pickOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gorgoflow pick %p %s", o.t, o.t.Name())
}
func (o *pickOp) Hashcode() uint32 { h := fnv.New32a(); o.WriteHash(h); return h.Sum32() }
func (o *pickOp) String() string   { return "pick:" + o.t.Name() }
func (o *pickOp) Do(...G.Value) (G.Value, error) {
	if o.p.err != nil {
		return nil, o.p.err
	}
	v, ok := o.p.values[o.t]
	if !ok {
		return nil, errors.Errorf("internal error: %q not computed", o.t.Name())
	}
	return gorgoniaValue(v), nil
}

// gorgoniaValue returns what a node hands to Gorgonia for value d: a header
// of its own on d's data. Gorgonia writes to the values nodes return (it
// sets their engine), and d may be shared with other programs running at
// the same time (a variable's value, a constant, a feed); kernels read the
// values from Program.values, never from Gorgonia.
func gorgoniaValue(d *tensor.Dense) G.Value { return d.ShallowClone() }
