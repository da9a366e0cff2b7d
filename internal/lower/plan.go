package lower

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Plan is a graph compiled for fixed input specs into a list of kernels
// that Run calls in order: the form a loop kernel runs its body in, once
// per step. The values of a run are valid until the next.
//
// Memory plan: every value's shape is known when the plan is compiled, and
// so is its last reader (a fetched value lives to the end of the run). The
// first run gives each kernel output a buffer of its own and notes which
// outputs a kernel took from its inputs instead (Identity returns its
// input; such a value extends the life of the memory it shares). After it,
// buffers are assigned from liveness: an output gets a buffer of its size
// freed by a value whose last reader has run, so a chain of elementwise
// ops runs in two buffers. Kernels write into their planned buffers (they
// get them from runenv.Run.Pool); an output a kernel made elsewhere is
// copied into its planned buffer, so no plan ever depends on a kernel's
// habits. A run allocates nothing once warm, and zeroes only the buffers
// of kernels that ask for zeros (Alloc, for kernels that accumulate).
//
// A loop body could also run as a Gorgonia program (Program) per step; the
// loop kernels use plans because Gorgonia's TapeMachine costs, per run, a
// goroutine and two channels (RunAll), a slice of inputs per node and a
// new tensor header per value a node returns (it writes its engine into
// every returned value), and a program's outputs must be copied out or
// freshly allocated each run. Measured on W7's step (concat, MatMul, bias
// add, tanh; batch 150, 28 inputs, 150 units) with BenchmarkStepPlan and
// BenchmarkStepProgram, GOMAXPROCS=1, CPU time on a loaded machine: a plan
// 112-116 µs and 0.6 KB allocated per run, the program 175-194 µs and
// 94.7 KB; over W7's 28 forward steps that is about 2 ms and 2.6 MB of
// garbage per training step saved.
type Plan struct {
	steps   []*planStep
	vals    []*tensor.Dense // by slot
	specs   []tf.Spec       // by slot
	feeds   []int           // the slot of each input
	fetches []int           // the slot of each output
	local   map[any]any
	runID   uint64

	last    []int // by slot: the step that reads it last (len(steps) for fetches)
	alias   []int // by slot: the slot whose memory the first run's output shared, -1
	planned bool  // buffers are assigned by liveness (after the first run)
	bytes   int   // the bytes of the buffers the planned values use
}

type planStep struct {
	op      *tf.Operation
	in      []int // slots read
	out     []int // slot of each output, -1 when not read
	ctx     tf.KernelContext
	bufs    []*tensor.Dense // the buffer of each output, kept across runs
	planned []bool          // bufs[i] is the planned buffer of output i's value
}

// CompilePlan compiles the ops computing fetches from feeds, given values
// of the specs in specs (one per feed).
func CompilePlan(fetches, feeds []*tf.Tensor, specs []tf.Spec) (p *Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("internal error compiling a loop body: %v", r)
		}
	}()
	fm := make(map[*tf.Tensor]tf.Spec, len(feeds))
	for i, t := range feeds {
		fm[t] = specs[i]
	}
	ops, outSpecs, used, err := prepare(fetches, nil, fm)
	if err != nil {
		return nil, err
	}
	p = &Plan{local: map[any]any{}}
	slot := map[*tf.Tensor]int{}
	newSlot := func(t *tf.Tensor) int {
		if s, ok := slot[t]; ok {
			return s
		}
		slot[t] = len(p.vals)
		p.vals = append(p.vals, nil)
		p.specs = append(p.specs, tf.Spec{})
		p.last = append(p.last, -1)
		return slot[t]
	}
	for i, t := range feeds {
		p.feeds = append(p.feeds, newSlot(t))
		p.specs[slot[t]] = specs[i]
	}
	for _, op := range ops {
		st := &planStep{op: op, bufs: make([]*tensor.Dense, len(op.Outputs()))}
		for _, t := range op.Inputs() {
			s, ok := slot[t]
			if !ok {
				return nil, errors.Errorf("internal error: input %q of %q has no value", t.Name(), op.Name())
			}
			st.in = append(st.in, s)
			p.last[s] = len(p.steps)
		}
		want := make([]bool, len(op.Outputs()))
		os := make([]tf.Spec, len(op.Outputs()))
		for i, t := range op.Outputs() {
			os[i] = outSpecs[t]
			st.out = append(st.out, -1)
			if _, fed := fm[t]; !fed && used[t] {
				want[i] = true
				st.out[i] = newSlot(t)
				p.specs[st.out[i]] = os[i]
			}
		}
		st.ctx = tf.KernelContext{Op: op, In: make([]*tensor.Dense, len(st.in)), Out: make([]*tensor.Dense, len(os)),
			OutSpecs: os}
		*tfimpl.Run(&st.ctx) = runenv.Run{Want: want, Local: p.localState, Pool: st.buffer}
		p.steps = append(p.steps, st)
	}
	for _, t := range fetches {
		s, ok := slot[t]
		if !ok {
			return nil, errors.Errorf("internal error: fetch %q has no value", t.Name())
		}
		p.fetches = append(p.fetches, s)
		p.last[s] = len(p.steps)
	}
	p.alias = make([]int, len(p.vals))
	for i := range p.alias {
		p.alias[i] = -1
	}
	return p, nil
}

