package tf_test

import (
	"fmt"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// ---- Cumsum, Cumprod ----

// refCumulative computes running sums or products along axis by their
// definition: element i combines elements j <= i (j < i exclusive; j >= i,
// j > i when reversed).
func refCumulative(in []float64, shape []int, axis int, prod, exclusive, reverse bool) []float64 {
	out := make([]float64, len(in))
	for i := range out {
		idx := unravel(i, shape)
		acc := 0.0
		if prod {
			acc = 1
		}
		for j := 0; j < shape[axis]; j++ {
			take := j <= idx[axis]
			if reverse {
				take = j >= idx[axis]
			}
			if exclusive && j == idx[axis] {
				take = false
			}
			if !take {
				continue
			}
			src := append([]int{}, idx...)
			src[axis] = j
			if prod {
				acc *= in[ravel(src, shape)]
			} else {
				acc += in[ravel(src, shape)]
			}
		}
		out[i] = acc
	}
	return out
}

func TestCumsumCumprod(t *testing.T) {
	newGraph(t)
	// Worked by hand (TF's documentation).
	x := tf.Constant([]float32{1, 2, 3}, tf.Invalid)
	check(t, eval(t, tf.Cumsum(x), nil), tf.Float32, []int{3}, []float64{1, 3, 6})
	check(t, eval(t, tf.Cumsum(x, tf.Exclusive(true)), nil), tf.Float32, []int{3}, []float64{0, 1, 3})
	check(t, eval(t, tf.Cumsum(x, tf.Reversed(true)), nil), tf.Float32, []int{3}, []float64{6, 5, 3})
	check(t, eval(t, tf.Cumsum(x, tf.Exclusive(true), tf.Reversed(true)), nil), tf.Float32, []int{3}, []float64{5, 3, 0})
	check(t, eval(t, tf.Cumprod([]int64{2, 3, 4}), nil), tf.Int64, []int{3}, []float64{2, 6, 24})
	check(t, eval(t, tf.Cumprod([]int32{2, 3, 4}, tf.Exclusive(true), tf.Reversed(true)), nil), tf.Int32, []int{3}, []float64{12, 4, 1})

	shape := []int{2, 3, 4}
	for _, prod := range []bool{false, true} {
		for _, axis := range []int{0, 1, 2, -1} {
			for _, ex := range []bool{false, true} {
				for _, rev := range []bool{false, true} {
					for _, dt := range []tf.DType{tf.Float32, tf.Float64, tf.Int32, tf.Int64} {
						t.Run(fmt.Sprintf("prod%v/axis%d/ex%v/rev%v/%s", prod, axis, ex, rev, dt), func(t *testing.T) {
							newGraph(t)
							xd := iotaDense(shape, dt, -5)
							opts := []tf.Option{tf.Axis(axis), tf.Exclusive(ex), tf.Reversed(rev)}
							var y *tf.Tensor
							if prod {
								y = tf.Cumprod(tf.Constant(xd, tf.Invalid), opts...)
							} else {
								y = tf.Cumsum(tf.Constant(xd, tf.Invalid), opts...)
							}
							ax := (axis + 3) % 3
							shapeIs(t, y, tf.Shape(shape))
							check(t, eval(t, y, nil), dt, shape, refCumulative(flat(xd), shape, ax, prod, ex, rev))
						})
					}
				}
			}
		}
	}

	newGraph(t)
	p := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	shapeIs(t, tf.Cumsum(p, tf.Axis(1)), tf.Shape{tf.None, 3})
	shapeIs(t, tf.Cumprod(tf.Placeholder(tf.Float32, nil)), nil)
	aWantErr(t, tf.Cumsum(p, tf.Axis(2)).Err(), "tf.Cumsum", "axis 2 is out of range [-2, 2)", "array_ops_nd_test.go:")
	aWantErr(t, tf.Cumsum(p, tf.Axis(0, 1)).Err(), "tf.Cumsum", "want exactly one")
	aWantErr(t, tf.Cumprod([]bool{true}).Err(), "tf.Cumprod", "dtype bool is not numeric")
	aWantErr(t, tf.Cumsum(2.0).Err(), "axis 0 is out of range [0, 0)")
}

// ---- GatherNd, ScatterNd ----

func TestGatherNd(t *testing.T) {
	newGraph(t)
	// Worked by hand (TF's documentation's examples).
	m := tf.Constant([][]int32{{1, 2}, {3, 4}}, tf.Invalid)
	check(t, eval(t, tf.GatherNd(m, [][]int{{0, 0}, {1, 1}}), nil), tf.Int32, []int{2}, []float64{1, 4})
	check(t, eval(t, tf.GatherNd(m, [][]int{{1}, {0}}), nil), tf.Int32, []int{2, 2}, []float64{3, 4, 1, 2})
	check(t, eval(t, tf.GatherNd(m, [][][]int{{{0, 1}}, {{1, 0}}}), nil), tf.Int32, []int{2, 1}, []float64{2, 3})
	check(t, eval(t, tf.GatherNd(m, []int{1, 0}), nil), tf.Int32, []int{}, []float64{3})
	check(t, eval(t, tf.GatherNd(m, tf.Constant(tensor.New(tensor.WithShape(2, 0), tensor.WithBacking([]int64{})), tf.Invalid)), nil),
		tf.Int32, []int{2, 2, 2}, []float64{1, 2, 3, 4, 1, 2, 3, 4})

	ps := []int{3, 2, 4}
	for _, dt := range allDTypes {
		for _, k := range []int{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/k%d", dt, k), func(t *testing.T) {
				newGraph(t)
				pd := iotaDense(ps, dt, 1)
				tuples := [][]int{{2, 1, 3}, {0, 0, 0}, {1, 1, 2}, {2, 0, 1}}
				var idx [][][]int // [2, 2, k]
				for a := 0; a < 2; a++ {
					var row [][]int
					for b := 0; b < 2; b++ {
						row = append(row, tuples[2*a+b][:k])
					}
					idx = append(idx, row)
				}
				slice := ps[k:]
				os := append([]int{2, 2}, slice...)
				in := flat(pd)
				var want []float64
				for a := 0; a < 2; a++ {
					for b := 0; b < 2; b++ {
						for s := 0; s < prod(slice); s++ {
							full := append(append([]int{}, idx[a][b]...), unravel(s, slice)...)
							want = append(want, in[ravel(full, ps)])
						}
					}
				}
				y := tf.GatherNd(tf.Constant(pd, tf.Invalid), tf.Constant(idx, tf.Int64))
				shapeIs(t, y, tf.Shape(os))
				check(t, eval(t, y, nil), dt, os, want)
			})
		}
	}

	newGraph(t)
	pp := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3, 2})
	ix := tf.Placeholder(tf.Int32, tf.Shape{tf.None, 2})
	y := tf.GatherNd(pp, ix)
	shapeIs(t, y, tf.Shape{tf.None, 2})
	shapeIs(t, tf.GatherNd(pp, tf.Placeholder(tf.Int32, tf.Shape{4, tf.None})), nil)
	pv := iotaDense([]int{2, 3, 2}, tf.Float32, 0)
	check(t, eval(t, y, session.Feed{pp: pv, ix: [][]int32{{1, 2}, {0, 1}}}), tf.Float32, []int{2, 2}, []float64{10, 11, 2, 3})
	aWantErr(t, runErr(y, session.Feed{pp: pv, ix: [][]int32{{1, 2}, {2, 0}}}), "indices[1] = [2, 0] does not index into param shape [2,3,2]")
	aWantErr(t, runErr(y, session.Feed{pp: pv, ix: [][]int32{{0, -1}}}), "indices[0] = [0, -1] does not index into param shape")
	aWantErr(t, tf.GatherNd(pp, tf.Placeholder(tf.Int32, tf.Shape{2, 4})).Err(), "tf.GatherNd", "index innermost dimension length must be <= params rank; saw: 4 vs. 3", "array_ops_nd_test.go:")
	aWantErr(t, tf.GatherNd(pp, 1).Err(), "indices must be at least a vector")
	aWantErr(t, tf.GatherNd(pp, []float32{1}).Err(), "indices", "float32")
}

