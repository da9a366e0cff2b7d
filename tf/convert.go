package tf

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// convertToTensor turns a Go value into a dense tensor, as tf.convert_to_tensor
// and numpy feeds do. It takes numbers (float32, float64, int, int32, int64),
// bools, nested slices or arrays of them (which must not be ragged; levels
// may be []any, as Python's nested lists), *tensor.Dense,
// tensor.Tensor and *Array values.
//
// With dtype Invalid the type follows the value: float64 and int scalars
// become float32 and int32 as Python numbers do in TF; slices keep their
// element type ([]int as int32). With another dtype the value is converted to
// it, as feeding numpy arrays does: numbers convert between float and integer
// types when no value is lost (1.0 to int32 is allowed, 1.5 is an error);
// bools and numbers never convert into each other.
func convertToTensor(v any, dtype DType) (*tensor.Dense, error) {
	d, err := convert(v, dtype)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func convert(v any, want DType) (*tensor.Dense, error) {
	switch x := v.(type) {
	case nil:
		return nil, errors.New("cannot convert nil to a tensor")
	case *Array:
		if x == nil || x.Dense == nil {
			return nil, errors.New("cannot convert a nil *tf.Array to a tensor")
		}
		return castDense(x.Dense, want)
	case *tensor.Dense:
		if x == nil {
			return nil, errors.New("cannot convert a nil *tensor.Dense to a tensor")
		}
		return castDense(x, want)
	case tensor.Tensor:
		d, ok := x.(tensor.DenseTensor)
		if !ok {
			return nil, errors.Errorf("cannot convert a %T to a tensor: only dense tensors are supported", v)
		}
		return castDense(d.(*tensor.Dense), want)
	case float64:
		return scalarDense(x, orDType(want, Float32), v)
	case float32:
		return scalarDense(float64(x), orDType(want, Float32), v)
	case int:
		return scalarDense(float64(x), orDType(want, Int32), v)
	case int32:
		return scalarDense(float64(x), orDType(want, Int32), v)
	case int64:
		return scalarDense(float64(x), orDType(want, Int64), v)
	case bool:
		if want != Invalid && want != Bool {
			return nil, errors.Errorf("cannot convert bool %v to %s", x, want)
		}
		return tensor.New(tensor.FromScalar(x)), nil
	case []float32:
		if want == Invalid || want == Float32 {
			return tensor.New(tensor.WithShape(len(x)), tensor.WithBacking(append([]float32(nil), x...))), nil
		}
	case [][]float32:
		if want == Invalid || want == Float32 {
			if d, err := flat2(x); err != errFallback {
				return d, err
			}
		}
	case [][][]float32:
		if want == Invalid || want == Float32 {
			if d, err := flat3(x); err != errFallback {
				return d, err
			}
		}
	}
	return convertReflect(v, want)
}

// errFallback tells convert to use the general path.
var errFallback = errors.New("use the general conversion")

func flat2(x [][]float32) (*tensor.Dense, error) {
	if len(x) == 0 {
		return nil, errFallback
	}
	n := len(x[0])
	out := make([]float32, 0, len(x)*n)
	for i, r := range x {
		if len(r) != n {
			return nil, errors.Errorf("ragged nested slice: element [%d] has length %d but element [0] has length %d", i, len(r), n)
		}
		out = append(out, r...)
	}
	return tensor.New(tensor.WithShape(len(x), n), tensor.WithBacking(out)), nil
}

func flat3(x [][][]float32) (*tensor.Dense, error) {
	if len(x) == 0 || len(x[0]) == 0 {
		return nil, errFallback
	}
	n, m := len(x[0]), len(x[0][0])
	out := make([]float32, 0, len(x)*n*m)
	for i, r := range x {
		if len(r) != n {
			return nil, errors.Errorf("ragged nested slice: element [%d] has length %d but element [0] has length %d", i, len(r), n)
		}
		for j, c := range r {
			if len(c) != m {
				return nil, errors.Errorf("ragged nested slice: element [%d][%d] has length %d but element [0][0] has length %d", i, j, len(c), m)
			}
			out = append(out, c...)
		}
	}
	return tensor.New(tensor.WithShape(len(x), n, m), tensor.WithBacking(out)), nil
}

// orDType returns want, or def when want is Invalid (no dtype asked for):
// the dtype TF gives a Python scalar of that kind.
func orDType(want, def DType) DType {
	if want == Invalid {
		return def
	}
	return want
}

func scalarDense(f float64, want DType, orig any) (*tensor.Dense, error) {
	switch want {
	case Float32:
		return tensor.New(tensor.FromScalar(float32(f))), nil
	case Float64:
		return tensor.New(tensor.FromScalar(f)), nil
	case Int32, Int64:
		if f != math.Trunc(f) || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, errors.Errorf("cannot convert %v (%T) to %s without losing its value", orig, orig, want)
		}
		if want == Int32 {
			if f > math.MaxInt32 || f < math.MinInt32 {
				return nil, errors.Errorf("cannot convert %v (%T) to int32: out of range", orig, orig)
			}
			return tensor.New(tensor.FromScalar(int32(f))), nil
		}
		return tensor.New(tensor.FromScalar(int64(f))), nil
	case Bool:
		return nil, errors.Errorf("cannot convert %v (%T) to bool", orig, orig)
	}
	return nil, errors.Errorf("cannot convert %v (%T) to %s", orig, orig, want)
}

