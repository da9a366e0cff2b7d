package kernels

// The product and logical reductions (tf.ReduceProd, ReduceAll,
// ReduceAny). Arguments as for Reduce: st are the output's strides read
// along the input's shape (0 along reduced axes).

// ReduceProd sets out to the products of in's elements reduced into each
// output element (1 for none); out and in are backing slices of one
// numeric dtype.
func ReduceProd(out any, st []int, in any, shape []int) {
	switch o := out.(type) {
	case []float32:
		reduceProd(in.([]float32), shape, o, st)
	case []float64:
		reduceProd(in.([]float64), shape, o, st)
	case []int32:
		reduceProd(in.([]int32), shape, o, st)
	case []int64:
		reduceProd(in.([]int64), shape, o, st)
	}
}

func reduceProd[T Number](in []T, shape []int, out []T, st []int) {
	for i := range out {
		out[i] = 1
	}
	idx := make([]int, len(shape))
	o := 0
	for _, v := range in {
		out[o] *= v
		o = odometer(idx, shape, st, o)
	}
}

// ReduceProdGrad sets out (x's shape) to the gradient of a product
// reduction: dy of each element's group times the product of the group's
// other elements, multiplied out (no division), so zeros in x are exact as
// TF's cumprod-based gradient makes them. It returns false unless the
// dtype is float32 or float64.
func ReduceProdGrad(out any, st []int, x, dy any, shape []int) bool {
	switch o := out.(type) {
	case []float32:
		reduceProdGrad(x.([]float32), dy.([]float32), shape, o, st)
	case []float64:
		reduceProdGrad(x.([]float64), dy.([]float64), shape, o, st)
	default:
		return false
	}
	return true
}

func reduceProdGrad[T Float](x, dy []T, shape []int, out []T, st []int) {
	// Each output element's input elements, in order.
	groups := make([][]int, len(dy))
	idx := make([]int, len(shape))
	o := 0
	for i := range x {
		groups[o] = append(groups[o], i)
		o = odometer(idx, shape, st, o)
	}
	for g, members := range groups {
		// Exclusive prefix products forward, then times the exclusive
		// suffix products backward.
		acc := T(1)
		for _, i := range members {
			out[i] = acc
			acc *= x[i]
		}
		acc = 1
		for k := len(members) - 1; k >= 0; k-- {
			i := members[k]
			out[i] *= acc * dy[g]
			acc *= x[i]
		}
	}
}

// ReduceBool sets out to the AND (all) or OR of in's elements reduced into
// each output element (true or false for none).
func ReduceBool(out []bool, st []int, in []bool, shape []int, all bool) {
	for i := range out {
		out[i] = all
	}
	idx := make([]int, len(shape))
	o := 0
	for _, v := range in {
		if all {
			out[o] = out[o] && v
		} else {
			out[o] = out[o] || v
		}
		o = odometer(idx, shape, st, o)
	}
}