func TestScatterNd(t *testing.T) {
	newGraph(t)
	// TF's documentation's first example: updates at rows 4, 3, 1, 7 of 8.
	y := tf.ScatterNd([][]int{{4}, {3}, {1}, {7}}, []int32{9, 10, 11, 12}, []int{8})
	check(t, eval(t, y, nil), tf.Int32, []int{8}, []float64{0, 11, 0, 10, 9, 0, 0, 12})
	// Repeated indices add up; slices.
	y = tf.ScatterNd([][]int64{{1}, {1}, {0}}, [][]float32{{1, 2}, {3, 4}, {5, 6}}, []int{3, 2})
	check(t, eval(t, y, nil), tf.Float32, []int{3, 2}, []float64{5, 6, 4, 6, 0, 0})
	y = tf.ScatterNd([][]int{{0, 1}, {2, 0}}, []float64{1.5, -2}, tf.Constant([]int32{3, 2}, tf.Int32))
	check(t, eval(t, y, nil), tf.Float64, []int{3, 2}, []float64{0, 1.5, 0, 0, -2, 0})

	ix := tf.Placeholder(tf.Int32, tf.Shape{tf.None, 1})
	up := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	y = tf.ScatterNd(ix, up, []int{4, 3})
	shapeIs(t, y, tf.Shape{4, 3})
	aWantErr(t, runErr(y, session.Feed{ix: [][]int32{{5}}, up: [][]float32{{1, 2, 3}}}), "indices[0] = [5] does not index into output shape [4,3]")
	for _, tc := range []struct {
		y    *tf.Tensor
		want []string
	}{
		{tf.ScatterNd(ix, tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2}), []int{4, 3}), []string{"updates have shape [?,2]; want indices.shape[:-1] + shape[1:] = [?,3]"}},
		{tf.ScatterNd(tf.Placeholder(tf.Int32, tf.Shape{2, 3}), []float32{1, 2}, []int{4, 3}), []string{"Output must have rank at least 3"}},
		{tf.ScatterNd(ix, []bool{true}, []int{4}), []string{"updates have dtype bool"}},
		{tf.ScatterNd(ix, up, []int{4, -3}), []string{"negative dimension"}},
		{tf.ScatterNd(ix, up, tf.Placeholder(tf.Int32, tf.Shape{2})), []string{"shape is tensor", "known only at run time"}},
	} {
		aWantErr(t, tc.y.Err(), append(tc.want, "ScatterNd", "array_ops_nd_test.go:")...)
	}
}