// convertReflect handles nested slices of any supported element type.
func convertReflect(v any, want DType) (*tensor.Dense, error) {
	rv := reflect.ValueOf(v)
	var shape []int
	// Walk down the first elements to find the shape and the element kind.
	cur := rv
	for cur.Kind() == reflect.Interface && !cur.IsNil() {
		cur = cur.Elem()
	}
	for cur.Kind() == reflect.Slice || cur.Kind() == reflect.Array {
		shape = append(shape, cur.Len())
		if cur.Len() == 0 {
			cur = reflect.Zero(cur.Type().Elem())
			for cur.Kind() == reflect.Slice || cur.Kind() == reflect.Array {
				shape = append(shape, 0)
				cur = reflect.Zero(cur.Type().Elem())
			}
			break
		}
		cur = cur.Index(0)
		for cur.Kind() == reflect.Interface && !cur.IsNil() {
			cur = cur.Elem()
		}
	}
	if len(shape) == 0 {
		return nil, errors.Errorf("cannot convert a value of type %T to a tensor: want numbers, bools, nested slices of them, or tensor.Tensor", v)
	}
	var natural DType
	switch cur.Kind() {
	case reflect.Float32:
		natural = Float32
	case reflect.Float64:
		natural = Float64
	case reflect.Int, reflect.Int32:
		natural = Int32
	case reflect.Int64:
		natural = Int64
	case reflect.Bool:
		natural = Bool
	default:
		return nil, errors.Errorf("cannot convert a value of type %T to a tensor: element type %s is not a number or bool", v, cur.Type())
	}
	if want == Invalid {
		want = natural
	}
	if (want == Bool) != (natural == Bool) {
		return nil, errors.Errorf("cannot convert %T to %s", v, want)
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	floats := make([]float64, 0, n)
	bools := make([]bool, 0, n)
	var walk func(x reflect.Value, depth int, path []int) error
	walk = func(x reflect.Value, depth int, path []int) error {
		for x.Kind() == reflect.Interface && !x.IsNil() {
			x = x.Elem()
		}
		if depth == len(shape) {
			switch x.Kind() {
			case reflect.Float32, reflect.Float64:
				floats = append(floats, x.Float())
			case reflect.Int, reflect.Int32, reflect.Int64:
				floats = append(floats, float64(x.Int()))
			case reflect.Bool:
				bools = append(bools, x.Bool())
			default:
				return errors.Errorf("ragged nested slice: element %s is a %s where a number was expected", pathString(path), x.Type())
			}
			return nil
		}
		if x.Kind() != reflect.Slice && x.Kind() != reflect.Array {
			return errors.Errorf("ragged nested slice: element %s is not a slice", pathString(path))
		}
		if x.Len() != shape[depth] {
			return errors.Errorf("ragged nested slice: element %s has length %d but element %s has length %d",
				pathString(path), x.Len(), pathString(make([]int, depth)), shape[depth])
		}
		for i := 0; i < x.Len(); i++ {
			if err := walk(x.Index(i), depth+1, append(path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(rv, 0, nil); err != nil {
		return nil, err
	}
	if want == Bool {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(bools)), nil
	}
	return denseFromFloats(floats, shape, want, fmt.Sprintf("%T", v))
}

func pathString(p []int) string {
	if len(p) == 0 {
		return "[]"
	}
	var b strings.Builder
	for _, i := range p {
		fmt.Fprintf(&b, "[%d]", i)
	}
	return b.String()
}

func denseFromFloats(f []float64, shape []int, want DType, what string) (*tensor.Dense, error) {
	switch want {
	case Float32:
		out := make([]float32, len(f))
		for i, x := range f {
			out[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(out)), nil
	case Float64:
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f)), nil
	case Int32:
		out := make([]int32, len(f))
		for i, x := range f {
			if x != math.Trunc(x) || x > math.MaxInt32 || x < math.MinInt32 {
				return nil, errors.Errorf("cannot convert %s to int32: element %d is %v", what, i, x)
			}
			out[i] = int32(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(out)), nil
	case Int64:
		out := make([]int64, len(f))
		for i, x := range f {
			if x != math.Trunc(x) {
				return nil, errors.Errorf("cannot convert %s to int64: element %d is %v", what, i, x)
			}
			out[i] = int64(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(out)), nil
	}
	return nil, errors.Errorf("cannot convert %s to %s", what, want)
}

// castDense returns d converted to want (d itself when it already is).
func castDense(d *tensor.Dense, want DType) (*tensor.Dense, error) {
	have := DTypeOf(d.Dtype())
	if have == Invalid {
		if u, ok := d.Data().([]uint8); ok && d.Dtype() == tensor.Uint8 {
			// numpy feeds convert uint8 images; so do we (to int32 by default).
			f := make([]float64, len(u))
			for i, v := range u {
				f[i] = float64(v)
			}
			if want == Invalid {
				want = Int32
			}
			return denseFromFloats(f, append([]int(nil), d.Shape()...), want, "a uint8 tensor")
		}
		return nil, errors.Errorf("cannot use a tensor of element type %v: want float32, float64, int32, int64, bool (or uint8 to convert)", d.Dtype())
	}
	if want == Invalid || want == have {
		return d, nil
	}
	if (want == Bool) != (have == Bool) {
		return nil, errors.Errorf("cannot convert a %s tensor to %s", have, want)
	}
	shape := append([]int(nil), d.Shape()...)
	return denseFromFloats(float64s(d), shape, want, "a "+have.String()+" tensor")
}

// float64s returns the elements of a numeric dense tensor as float64s, in
// row-major order.
func float64s(d *tensor.Dense) []float64 {
	if !d.IsScalar() && d.Shape().TotalSize() == 0 {
		return []float64{} // Data panics on an empty tensor
	}
	if d.IsScalar() {
		switch x := d.ScalarValue().(type) {
		case float32:
			return []float64{float64(x)}
		case float64:
			return []float64{x}
		case int32:
			return []float64{float64(x)}
		case int64:
			return []float64{float64(x)}
		case int:
			return []float64{float64(x)}
		}
		return nil
	}
	return kernels.Float64s(backing(d))
}
