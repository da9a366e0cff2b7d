package kernels

import (
	"unsafe"

	"gorgonia.org/tensor"
)

// Number is the numeric element types of tensors.
type Number interface {
	~float32 | ~float64 | ~int32 | ~int64
}

// Float is the floating-point element types.
type Float interface{ ~float32 | ~float64 }

// Backing returns the backing slice of d ([]float32, []float64, []int32,
// []int64 or []bool), scalars included.
func Backing(d *tensor.Dense) any {
	// float32 first and small enough to inline: then the interface does
	// not escape in callers that only look inside it, which saves an
	// allocation per call on the hot path.
	if d.Dtype().Type != float32Type {
		return backing(d)
	}
	r := d.Raw
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(r))), len(r)>>2)
}

var float32Type = tensor.Float32.Type

func backing(d *tensor.Dense) any {
	switch d.Dtype() {
	case tensor.Float32:
		return d.Float32s()
	case tensor.Float64:
		return d.Float64s()
	case tensor.Int32:
		return d.Int32s()
	case tensor.Int64:
		return d.Int64s()
	case tensor.Bool:
		return d.Bools()
	}
	return d.Data()
}

// Data returns d's backing slice as a []T; T must be d's element type.
// It allocates nothing.
func Data[T any](d *tensor.Dense) []T {
	r := d.Raw
	var z T
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(r))), uintptr(len(r))/unsafe.Sizeof(z))
}

// View returns a dense tensor of shape sharing d's data.
func View(d *tensor.Dense, shape []int) *tensor.Dense {
	if len(shape) == 0 {
		return tensor.New(tensor.WithShape(), tensor.WithBacking(Backing(d)))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(Backing(d)))
}

// Numel returns the number of elements of shape s (1 for a scalar).
func Numel(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Strides returns the row-major strides of shape.
func Strides(shape []int) []int {
	s := make([]int, len(shape))
	st := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = st
		st *= shape[i]
	}
	return s
}

// BroadcastStrides returns the strides of shape in read as shape out
// (right-aligned, as numpy broadcasts): 0 along axes where in is broadcast.
func BroadcastStrides(in, out []int) []int {
	s := make([]int, len(out))
	is := Strides(in)
	off := len(out) - len(in)
	for i := range in {
		if in[i] != 1 || out[i+off] == 1 {
			s[i+off] = is[i]
		}
	}
	return s
}

// isSuffix reports whether short is a suffix of long.
func isSuffix(short, long []int) bool {
	if len(short) > len(long) {
		return false
	}
	off := len(long) - len(short)
	for i := range short {
		if short[i] != long[off+i] {
			return false
		}
	}
	return true
}

// trim1 drops leading 1s of a shape.
func trim1(s []int) []int {
	for len(s) > 0 && s[0] == 1 {
		s = s[1:]
	}
	return s
}

// odometer advances a row-major position pos within shape by one element,
// moving an offset by the strides st; it is the inner step of every
// strided walk here.
func odometer(pos, shape, st []int, off int) int {
	for d := len(shape) - 1; d >= 0; d-- {
		pos[d]++
		off += st[d]
		if pos[d] < shape[d] {
			return off
		}
		off -= st[d] * shape[d]
		pos[d] = 0
	}
	return off
}