// GatherNd of rows ([n, 1] indices) has a sparse gradient, as TF's.
func TestGatherNdRowsGradientIsSparse(t *testing.T) {
	newGraph(t)
	p := tf.Placeholder(tf.Float64, tf.Shape{4, 2})
	y := tf.GatherNd(p, [][]int{{3}, {1}, {3}})
	gr, err := tf.Gradients(tf.Mul(y, [][]float64{{1, 2}, {3, 4}, {5, 6}}), []any{p})
	if err != nil {
		t.Fatal(err)
	}
	s := tf.IndexedSlicesOf(gr[0])
	if s == nil {
		t.Fatal("gradient is dense; want an IndexedSlices")
	}
	pv := iotaDense([]int{4, 2}, tf.Float64, 0)
	check(t, eval(t, s.Indices, session.Feed{p: pv}), s.Indices.DType(), []int{3}, []float64{3, 1, 3})
	check(t, eval(t, gr[0], session.Feed{p: pv}), tf.Float64, []int{4, 2}, []float64{0, 0, 3, 4, 0, 0, 6, 8})
	gr, err = tf.Gradients(tf.GatherNd(p, [][]int{{3, 0}}), []any{p})
	if err != nil || tf.IndexedSlicesOf(gr[0]) != nil {
		t.Errorf("gradient of GatherNd of elements: %v, %v; want a dense one", gr, err)
	}
}

// ---- batched MatMul ----

