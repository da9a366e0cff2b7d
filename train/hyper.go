package train

import (
	"sort"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Hyperparameters such as the learning rate are given, as in TF, either as
// numbers or as scalar tensors (a placeholder, a decayed schedule of the
// global step): TF's optimizers convert them with convert_to_tensor and
// cast them to each variable's dtype. A number is kept as a float64
// attribute of the update op; a tensor becomes one of its inputs, after
// the gradient, and the op's attribute "tensor_hypers" lists the names of
// those inputs in order. The kernel reads them at every run, cast to the
// variable's dtype.

// hyperValue checks a hyperparameter given to fn as name: a Go number
// (returned as a float64) or a scalar *tf.Tensor or *tf.Variable of a real
// dtype (returned as a *tf.Tensor).
func hyperValue(fn, name string, x any) (any, error) {
	switch v := x.(type) {
	case float64:
		return v, nil
	case float32:
		return float64(v), nil
	case int:
		return float64(v), nil
	case int32:
		return float64(v), nil
	case int64:
		return float64(v), nil
	case *tf.Variable:
		if v == nil {
			return nil, errors.Errorf("%s: %s is a nil *tf.Variable", fn, name)
		}
		if v.Err() != nil {
			return nil, v.Err()
		}
		return hyperValue(fn, name, v.Value())
	case *tf.Tensor:
		if v == nil {
			return nil, errors.Errorf("%s: %s is a nil *tf.Tensor", fn, name)
		}
		if v.Err() != nil {
			return nil, v.Err()
		}
		switch v.DType() {
		case tf.Float32, tf.Float64, tf.Int32, tf.Int64:
		default:
			return nil, errors.Errorf("%s: %s %q has dtype %s; it must be a real number (float32, float64, int32 or int64)", fn, name, v.Name(), v.DType())
		}
		if s := v.Shape(); s != nil && len(s) != 0 {
			return nil, errors.Errorf("%s: %s %q has shape %v; it must be a scalar", fn, name, v.Name(), s)
		}
		return v, nil
	case nil:
		return nil, errors.Errorf("%s: %s is nil; give a number or a scalar *tf.Tensor", fn, name)
	}
	return nil, errors.Errorf("%s: %s must be a number or a scalar *tf.Tensor, not %T", fn, name, x)
}

// number returns a hyperparameter that must be a Go number (TF compares it
// with Python's operators when the optimizer is made).
func number(fn, name string, x any) (float64, error) {
	v, err := hyperValue(fn, name, x)
	if err != nil {
		return 0, err
	}
	f, ok := v.(float64)
	if !ok {
		return 0, errors.Errorf("%s: %s must be a number here (TF checks its value when the optimizer is made), not a tensor", fn, name)
	}
	return f, nil
}

// splitHypers moves the tensor-valued attributes of an update op to its
// inputs: it returns them in the order of their (sorted) names, which it
// records as attrs["tensor_hypers"].
func splitHypers(attrs tf.Attrs) []*tf.Tensor {
	var names []string
	for k, v := range attrs {
		if _, ok := v.(*tf.Tensor); ok {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	ts := make([]*tf.Tensor, len(names))
	for i, n := range names {
		ts[i] = attrs[n].(*tf.Tensor)
		delete(attrs, n)
	}
	attrs["tensor_hypers"] = names
	return ts
}

// resolveHypers returns the op's attributes with the values of its tensor
// hyperparameters (inputs from nIn on) in place of their names, cast to
// dt (the global step stays an integer).
func resolveHypers(c *tf.KernelContext, nIn int, dt tf.DType) (tf.Attrs, error) {
	a := c.Attrs()
	names, _ := a["tensor_hypers"].([]string)
	if len(names) == 0 {
		return a, nil
	}
	out := make(tf.Attrs, len(a)+len(names))
	for k, v := range a {
		out[k] = v
	}
	for i, n := range names {
		d := c.In[nIn+i]
		x := tfimpl.Float64s(d)
		if len(x) != 1 || len(d.Shape()) != 0 {
			return nil, errors.Errorf("%s (%s) is not a scalar: shape %v", n, c.Op.Inputs()[nIn+i].Name(), d.Shape())
		}
		v := x[0]
		if dt == tf.Float32 && n != "global_step" {
			v = float64(float32(v))
		}
		out[n] = v
	}
	return out, nil
}
