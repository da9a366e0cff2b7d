package kernels

// Cast converts the elements of src into dst, backing slices of one length:
// floats to integers truncate toward zero, bools become 0 and 1, numbers
// become true when non-zero.
func Cast(dst, src any) {
	switch s := src.(type) {
	case []float32:
		castTo(s, dst)
	case []float64:
		castTo(s, dst)
	case []int32:
		castTo(s, dst)
	case []int64:
		castTo(s, dst)
	case []bool:
		n := make([]int32, len(s))
		for i, b := range s {
			if b {
				n[i] = 1
			}
		}
		castTo(n, dst)
	}
}

func castTo[S Number](s []S, dst any) {
	switch d := dst.(type) {
	case []float32:
		for i, v := range s {
			d[i] = float32(v)
		}
	case []float64:
		for i, v := range s {
			d[i] = float64(v)
		}
	case []int32:
		for i, v := range s {
			d[i] = int32(v)
		}
	case []int64:
		for i, v := range s {
			d[i] = int64(v)
		}
	case []bool:
		for i, v := range s {
			d[i] = v != 0
		}
	}
}

// Float64s returns the elements of a numeric backing slice as float64s, nil
// for other types.
func Float64s(x any) []float64 {
	switch x := x.(type) {
	case []float32:
		return widen(x)
	case []float64:
		return append([]float64(nil), x...)
	case []int32:
		return widen(x)
	case []int64:
		return widen(x)
	case []int:
		return widen(x)
	}
	return nil
}

func widen[T Number | ~int](x []T) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// Ints returns the elements of an integer backing slice ([]int32 or
// []int64) as ints, nil for other types.
func Ints(x any) []int {
	switch x := x.(type) {
	case []int32:
		return toInts(x)
	case []int64:
		return toInts(x)
	}
	return nil
}

func toInts[T ~int32 | ~int64](x []T) []int {
	out := make([]int, len(x))
	for i, v := range x {
		out[i] = int(v)
	}
	return out
}

// SetInts stores v into an integer backing slice ([]int32 or []int64).
func SetInts(dst any, v []int) {
	switch o := dst.(type) {
	case []int32:
		for i, x := range v {
			o[i] = int32(x)
		}
	case []int64:
		for i, x := range v {
			o[i] = int64(x)
		}
	}
}
