package kernels

import "math"

// Reduction names what Reduce computes.
type Reduction int

// The reductions of tf.ReduceSum, ReduceMean, ReduceMax and ReduceMin.
const (
	Sum Reduction = iota
	Mean
	Max
	Min
)

// Reduce reduces in (shape shape) into out, a backing slice of the same
// dtype; st are out's strides read along in's shape (0 along reduced axes,
// see BroadcastStrides) and count the number of elements reduced into each
// output. Integer means truncate; a float mean over no elements is NaN; the
// max and min of no elements are the reduction's identity (-inf or the
// lowest integer, +inf or the highest); a NaN wins max and min.
func Reduce(kind Reduction, out any, st []int, in any, shape []int, count int) {
	switch o := out.(type) {
	case []float32:
		reduce(in.([]float32), shape, o, st, kind, count)
	case []float64:
		reduce(in.([]float64), shape, o, st, kind, count)
	case []int32:
		reduce(in.([]int32), shape, o, st, kind, count)
	case []int64:
		reduce(in.([]int64), shape, o, st, kind, count)
	}
}

func reduce[T Number](in []T, shape []int, out []T, st []int, kind Reduction, count int) {
	var init T
	switch kind {
	case Max:
		init = lowest[T]()
	case Min:
		init = highest[T]()
	}
	for i := range out {
		out[i] = init
	}
	idx := make([]int, len(shape))
	o := 0
	for i := range in {
		v := in[i]
		switch kind {
		case Max:
			if v > out[o] || v != v {
				out[o] = v
			}
		case Min:
			if v < out[o] || v != v {
				out[o] = v
			}
		default:
			out[o] += v
		}
		o = odometer(idx, shape, st, o)
	}
	if kind == Mean {
		if count > 0 || isFloat[T]() {
			// Floats divide by a count of 0 too: 0/0 is NaN, as TF's mean.
			for i := range out {
				out[i] /= T(count)
			}
		}
	}
}

// ReduceGrad writes the gradient of a reduction into out (x's shape): x is
// the reduction's input, y its output and dy y's gradient, st and count as
// for Reduce. Sum and Mean spread dy; Max and Min share it equally among the
// elements equal to the extreme, as TF's. It returns false unless the dtype
// is float32 or float64.
func ReduceGrad(kind Reduction, out any, st []int, x, y, dy any, shape []int, count int) bool {
	switch o := out.(type) {
	case []float32:
		reduceGrad(x.([]float32), y.([]float32), dy.([]float32), shape, o, st, kind, count)
	case []float64:
		reduceGrad(x.([]float64), y.([]float64), dy.([]float64), shape, o, st, kind, count)
	default:
		return false
	}
	return true
}

func reduceGrad[T Float](x, y, dy []T, shape []int, out []T, st []int, kind Reduction, count int) {
	var ties []T
	if kind == Max || kind == Min {
		ties = make([]T, len(y))
	}
	walk := func(f func(i, o int)) {
		idx := make([]int, len(shape))
		o := 0
		for i := range x {
			f(i, o)
			o = odometer(idx, shape, st, o)
		}
	}
	switch kind {
	case Sum:
		walk(func(i, o int) { out[i] = dy[o] })
	case Mean:
		walk(func(i, o int) { out[i] = dy[o] / T(count) })
	default:
		walk(func(i, o int) {
			if x[i] == y[o] {
				ties[o]++
			}
		})
		walk(func(i, o int) {
			if x[i] == y[o] {
				out[i] = dy[o] / ties[o]
			} else {
				out[i] = 0
			}
		})
	}
}

// SumTo adds dy (shape ds) into out, whose strides read along ds are st (0
// along axes out is broadcast on): the gradient of a broadcast. The caller
// zeroes out.
func SumTo(out any, st []int, dy any, ds []int) {
	switch o := out.(type) {
	case []float32:
		sumTo(dy.([]float32), ds, o, st)
	case []float64:
		sumTo(dy.([]float64), ds, o, st)
	case []int32:
		sumTo(dy.([]int32), ds, o, st)
	case []int64:
		sumTo(dy.([]int64), ds, o, st)
	}
}

