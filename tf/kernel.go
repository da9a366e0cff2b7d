package tf

import (
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/runenv"
)

// KernelContext is what a kernel sees: its op, its inputs' values, and room
// for its outputs, whose concrete specs are known before it runs.
type KernelContext struct {
	Op       *Operation
	In       []*tensor.Dense
	Out      []*tensor.Dense
	OutSpecs []Spec
	// Env is the session running the kernel: variables and per-op state.
	Env runenv.Env
	// Pool, when set, gives buffers back between runs, zeroed when zero is
	// true; kernels ask through Alloc and AllocUninit.
	Pool func(spec Spec, i int, zero bool) *tensor.Dense
	// Want, when not nil, says which outputs the running program reads
	// (another op's input or a fetch); see Wanted.
	Want []bool
	// Local, when set, returns the state the running program keeps for
	// key across its runs (a loop's compiled body and its buffers), made
	// by create at first use. Runs of one program are serialized, so the
	// state needs no lock; it goes away with the program.
	Local func(key any, create func() any) any
	// RunID numbers the runs of the running program (it differs between
	// any two runs), for kernels that share state within one run.
	RunID uint64
}

// Wanted reports whether output i is read by the running program. A kernel
// may leave an output that is not wanted unset (and skip computing it);
// it must set every wanted output.
func (c *KernelContext) Wanted(i int) bool { return c.Want == nil || c.Want[i] }

// Alloc returns a buffer of zeros for output i, shaped as OutSpecs[i], and
// sets it as that output.
func (c *KernelContext) Alloc(i int) *tensor.Dense { return c.alloc(i, true) }

// AllocUninit is Alloc for kernels that write every element of output i:
// the buffer's contents are undefined (a reused buffer keeps the values of
// an earlier run), which saves clearing it.
func (c *KernelContext) AllocUninit(i int) *tensor.Dense { return c.alloc(i, false) }

func (c *KernelContext) alloc(i int, zero bool) *tensor.Dense {
	var d *tensor.Dense
	if c.Pool != nil {
		d = c.Pool(c.OutSpecs[i], i, zero)
	}
	if d == nil {
		d = NewDense(c.OutSpecs[i])
	}
	c.Out[i] = d
	return d
}

// Set makes d output i. The kernel must not change d afterwards.
func (c *KernelContext) Set(i int, d *tensor.Dense) { c.Out[i] = d }

// Attrs returns the op's attributes.
func (c *KernelContext) Attrs() Attrs { return c.Op.attrs }

// NewDense returns a zeroed dense tensor of a concrete spec.
func NewDense(s Spec) *tensor.Dense {
	shape := []int(s.Shape)
	n := 1
	for _, d := range shape {
		n *= d
	}
	var back any
	switch s.DType {
	case Float32:
		back = make([]float32, n)
	case Float64:
		back = make([]float64, n)
	case Int32:
		back = make([]int32, n)
	case Int64:
		back = make([]int64, n)
	case Bool:
		back = make([]bool, n)
	case String:
		back = make([]string, n)
	default:
		back = make([]float32, n)
	}
	if len(shape) == 0 {
		return tensor.New(tensor.WithShape(), tensor.WithBacking(back))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(back))
}

// Backing returns the backing slice of d ([]float32, []float64, []int32,
// []int64 or []bool), scalars included.
func Backing(d *tensor.Dense) any { return kernels.Backing(d) }

// data returns d's backing slice as a []T.
func data[T any](d *tensor.Dense) []T { return kernels.Data[T](d) }

// view returns a dense tensor of shape sharing d's data.
func view(d *tensor.Dense, shape []int) *tensor.Dense { return kernels.View(d, shape) }

// SpecOf returns the spec of a dense tensor.
func SpecOf(d *tensor.Dense) Spec {
	return Spec{DType: DTypeOf(d.Dtype()), Shape: Shape(append([]int{}, d.Shape()...))}
}