// plan assigns the buffers of the values kernels output from their
// liveness (see Plan), once the first run has shown which outputs share
// their inputs' memory.
func (p *Plan) plan() {
	p.planned = true
	// A value sharing another's memory keeps that memory alive as long as
	// itself; its root's life is extended (roots come first).
	root := make([]int, len(p.vals))
	end := append([]int(nil), p.last...)
	for s := range root {
		root[s] = s
		if a := p.alias[s]; a >= 0 {
			root[s] = root[a]
			end[root[s]] = max(end[root[s]], end[s])
		}
	}
	isFeed := make([]bool, len(p.vals))
	for _, s := range p.feeds {
		isFeed[s] = true
	}
	// Free buffers by dtype and size; a buffer is freed after the step
	// that reads its value last.
	type key struct {
		dt tf.DType
		n  int
	}
	free := map[key][]*tensor.Dense{}
	freeAt := make([][]int, len(p.steps)+1) // step -> slots whose buffers free after it
	owner := map[int]*tensor.Dense{}        // slot -> its buffer
	for i, st := range p.steps {
		st.planned = make([]bool, len(st.out))
		for j, s := range st.out {
			if s < 0 || isFeed[s] || p.alias[s] >= 0 {
				continue
			}
			sp := p.specs[s]
			k := key{sp.DType, sp.Shape.NumElements()}
			var buf *tensor.Dense
			if l := free[k]; len(l) > 0 {
				buf, free[k] = l[len(l)-1], l[:len(l)-1]
				buf = reshaped(buf, sp)
			} else {
				buf = tfimpl.NewDense(sp)
				p.bytes += sizeOf(sp)
			}
			st.bufs[j], st.planned[j] = buf, true
			owner[s] = buf
			if e := max(end[s], i); e < len(p.steps) {
				freeAt[e] = append(freeAt[e], s)
			}
		}
		for _, s := range freeAt[i] {
			if b, ok := owner[s]; ok {
				sp := p.specs[s]
				k := key{sp.DType, sp.Shape.NumElements()}
				free[k] = append(free[k], b)
			}
		}
	}
}

// reshaped returns a header of spec's shape on d's memory (same size).
// The memory is d's backing slice: d.Data() is a bare number, not a slice,
// when d holds one element as a scalar.
func reshaped(d *tensor.Dense, spec tf.Spec) *tensor.Dense {
	if sameSpec(d, spec) {
		return d
	}
	return tensor.New(tensor.WithShape(spec.Shape...), tensor.WithBacking(tfimpl.Backing(d)))
}

func sizeOf(sp tf.Spec) int {
	n := sp.Shape.NumElements()
	switch sp.DType {
	case tf.Float64, tf.Int64:
		return 8 * n
	case tf.Bool:
		return n
	}
	return 4 * n
}

// Bytes returns the bytes of the buffers the plan's values take once
// planned (after the first Run), and what a buffer per value would take.
func (p *Plan) Bytes() (planned, unshared int) {
	isFeed := make([]bool, len(p.vals))
	for _, s := range p.feeds {
		isFeed[s] = true
	}
	for s, sp := range p.specs {
		if !isFeed[s] && p.alias[s] < 0 {
			unshared += sizeOf(sp)
		}
	}
	return p.bytes, unshared
}

