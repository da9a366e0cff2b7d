package tf_test

import (
	"fmt"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// refMatMul multiplies op(a)·op(b) by plain loops; a is stored ra×ca, b rb×cb.
func refMatMul(a []float64, ra, ca int, b []float64, rb, cb int, ta, tb bool) ([]float64, int, int) {
	get := func(m []float64, cols int, i, j int, tr bool) float64 {
		if tr {
			i, j = j, i
		}
		return m[i*cols+j]
	}
	m, k := ra, ca
	if ta {
		m, k = ca, ra
	}
	n := cb
	if tb {
		n = rb
	}
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for p := 0; p < k; p++ {
				s += get(a, ca, i, p, ta) * get(b, cb, p, j, tb)
			}
			out[i*n+j] = s
		}
	}
	return out, m, n
}

func matMulShapes(ta, tb bool) (as, bs []int) {
	// op(a) is 3×4, op(b) is 4×2.
	as, bs = []int{3, 4}, []int{4, 2}
	if ta {
		as = []int{4, 3}
	}
	if tb {
		bs = []int{2, 4}
	}
	return as, bs
}

func TestMatMul(t *testing.T) {
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			for _, dt := range []tf.DType{tf.Float64, tf.Float32} {
				t.Run(fmt.Sprintf("ta=%v/tb=%v/%s", ta, tb, dt), func(t *testing.T) {
					g := newGraph(t)
					as, bs := matMulShapes(ta, tb)
					a, b := wobble(12, 0), wobble(8, 2)
					x := tf.Placeholder(dt, tf.Shape{tf.None, tf.None})
					y := tf.Placeholder(dt, tf.Shape(bs))
					z := tf.MatMul(x, y, tf.TransposeA(ta), tf.TransposeB(tb))
					feed := session.Feed{x: dense64(as, a), y: dense64(bs, b)}
					if dt == tf.Float32 {
						a, b = round32(a), round32(b)
						feed = session.Feed{x: dense32(as, a), y: dense32(bs, b)}
					}
					want, m, n := refMatMul(a, as[0], as[1], b, bs[0], bs[1], ta, tb)
					checkShape(t, "static", z.Shape(), []int{tf.None, 2})
					got := runAll(t, g, z, feed)[0]
					checkShape(t, "run", got.Shape(), []int{m, n})
					checkCloseTol(t, "values", got.Float64s(), want, 1e-6, 1e-6)
				})
			}
		}
	}
}

func TestMatMulByHand(t *testing.T) {
	g := newGraph(t)
	a := tf.Constant([][]float32{{1, 2}, {3, 4}}, tf.Float32)
	b := tf.Constant([][]float32{{5, 6}, {7, 8}}, tf.Float32)
	out := runAll(t, g, []*tf.Tensor{tf.MatMul(a, b), tf.MatMul(a, b, tf.TransposeA(true)), tf.MatMul(a, b, tf.TransposeB(true))}, nil)
	checkClose(t, "a·b", out[0].Float64s(), []float64{19, 22, 43, 50})
	checkClose(t, "aᵀ·b", out[1].Float64s(), []float64{26, 30, 38, 44})
	checkClose(t, "a·bᵀ", out[2].Float64s(), []float64{17, 23, 39, 53})
	// Empty inner dimension gives zeros; empty outer ones an empty result.
	p := tf.Placeholder(tf.Float64, tf.Shape{tf.None, tf.None})
	q := tf.Placeholder(tf.Float64, tf.Shape{tf.None, tf.None})
	z := runAll(t, g, tf.MatMul(p, q), session.Feed{p: dense64([]int{2, 0}, nil), q: dense64([]int{0, 3}, nil)})[0]
	checkClose(t, "k=0", z.Float64s(), []float64{0, 0, 0, 0, 0, 0})
	z = runAll(t, g, tf.MatMul(p, q), session.Feed{p: dense64([]int{0, 2}, nil), q: dense64([]int{2, 3}, seq(6, 1, 1))})[0]
	checkShape(t, "m=0", z.Shape(), []int{0, 3})
}

