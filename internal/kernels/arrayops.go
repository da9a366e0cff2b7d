package kernels

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"
)

// Kernels of tf's array ops that map output positions to input positions
// one dimension at a time (Tile, Pad, MirrorPad and their gradients), and
// of OneHot, Range, LinSpace, Eye, Cumsum, Cumprod, GatherNd and ScatterNd.

// DimMap says, for each dimension d of an output and each index i along it,
// which index of the input that position reads: Src[d][i], or -1 for none
// (a padded position).
type DimMap [][]int

// TileMap maps an output of shape os to an input of shape xs it tiles.
func TileMap(xs, os []int) DimMap {
	m := make(DimMap, len(os))
	for d, n := range os {
		m[d] = make([]int, n)
		for i := range m[d] {
			m[d][i] = i % xs[d]
		}
	}
	return m
}

// PadMode is how Pad fills the positions outside the input.
type PadMode int

// The padding modes of tf.pad.
const (
	PadConstant  PadMode = iota // a constant value
	PadReflect                  // the input mirrored, the edge not repeated
	PadSymmetric                // the input mirrored, the edge repeated
)

// PadMap maps an output padded by before[d] and after[d] elements to the
// input of shape xs, as mode pads.
func PadMap(xs, before, after []int, mode PadMode) DimMap {
	m := make(DimMap, len(xs))
	for d, n := range xs {
		m[d] = make([]int, before[d]+n+after[d])
		for i := range m[d] {
			j := i - before[d]
			switch {
			case j >= 0 && j < n:
			case mode == PadConstant:
				j = -1
			case mode == PadReflect && j < 0:
				j = -j
			case mode == PadReflect:
				j = 2*(n-1) - j
			case j < 0:
				j = -j - 1
			default:
				j = 2*n - 1 - j
			}
			m[d][i] = j
		}
	}
	return m
}

// CropMap maps an output of shape xs to the input it is cut from at
// offsets before (the gradient of a constant Pad).
func CropMap(xs, before []int) DimMap {
	m := make(DimMap, len(xs))
	for d, n := range xs {
		m[d] = make([]int, n)
		for i := range m[d] {
			m[d][i] = i + before[d]
		}
	}
	return m
}

// offsets turns a DimMap into element offsets into an input of shape xs.
func (m DimMap) offsets(xs []int) [][]int {
	st := Strides(xs)
	off := make([][]int, len(m))
	for d, src := range m {
		off[d] = make([]int, len(src))
		for i, j := range src {
			if j < 0 {
				off[d][i] = -1
			} else {
				off[d][i] = j * st[d]
			}
		}
	}
	return off
}

// walk calls f(o, s) for each output position o (row-major) with the input
// offset s it reads, -1 where it reads none.
func (m DimMap) walk(xs []int, f func(o, s int)) {
	off := m.offsets(xs)
	os := make([]int, len(m))
	for d := range m {
		os[d] = len(m[d])
	}
	n := Numel(os)
	if n == 0 {
		return
	}
	pos := make([]int, len(os))
	for o := 0; o < n; o++ {
		s := 0
		for d, p := range pos {
			x := off[d][p]
			if x < 0 {
				s = -1
				break
			}
			s += x
		}
		f(o, s)
		for d := len(pos) - 1; d >= 0; d-- {
			pos[d]++
			if pos[d] < os[d] {
				break
			}
			pos[d] = 0
		}
	}
}

// Gather sets out[o] = x[m(o)], and fill[0] where m reads nothing; out, x
// and fill are backing slices of one type (fill may be nil when m reads
// every position).
func (m DimMap) Gather(out, x any, xs []int, fill any) {
	switch o := out.(type) {
	case []float32:
		mapGather(m, o, x.([]float32), xs, fill)
	case []float64:
		mapGather(m, o, x.([]float64), xs, fill)
	case []int32:
		mapGather(m, o, x.([]int32), xs, fill)
	case []int64:
		mapGather(m, o, x.([]int64), xs, fill)
	case []bool:
		mapGather(m, o, x.([]bool), xs, fill)
	}
}

func mapGather[T any](m DimMap, out, x []T, xs []int, fill any) {
	var f T
	if fv, ok := fill.([]T); ok && len(fv) > 0 {
		f = fv[0]
	}
	m.walk(xs, func(o, s int) {
		if s < 0 {
			out[o] = f
		} else {
			out[o] = x[s]
		}
	})
}