// refBatchMatMul multiplies batches of matrices by the definition, the
// batch axes broadcast, operands transposed first when asked.
func refBatchMatMul(a []float64, as []int, b []float64, bs []int, ta, tb bool) ([]float64, []int) {
	tr := func(v []float64, s []int) ([]float64, []int) {
		r, c := s[len(s)-2], s[len(s)-1]
		out := make([]float64, len(v))
		for blk := 0; blk < len(v)/(r*c); blk++ {
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					out[blk*r*c+j*r+i] = v[blk*r*c+i*c+j]
				}
			}
		}
		ns := append(append([]int{}, s[:len(s)-2]...), c, r)
		return out, ns
	}
	if ta {
		a, as = tr(a, as)
	}
	if tb {
		b, bs = tr(b, bs)
	}
	ab, bb := as[:len(as)-2], bs[:len(bs)-2]
	n := max(len(ab), len(bb))
	pad := func(s []int) []int { return append(make([]int, n-len(s)), s...) }
	pa, pb := pad(ab), pad(bb)
	batch := make([]int, n)
	for i := range batch {
		batch[i] = max(pa[i], pb[i])
		if pa[i] == 0 {
			pa[i] = 1
		}
		if pb[i] == 0 {
			pb[i] = 1
		}
	}
	m, k, nn := as[len(as)-2], as[len(as)-1], bs[len(bs)-1]
	os := append(append([]int{}, batch...), m, nn)
	out := make([]float64, prod(os))
	for bi := 0; bi < prod(batch); bi++ {
		idx := unravel(bi, batch)
		ia, ib := make([]int, n), make([]int, n)
		for d := range idx {
			ia[d], ib[d] = idx[d]%pa[d], idx[d]%pb[d]
		}
		oa, ob := ravel(ia, pa)*m*k, ravel(ib, pb)*k*nn
		for i := 0; i < m; i++ {
			for j := 0; j < nn; j++ {
				s := 0.0
				for l := 0; l < k; l++ {
					s += a[oa+i*k+l] * b[ob+l*nn+j]
				}
				out[bi*m*nn+i*nn+j] = s
			}
		}
	}
	return out, os
}

func TestBatchMatMul(t *testing.T) {
	for _, tc := range []struct {
		as, bs []int
		ta, tb bool
	}{
		{[]int{2, 3, 4}, []int{2, 4, 5}, false, false},
		{[]int{2, 4, 3}, []int{2, 4, 5}, true, false},
		{[]int{2, 3, 4}, []int{2, 5, 4}, false, true},
		{[]int{2, 4, 3}, []int{2, 5, 4}, true, true},
		{[]int{3, 2, 3, 4}, []int{4, 2}, false, false},
		{[]int{3, 4}, []int{2, 2, 4, 5}, false, false},
		{[]int{2, 1, 3, 4}, []int{3, 4, 2}, false, false},
		{[]int{1, 3, 0}, []int{2, 0, 2}, false, false},
	} {
		for _, dt := range []tf.DType{tf.Float32, tf.Float64} {
			t.Run(fmt.Sprintf("%v%v/%v%v/%s", tc.as, tc.bs, tc.ta, tc.tb, dt), func(t *testing.T) {
				newGraph(t)
				a, b := iotaDense(tc.as, dt, -3), iotaDense(tc.bs, dt, 2)
				want, os := refBatchMatMul(flat(a), tc.as, flat(b), tc.bs, tc.ta, tc.tb)
				opts := []tf.Option{tf.TransposeA(tc.ta), tf.AdjointB(tc.tb)}
				y := tf.MatMul(tf.Constant(a, tf.Invalid), tf.Constant(b, tf.Invalid), opts...)
				shapeIs(t, y, tf.Shape(os))
				if y.Op().Type() != "BatchMatMulV2" {
					t.Errorf("op %s; want TF's BatchMatMulV2", y.Op().Type())
				}
				got := eval(t, y, nil)
				checkShape(t, "product", got.Shape(), os)
				checkClose(t, "product", got.Float64s(), want)
			})
		}
	}
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 5, 3})
	w := tf.Placeholder(tf.Float32, tf.Shape{3, 2})
	shapeIs(t, tf.MatMul(x, w), tf.Shape{tf.None, 5, 2})
	shapeIs(t, tf.MatMul(x, x, tf.TransposeB(true)), tf.Shape{tf.None, 5, 5})
	shapeIs(t, tf.MatMul(w, w, tf.AdjointA(true)), tf.Shape{2, 2})
	aWantErr(t, tf.MatMul(tf.Placeholder(tf.Float32, tf.Shape{2, 5, 3}), tf.Placeholder(tf.Float32, tf.Shape{4, 3, 2})).Err(), "BatchMatMulV2", "batch dimensions", "do not broadcast", "array_ops_nd_test.go:")
	aWantErr(t, tf.MatMul(x, tf.Placeholder(tf.Float32, tf.Shape{4, 2})).Err(), "inner dimensions differ: 3 and 4")
	aWantErr(t, tf.MatMul(x, []float32{1, 2, 3}).Err(), "rank >= 2")
	aWantErr(t, tf.MatMul(x, w, tf.TransposeA(true), tf.AdjointA(true)).Err(), "Only one of transpose_a and adjoint_a")
	aWantErr(t, tf.MatMul(x, tf.Placeholder(tf.Float64, tf.Shape{3, 2})).Err(), "dtypes differ")
	y := tf.MatMul(x, tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3, 2}))
	aWantErr(t, runErr(y, session.Feed{x: iotaDense([]int{2, 5, 3}, tf.Float32, 0), y.Op().Inputs()[1]: iotaDense([]int{3, 3, 2}, tf.Float32, 0)}), "do not broadcast")
}

