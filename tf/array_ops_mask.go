package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- BooleanMask ----

// maskGeometry splits a shape around the k mask axes from axis:
// [outer, m, inner] (None when unknown).
func maskGeometry(s []int, axis, k int) (outer, m, inner int) {
	prod := func(ds []int) int {
		n := 1
		for _, d := range ds {
			if d < 0 {
				return None
			}
			n *= d
		}
		return n
	}
	return prod(s[:axis]), prod(s[axis : axis+k]), prod(s[axis+k:])
}

var booleanMaskDef = &OpDef{
	Type: "BooleanMask",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		ms, idx, axis := Shape(a.Ints("mask_shape")), a.Ints("indices"), a.Int("axis", 0)
		if x.Shape == nil {
			return []Spec{{DType: x.DType}}, nil
		}
		if axis+len(ms) > len(x.Shape) {
			return nil, errors.Errorf("mask of shape %v at axis %d does not fit a tensor of shape %v (rank %d)", ms, axis, x.Shape, len(x.Shape))
		}
		if !ms.IsCompatibleWith(x.Shape[axis : axis+len(ms)]) {
			return nil, errors.Errorf("Shapes %v and %v are incompatible: the mask's shape must be the tensor's dimensions %d..%d (tensor shape %v)", x.Shape[axis:axis+len(ms)], ms, axis, axis+len(ms)-1, x.Shape)
		}
		out := append(append(append(Shape{}, x.Shape[:axis]...), len(idx)), x.Shape[axis+len(ms):]...)
		return []Spec{{DType: x.DType, Shape: out}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		outer, m, inner := maskGeometry(x.Shape(), c.Op.attrs.Int("axis", 0), len(c.Op.attrs.Ints("mask_shape")))
		kernels.Gather(backing(c.AllocUninit(0)), backing(x), []int{outer, m, inner}, 1, c.Op.attrs.Ints("indices")) // every element written
		return nil
	},
}

// booleanMaskGradDef puts dy (input 0) back at the mask's true positions
// of zeros shaped as x (input 1): the gradient of BooleanMask (TF's is the
// gradient of the gather it is built from).
var booleanMaskGradDef = &OpDef{
	Type: "BooleanMaskGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[1].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		out := c.Alloc(0) // scattered into
		outer, m, inner := maskGeometry(out.Shape(), c.Op.attrs.Int("axis", 0), len(c.Op.attrs.Ints("mask_shape")))
		if !kernels.ScatterAdd(backing(out), []int{outer, m, inner}, 1, c.Op.attrs.Ints("indices"), backing(c.In[0])) {
			return errors.Errorf("gradient of BooleanMask needs a floating-point type, got %s", c.OutSpecs[0].DType)
		}
		return nil
	},
}

// BooleanMask keeps the elements (or slices) of tensor where mask is true
// (tf.boolean_mask(tensor, mask, axis)): mask, a bool tensor of rank k >= 1,
// covers tensor's axes [axis, axis+k), which are replaced by one axis
// holding the selected slices in row-major order of mask. The gradient
// puts the incoming gradient back at the selected positions, zeros
// elsewhere, as TF's.
//
// The length of the new axis is the number of true values of mask, so
// gorgoflow, which decides every shape before a run, needs mask's value
// when the graph is built: a Go [](...)bool or a tf.Constant. A mask known
// only at run time (a comparison of fed values, a tf.SequenceMask of fed
// lengths) is an error saying so; for such masks multiply by
// tf.Cast(mask, dtype), or use tf.Where(mask, x, tf.ZerosLike(x)), and
// reduce, as a masked loss does.
//
// Options: Axis (one axis, default 0), Name.
func BooleanMask(tensor, mask any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.BooleanMask", opts, "axis", "name")
	if err != nil {
		return errorTensor(err)
	}
	site := callerSite()
	fail := func(err error) *Tensor { return errorTensor(errors.Wrapf(err, "tf.BooleanMask at %s", site)) }
	axis := 0
	if o.given["axis"] {
		if len(o.axes) != 1 {
			return fail(errors.Errorf("Axis gives %d axes %v; want exactly one", len(o.axes), o.axes))
		}
		axis = o.axes[0]
	}
	if axis < 0 {
		return fail(errors.Errorf("axis %d is negative; TF's boolean_mask takes an axis >= 0", axis))
	}
	if t, ok := mask.(*Tensor); ok && t != nil && t.err == nil && t.op.def != constDef {
		return fail(errors.Errorf("mask is tensor %q, whose value comes from a %s op (%q) and is known only at run time; the result's length is the number of true values of mask, and gorgoflow decides shapes before a run: give a Go bool slice or a tf.Constant, or mask by multiplying with tf.Cast(mask, dtype)",
			t.Name(), t.op.def.Type, t.op.name))
	}
	d, err := constValue(mask, Invalid, "mask")
	if err != nil {
		return fail(err)
	}
	if dt := DTypeOf(d.Dtype()); dt != Bool {
		return fail(errors.Errorf("mask has dtype %s; want bool", dt))
	}
	ms := append([]int(nil), d.Shape()...)
	if len(ms) == 0 {
		return fail(errors.New("mask cannot be scalar"))
	}
	var idx []int
	if kernels.Numel(ms) > 0 {
		for i, b := range d.Bools() {
			if b {
				idx = append(idx, i)
			}
		}
	}
	name := o.name
	if name == "" {
		name = "boolean_mask"
	}
	return AddOp(OpSpec{Def: booleanMaskDef, Name: name, Inputs: []any{tensor}, Attrs: Attrs{"mask_shape": ms, "indices": append([]int{}, idx...), "axis": axis}}).Output(0)
}

func init() {
	booleanMaskDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: booleanMaskGradDef, Inputs: []any{dy[0], op.inputs[0]}, Attrs: op.attrs}).Output(0)}
	}
	booleanMaskGradDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: booleanMaskDef, Inputs: []any{dy[0]}, Attrs: op.attrs}).Output(0), nil}
	}
}
