package lower

import (
	"sort"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/internal/varstore"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The memory plan of a Program (RunCopy).
//
// The first run of a program observes: every buffer a kernel asks for is
// new, and the run records, per buffer, the position of the kernel that
// made it and of the last kernel that read memory of it (through any
// view: a Reshape's output shares its input's buffer), in the order
// Gorgonia runs the nodes, which is fixed at compile time. A buffer whose
// memory is fetched lives to the end of the run; one whose memory a kernel
// gave to the session (Env.AssignVariable) is never planned. From those
// lifetimes the plan gives each buffer a slot of memory that no value
// alive at the same time uses (greedy interval assignment, a slot taken
// only after its last value's last reader has run, so no kernel ever
// writes memory it reads), sized to the largest value it holds. Later runs
// hand each kernel its slot, viewed in the output's shape, zeroed only
// when the kernel asks (Alloc, not AllocUninit), and allocate nothing
// else; the slots are made at the second run, so a program run once keeps
// none, and they are the first run's buffers, so a plan allocates nothing.
// A buffer the plan does not know (a kernel that did not ask in the
// first run) is new in every run. A value in planned memory given to
// AssignVariable is copied first, so the session never holds planned
// memory.
//
// In W1's training step (DynamicRNN of 100 units, batch 150) the plan
// keeps 1,887 KiB against 1,949 KiB of first-run buffers (with the generic
// loop 3,514 against 3,648, TestMemoryPlanSharesBuffers): most of it is the
// states the loop's gradient needs, alive from the forward loop to the
// backward one, as in TF.
type memPlan struct {
	slots []planSlot
	hdrs  map[poolKey]*tensor.Dense // by kernel output, once made
	of    map[poolKey]planItem
	made  bool
	bytes int64
}

type planSlot struct {
	dt   tf.DType
	n    int           // elements
	src  *tensor.Dense // the first run's largest buffer in the slot
	back any           // the slot's memory, once made
	span memRange
}

type planItem struct {
	slot int
	spec tf.Spec
}

// observed is a buffer of the observing run: the kernel output it was
// made for, the position of its maker and of its last reader (-1: none;
// maxPos: the end of the run), and whether it may be planned.
type observed struct {
	key       poolKey
	d         *tensor.Dense
	def, last int
	exclude   bool
}

const maxPos = int(^uint(0) >> 1)

// noteReads records that the kernel at position pos reads in.
func (p *Program) noteReads(in []*tensor.Dense, pos int) {
	for _, v := range in {
		if v == nil || v.MemSize() == 0 {
			continue
		}
		for i := range p.obs {
			o := &p.obs[i]
			if o.last < pos && varstore.Overlap(v, o.d) {
				o.last = pos
			}
		}
	}
}

// buildPlan lays out the memory plan from the observing run, whose fetched
// values were out and whose escaped memory p.escaped holds.
func (p *Program) buildPlan(out []*tensor.Dense) {
	count := map[poolKey]int{}
	for _, o := range p.obs {
		count[o.key]++
	}
	var items []*observed
	for i := range p.obs {
		o := &p.obs[i]
		r := rangeOf(o.d)
		for _, e := range p.escaped {
			if r.overlaps(e) {
				o.exclude = true
			}
		}
		for _, f := range out {
			if varstore.Overlap(f, o.d) {
				o.last = maxPos
			}
		}
		if o.exclude || count[o.key] > 1 || o.d.MemSize() == 0 {
			continue // a kernel asking twice for one output: not planned
		}
		items = append(items, o)
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].def < items[j].def })

	plan := &memPlan{hdrs: map[poolKey]*tensor.Dense{}, of: map[poolKey]planItem{}}
	free := []int{} // the position after which each slot is free
	for _, o := range items {
		spec := tfimpl.SpecOf(o.d)
		n := kernels.Numel(spec.Shape)
		best := -1
		for sl := range plan.slots {
			if plan.slots[sl].dt == spec.DType && free[sl] < o.def && (best < 0 || betterSlot(plan.slots[sl].n, plan.slots[best].n, n)) {
				best = sl
			}
		}
		if best < 0 {
			plan.slots = append(plan.slots, planSlot{dt: spec.DType})
			free = append(free, 0)
			best = len(plan.slots) - 1
		}
		if sl := &plan.slots[best]; n > sl.n {
			sl.n, sl.src = n, o.d
		}
		last := o.last
		if last < o.def {
			last = o.def // never read: free after its maker
		}
		free[best] = last
		plan.of[o.key] = planItem{slot: best, spec: spec}
	}
	p.plan = plan
}

// betterSlot reports whether a slot of a elements suits a value of n
// elements better than one of b: the smallest that holds n, else the
// largest.
func betterSlot(a, b, n int) bool {
	if fa, fb := a >= n, b >= n; fa != fb {
		return fa
	} else if fa {
		return a < b
	}
	return a > b
}

// make gives the plan's slots their memory, the largest buffer of the
// first run that each holds (which nothing else keeps: the session never
// holds the first run's buffers, as those given to AssignVariable are not
// planned), and makes the views kernels get.
func (m *memPlan) make() {
	m.made = true
	m.bytes = 0
	for i := range m.slots {
		s := &m.slots[i]
		s.back = tfimpl.Backing(s.src)
		s.span = rangeOf(s.src)
		m.bytes += int64(s.src.MemSize())
		s.src = nil
	}
	for key, it := range m.of {
		back := sliceBacking(m.slots[it.slot].back, kernels.Numel(it.spec.Shape))
		if len(it.spec.Shape) == 0 {
			m.hdrs[key] = tensor.New(tensor.WithShape(), tensor.WithBacking(back))
		} else {
			m.hdrs[key] = tensor.New(tensor.WithShape(it.spec.Shape...), tensor.WithBacking(back))
		}
	}
}

// holds reports whether d shares memory with the plan's slots.
func (m *memPlan) holds(d *tensor.Dense) bool {
	if !m.made {
		return false
	}
	r := rangeOf(d)
	for _, s := range m.slots {
		if r.overlaps(s.span) {
			return true
		}
	}
	return false
}

// sliceBacking returns the first n elements of a backing slice.
func sliceBacking(b any, n int) any {
	switch s := b.(type) {
	case []float32:
		return s[:n]
	case []float64:
		return s[:n]
	case []int32:
		return s[:n]
	case []int64:
		return s[:n]
	case []bool:
		return s[:n]
	case []string:
		return s[:n]
	}
	panic("lower: unknown backing type")
}
