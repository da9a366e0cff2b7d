package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

var constDef = &OpDef{
	Type: "Const",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		d, ok := a["value"].(*tensor.Dense)
		if !ok {
			return nil, errors.New("Const needs a value")
		}
		return []Spec{specOf(d)}, nil
	},
	Kernel: func(c *KernelContext) error {
		c.Set(0, c.Op.attrs["value"].(*tensor.Dense))
		return nil
	},
}

// Constant returns a tensor holding value (tf.constant): a Go number, bool,
// nested slice or tensor.Tensor, converted as ConvertToTensor does. Give
// dtype Invalid to keep the value's own type.
//
// Options: Name.
func Constant(value any, dtype DType, opts ...Option) *Tensor {
	o, err := parseOptions("tf.Constant", opts, "name")
	if err != nil {
		return errorTensor(err)
	}
	d, err := convertToTensor(value, dtype)
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.Constant at %s", callerSite()))
	}
	if dtype != Invalid && DTypeOf(d.Dtype()) != dtype {
		return errorTensor(errors.Errorf("tf.Constant at %s: value has type %s, want %s", callerSite(), DTypeOf(d.Dtype()), dtype))
	}
	return AddOp(OpSpec{Def: constDef, Name: o.name, Attrs: Attrs{"value": d}}).Output(0)
}