func sumTo[T Number](in []T, shape []int, out []T, st []int) {
	r := len(shape)
	if r == 0 || len(in) == 0 {
		if len(in) > 0 {
			out[0] += in[0]
		}
		return
	}
	// A row (the last axis) at a time: added element by element (out not
	// broadcast along it) or summed first (out broadcast along it, the
	// bias gradient of a [batch, n]·[n] broadcast is the former).
	n, s := shape[r-1], st[r-1]
	if n == 0 {
		return
	}
	var buf [8]int
	idx := buf[:0]
	if r-1 > len(buf) {
		idx = make([]int, r-1)
	} else {
		idx = buf[:r-1]
	}
	o := 0
	for i := 0; i < len(in); i += n {
		row := in[i : i+n]
		switch s {
		case 1:
			dst := out[o : o+n]
			for j, v := range row {
				dst[j] += v
			}
		case 0:
			var acc T
			for _, v := range row {
				acc += v
			}
			out[o] += acc
		default:
			for j, v := range row {
				out[o+j*s] += v
			}
		}
		o = odometer(idx, shape[:r-1], st[:r-1], o)
	}
}

// ArgExtreme writes into out (an integer backing slice) the index along axis
// of the largest (isMax) or smallest element of x (shape xs), the first one
// where values tie. xs[axis] must not be 0 unless x is empty.
func ArgExtreme(out any, x any, xs []int, axis int, isMax bool) {
	n := xs[axis]
	outer, inner := Numel(xs[:axis]), Numel(xs[axis+1:])
	res := make([]int, outer*inner)
	switch d := x.(type) {
	case []float32:
		argExtreme(d, res, outer, n, inner, isMax)
	case []float64:
		argExtreme(d, res, outer, n, inner, isMax)
	case []int32:
		argExtreme(d, res, outer, n, inner, isMax)
	case []int64:
		argExtreme(d, res, outer, n, inner, isMax)
	}
	SetInts(out, res)
}

func argExtreme[T Number](x []T, res []int, outer, n, inner int, isMax bool) {
	for k := 0; k < outer; k++ {
		for i := 0; i < inner; i++ {
			base := k*n*inner + i
			best, bi := x[base], 0
			for j := 1; j < n; j++ {
				v := x[base+j*inner]
				if (isMax && v > best) || (!isMax && v < best) {
					best, bi = v, j
				}
			}
			res[k*inner+i] = bi
		}
	}
}

// AddN sets out to the sum of ins, backing slices of out's type and length.
func AddN(out any, ins []any) {
	switch o := out.(type) {
	case []float32:
		addN(o, ins)
	case []float64:
		addN(o, ins)
	case []int32:
		addN(o, ins)
	case []int64:
		addN(o, ins)
	}
}

func addN[T Number](o []T, ins []any) {
	copy(o, ins[0].([]T))
	for _, in := range ins[1:] {
		for i, v := range in.([]T) {
			o[i] += v
		}
	}
}

func isFloat[T Number]() bool {
	var z T
	switch any(z).(type) {
	case float32, float64:
		return true
	}
	return false
}

func lowest[T Number]() T {
	var z T
	switch p := any(&z).(type) {
	case *float32:
		*p = float32(math.Inf(-1))
	case *float64:
		*p = math.Inf(-1)
	case *int32:
		*p = math.MinInt32
	case *int64:
		*p = math.MinInt64
	}
	return z
}

func highest[T Number]() T {
	var z T
	switch p := any(&z).(type) {
	case *float32:
		*p = float32(math.Inf(1))
	case *float64:
		*p = math.Inf(1)
	case *int32:
		*p = math.MaxInt32
	case *int64:
		*p = math.MaxInt64
	}
	return z
}