// sameMemory reports whether a and b start at the same address.
func sameMemory(a, b *tensor.Dense) bool {
	return a.Uintptr() == b.Uintptr()
}

func (p *Plan) localState(key any, create func() any) any {
	v, ok := p.local[key]
	if !ok {
		v = create()
		p.local[key] = v
	}
	return v
}

// buffer is the runenv.Run.Pool of a plan step: output i's own buffer.
func (st *planStep) buffer(i int, zero bool) *tensor.Dense {
	spec := st.ctx.OutSpecs[i]
	d := st.bufs[i]
	switch {
	case d == nil || !sameSpec(d, spec):
		d = tfimpl.NewDense(spec)
		st.bufs[i] = d
	case zero:
		d.Zero()
	}
	return d
}

// sameSpec reports whether d has spec's dtype and shape.
func sameSpec(d *tensor.Dense, spec tf.Spec) bool {
	if tf.DTypeOf(d.Dtype()) != spec.DType {
		return false
	}
	sh := d.Shape()
	if len(sh) != len(spec.Shape) {
		return false
	}
	for i, n := range sh {
		if n != spec.Shape[i] {
			return false
		}
	}
	return true
}

// Run runs the plan on inputs (one per feed, in order) with env. The
// outputs (Out) are valid until the next Run; they may share memory with
// the inputs.
func (p *Plan) Run(env runenv.Env, inputs []*tensor.Dense) error {
	if len(inputs) != len(p.feeds) {
		return errors.Errorf("internal error: %d inputs for %d feeds", len(inputs), len(p.feeds))
	}
	p.runID++
	for i, s := range p.feeds {
		p.vals[s] = inputs[i]
	}
	for _, st := range p.steps {
		c := &st.ctx
		run := tfimpl.Run(c)
		run.Env, run.RunID = env, p.runID
		for i, s := range st.in {
			c.In[i] = p.vals[s]
		}
		clear(c.Out)
		err := runKernel(c)
		clear(c.In)
		op := st.op
		if err != nil {
			return errors.Wrapf(err, "%s %q (built at %s)", op.Type(), op.Name(), tfimpl.Site(op))
		}
		for i, s := range st.out {
			if s < 0 {
				continue
			}
			v := c.Out[i]
			if v == nil {
				return errors.Errorf("internal error: %s %q did not set output %d", op.Type(), op.Name(), i)
			}
			if !sameSpec(v, c.OutSpecs[i]) {
				return errors.Errorf("internal error: %s %q output %d is %v, inferred %v", op.Type(), op.Name(), i, tfimpl.SpecOf(v), c.OutSpecs[i])
			}
			switch {
			case !p.planned:
				if st.bufs[i] == nil || !sameMemory(v, st.bufs[i]) {
					p.alias[s] = p.aliasOf(st, v)
				}
			case st.planned[i] && !sameMemory(v, st.bufs[i]):
				// Made elsewhere: into the planned buffer.
				if err := copyInto(st.bufs[i], v); err != nil {
					return err
				}
				v = st.bufs[i]
			}
			p.vals[s] = v
		}
	}
	if !p.planned {
		p.plan()
	}
	return nil
}

// aliasOf returns the input slot of st whose value's memory v starts in
// (a kernel returned it, or a view of it), or -2 when v's memory is none
// of them (a kernel allocated it: it is copied into a planned buffer from
// the next run on).
func (p *Plan) aliasOf(st *planStep, v *tensor.Dense) int {
	lo := v.Uintptr()
	for _, s := range st.in {
		in := p.vals[s]
		if in == nil {
			continue
		}
		a := in.Uintptr()
		if lo >= a && lo < a+uintptr(in.MemSize()) || lo == a {
			return s
		}
	}
	return -2
}

// copyInto copies src's elements into dst, of the same spec.
func copyInto(dst, src *tensor.Dense) error {
	if dst.MemSize() != src.MemSize() {
		return errors.Errorf("internal error: copying %v into %v", src.Shape(), dst.Shape())
	}
	copy(dst.Raw, src.Raw)
	return nil
}

// Out returns the value of fetch i after a Run.
func (p *Plan) Out(i int) *tensor.Dense { return p.vals[p.fetches[i]] }
