package tf

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- StridedSlice ----

// stridedDim is what a strided slice takes of one input dimension.
type stridedDim struct {
	begin, stride, size int // size None when unknown
	shrink              bool
}

// stridedPlan is a strided slice resolved against an input shape (TF's
// dense spec): per input dimension what it takes, and the output shape.
type stridedPlan struct {
	dims []stridedDim
	out  Shape
}

// planStrided resolves the sparse spec of attrs (begin, end, strides and the
// five masks, as TF's StridedSlice) against input shape s (known rank;
// dimensions may be None).
func planStrided(a Attrs, s Shape) (*stridedPlan, error) {
	begin, end, strides := a.Ints("begin"), a.Ints("end"), a.Ints("strides")
	bm, em, elm, nm, sm := a.Int("begin_mask", 0), a.Int("end_mask", 0), a.Int("ellipsis_mask", 0), a.Int("new_axis_mask", 0), a.Int("shrink_axis_mask", 0)
	n := len(begin)
	if len(end) != n || len(strides) != n {
		return nil, errors.Errorf("begin %v, end %v and strides %v must have the same length", begin, end, strides)
	}
	if elm&(elm-1) != 0 {
		return nil, errors.Errorf("ellipsis_mask %b has more than one bit set: a slice may have at most one ellipsis", elm)
	}
	bit := func(m, i int) bool { return m>>i&1 == 1 }
	// Dimensions the entries other than the ellipsis and new axes consume.
	consumed := 0
	hasEllipsis := false
	for i := 0; i < n; i++ {
		switch {
		case bit(elm, i):
			hasEllipsis = true
		case bit(nm, i):
		default:
			consumed++
		}
	}
	if consumed > len(s) {
		return nil, errors.Errorf("the slice indexes %d dimensions, but the input has shape %v (rank %d)", consumed, s, len(s))
	}
	p := &stridedPlan{out: Shape{}}
	d := 0 // input dimension
	full := func() {
		p.dims = append(p.dims, stridedDim{begin: 0, stride: 1, size: s[d]})
		p.out = append(p.out, s[d])
		d++
	}
	for i := 0; i < n; i++ {
		switch {
		case bit(elm, i):
			for k := 0; k < len(s)-consumed; k++ {
				full()
			}
			continue
		case bit(nm, i):
			p.out = append(p.out, 1)
			continue
		}
		dim, st := s[d], strides[i]
		if st == 0 {
			return nil, errors.Errorf("strides[%d] is 0; a stride must be non-zero", i)
		}
		if bit(sm, i) {
			b := begin[i]
			if dim >= 0 {
				if b < -dim || b >= dim {
					return nil, errors.Errorf("slice index %d of dimension %d out of bounds (size %d)", b, d, dim)
				}
				if b < 0 {
					b += dim
				}
			}
			p.dims = append(p.dims, stridedDim{begin: b, stride: 1, size: 1, shrink: true})
			d++
			continue
		}
		if dim < 0 {
			// The size depends on the dimension: known at Run time.
			p.dims = append(p.dims, stridedDim{begin: begin[i], stride: st, size: None})
			p.out = append(p.out, None)
			d++
			continue
		}
		lo, hi := 0, dim // clamping range for begin/end
		if st < 0 {
			lo, hi = -1, dim-1
		}
		resolve := func(v int, masked bool, atStart bool) int {
			if masked {
				if (st > 0) == atStart {
					return lo
				}
				return hi
			}
			if v < 0 {
				v += dim
			}
			return max(lo, min(hi, v))
		}
		b := resolve(begin[i], bit(bm, i), true)
		e := resolve(end[i], bit(em, i), false)
		size := 0
		if st > 0 && e > b {
			size = (e - b + st - 1) / st
		} else if st < 0 && b > e {
			size = (b - e - st - 1) / -st
		}
		p.dims = append(p.dims, stridedDim{begin: b, stride: st, size: size})
		p.out = append(p.out, size)
		d++
	}
	if !hasEllipsis {
		for d < len(s) {
			full()
		}
	}
	return p, nil
}