// ---- gradients ----

// The products' operands are scaled by 0.1 so that rounding in the central
// differences of these bilinear functions stays below the tolerance.
func TestNdCumulativeBatchMatMulGradients(t *testing.T) {
	n := tf.None
	runGradCases(t, []gradCase{
		{"Cumsum", []tf.Shape{sh(n, 4)}, [][]int{{2, 4}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Cumsum(x[0], tf.Axis(1)) }},
		{"CumsumExRev", []tf.Shape{sh(3, 2, 2)}, [][]int{{3, 2, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Cumsum(x[0], tf.Exclusive(true), tf.Reversed(true))
		}},
		{"Cumprod", []tf.Shape{sh(2, 4)}, [][]int{{2, 4}}, func(x []*tf.Tensor) *tf.Tensor { return tf.Cumprod(x[0], tf.Axis(-1)) }},
		{"CumprodExRev", []tf.Shape{sh(n, 3)}, [][]int{{3, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Cumprod(x[0], tf.Axis(0), tf.Exclusive(true), tf.Reversed(true))
		}},
		{"GatherNd", []tf.Shape{sh(n, 3, 2)}, [][]int{{3, 3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.GatherNd(x[0], [][]int{{2, 1}, {0, 0}, {2, 1}})
		}},
		{"GatherNdRows", []tf.Shape{sh(4, 3)}, [][]int{{4, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.GatherNd(x[0], [][][]int{{{3}, {1}}, {{3}, {0}}})
		}},
		{"ScatterNd", []tf.Shape{sh(n, 2)}, [][]int{{3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.ScatterNd([][]int{{1}, {4}, {1}}, x[0], []int{5, 2})
		}},
		{"GatherNdSecondOrder", []tf.Shape{sh(3, 2)}, [][]int{{3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			y := tf.Mul(tf.Square(tf.GatherNd(x[0], [][]int{{2, 1}, {0, 0}, {2, 1}})), weights([]int{3}))
			g, err := tf.Gradients(y, []any{x[0]})
			if err != nil {
				t.Fatal(err)
			}
			return g[0]
		}},
		{"BatchMatMul", []tf.Shape{sh(n, 3, 4), sh(2, 4, 2)}, [][]int{{2, 3, 4}, {2, 4, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.MatMul(tf.Mul(x[0], 0.1), tf.Mul(x[1], 0.1))
		}},
		{"BatchMatMulBroadcast", []tf.Shape{sh(2, 1, 3, 4), sh(2, 2, 4)}, [][]int{{2, 1, 3, 4}, {2, 2, 4}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.MatMul(tf.Mul(x[0], 0.1), tf.Mul(x[1], 0.1), tf.TransposeB(true))
		}},
		{"BatchMatMulAdjA", []tf.Shape{sh(3, 4, 3), sh(4, 2)}, [][]int{{3, 4, 3}, {4, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.MatMul(tf.Mul(x[0], 0.1), tf.Mul(x[1], 0.1), tf.AdjointA(true))
		}},
		{"BatchMatMulAdjBoth", []tf.Shape{sh(2, 4, 3), sh(2, 2, 4)}, [][]int{{2, 4, 3}, {2, 2, 4}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.MatMul(tf.Mul(x[0], 0.1), tf.Mul(x[1], 0.1), tf.AdjointA(true), tf.AdjointB(true))
		}},
	})
}