// ScatterAdd adds dy[o] into dx[m(o)] for every position o of dy that
// reads an input: the gradient of Gather. dx (of shape xs) is not
// cleared first. It reports false for types other than float32 and float64.
func (m DimMap) ScatterAdd(dx any, xs []int, dy any) bool {
	switch d := dx.(type) {
	case []float32:
		mapScatterAdd(m, d, xs, dy.([]float32))
	case []float64:
		mapScatterAdd(m, d, xs, dy.([]float64))
	default:
		return false
	}
	return true
}

func mapScatterAdd[T Float](m DimMap, dx []T, xs []int, dy []T) {
	m.walk(xs, func(o, s int) {
		if s >= 0 {
			dx[s] += dy[o]
		}
	})
}

// OneHot writes the one-hot encoding of idx into out: out[i, k, j] is on[0]
// when idx[i, j] == k and off[0] otherwise, for outer indices i, depth k
// and inner indices j (the axis the depth is inserted at splits idx's
// positions into outer and inner). Indices outside [0, depth) give rows of
// off only.
func OneHot(out any, idx []int, outer, depth, inner int, on, off any) {
	switch o := out.(type) {
	case []float32:
		oneHot(o, idx, outer, depth, inner, on.([]float32)[0], off.([]float32)[0])
	case []float64:
		oneHot(o, idx, outer, depth, inner, on.([]float64)[0], off.([]float64)[0])
	case []int32:
		oneHot(o, idx, outer, depth, inner, on.([]int32)[0], off.([]int32)[0])
	case []int64:
		oneHot(o, idx, outer, depth, inner, on.([]int64)[0], off.([]int64)[0])
	case []bool:
		oneHot(o, idx, outer, depth, inner, on.([]bool)[0], off.([]bool)[0])
	}
}

func oneHot[T any](out []T, idx []int, outer, depth, inner int, on, off T) {
	for i := range out {
		out[i] = off
	}
	for i := 0; i < outer; i++ {
		for j := 0; j < inner; j++ {
			k := idx[i*inner+j]
			if k >= 0 && k < depth {
				out[(i*depth+k)*inner+j] = on
			}
		}
	}
}

// RangeSize returns the number of elements of TF's Range(start, limit,
// delta) computed in T as TF's kernel does: (|limit-start| + |delta| - 1)
// / |delta| for integers, ceil(|(limit-start) / delta|) for floats.
func RangeSize[T Number](start, limit, delta T) int {
	abs := func(x T) T {
		if x < 0 {
			return -x
		}
		return x
	}
	if !isFloat[T]() {
		return int((abs(limit-start) + abs(delta) - 1) / abs(delta))
	}
	q := float64(abs((limit - start) / delta))
	n := int(q)
	if float64(n) < q {
		n++
	}
	return n
}

// Range fills out with start, start+delta, ..., accumulating delta in the
// element type as TF's kernel does.
func Range(out any, start, delta float64) {
	switch o := out.(type) {
	case []float32:
		rangeFill(o, float32(start), float32(delta))
	case []float64:
		rangeFill(o, start, delta)
	case []int32:
		rangeFill(o, int32(start), int32(delta))
	case []int64:
		rangeFill(o, int64(start), int64(delta))
	}
}

func rangeFill[T Number](out []T, start, delta T) {
	v := start
	for i := range out {
		out[i] = v
		v += delta
	}
}

// LinSpace fills out with len(out) evenly spaced values from start to stop
// (both included), as TF's LinSpace: start + i*step with step =
// (stop-start)/(n-1) computed in the element type, the last set to stop.
func LinSpace(out, start, stop any) {
	switch o := out.(type) {
	case []float32:
		linSpace(o, start.([]float32)[0], stop.([]float32)[0])
	case []float64:
		linSpace(o, start.([]float64)[0], stop.([]float64)[0])
	}
}

func linSpace[T Float](out []T, start, stop T) {
	n := len(out)
	if n == 0 {
		return
	}
	out[0] = start
	if n == 1 {
		return
	}
	step := (stop - start) / T(n-1)
	for i := 1; i < n-1; i++ {
		out[i] = start + step*T(i)
	}
	out[n-1] = stop
}

// Eye sets the main diagonal of each of batch rows×cols matrices in out
// (zeros) to one.
func Eye(out any, batch, rows, cols int) {
	switch o := out.(type) {
	case []float32:
		eye(o, batch, rows, cols, 1)
	case []float64:
		eye(o, batch, rows, cols, 1)
	case []int32:
		eye(o, batch, rows, cols, 1)
	case []int64:
		eye(o, batch, rows, cols, 1)
	case []bool:
		eye(o, batch, rows, cols, true)
	}
}

