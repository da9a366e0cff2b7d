package lower

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chewxy/hm"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/internal/varstore"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Program is a graph compiled for fixed feed shapes: a Gorgonia ExprGraph
// with one node per tf operation (and one per output of a multi-output
// operation), run by a Gorgonia TapeMachine. Values go from node to node
// through Gorgonia: the arguments of each node's Do and its result.
type Program struct {
	mu         sync.Mutex
	eg         *G.ExprGraph
	vm         G.VM
	feeds      []feedNode // ordered by name
	fetches    []*tf.Tensor
	fetchNodes []*G.Node
	kernels    []*kernelOp // in the ops' creation order
	specs      map[*tf.Tensor]tf.Spec

	// per-run state, guarded by mu
	env      runenv.Env
	err      error
	feedVals map[*tf.Tensor]*tensor.Dense

	// Buffers (RunCopy only, memplan.go): obs records the buffers of the
	// observing first run, plan the memory plan made from them; escaped
	// is the memory handed to the session by AssignVariable in this run;
	// poolBytes the bytes of the plan's memory.
	reuse     bool
	observe   bool
	pos       int // kernels run so far in an observing run
	obs       []observed
	plan      *memPlan
	poolBytes atomic.Int64
	// For varstore.Updater (RunCopy only): the program's ops reading each
	// tensor, the fetched tensors, and the number of the run, which
	// kernelOp.ranIn compares with to tell the ops already run.
	consumers map[*tf.Tensor][]*kernelOp
	fetched   map[*tf.Tensor]bool
	runSeq    uint64

	escaped []memRange
	tenv    trackEnv

	// The kernels' state across runs (runenv.Run.Local).
	local   map[any]any
	localFn func(key any, create func() any) any
}

type feedNode struct {
	t *tf.Tensor
	n *G.Node
}

type poolKey struct {
	k *kernelOp
	i int
}

type memRange struct{ lo, hi uintptr }

// trackEnv is the Env kernels see in a RunCopy: it records the memory of
// values given to AssignVariable, which the session keeps, so that it is
// never planned, and copies values in planned memory.
type trackEnv struct {
	runenv.Env
	p *Program
}

