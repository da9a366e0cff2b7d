package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// arrayOptions are the keyword arguments of the array ops of
// array_ops_*.go (tf.one_hot, tf.range, tf.pad, tf.eye, tf.cumsum, ...).
type arrayOptions struct {
	on, off        any
	limit          any
	maxlen         any
	mode           string
	constantValues any
	numColumns     int
	batchShape     []int
	exclusive      bool
	reverse        bool
	adjA, adjB     bool
}

// OnValue sets the value tf.OneHot writes where indices[j] == k (on_value=,
// default 1): a Go number or bool, or a scalar tensor.
func OnValue(v any) Option { return Option{"on_value", func(o *options) { o.arr.on = v }} }

// OffValue sets the value tf.OneHot writes elsewhere (off_value=, default
// 0): a Go number or bool, or a scalar tensor.
func OffValue(v any) Option { return Option{"off_value", func(o *options) { o.arr.off = v }} }

// Limit sets the end of tf.Range, not included (limit=). Without it,
// Range's first argument is the limit and the start is 0, as tf.range(n).
func Limit(v any) Option { return Option{"limit", func(o *options) { o.arr.limit = v }} }

// Maxlen sets the width of tf.SequenceMask's mask (maxlen=; default the
// largest of the lengths): a Go integer, or a scalar integer tensor whose
// value follows from constants and tensor shapes (tf.shape(x)[1]).
func Maxlen(n any) Option { return Option{"maxlen", func(o *options) { o.arr.maxlen = n }} }

// Mode sets how tf.Pad fills (mode=): "CONSTANT" (the default), "REFLECT"
// or "SYMMETRIC", in any case, as TF accepts.
func Mode(m string) Option { return Option{"mode", func(o *options) { o.arr.mode = m }} }

// ConstantValues sets the value tf.Pad writes in CONSTANT mode
// (constant_values=, default 0): a Go number or bool, or a scalar tensor.
func ConstantValues(v any) Option {
	return Option{"constant_values", func(o *options) { o.arr.constantValues = v }}
}

// NumColumns sets the number of columns of tf.Eye (num_columns=; default
// num_rows).
func NumColumns(n int) Option {
	return Option{"num_columns", func(o *options) { o.arr.numColumns = n }}
}

// BatchShape makes tf.Eye a batch of identity matrices of this leading
// shape (batch_shape=).
func BatchShape(s ...int) Option {
	s = append([]int(nil), s...)
	return Option{"batch_shape", func(o *options) { o.arr.batchShape = s }}
}

// ---- values given where TF takes tensors ----

// constValue returns the value of v when it is known while the graph is
// built: a Go value (converted as ConvertToTensor does, to dtype unless
// Invalid) or a tensor made by tf.Constant. what names the argument in
// errors.
func constValue(v any, dtype DType, what string) (*tensor.Dense, error) {
	switch x := v.(type) {
	case *Tensor:
		if x == nil {
			return nil, errors.Errorf("%s is a nil *tf.Tensor", what)
		}
		if x.err != nil {
			return nil, x.err
		}
		if x.op.def != constDef {
			return nil, errors.Errorf("%s is tensor %q, computed at run time (by a %s op); gorgoflow needs %s when the graph is built, as it decides the result's shape: give a Go value or a tf.Constant", what, x.Name(), x.op.def.Type, what)
		}
		d := x.op.attrs["value"].(*tensor.Dense)
		if dtype != Invalid && DTypeOf(d.Dtype()) != dtype {
			return castDense(d, dtype)
		}
		return d, nil
	case *Variable:
		return nil, errors.Errorf("%s is variable %q, whose value is known only at run time; gorgoflow needs %s when the graph is built, as it decides the result's shape: give a Go value or a tf.Constant", what, x.Name(), what)
	}
	d, err := convertToTensor(v, dtype)
	if err != nil {
		return nil, errors.Wrap(err, what)
	}
	return d, nil
}

// constInts returns v (a Go integer slice or an integer tf.Constant) as
// ints and its shape.
func constInts(v any, what string) ([]int, []int, error) {
	if v == nil {
		return nil, nil, errors.Errorf("%s is nil", what)
	}
	d, err := constValue(v, Invalid, what)
	if err != nil {
		return nil, nil, err
	}
	if dt := DTypeOf(d.Dtype()); !dt.IsInteger() {
		return nil, nil, errors.Errorf("%s has dtype %s; want int32 or int64", what, dt)
	}
	f := float64s(d)
	out := make([]int, len(f))
	for i, x := range f {
		out[i] = int(x)
	}
	return out, append([]int(nil), d.Shape()...), nil
}

// constScalar returns v (a Go number or a scalar tf.Constant) as a float64
// and its dtype (Go numbers as ConvertToTensor types them).
func constScalar(v any, what string) (float64, DType, error) {
	d, err := constValue(v, Invalid, what)
	if err != nil {
		return 0, Invalid, err
	}
	dt := DTypeOf(d.Dtype())
	if !dt.IsNumeric() {
		return 0, dt, errors.Errorf("%s has dtype %s; want a number", what, dt)
	}
	if n := len(d.Shape()); n != 0 && !(n == 1 && d.Shape()[0] == 1) {
		return 0, dt, errors.Errorf("%s has shape %v; want a scalar", what, Shape(d.Shape()))
	}
	return float64s(d)[0], dt, nil
}

// scalarInput turns v into a scalar op input of dtype dt in the graph of
// like: a tensor is checked (dtype dt, rank 0 where known), a Go value is
// converted to dt.
func scalarInput(v any, dt DType, like any, what string) (any, error) {
	switch x := v.(type) {
	case *Tensor, *Variable:
		var s Spec
		if t, ok := x.(*Tensor); ok {
			if t == nil || t.err != nil {
				return v, nil
			}
			s = t.spec
		} else {
			vv := x.(*Variable)
			if vv == nil || vv.err != nil {
				return v, nil
			}
			s = Spec{DType: vv.dtype, Shape: vv.shape}
		}
		if s.DType != dt {
			return nil, errors.Errorf("%s has dtype %s; want %s", what, s.DType, dt)
		}
		if s.Shape != nil && len(s.Shape) != 0 {
			return nil, errors.Errorf("%s has shape %v; want a scalar", what, s.Shape)
		}
		return v, nil
	}
	d, err := convertToTensor(v, dt)
	if err != nil {
		return nil, errors.Wrap(err, what)
	}
	if len(d.Shape()) != 0 {
		return nil, errors.Errorf("%s has shape %v; want a scalar", what, Shape(d.Shape()))
	}
	g, err := pickGraph(OpSpec{Def: identityDef, Inputs: []any{like}})
	if err != nil {
		return nil, err
	}
	return g.constOp(d, ""), nil
}