func eye[T any](out []T, batch, rows, cols int, one T) {
	for b := 0; b < batch; b++ {
		for i := 0; i < rows && i < cols; i++ {
			out[(b*rows+i)*cols+i] = one
		}
	}
}

// Cumulative writes the running sums (or products, with prod) of x along
// the middle axis of [outer, n, inner] into out, as TF's Cumsum and
// Cumprod: exclusive leaves each element out of its own total (the first
// is 0, or 1 for products), reverse runs from the end of the axis.
func Cumulative(out, x any, outer, n, inner int, prod, exclusive, reverse bool) {
	switch o := out.(type) {
	case []float32:
		cumulative(o, x.([]float32), outer, n, inner, prod, exclusive, reverse)
	case []float64:
		cumulative(o, x.([]float64), outer, n, inner, prod, exclusive, reverse)
	case []int32:
		cumulative(o, x.([]int32), outer, n, inner, prod, exclusive, reverse)
	case []int64:
		cumulative(o, x.([]int64), outer, n, inner, prod, exclusive, reverse)
	}
}

func cumulative[T Number](out, x []T, outer, n, inner int, prod, exclusive, reverse bool) {
	var id T
	if prod {
		id = 1
	}
	for i := 0; i < outer; i++ {
		for j := 0; j < inner; j++ {
			acc := id
			for s := 0; s < n; s++ {
				k := s
				if reverse {
					k = n - 1 - s
				}
				p := (i*n+k)*inner + j
				v := x[p]
				if exclusive {
					out[p] = acc
				}
				if prod {
					acc *= v
				} else {
					acc += v
				}
				if !exclusive {
					out[p] = acc
				}
			}
		}
	}
}

// NDIndices checks the index tuples of TF's GatherNd and ScatterNd (each
// of the k entries of a tuple indexes one of the first k dimensions of
// shape) and returns each tuple's element offset into a tensor of shape,
// in units of its slices of the remaining dimensions. what names the
// tensor indexed in errors, as TF's "indices[1] = [2, 0] does not index
// into param shape [2,3]".
func NDIndices(idx []int, is []int, shape []int, what string) ([]int, error) {
	k := is[len(is)-1]
	n := len(idx) / max(k, 1)
	if k == 0 {
		n = Numel(is[:len(is)-1])
	}
	st := Strides(shape[:k])
	offs := make([]int, n)
	for t := 0; t < n; t++ {
		o := 0
		for d := 0; d < k; d++ {
			v := idx[t*k+d]
			if v < 0 || v >= shape[d] {
				return nil, ndIndexError(idx[t*k:t*k+k], t, is[:len(is)-1], shape, what)
			}
			o += v * st[d]
		}
		offs[t] = o
	}
	return offs, nil
}

func ndIndexError(tuple []int, t int, outer, shape []int, what string) error {
	pos := make([]int, len(outer))
	r := t
	for d := len(outer) - 1; d >= 0; d-- {
		pos[d] = r % outer[d]
		r /= outer[d]
	}
	return errors.Errorf("indices[%s] = [%s] does not index into %s shape [%s]", join(pos, ","), join(tuple, ", "), what, join(shape, ","))
}

func join(v []int, sep string) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, sep)
}

// GatherNd copies slice offs[t] (of size slice) of params into slice t of
// out.
func GatherNd(out, params any, offs []int, slice int) {
	for t, o := range offs {
		BlockCopy(out, params, t*slice, o*slice, slice)
	}
}

// ScatterNdAdd adds slice t of updates into slice offs[t] (of size slice)
// of out; repeated offsets accumulate.
func ScatterNdAdd(out, updates any, offs []int, slice int) {
	switch o := out.(type) {
	case []float32:
		scatterNd(o, updates.([]float32), offs, slice)
	case []float64:
		scatterNd(o, updates.([]float64), offs, slice)
	case []int32:
		scatterNd(o, updates.([]int32), offs, slice)
	case []int64:
		scatterNd(o, updates.([]int64), offs, slice)
	}
}

func scatterNd[T Number](out, up []T, offs []int, slice int) {
	for t, o := range offs {
		dst, src := out[o*slice:o*slice+slice], up[t*slice:t*slice+slice]
		for i := range dst {
			dst[i] += src[i]
		}
	}
}
