package tf

import (
	"fmt"

	"gorgonia.org/tensor"
)

// DType is the element type of a tensor, as TF's tf.DType.
type DType int

// The element types gorgoflow supports, named as TF names them.
const (
	Invalid DType = iota // the zero DType: no type given
	Float32              // tf.float32
	Float64              // tf.float64
	Int32                // tf.int32
	Int64                // tf.int64
	Bool                 // tf.bool
	String               // tf.string: byte strings (serialized summaries)
)

var dtypeNames = [...]string{"invalid", "float32", "float64", "int32", "int64", "bool", "string"}

// String returns TF's Python name of the type ("float32", "int32", ...).
func (d DType) String() string {
	if d < 0 || int(d) >= len(dtypeNames) {
		return fmt.Sprintf("DType(%d)", int(d))
	}
	return dtypeNames[d]
}

// protoName is the name TF's C++ runtime uses in messages ("float" for float32).
func (d DType) protoName() string {
	switch d {
	case Float32:
		return "float"
	case Float64:
		return "double"
	}
	return d.String()
}

// IsFloating reports whether d is a floating-point type.
func (d DType) IsFloating() bool { return d == Float32 || d == Float64 }

// IsInteger reports whether d is an integer type.
func (d DType) IsInteger() bool { return d == Int32 || d == Int64 }

// IsNumeric reports whether d is a number type (not bool, not invalid).
func (d DType) IsNumeric() bool { return d.IsFloating() || d.IsInteger() }

// TensorDtype returns the gorgonia.org/tensor element type of d.
func (d DType) TensorDtype() tensor.Dtype {
	switch d {
	case Float32:
		return tensor.Float32
	case Float64:
		return tensor.Float64
	case Int32:
		return tensor.Int32
	case Int64:
		return tensor.Int64
	case Bool:
		return tensor.Bool
	case String:
		return tensor.String
	}
	return tensor.Dtype{}
}

// DTypeOf returns the DType of a gorgonia.org/tensor element type, or Invalid.
func DTypeOf(t tensor.Dtype) DType {
	switch t {
	case tensor.Float32:
		return Float32
	case tensor.Float64:
		return Float64
	case tensor.Int32:
		return Int32
	case tensor.Int64:
		return Int64
	case tensor.Bool:
		return Bool
	case tensor.String:
		return String
	}
	return Invalid
}
