package lower

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Plan is a graph compiled for fixed input specs into a list of kernels
// that Run calls in order: the form a loop kernel runs its body in, once
// per step. Each kernel output has a buffer of its own, made at the first
// run and reused by every later one, so that a run allocates nothing once
// warm; the values of a run are valid until the next.
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
	feeds   []int           // the slot of each input
	fetches []int           // the slot of each output
	local   map[any]any
	runID   uint64
}

type planStep struct {
	op   *tf.Operation
	in   []int // slots read
	out  []int // slot of each output, -1 when not read
	ctx  tf.KernelContext
	bufs []*tensor.Dense // the buffer of each output, kept across runs
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
		return slot[t]
	}
	for _, t := range feeds {
		p.feeds = append(p.feeds, newSlot(t))
	}
	for _, op := range ops {
		st := &planStep{op: op, bufs: make([]*tensor.Dense, len(op.Outputs()))}
		for _, t := range op.Inputs() {
			s, ok := slot[t]
			if !ok {
				return nil, errors.Errorf("internal error: input %q of %q has no value", t.Name(), op.Name())
			}
			st.in = append(st.in, s)
		}
		want := make([]bool, len(op.Outputs()))
		os := make([]tf.Spec, len(op.Outputs()))
		for i, t := range op.Outputs() {
			os[i] = outSpecs[t]
			st.out = append(st.out, -1)
			if _, fed := fm[t]; !fed && used[t] {
				want[i] = true
				st.out[i] = newSlot(t)
			}
		}
		st.ctx = tf.KernelContext{Op: op, In: make([]*tensor.Dense, len(st.in)), Out: make([]*tensor.Dense, len(os)),
			OutSpecs: os, Want: want, Local: p.localState}
		st.ctx.Pool = st.buffer
		p.steps = append(p.steps, st)
	}
	for _, t := range fetches {
		s, ok := slot[t]
		if !ok {
			return nil, errors.Errorf("internal error: fetch %q has no value", t.Name())
		}
		p.fetches = append(p.fetches, s)
	}
	return p, nil
}

func (p *Plan) localState(key any, create func() any) any {
	v, ok := p.local[key]
	if !ok {
		v = create()
		p.local[key] = v
	}
	return v
}

// buffer is the KernelContext.Pool of a plan step: output i's own buffer.
func (st *planStep) buffer(spec tf.Spec, i int, zero bool) *tensor.Dense {
	d := st.bufs[i]
	switch {
	case d == nil || !sameSpec(d, spec):
		d = tf.NewDense(spec)
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
		c.Env, c.RunID = env, p.runID
		for i, s := range st.in {
			c.In[i] = p.vals[s]
		}
		clear(c.Out)
		err := runKernel(c)
		clear(c.In)
		op := st.op
		if err != nil {
			return errors.Wrapf(err, "%s %q (built at %s)", op.Type(), op.Name(), op.Site())
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
				return errors.Errorf("internal error: %s %q output %d is %v, inferred %v", op.Type(), op.Name(), i, tf.SpecOf(v), c.OutSpecs[i])
			}
			p.vals[s] = v
		}
	}
	return nil
}

// Out returns the value of fetch i after a Run.
func (p *Plan) Out(i int) *tensor.Dense { return p.vals[p.fetches[i]] }