// indices returns, for each element of the output in order, its flat index
// in an input of concrete shape s.
func (p *stridedPlan) indices(s []int) []int {
	st := kernels.Strides(s)
	idx := []int{0}
	for d, sd := range p.dims {
		next := make([]int, 0, len(idx)*max(sd.size, 0))
		for _, base := range idx {
			for k := 0; k < sd.size; k++ {
				next = append(next, base+(sd.begin+k*sd.stride)*st[d])
			}
		}
		idx = next
	}
	return idx
}

var stridedSliceDef = &OpDef{
	Type: "StridedSlice",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if in[0].Shape == nil {
			return []Spec{{DType: in[0].DType}}, nil
		}
		p, err := planStrided(a, in[0].Shape)
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: in[0].DType, Shape: p.out}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		p, err := planStrided(c.Op.attrs, Shape(x.Shape()))
		if err != nil {
			return err
		}
		kernels.Take(backing(c.AllocUninit(0)), backing(x), p.indices(x.Shape())) // every element written
		return nil
	},
}

// stridedSliceGradDef places dy (input 0) into zeros shaped as x (input 1)
// at the positions the slice took: the gradient of StridedSlice.
var stridedSliceGradDef = &OpDef{
	Type: "StridedSliceGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		out := c.Alloc(0) // zeros where the slice took nothing
		xs := []int(out.Shape())
		p, err := planStrided(c.Op.attrs, Shape(xs))
		if err != nil {
			return err
		}
		if !kernels.ScatterAdd(backing(out), []int{max(kernels.Numel(xs), 1)}, 0, p.indices(xs), backing(c.In[0])) {
			return errors.Errorf("gradient of StridedSlice needs a floating-point type, got %s", c.OutSpecs[0].DType)
		}
		return nil
	},
}

func init() {
	stridedSliceDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: stridedSliceGradDef, Inputs: []any{dy[0], op.inputs[0]}, Attrs: op.attrs}).Output(0)}
	}
}

// StridedSlice extracts a strided slice of x (tf.strided_slice(input_,
// begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
// shrink_axis_mask)): entry i of begin, end and strides is a [begin:end:stride]
// range of one dimension, with TF's masks (bit i of BeginMask ignores
// begin[i], of EndMask end[i], of EllipsisMask makes entry i "...", of
// NewAxisMask a new dimension of 1, of ShrinkAxisMask takes index begin[i]
// and drops the dimension). Negative begin and end count from the
// dimension's end; out-of-range ones are clamped, as Python's slices.
// Dimensions past the entries are taken whole. Index gives numpy's short
// form: tf.Index(Y, ":, :-1") is Y[:, :-1]. The gradient puts the output's
// gradient back where the slice took it, zeros elsewhere.
//
// Options: BeginMask, EndMask, EllipsisMask, NewAxisMask, ShrinkAxisMask,
// Name.
func StridedSlice(x any, begin, end, strides []int, opts ...Option) *Tensor {
	o, err := parseOptions("tf.StridedSlice", opts, "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask", "name")
	if err != nil {
		return errorTensor(err)
	}
	if strides == nil {
		strides = make([]int, len(begin))
		for i := range strides {
			strides[i] = 1
		}
	}
	name := o.name
	if name == "" {
		name = "strided_slice"
	}
	return AddOp(OpSpec{Def: stridedSliceDef, Name: name, Inputs: []any{x}, Attrs: Attrs{
		"begin": append([]int{}, begin...), "end": append([]int{}, end...), "strides": append([]int{}, strides...),
		"begin_mask": o.masks[0], "end_mask": o.masks[1], "ellipsis_mask": o.masks[2], "new_axis_mask": o.masks[3], "shrink_axis_mask": o.masks[4],
	}}).Output(0)
}

// BeginMask is StridedSlice's begin_mask=: bit i ignores begin[i] (the
// range starts at the dimension's start, or its end for a negative stride).
func BeginMask(m int) Option { return Option{"begin_mask", func(o *options) { o.masks[0] = m }} }