func (e *trackEnv) AssignVariable(v runenv.Variable, value *tensor.Dense) error {
	if value != nil {
		if e.p.plan != nil && e.p.plan.holds(value) {
			value = value.Clone().(*tensor.Dense)
		} else {
			e.p.escaped = append(e.p.escaped, rangeOf(value))
		}
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

// liveMemory reports whether a live value of the running program (a feed
// or an output of a kernel already run, which a kernel still to run
// reads, or a fetch) shares memory with d.
func (p *Program) liveMemory(d *tensor.Dense) bool {
	for t, v := range p.feedVals {
		if p.live(t) && varstore.Overlap(v, d) {
			return true
		}
	}
	for _, k := range p.kernels {
		if k.ranIn != p.runSeq {
			continue
		}
		for i, v := range k.ctx.Out {
			if v != nil && k.want[i] && p.live(k.op.Outputs()[i]) && varstore.Overlap(v, d) {
				return true
			}
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
	if d.MemSize() == 0 {
		return memRange{}
	}
	lo := d.Uintptr()
	return memRange{lo, lo + d.MemSize()}
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
	p = &Program{fetches: fetches}
	var used map[*tf.Tensor]bool
	var ops []*tf.Operation
	ops, p.specs, used, err = prepare(fetches, targets, feeds)
	if err != nil {
		return nil, err
	}

	// The Gorgonia graph: an input node per feed, a node per op.
	p.eg = G.NewGraph()
	nodeOf := map[*tf.Tensor]*G.Node{}
	for t := range feeds {
		p.feeds = append(p.feeds, feedNode{t: t})
	}
	sort.Slice(p.feeds, func(i, j int) bool { return p.feeds[i].t.Name() < p.feeds[j].t.Name() })
	for i := range p.feeds {
		f := &p.feeds[i]
		f.n = newInput(p.eg, feeds[f.t], fmt.Sprintf("feed%d", i))
		nodeOf[f.t] = f.n
	}
	if len(p.feeds) == 0 {
		// Limitation 1 (doc.go): a graph needs an input node.
		in := G.NewScalar(p.eg, tensor.Float32, G.WithName("no_feeds"))
		if err := G.Let(in, float32(0)); err != nil {
			return nil, errors.Wrap(err, "internal error binding the graph's input")
		}
	}
	opNode := map[*tf.Operation]*G.Node{}
	for _, op := range ops {
		k := newKernelOp(p, op, used)
		var children []*G.Node
		for _, t := range op.Inputs() {
			children = append(children, nodeOf[t])
			k.inTypes = append(k.inTypes, nodeType(p.specs[t]))
		}
		for _, c := range op.ControlInputs() {
			if n := opNode[c]; n != nil { // nil: a fed placeholder (prepare)
				children = append(children, n)
				k.inTypes = append(k.inTypes, n.Type())
			}
		}
		var n *G.Node
		if len(children) == 0 {
			n = G.NewUniqueNode(G.WithType(k.retType), G.WithOp(k), G.In(p.eg), G.WithShape(k.retShape...))
		} else if n, err = G.ApplyOp(k, children...); err != nil {
			return nil, errors.Wrapf(err, "lowering %s %q", op.Type(), op.Name())
		}
		p.kernels = append(p.kernels, k)
		opNode[op] = n
		for i, t := range op.Outputs() {
			if !k.want[i] {
				continue
			}
			if !k.multi {
				nodeOf[t] = n
				continue
			}
			pn, err := G.ApplyOp(&pickOp{k: k, i: i}, n)
			if err != nil {
				return nil, errors.Wrapf(err, "lowering output %d of %s %q", i, op.Type(), op.Name())
			}
			nodeOf[t] = pn
		}
	}
	for _, t := range fetches {
		n := nodeOf[t]
		if n == nil {
			return nil, errors.Errorf("internal error: fetch %q has no node", t.Name())
		}
		p.fetchNodes = append(p.fetchNodes, n)
	}
	p.consumers = map[*tf.Tensor][]*kernelOp{}
	for _, k := range p.kernels {
		for _, t := range k.op.Inputs() {
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
	// Limitation 6 (doc.go): the machine's finalizer.
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
	sort.Slice(ops, func(i, j int) bool { return tfimpl.OpID(ops[i]) < tfimpl.OpID(ops[j]) })

	// 2. Concrete shapes.
	for t, s := range feeds {
		specs[t] = s
	}
	for _, op := range ops {
		if len(op.Outputs()) > 0 && tfimpl.IsPlaceholder(op.Outputs()[0]) {
			return nil, nil, nil, errors.New(tfimpl.MissingFeedMessage(op.Outputs()[0]))
		}
		if len(op.Outputs()) > 0 && tfimpl.IsArg(op.Outputs()[0]) {
			return nil, nil, nil, errors.Errorf("loop-body input %q was not given a value", op.Name())
		}
		in := make([]tf.Spec, len(op.Inputs()))
		for i, t := range op.Inputs() {
			in[i] = specs[t]
		}
		out, err := tfimpl.InferSpecs(tfimpl.Def(op), op.Attrs(), in)
		if err != nil {
			return nil, nil, nil, errors.Wrapf(err, "%s %q (built at %s) with inputs %s", op.Type(), op.Name(), tfimpl.Site(op), specList(in))
		}
		if len(out) != len(op.Outputs()) {
			return nil, nil, nil, errors.Errorf("%s %q: shape inference gave %d outputs, want %d", op.Type(), op.Name(), len(out), len(op.Outputs()))
		}
		for i, s := range out {
			if !s.Shape.IsFullyDefined() || s.Shape == nil {
				return nil, nil, nil, errors.Errorf("%s %q (built at %s): output %d has shape %v at run time with inputs %s", op.Type(), op.Name(), tfimpl.Site(op), i, s.Shape, specList(in))
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
	if len(op.Outputs()) != 1 || !tfimpl.IsPlaceholder(op.Outputs()[0]) {
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
func (p *Program) Run(env runenv.Env, feeds map[*tf.Tensor]*tensor.Dense) (out []*tensor.Dense, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reuse = false
	return p.run(env, feeds)
}

// RunCopy is Run returning copies of the fetches' values, which lets the
// program reuse the memory its kernels write in its next runs instead of
// allocating new: its memory plan (memplan.go), made from the first run.
func (p *Program) RunCopy(env runenv.Env, feeds map[*tf.Tensor]*tensor.Dense) (out []*tensor.Dense, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reuse = true
	p.escaped = p.escaped[:0]
	p.observe = p.plan == nil
	p.pos = 0
	p.obs = p.obs[:0]
	if p.plan != nil && !p.plan.made {
		p.plan.make()
		p.poolBytes.Store(p.plan.bytes)
	}
	p.tenv = trackEnv{Env: env, p: p}
	defer func() {
		p.tenv = trackEnv{}
		p.observe = false
		clear(p.obs)
		p.obs = p.obs[:0]
	}()
	out, err = p.run(&p.tenv, feeds)
	if err != nil {
		return nil, err
	}
	if p.observe {
		p.buildPlan(out)
		// Until the next run makes the plan's memory, the nodes hold this
		// run's buffers (limitation 3).
		var n int64
		for _, o := range p.obs {
			n += int64(o.d.MemSize())
		}
		p.poolBytes.Store(n)
	}
	for i, d := range out {
		out[i] = d.Clone().(*tensor.Dense)
	}
	return out, nil
}

// PoolBytes returns the bytes of the memory the program keeps for its
// runs: its memory plan's, or before the plan is made, the buffers of its
// first run, which its nodes hold.
func (p *Program) PoolBytes() int64 { return p.poolBytes.Load() }

// alloc is the runenv.Run.Pool of a RunCopy: output i's planned memory
// (zeroed when zero is true), or a new buffer.
func (p *Program) alloc(k *kernelOp, spec tf.Spec, i int, zero bool) *tensor.Dense {
	key := poolKey{k, i}
	var d *tensor.Dense
	if p.plan != nil {
		if h := p.plan.hdrs[key]; h != nil && sameSpec(h, spec) {
			d = h
			if zero {
				d.Zero()
			}
		}
	}
	if d == nil {
		d = tfimpl.NewDense(spec)
	}
	if p.observe {
		p.obs = append(p.obs, observed{key: key, d: d, def: k.pos, last: -1})
	}
	k.given[i] = d
	return d
}

func (p *Program) run(env runenv.Env, feeds map[*tf.Tensor]*tensor.Dense) (out []*tensor.Dense, err error) {
	p.env = env
	p.err = nil
	p.runSeq++
	p.feedVals = feeds
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("internal error running the graph: %v", r)
		}
		p.vm.Reset()
		p.env = nil
		p.feedVals = nil
	}()
	for _, f := range p.feeds {
		v, ok := feeds[f.t]
		if !ok {
			return nil, errors.Errorf("internal error: feed %q missing", f.t.Name())
		}
		// Input nodes' values are only read (kernels get them as Do's
		// arguments; loadArg does not write them).
		if err := G.Let(f.n, v); err != nil {
			return nil, errors.Wrapf(err, "internal error binding feed %q", f.t.Name())
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
	for i, n := range p.fetchNodes {
		d, ok := n.Value().(*tensor.Dense)
		if !ok {
			return nil, errors.Errorf("internal error: %q has value %T", p.fetches[i].Name(), n.Value())
		}
		out[i] = d
	}
	return out, nil
}
