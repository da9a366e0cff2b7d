// Package session runs gorgoflow graphs, as TF 1.x's tf.Session.
//
// A Session holds the values of a graph's variables and runs the graph for
// the fetches and feeds of each Run. The first Run with a given set of
// fetches and feed shapes compiles the needed part of the graph for those
// concrete shapes (to a Gorgonia program); later Runs with the same shapes
// reuse it. So a graph built with a None batch dimension runs batches of 1,
// 150 and 10,000 in one session, and every compiled program reads and writes
// the same variables. A session keeps the programs it used last, 32 by
// default (MaxCachedPrograms), and compiles again what it dropped. A
// program keeps its buffers for its next runs; together the cached
// programs keep at most 32 MiB of them (or twice what the last Run's
// program needs, when more), the least recently used programs going first.
//
// Run is safe for concurrent use. Close waits for the Runs in flight, then
// frees the session's programs and variable values; Runs after Close fail.
// Every error is returned, never panicked, except by the Must helpers; a
// failed Run leaves the session usable.
package session

import (
	"container/list"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/lower"
	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/internal/varstore"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Feed maps placeholders (or other feedable tensors) to their values for
// one Run (Python's feed_dict). Values are tensor.Tensor values, *tf.Array,
// Go numbers or nested slices; numbers are converted to the tensor's dtype as
// numpy feeds are.
type Feed map[*tf.Tensor]any

// DefaultMaxCachedPrograms is how many compiled programs a session keeps
// unless MaxCachedPrograms says otherwise.
const DefaultMaxCachedPrograms = 32

// Session runs a graph and holds its variables' values (tf.Session).
type Session struct {
	g *tf.Graph

	// life is held for reading by every Run and for writing by Close, which
	// so waits for the Runs in flight; closed is written under it.
	life   sync.RWMutex
	closed bool

	mu       sync.Mutex // guards programs, state
	programs *programCache
	state    map[any]any // by *tf.Operation

	vars *varstore.Store
}

// Option configures a Session.
type Option func(*Session)

// WithGraph makes the session run g instead of the default graph.
func WithGraph(g *tf.Graph) Option { return func(s *Session) { s.g = g } }

// MaxCachedPrograms sets how many compiled programs (one per set of
// fetches and feed shapes) the session keeps for later Runs; when one more
// is needed, the least recently used goes. The default is
// DefaultMaxCachedPrograms. 0 keeps none (every Run compiles); a negative
// n keeps every program, as sessions before this option did.
func MaxCachedPrograms(n int) Option { return func(s *Session) { s.programs.max = n } }

// New returns a session on the default graph (tf.Session()), or on the
// graph given by WithGraph.
func New(opts ...Option) *Session {
	s := &Session{
		g:        tf.DefaultGraph(),
		programs: newProgramCache(DefaultMaxCachedPrograms),
		state:    map[any]any{},
		vars:     varstore.New(),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Graph returns the session's graph.
func (s *Session) Graph() *tf.Graph { return s.g }

// Close waits for the Runs in flight to end, then releases the session's
// compiled programs and variable values. Runs after Close fail with
// "Attempted to use a closed Session."; closing again does nothing.
func (s *Session) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.mu.Lock()
	s.programs = nil
	s.state = nil
	s.mu.Unlock()
	s.vars.Close()
	return nil
}

// errClosed is TF's error for a closed session.
var errClosed = varstore.ErrClosed

// Run runs the graph and returns the values of fetches (sess.run). fetches
// is one tf.Fetch (a *tf.Tensor, *tf.Operation or *tf.Variable), a
// []tf.Fetch, a []*tf.Tensor or a []*tf.Operation; the result has one entry
// per fetch, in order, nil for operations. An []any of those is flattened
// in order, so Python's sess.run([outputs, states]) is
// sess.Run([]any{outputs, states}, feed): outputs' value, then one per
// state tensor. feed may be nil.
func (s *Session) Run(fetches any, feed Feed) (vals []*tf.Array, err error) {
	defer func() {
		if r := recover(); r != nil {
			vals, err = nil, errors.Errorf("session.Run: internal error: %v", r)
		}
	}()
	list, err := fetchList(fetches)
	if err != nil {
		return nil, err
	}
	return s.run(list, feed)
}

// MustRun is Run that panics on error, for examples and notebooks.
func (s *Session) MustRun(fetches any, feed Feed) []*tf.Array {
	v, err := s.Run(fetches, feed)
	if err != nil {
		panic(err)
	}
	return v
}

// Eval returns the value of one tensor or variable (t.eval(feed_dict)).
func (s *Session) Eval(t tf.Fetch, feed Feed) (*tf.Array, error) {
	v, err := s.Run(t, feed)
	if err != nil {
		return nil, err
	}
	if len(v) != 1 || v[0] == nil {
		return nil, errors.New("session.Eval: the fetch is an operation, which has no value; use Run")
	}
	return v[0], nil
}

// MustEval is Eval that panics on error.
func (s *Session) MustEval(t tf.Fetch, feed Feed) *tf.Array {
	v, err := s.Eval(t, feed)
	if err != nil {
		panic(err)
	}
	return v
}

func fetchList(fetches any) ([]tf.Fetch, error) {
	switch f := fetches.(type) {
	case nil:
		return nil, errors.New("session.Run: fetches is nil; give a tensor, an operation, a variable or a slice of them")
	case []tf.Fetch:
		return f, nil
	case []*tf.Tensor:
		out := make([]tf.Fetch, len(f))
		for i, t := range f {
			out[i] = t
		}
		return out, nil
	case []*tf.Operation:
		out := make([]tf.Fetch, len(f))
		for i, t := range f {
			out[i] = t
		}
		return out, nil
	case []*tf.Variable:
		out := make([]tf.Fetch, len(f))
		for i, t := range f {
			out[i] = t
		}
		return out, nil
	case tf.Fetch:
		return []tf.Fetch{f}, nil
	case []any:
		// Python's sess.run([outputs, states]): the elements' fetches in
		// order, flattened.
		var out []tf.Fetch
		for i, e := range f {
			if _, nested := e.([]any); nested {
				return nil, errors.Errorf("session.Run: fetches[%d] is a []any; give fetches and slices of them, one level deep", i)
			}
			l, err := fetchList(e)
			if err != nil {
				return nil, errors.Wrapf(err, "fetches[%d]", i)
			}
			out = append(out, l...)
		}
		return out, nil
	}
	return nil, errors.Errorf("session.Run: cannot fetch a %T; give a *tf.Tensor, *tf.Operation, *tf.Variable, a slice of them, or an []any of those", fetches)
}

func (s *Session) run(list []tf.Fetch, feed Feed) ([]*tf.Array, error) {
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return nil, errors.Wrap(errClosed, "session.Run")
	}
	s.vars.Begin()
	defer s.vars.End()
	var tensors []*tf.Tensor
	var targets []*tf.Operation
	slot := make([]int, len(list)) // index into tensors, or -1
	for i, f := range list {
		t, op, err := tfimpl.ResolveFetch(f)
		if err != nil {
			return nil, errors.Wrapf(err, "session.Run: fetch %d", i)
		}
		if g := op.Graph(); g != s.g {
			if s.inBody(g) {
				return nil, errors.Errorf("session.Run: fetch %d (%s) is inside a loop body (tfimpl.NewFunc), which runs only inside its loop op; fetch the loop op's outputs", i, fetchName(t, op))
			}
			return nil, errors.Errorf("session.Run: fetch %d (%s) is not an element of this session's graph", i, fetchName(t, op))
		}
		if t == nil {
			targets = append(targets, op)
			slot[i] = -1
			continue
		}
		slot[i] = len(tensors)
		tensors = append(tensors, t)
	}
	feedVals, specs, err := s.convertFeeds(feed)
	if err != nil {
		return nil, err
	}
	prog, err := s.program(tensors, targets, specs)
	if err != nil {
		return nil, errors.Wrap(err, "session.Run")
	}
	// RunCopy returns copies of the fetched values: the program reuses its
	// buffers in its next runs.
	vals, err := prog.RunCopy((*env)(s), feedVals)
	if err != nil {
		return nil, errors.Wrap(err, "session.Run")
	}
	s.mu.Lock()
	s.programs.trim(prog)
	s.mu.Unlock()
	out := make([]*tf.Array, len(list))
	for i, k := range slot {
		if k >= 0 {
			out[i] = tf.NewArray(vals[k])
		}
	}
	return out, nil
}

// inBody reports whether g is a loop body built (at any depth) inside the
// session's graph.
func (s *Session) inBody(g *tf.Graph) bool {
	for g = tfimpl.Outer(g); g != nil; g = tfimpl.Outer(g) {
		if g == s.g {
			return true
		}
	}
	return false
}

func fetchName(t *tf.Tensor, op *tf.Operation) string {
	if t != nil {
		return fmt.Sprintf("tensor %q", t.Name())
	}
	return fmt.Sprintf("operation %q", op.Name())
}

// convertFeeds checks each feed against its tensor and converts its value.
func (s *Session) convertFeeds(feed Feed) (map[*tf.Tensor]*tensor.Dense, map[*tf.Tensor]tf.Spec, error) {
	vals := make(map[*tf.Tensor]*tensor.Dense, len(feed))
	specs := make(map[*tf.Tensor]tf.Spec, len(feed))
	for t, v := range feed {
		if t == nil {
			return nil, nil, errors.New("session.Run: a feed key is a nil *tf.Tensor")
		}
		if t.Err() != nil {
			return nil, nil, errors.Wrap(t.Err(), "session.Run: a feed key is a tensor that failed to build")
		}
		if tfimpl.Def(t.Op()).NoFeed || s.inBody(t.Graph()) {
			return nil, nil, errors.Errorf("session.Run: tensor %q may not be fed: it is inside a loop body (tfimpl.NewFunc), whose values only its loop op gives", t.Name())
		}
		if t.Graph() != s.g {
			return nil, nil, errors.Errorf("session.Run: cannot feed %q: it is not an element of this session's graph", t.Name())
		}
		d, err := tfimpl.ConvertToTensor(v, t.DType())
		if err != nil {
			return nil, nil, errors.Wrapf(err, "session.Run: cannot feed a value of type %T for tensor %q, which has dtype %s and shape %v", v, t.Name(), t.DType(), t.Shape())
		}
		got := tf.Shape(d.Shape())
		if want := t.Shape(); want != nil && !want.IsCompatibleWith(got) {
			return nil, nil, errors.Errorf("session.Run: Cannot feed value of shape %v for Tensor %q, which has shape %v", got, t.Name(), want)
		}
		vals[t] = d
		specs[t] = tf.Spec{DType: t.DType(), Shape: got}
	}
	return vals, specs, nil
}

// program returns the compiled program for these fetches and feed shapes,
// from the cache or compiled now.
func (s *Session) program(tensors []*tf.Tensor, targets []*tf.Operation, specs map[*tf.Tensor]tf.Spec) (*lower.Program, error) {
	key := programKey(tensors, targets, specs)
	s.mu.Lock()
	p := s.programs.get(key)
	s.mu.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := lower.Compile(tensors, targets, specs)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	p = s.programs.put(key, p)
	s.mu.Unlock()
	return p, nil
}

// programKey identifies a program by value: the fetched tensors and the
// run targets, in order, by their operations' IDs (unique in a graph) and
// output indices; then the fed tensors, ordered by the same, with the
// dtype and concrete shape of their values.
func programKey(tensors []*tf.Tensor, targets []*tf.Operation, specs map[*tf.Tensor]tf.Spec) string {
	b := make([]byte, 0, 8*(len(tensors)+len(targets))+16*len(specs))
	b = binary.AppendUvarint(b, uint64(len(tensors)))
	for _, t := range tensors {
		b = binary.AppendUvarint(b, uint64(tfimpl.OpID(t.Op())))
		b = binary.AppendUvarint(b, uint64(t.Index()))
	}
	b = binary.AppendUvarint(b, uint64(len(targets)))
	for _, op := range targets {
		b = binary.AppendUvarint(b, uint64(tfimpl.OpID(op)))
	}
	fed := make([]*tf.Tensor, 0, len(specs))
	for t := range specs {
		fed = append(fed, t)
	}
	slices.SortFunc(fed, func(a, b *tf.Tensor) int {
		if tfimpl.OpID(a.Op()) != tfimpl.OpID(b.Op()) {
			return tfimpl.OpID(a.Op()) - tfimpl.OpID(b.Op())
		}
		return a.Index() - b.Index()
	})
	for _, t := range fed {
		sp := specs[t]
		b = binary.AppendUvarint(b, uint64(tfimpl.OpID(t.Op())))
		b = binary.AppendUvarint(b, uint64(t.Index()))
		b = binary.AppendUvarint(b, uint64(sp.DType))
		b = binary.AppendUvarint(b, uint64(len(sp.Shape)))
		for _, d := range sp.Shape {
			b = binary.AppendUvarint(b, uint64(d))
		}
	}
	return string(b)
}

// programCache holds compiled programs by key, dropping the least recently
// used beyond max (none kept when max is 0, all when it is negative). A
// dropped program is garbage once the Runs still using it end.
type programCache struct {
	max   int
	order list.List // of *cached, most recently used first
	byKey map[string]*list.Element
}

type cached struct {
	key string
	p   *lower.Program
}

func newProgramCache(max int) *programCache {
	return &programCache{max: max, byKey: map[string]*list.Element{}}
}

// get returns the program cached under key, or nil; it makes it the most
// recently used.
func (c *programCache) get(key string) *lower.Program {
	if c == nil {
		return nil
	}
	e := c.byKey[key]
	if e == nil {
		return nil
	}
	c.order.MoveToFront(e)
	return e.Value.(*cached).p
}

// put caches p under key unless a program is cached there already (another
// Run compiled it meanwhile), and returns the cached one; it drops the
// least recently used programs beyond max.
func (c *programCache) put(key string, p *lower.Program) *lower.Program {
	if c == nil || c.max == 0 {
		return p
	}
	if e := c.byKey[key]; e != nil {
		c.order.MoveToFront(e)
		return e.Value.(*cached).p
	}
	c.byKey[key] = c.order.PushFront(&cached{key, p})
	for c.max > 0 && c.order.Len() > c.max {
		e := c.order.Back()
		c.order.Remove(e)
		delete(c.byKey, e.Value.(*cached).key)
	}
	return p
}

// bufferBudget bounds the bytes of the buffers the cached programs keep
// for their next runs (lower.Program.PoolBytes), together, unless the
// program just run needs more: then twice its own.
const bufferBudget = 32 << 20

// trim drops the least recently used programs whose buffers, with those
// of the programs used after them, go over the buffer budget (bufferBudget,
// or twice the buffers of ran, the program just run, when more). A
// program keeps its buffers for as long as it lives (Gorgonia's nodes hold
// their last values), so the programs go, not just their buffers; ran
// stays.
func (c *programCache) trim(ran *lower.Program) {
	if c == nil {
		return
	}
	limit := max(int64(bufferBudget), 2*ran.PoolBytes())
	var sum int64
	for e := c.order.Front(); e != nil; {
		next := e.Next()
		p := e.Value.(*cached).p
		sum += p.PoolBytes()
		if sum > limit && p != ran {
			c.order.Remove(e)
			delete(c.byKey, e.Value.(*cached).key)
			sum -= p.PoolBytes()
		}
		e = next
	}
}

// poolBytes returns the bytes of the buffers the cached programs keep.
func (c *programCache) poolBytes() int64 {
	if c == nil {
		return 0
	}
	var sum int64
	for e := c.order.Front(); e != nil; e = e.Next() {
		sum += e.Value.(*cached).p.PoolBytes()
	}
	return sum
}

func (c *programCache) len() int {
	if c == nil {
		return 0
	}
	return c.order.Len()
}

// ---- what kernels ask of the session ----

// env is the runenv.Env that kernels of the session's programs see: the
// session's variables and per-op state, kept off Session's exported API.
type env Session

// ReadVariable implements runenv.Env. The value is the session's own: a
// later run's optimizer may change it in place (as TensorFlow's do); Clone
// it to keep it.
func (e *env) ReadVariable(v runenv.Variable) (*tensor.Dense, error) {
	tv, err := variable(v)
	if err != nil {
		return nil, err
	}
	return e.vars.Read(tv)
}

// AssignVariable implements runenv.Env.
func (e *env) AssignVariable(v runenv.Variable, value *tensor.Dense) error {
	tv, err := variable(v)
	if err != nil {
		return err
	}
	return e.vars.Assign(tv, value)
}

// variable returns the *tf.Variable a kernel names.
func variable(v runenv.Variable) (*tf.Variable, error) {
	tv, ok := v.(*tf.Variable)
	if !ok || tv == nil {
		return nil, errors.Errorf("internal error: a kernel named variable %v (%T), not a *tf.Variable", v, v)
	}
	return tv, nil
}

// Store returns the session's variable store, for internal/lower, which
// gives kernels varstore.Updater with the running program's live memory.
func (e *env) Store() *varstore.Store { return e.vars }

// Update implements varstore.Updater where no program tells which memory
// is live: it always updates copies.
func (e *env) Update(op *tf.Operation, vars []*tf.Variable, f func(vals []*tensor.Dense) error) error {
	return e.vars.Update(op, vars, nil, f)
}

// OpState implements runenv.Env. create runs without the session's lock held
// (it may compile or run things); when two runs race to create op's state,
// the first stored wins and both get it.
func (e *env) OpState(op any, create func() any) any {
	e.mu.Lock()
	st, ok := e.state[op]
	e.mu.Unlock()
	if ok {
		return st
	}
	st = create()
	e.mu.Lock()
	defer e.mu.Unlock()
	if old, ok := e.state[op]; ok {
		return old
	}
	if e.state != nil {
		e.state[op] = st
	}
	return st
}

// LoadVariable sets v's value without running an op (var.load(value, sess)).
func (s *Session) LoadVariable(v *tf.Variable, value any) error {
	if s == nil {
		return errors.New("session is nil")
	}
	if v == nil {
		return errors.New("session: LoadVariable of a nil variable")
	}
	if v.Err() != nil {
		return v.Err()
	}
	if v.Graph() != s.g {
		return errors.Errorf("session: variable %q is not an element of this session's graph", v.Name())
	}
	d, err := tfimpl.CheckValue(v, value)
	if err != nil {
		return err
	}
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return errClosed
	}
	return s.vars.Assign(v, d)
}