func TestMatMulErrors(t *testing.T) {
	newGraph(t)
	a := tf.Placeholder(tf.Float32, tf.Shape{3, 4})
	wantErr(t, "inner", tf.MatMul(a, tf.Placeholder(tf.Float32, tf.Shape{3, 2})).Err(), "MatMul", "float32[3,4]", "float32[3,2]", "matmul_test.go:")
	wantErr(t, "inner transposed", tf.MatMul(a, tf.Placeholder(tf.Float32, tf.Shape{4, 2}), tf.TransposeA(true)).Err(), "3 and 4")
	wantErr(t, "rank", tf.MatMul(a, tf.Placeholder(tf.Float32, tf.Shape{4})).Err(), "rank")
	wantErr(t, "int", tf.MatMul(tf.Constant([][]int{{1}}, tf.Int32), tf.Constant([][]int{{1}}, tf.Int32)).Err(), "int32")
	wantErr(t, "dtypes", tf.MatMul(a, tf.Placeholder(tf.Float64, tf.Shape{4, 2})).Err(), "float64")
	wantErr(t, "option", tf.MatMul(a, a, tf.KeepDims(true)).Err(), "keepdims")
}

func TestMatMulGradients(t *testing.T) {
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			t.Run(fmt.Sprintf("ta=%v/tb=%v", ta, tb), func(t *testing.T) {
				g := newGraph(t)
				as, bs := matMulShapes(ta, tb)
				x := tf.Placeholder(tf.Float64, tf.Shape(as))
				y := tf.Placeholder(tf.Float64, tf.Shape{tf.None, tf.None})
				z := tf.MatMul(x, y, tf.TransposeA(ta), tf.TransposeB(tb))
				z = tf.Mul(z, tf.Constant(dense64([]int{3, 2}, seq(6, 1, 0.5)), tf.Float64))
				tftest.CheckGradients(t, g, z, []*tf.Tensor{x, y}, session.Feed{x: dense64(as, wobble(12, 0)), y: dense64(bs, wobble(8, 2))}, gradH, gradTol)
			})
		}
	}
}

func TestAddN(t *testing.T) {
	g := newGraph(t)
	a := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 2})
	b := tf.Placeholder(tf.Float64, tf.Shape{3, tf.None})
	c := tf.Constant(dense64([]int{3, 2}, seq(6, 100, 100)), tf.Float64)
	s := tf.AddN(a, b, c)
	checkShape(t, "static", s.Shape(), []int{3, 2})
	av, bv := seq(6, 1, 1), seq(6, 10, 10)
	feed := session.Feed{a: dense64([]int{3, 2}, av), b: dense64([]int{3, 2}, bv)}
	checkClose(t, "values", runAll(t, g, s, feed)[0].Float64s(), []float64{111, 222, 333, 444, 555, 666})
	checkClose(t, "one input", runAll(t, g, tf.AddN(a), feed)[0].Float64s(), av)
	checkClose(t, "int32", runAll(t, g, tf.AddN(tf.Constant([]int{1, 2}, tf.Int32), []int32{3, 4}), nil)[0].Float64s(), []float64{4, 6})
	// No broadcasting, unlike Add.
	wantErr(t, "shapes", tf.AddN(a, tf.Constant([]float64{1, 2}, tf.Float64)).Err(), "AddN", "same shape", "[?,2]", "[2]", "matmul_test.go:")
	wantErr(t, "dtypes", tf.AddN(a, tf.Placeholder(tf.Float32, tf.Shape{3, 2})).Err(), "AddN", "float32")
	wantErr(t, "none", tf.AddN().Err(), "AddN", "at least one", "matmul_test.go:")
	wantErr(t, "run-time shapes", runErr(tf.AddN(a, b), session.Feed{a: dense64([]int{3, 2}, av), b: dense64([]int{3, 3}, seq(9, 0, 1))}), "shape")
	tftest.CheckGradients(t, g, tf.Mul(tf.AddN(a, tf.Square(a), b), c), []*tf.Tensor{a, b}, feed, gradH, gradTol)
}
