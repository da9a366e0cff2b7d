package kernels

// BlockCopy copies n elements from src[so:] to dst[do:], backing slices of
// one type.
func BlockCopy(dst, src any, do, so, n int) {
	switch d := dst.(type) {
	case []float32:
		copy(d[do:do+n], src.([]float32)[so:so+n])
	case []float64:
		copy(d[do:do+n], src.([]float64)[so:so+n])
	case []int32:
		copy(d[do:do+n], src.([]int32)[so:so+n])
	case []int64:
		copy(d[do:do+n], src.([]int64)[so:so+n])
	case []bool:
		copy(d[do:do+n], src.([]bool)[so:so+n])
	}
}

// Take sets dst[i] = src[idx[i]], backing slices of one type.
func Take(dst, src any, idx []int) {
	switch d := dst.(type) {
	case []float32:
		take(d, src.([]float32), idx)
	case []float64:
		take(d, src.([]float64), idx)
	case []int32:
		take(d, src.([]int32), idx)
	case []int64:
		take(d, src.([]int64), idx)
	case []bool:
		take(d, src.([]bool), idx)
	}
}

func take[T any](dst, src []T, idx []int) {
	for i, j := range idx {
		dst[i] = src[j]
	}
}

// Transpose writes x of shape xs, its axes permuted by perm (axis i of out
// is axis perm[i] of x), into out of shape os.
func Transpose(out any, os []int, x any, xs []int, perm []int) {
	n := Numel(os)
	if n == 0 {
		return
	}
	xst := Strides(xs)
	st := make([]int, len(os)) // stride in x of each output axis
	for i, p := range perm {
		st[i] = xst[p]
	}
	// Trailing axes left in place move as contiguous blocks.
	k := len(perm)
	for k > 0 && perm[k-1] == k-1 {
		k--
	}
	if inner := Numel(os[k:]); inner > 1 {
		pos := make([]int, k)
		off := 0
		for b := 0; b < n/inner; b++ {
			BlockCopy(out, x, b*inner, off, inner)
			off = odometer(pos, os[:k], st[:k], off)
		}
		return
	}
	idx := make([]int, n)
	pos := make([]int, len(os))
	off := 0
	for i := range idx {
		idx[i] = off
		off = odometer(pos, os, st, off)
	}
	Take(out, x, idx)
}

// Stack writes the values xs, each of shape s, into out so that xs[i] is
// index i along axis of out (TF's Pack).
func Stack(out any, xs []any, s []int, axis int) {
	n := len(xs)
	outer, inner := Numel(s[:axis]), Numel(s[axis:])
	for i, x := range xs {
		for k := 0; k < outer; k++ {
			BlockCopy(out, x, (k*n+i)*inner, k*inner, inner)
		}
	}
}

// Unstack writes index i along axis of x (shape xs) into outs[i] (TF's
// Unpack).
func Unstack(outs []any, x any, xs []int, axis int) {
	n := xs[axis]
	outer, inner := Numel(xs[:axis]), Numel(xs[axis+1:])
	for i := 0; i < n; i++ {
		for k := 0; k < outer; k++ {
			BlockCopy(outs[i], x, k*inner, (k*n+i)*inner, inner)
		}
	}
}

// Concat joins xs (shapes ss) along axis into out of shape os.
func Concat(out any, os []int, xs []any, ss [][]int, axis int) {
	outer, outInner := Numel(os[:axis]), Numel(os[axis:])
	off := 0
	for i, x := range xs {
		inner := Numel(ss[i][axis:])
		for k := 0; k < outer; k++ {
			BlockCopy(out, x, k*outInner+off, k*inner, inner)
		}
		off += inner
	}
}

// Split is Concat backwards: it cuts x of shape xs along axis into outs of
// shapes ss.
func Split(outs []any, ss [][]int, x any, xs []int, axis int) {
	outer, xInner := Numel(xs[:axis]), Numel(xs[axis:])
	off := 0
	for i, o := range outs {
		inner := Numel(ss[i][axis:])
		for k := 0; k < outer; k++ {
			BlockCopy(o, x, k*inner, k*xInner+off, inner)
		}
		off += inner
	}
}

// RegionCopy copies between big of shape bs and small of shape ss, the
// region of big that starts at begin: small = big[region] when toSmall, else
// big[region] = small (the rest of big untouched).
func RegionCopy(big any, bs []int, small any, ss []int, begin []int, toSmall bool) {
	r := len(ss)
	if Numel(ss) == 0 {
		return
	}
	if r == 0 {
		if toSmall {
			BlockCopy(small, big, 0, 0, 1)
		} else {
			BlockCopy(big, small, 0, 0, 1)
		}
		return
	}
	bst := Strides(bs)
	row := ss[r-1]
	rows := Numel(ss[:r-1])
	pos := make([]int, r-1)
	for k := 0; k < rows; k++ {
		off := begin[r-1]
		for d, p := range pos {
			off += (begin[d] + p) * bst[d]
		}
		if toSmall {
			BlockCopy(small, big, k*row, off, row)
		} else {
			BlockCopy(big, small, off, k*row, row)
		}
		for d := r - 2; d >= 0; d-- {
			pos[d]++
			if pos[d] < ss[d] {
				break
			}
			pos[d] = 0
		}
	}
}

// Gather writes the slices of p (shape ps) at indices idx along axis into
// out, of shape ps[:axis] + shape(idx) + ps[axis+1:]. Indices must be
// below ps[axis] (see CheckIndices); the slices of out at negative indices
// are left as they are (IndexedSlices pad with -1; their callers zero out).
func Gather(out, p any, ps []int, axis int, idx []int) {
	n := ps[axis]
	outer, inner := Numel(ps[:axis]), Numel(ps[axis+1:])
	m := len(idx)
	for k := 0; k < outer; k++ {
		for j, v := range idx {
			if v < 0 {
				continue
			}
			BlockCopy(out, p, (k*m+j)*inner, (k*n+v)*inner, inner)
		}
	}
}

// ScatterAdd is Gather's gradient: it adds the slices of dy into out (shape
// ps, zeroed by the caller) at indices idx along axis, so repeated indices
// accumulate; negative indices are skipped (IndexedSlices pad with -1).
// Indices must be below ps[axis]. It returns false, writing nothing, unless out is []float32 or
// []float64.
func ScatterAdd(out any, ps []int, axis int, idx []int, dy any) bool {
	n := ps[axis]
	outer, inner := Numel(ps[:axis]), Numel(ps[axis+1:])
	switch o := out.(type) {
	case []float32:
		scatterAdd(o, dy.([]float32), idx, outer, n, inner)
	case []float64:
		scatterAdd(o, dy.([]float64), idx, outer, n, inner)
	default:
		return false
	}
	return true
}

func scatterAdd[T Float](out, dy []T, idx []int, outer, n, inner int) {
	m := len(idx)
	for k := 0; k < outer; k++ {
		for j, v := range idx {
			if v < 0 {
				continue
			}
			o := out[(k*n+v)*inner : (k*n+v+1)*inner]
			d := dy[(k*m+j)*inner : (k*m+j+1)*inner]
			for i := range o {
				o[i] += d[i]
			}
		}
	}
}