// EndMask is StridedSlice's end_mask=: bit i ignores end[i].
func EndMask(m int) Option { return Option{"end_mask", func(o *options) { o.masks[1] = m }} }

// EllipsisMask is StridedSlice's ellipsis_mask=: bit i makes entry i an
// ellipsis (as many whole dimensions as needed).
func EllipsisMask(m int) Option { return Option{"ellipsis_mask", func(o *options) { o.masks[2] = m }} }

// NewAxisMask is StridedSlice's new_axis_mask=: bit i makes entry i a new
// dimension of size 1.
func NewAxisMask(m int) Option { return Option{"new_axis_mask", func(o *options) { o.masks[3] = m }} }

// ShrinkAxisMask is StridedSlice's shrink_axis_mask=: bit i takes the single
// index begin[i] and removes the dimension.
func ShrinkAxisMask(m int) Option {
	return Option{"shrink_axis_mask", func(o *options) { o.masks[4] = m }}
}

// Index slices x as numpy's and TF's x[...] (Tensor.__getitem__): spec is
// the text between the brackets, so Y[:, :-1] is tf.Index(Y, ":, :-1") and
// Y[:, 1:] is tf.Index(Y, ":, 1:"). An entry is an index (the dimension is
// removed), a slice start:stop or start:stop:step with any part left out,
// "..." for as many whole dimensions as needed, or "None" / "newaxis" for a
// new dimension of 1. It builds the same StridedSlice as TF's _slice_helper.
//
// Options: Name.
func Index(x any, spec string, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Index", opts)
	if err != nil {
		return errorTensor(err)
	}
	var begin, end, strides []int
	var masks [5]int
	entries := strings.Split(spec, ",")
	if strings.TrimSpace(spec) == "" {
		entries = nil
	}
	for i, e := range entries {
		e = strings.TrimSpace(e)
		b, en, st := 0, 0, 1
		switch {
		case e == "...":
			masks[2] |= 1 << i
		case e == "None" || e == "newaxis" || e == "tf.newaxis":
			masks[3] |= 1 << i
		case strings.Contains(e, ":"):
			parts := strings.Split(e, ":")
			if len(parts) > 3 {
				return errorTensor(errors.Errorf("tf.Index at %s: %q in %q has more than two colons", callerSite(), e, spec))
			}
			num := func(k int, mask int, def int) (int, error) {
				if k >= len(parts) || strings.TrimSpace(parts[k]) == "" {
					masks[mask] |= 1 << i
					return def, nil
				}
				return strconv.Atoi(strings.TrimSpace(parts[k]))
			}
			var err error
			if b, err = num(0, 0, 0); err == nil {
				en, err = num(1, 1, 0)
			}
			if err == nil && len(parts) == 3 && strings.TrimSpace(parts[2]) != "" {
				st, err = strconv.Atoi(strings.TrimSpace(parts[2]))
			}
			if err != nil {
				return errorTensor(errors.Errorf("tf.Index at %s: %q in %q is not start:stop:step with integers", callerSite(), e, spec))
			}
			if st == 0 {
				return errorTensor(errors.Errorf("tf.Index at %s: %q in %q has step 0", callerSite(), e, spec))
			}
		default:
			v, err := strconv.Atoi(e)
			if err != nil {
				return errorTensor(errors.Errorf("tf.Index at %s: %q in %q is not an index, a slice, \"...\" or \"None\"", callerSite(), e, spec))
			}
			b, en = v, v+1
			masks[4] |= 1 << i
		}
		begin, end, strides = append(begin, b), append(end, en), append(strides, st)
	}
	if name == "" {
		name = "strided_slice"
	}
	return AddOp(OpSpec{Def: stridedSliceDef, Name: name, Inputs: []any{x}, Attrs: Attrs{
		"begin": begin, "end": end, "strides": strides,
		"begin_mask": masks[0], "end_mask": masks[1], "ellipsis_mask": masks[2], "new_axis_mask": masks[3], "shrink_axis_mask": masks[4],
	}}).Output(0)
}
