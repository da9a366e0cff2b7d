package tf

import (
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// newDense returns a zeroed dense tensor of a concrete spec.
func newDense(s Spec) *tensor.Dense {
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

// backing returns the backing slice of d ([]float32, []float64, []int32,
// []int64 or []bool), scalars included.
func backing(d *tensor.Dense) any { return kernels.Backing(d) }

// data returns d's backing slice as a []T.
func data[T any](d *tensor.Dense) []T { return kernels.Data[T](d) }

// view returns a dense tensor of shape sharing d's data.
func view(d *tensor.Dense, shape []int) *tensor.Dense { return kernels.View(d, shape) }

// specOf returns the spec of a dense tensor.
func specOf(d *tensor.Dense) Spec {
	return Spec{DType: DTypeOf(d.Dtype()), Shape: Shape(append([]int{}, d.Shape()...))}
}
