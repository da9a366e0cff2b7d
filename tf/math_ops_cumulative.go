package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- Cumsum, Cumprod ----

// Exclusive makes tf.Cumsum and tf.Cumprod leave each element out of its
// own total (exclusive=True): [a, b, c] sums to [0, a, a+b].
func Exclusive(e bool) Option { return Option{"exclusive", func(o *options) { o.arr.exclusive = e }} }

// Reversed makes tf.Cumsum and tf.Cumprod run from the end of the axis
// (reverse=True): [a, b, c] sums to [a+b+c, b+c, c]. (tf.Reverse, the
// op reversing a tensor, has the plain name.)
func Reversed(r bool) Option { return Option{"reverse", func(o *options) { o.arr.reverse = r }} }

func cumulativeDef(typ string, prod bool) *OpDef {
	return &OpDef{
		Type: typ,
		Infer: func(a Attrs, in []Spec) ([]Spec, error) {
			x := in[0]
			if !x.DType.IsNumeric() {
				return nil, errors.Errorf("dtype %s is not numeric", x.DType)
			}
			if x.Shape != nil {
				if _, err := normAxis(a.Int("axis", 0), len(x.Shape), "axis"); err != nil {
					return nil, errors.Wrapf(err, "for input of shape %v (rank %d)", x.Shape, len(x.Shape))
				}
			}
			return []Spec{x}, nil
		},
		Kernel: func(c *KernelContext) error {
			x := c.In[0]
			xs := []int(x.Shape())
			axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(xs), "axis")
			a := c.Op.attrs
			kernels.Cumulative(backing(c.AllocUninit(0)), backing(x), kernels.Numel(xs[:axis]), xs[axis], kernels.Numel(xs[axis+1:]),
				prod, a.Bool("exclusive"), a.Bool("reverse")) // every element written
			return nil
		},
	}
}

var (
	cumsumDef  = cumulativeDef("Cumsum", false)
	cumprodDef = cumulativeDef("Cumprod", true)
)

func cumulative(def *OpDef, fn string, x any, opts []Option) *Tensor {
	o, err := parseOptions(fn, opts, "axis", "exclusive", "reverse", "name")
	if err != nil {
		return errorTensor(err)
	}
	axis := 0
	if o.given["axis"] {
		if len(o.axes) != 1 {
			return errorTensor(errors.Errorf("%s at %s: Axis gives %d axes %v; want exactly one", fn, callerSite(), len(o.axes), o.axes))
		}
		axis = o.axes[0]
	}
	return AddOp(OpSpec{Def: def, Name: o.name, Inputs: []any{x}, Attrs: Attrs{"axis": axis, "exclusive": o.arr.exclusive, "reverse": o.arr.reverse}}).Output(0)
}

func cumulativeLike(def *OpDef, x *Tensor, a Attrs, reverse bool) *Tensor {
	return AddOp(OpSpec{Def: def, Inputs: []any{x}, Attrs: Attrs{"axis": a.Int("axis", 0), "exclusive": a.Bool("exclusive"), "reverse": reverse}}).Output(0)
}

// Cumsum returns the running sums of x along an axis (tf.cumsum(x, axis,
// exclusive, reverse)): element i is x[0] + ... + x[i]; Exclusive(true)
// leaves x[i] out (element 0 is 0), Reversed(true) sums from the end. x is
// numeric of rank >= 1; the axis (Axis option, default 0) may be negative.
// The gradient is the running sum of the gradient in the other direction,
// as TF's.
//
// Options: Axis (one axis), Exclusive, Reversed, Name.
func Cumsum(x any, opts ...Option) *Tensor { return cumulative(cumsumDef, "tf.Cumsum", x, opts) }

// Cumprod returns the running products of x along an axis (tf.cumprod),
// as Cumsum does sums (Exclusive: element 0 is 1). The gradient is TF's:
// cumsum(cumprod(x)·dy in the other direction) / x, which is not finite
// where x has zeros, as in TF.
//
// Options: Axis (one axis), Exclusive, Reversed, Name.
func Cumprod(x any, opts ...Option) *Tensor { return cumulative(cumprodDef, "tf.Cumprod", x, opts) }

func init() {
	cumsumDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{cumulativeLike(cumsumDef, dy[0], op.attrs, !op.attrs.Bool("reverse"))}
	}
	cumprodDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		// TF's _CumprodGrad: cumsum(cumprod(x) * dy, reversed) / x.
		s := cumulativeLike(cumsumDef, Mul(op.outputs[0], dy[0]), op.attrs, !op.attrs.Bool("reverse"))
		return []*Tensor{Div(s, op.inputs[0])}
	}
}
