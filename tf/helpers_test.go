package tf_test

import (
	"math"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// Helpers shared by the tests of package tf. Expected values in these tests
// come from the plain-loop references below or from hand computation, never
// from the code under test.

// newGraph makes a fresh graph the default one for the rest of the test.
func newGraph(t *testing.T) *tf.Graph {
	t.Helper()
	g := tf.NewGraph()
	t.Cleanup(g.AsDefault())
	return g
}

// runAll runs fetches in a new session on g and fails the test on error.
func runAll(t *testing.T, g *tf.Graph, fetches any, feed session.Feed) []*tf.Array {
	t.Helper()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	out, err := sess.Run(fetches, feed)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out
}

// eval runs one tensor of g.
func eval(t *testing.T, x *tf.Tensor, feed session.Feed) *tf.Array {
	t.Helper()
	return runAll(t, x.Graph(), x, feed)[0]
}

// runErr runs x and returns the error (nil if it ran).
func runErr(x *tf.Tensor, feed session.Feed) error {
	sess := session.New(session.WithGraph(x.Graph()))
	defer sess.Close()
	_, err := sess.Run(x, feed)
	return err
}

// checkClose fails when got and want differ beyond 1e-12 + 1e-6 relative
// (1e-6 suits float32 results; float64 ones are exact to far better).
func checkClose(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if ok, msg := tftest.AllClose(got, want, 1e-12, 1e-6); !ok {
		t.Errorf("%s: %s\n got  %v\n want %v", what, msg, got, want)
	}
}

// checkCloseTol is checkClose with given tolerances.
func checkCloseTol(t *testing.T, what string, got, want []float64, atol, rtol float64) {
	t.Helper()
	if ok, msg := tftest.AllClose(got, want, atol, rtol); !ok {
		t.Errorf("%s: %s\n got  %v\n want %v", what, msg, got, want)
	}
}

func checkShape(t *testing.T, what string, got []int, want []int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: shape %v, want %v", what, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: shape %v, want %v", what, got, want)
			return
		}
	}
}

// wantErr fails unless err is non-nil and contains every part.
func wantErr(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one containing %q", what, parts)
		return
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not contain %q", what, err, p)
		}
	}
}

// seq returns n values start, start+step, ...
func seq(n int, start, step float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = start + float64(i)*step
	}
	return out
}

// wobble returns n distinct irregular values in about [-2, 2], none 0.
func wobble(n int, phase float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		v := 2 * math.Sin(1.3*float64(i)+phase+0.4)
		if math.Abs(v) < 0.05 {
			v = 0.3
		}
		out[i] = v
	}
	return out
}

func prod(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// unravel turns a flat row-major index into a multi-index of shape.
func unravel(i int, shape []int) []int {
	idx := make([]int, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		idx[d] = i % shape[d]
		i /= shape[d]
	}
	return idx
}

// at reads a row-major array of shape at a multi-index of a broadcast result
// shape (right-aligned, size-1 dimensions repeated).
func at(a []float64, shape []int, outIdx []int) float64 {
	off := len(outIdx) - len(shape)
	flat := 0
	for d, n := range shape {
		i := outIdx[off+d]
		if n == 1 {
			i = 0
		}
		flat = flat*n + i
	}
	return a[flat]
}

// refBroadcast applies f with numpy broadcasting by plain index arithmetic.
func refBroadcast(a []float64, as []int, b []float64, bs []int, os []int, f func(x, y float64) float64) []float64 {
	out := make([]float64, prod(os))
	for i := range out {
		idx := unravel(i, os)
		out[i] = f(at(a, as, idx), at(b, bs, idx))
	}
	return out
}

// refReduce reduces x of shape over the axes marked in red, with init and
// combine, keeping reduced axes as size 1 in the (row-major) result.
func refReduce(x []float64, shape []int, red []bool, init float64, combine func(acc, v float64) float64) ([]float64, []int) {
	os := make([]int, len(shape))
	for d := range shape {
		os[d] = shape[d]
		if red[d] {
			os[d] = 1
		}
	}
	out := make([]float64, prod(os))
	for i := range out {
		out[i] = init
	}
	for i, v := range x {
		idx := unravel(i, shape)
		flat := 0
		for d := range shape {
			j := idx[d]
			if red[d] {
				j = 0
			}
			flat = flat*os[d] + j
		}
		out[flat] = combine(out[flat], v)
	}
	return out, os
}

// dense64 returns a float64 dense tensor of shape holding v.
func dense64(shape []int, v []float64) *tensor.Dense {
	if len(shape) == 0 {
		return tensor.New(tensor.FromScalar(v[0]))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
}

// dense32 returns a float32 dense tensor of shape holding v.
func dense32(shape []int, v []float64) *tensor.Dense {
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	if len(shape) == 0 {
		return tensor.New(tensor.FromScalar(f[0]))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
}

// round32 rounds each value to float32, as a float32 input holds it.
func round32(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(float32(x))
	}
	return out
}
