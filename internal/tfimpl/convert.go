package tfimpl

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/tf"
)

// AsTensor turns an op argument into a tensor: a *tf.Tensor as it is, a
// *tf.Variable's value, a Go value as a constant of dtype (or of its own
// type for tf.Invalid). A nil tensor or variable, or a variable that
// failed, gives a tensor carrying the error.
func AsTensor(x any, dtype tf.DType) *tf.Tensor {
	switch v := x.(type) {
	case *tf.Tensor:
		if v == nil {
			return ErrTensor(errors.New("a tensor argument is nil"))
		}
		return v
	case *tf.Variable:
		if v == nil {
			return ErrTensor(errors.New("a variable argument is nil"))
		}
		if v.Err() != nil {
			return ErrTensor(v.Err())
		}
		return v.Value()
	}
	return tf.Constant(x, dtype)
}
