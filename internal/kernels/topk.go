package kernels

import "sort"

// TopK writes the k largest entries of each row of n entries of x into
// vals (rows of k, x's dtype) and their indices into idx: in descending
// order, equal values in index order (TF's rule), or, unsorted, the same
// entries in index order.
func TopK(vals any, idx []int32, x any, n, k int, sorted bool) {
	switch v := vals.(type) {
	case []float32:
		topK(v, idx, x.([]float32), n, k, sorted)
	case []float64:
		topK(v, idx, x.([]float64), n, k, sorted)
	case []int32:
		topK(v, idx, x.([]int32), n, k, sorted)
	case []int64:
		topK(v, idx, x.([]int64), n, k, sorted)
	}
}

func topK[T Number](vals []T, idx []int32, x []T, n, k int, sorted bool) {
	if n == 0 {
		return
	}
	order := make([]int, n)
	for r := 0; r < len(x)/n; r++ {
		row := x[r*n : (r+1)*n]
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return row[order[a]] > row[order[b]] })
		top := order[:k]
		if !sorted {
			sort.Ints(top)
		}
		for j, i := range top {
			vals[r*k+j] = row[i]
			idx[r*k+j] = int32(i)
		}
	}
}

// TopKGrad adds each row's k gradients dy at their indices idx into out
// (rows of n, zeroed by the caller): the gradient of TopK's values. It
// returns false unless out is float32 or float64.
func TopKGrad(out any, n int, idx []int32, k int, dy any) bool {
	switch o := out.(type) {
	case []float32:
		topKGrad(o, n, idx, k, dy.([]float32))
	case []float64:
		topKGrad(o, n, idx, k, dy.([]float64))
	default:
		return false
	}
	return true
}

func topKGrad[T Float](out []T, n int, idx []int32, k int, dy []T) {
	for j, i := range idx {
		out[(j/k)*n+int(i)] += dy[j]
	}
}
