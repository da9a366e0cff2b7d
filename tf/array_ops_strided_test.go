package tf_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// pySlice returns the indices Python's slice(start, stop, step) takes of a
// dimension of size n (slice.indices), nil parts meaning "left out".
func pySlice(start, stop, step *int, n int) []int {
	st := 1
	if step != nil {
		st = *step
	}
	lower, upper := 0, n
	if st < 0 {
		lower, upper = -1, n-1
	}
	norm := func(v *int, def int) int {
		if v == nil {
			return def
		}
		x := *v
		if x < 0 {
			x += n
			if x < lower {
				x = lower
			}
		} else if x > upper {
			x = upper
		}
		return x
	}
	var b, e int
	if st > 0 {
		b, e = norm(start, lower), norm(stop, upper)
	} else {
		b, e = norm(start, upper), norm(stop, lower)
	}
	var out []int
	for i := b; (st > 0 && i < e) || (st < 0 && i > e); i += st {
		out = append(out, i)
	}
	return out
}

// refIndex evaluates numpy's x[spec] for x of shape s (values v) by
// enumerating each dimension's indices: the reference for tf.Index.
func refIndex(v []float64, s []int, spec string) ([]float64, []int) {
	entries := strings.Split(spec, ",")
	// Expand "..." and count consumed dimensions.
	consumed := 0
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e != "..." && e != "None" {
			consumed++
		}
	}
	type axis struct {
		idx  []int
		keep bool
	}
	var axes []axis // per input dimension
	var newAt []int // output positions of new axes
	outDims := 0
	d := 0
	for _, e := range entries {
		e = strings.TrimSpace(e)
		switch {
		case e == "...":
			for k := 0; k < len(s)-consumed; k++ {
				axes = append(axes, axis{pySlice(nil, nil, nil, s[d]), true})
				d++
				outDims++
			}
		case e == "None":
			newAt = append(newAt, outDims)
			outDims++
		case strings.Contains(e, ":"):
			p := strings.Split(e, ":")
			get := func(k int) *int {
				if k >= len(p) || strings.TrimSpace(p[k]) == "" {
					return nil
				}
				x, _ := strconv.Atoi(strings.TrimSpace(p[k]))
				return &x
			}
			axes = append(axes, axis{pySlice(get(0), get(1), get(2), s[d]), true})
			d++
			outDims++
		default:
			x, _ := strconv.Atoi(e)
			if x < 0 {
				x += s[d]
			}
			axes = append(axes, axis{[]int{x}, false})
			d++
		}
	}
	for ; d < len(s); d++ {
		axes = append(axes, axis{pySlice(nil, nil, nil, s[d]), true})
	}
	var shape []int
	for _, a := range axes {
		if a.keep {
			shape = append(shape, len(a.idx))
		}
	}
	for _, p := range newAt {
		shape = append(shape[:p], append([]int{1}, shape[p:]...)...)
	}
	strides := make([]int, len(s))
	acc := 1
	for i := len(s) - 1; i >= 0; i-- {
		strides[i] = acc
		acc *= s[i]
	}
	out := []float64{}
	var walk func(d, off int)
	walk = func(d, off int) {
		if d == len(axes) {
			out = append(out, v[off])
			return
		}
		for _, i := range axes[d].idx {
			walk(d+1, off+i*strides[d])
		}
	}
	walk(0, 0)
	if shape == nil {
		shape = []int{}
	}
	return out, shape
}

// TestIndexAndStridedSlice: numpy-style slicing of a [3,4,5] tensor against
// the plain enumeration above, the static shapes with a None batch, the
// long form with masks, gradients by central differences, and errors.
func TestIndexAndStridedSlice(t *testing.T) {
	g := newGraph(t)
	s := []int{3, 4, 5}
	v := seq(60, 0, 1)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 4, 5})
	feed := session.Feed{x: dense64(s, v)}
	specs := []string{":, :-1", ":, 1:", "1", "-1, ::-2", "..., 2", "None, 1:, ..., ::2", "::-1, -2:, 1:4:2",
		"5:", ":, 10:-10", "-3:-1, 3, -1", "..., None", "1:2, :, -4::-3", ":, ::-1, 4:0:-1"}
	for _, spec := range specs {
		y := tf.Index(x, spec)
		if y.Err() != nil {
			t.Fatalf("%q: %v", spec, y.Err())
		}
		want, ws := refIndex(v, s, spec)
		got := eval(t, y, feed)
		checkShape(t, spec, got.Shape(), ws)
		checkClose(t, spec, got.Float64s(), want)
		if n := len(want); n > 0 {
			w := tf.Constant(dense64(ws, seq(n, 1, 0.5)), tf.Float64)
			small := session.Feed{x: dense64(s, seq(60, -0.3, 0.01))}
			tftest.CheckGradients(t, g, tf.ReduceSum(tf.Mul(tf.Square(y), w)), []*tf.Tensor{x}, small, 1e-6, 1e-8)
		}
	}
	if sh := tf.Index(x, ":, :-1").Shape(); !sh.Equal(tf.Shape{tf.None, 3, 5}) {
		t.Errorf("Y[:, :-1] static shape %v, want [?,3,5]", sh)
	}
	if sh := tf.Index(x, ":, 1:").Shape(); !sh.Equal(tf.Shape{tf.None, 3, 5}) {
		t.Errorf("Y[:, 1:] static shape %v, want [?,3,5]", sh)
	}
	// The long form: x[1:, ..., -1] with masks.
	long := tf.StridedSlice(x, []int{1, 0, -1}, []int{0, 0, 0}, []int{1, 1, 1},
		tf.EndMask(1), tf.EllipsisMask(2), tf.ShrinkAxisMask(4))
	want, ws := refIndex(v, s, "1:, ..., -1")
	got := eval(t, long, feed)
	checkShape(t, "StridedSlice", got.Shape(), ws)
	checkClose(t, "StridedSlice", got.Float64s(), want)

	wantErr(t, "bad entry", tf.Index(x, ":, a").Err(), "array_ops_strided_test.go:", "not an index")
	wantErr(t, "step 0", tf.Index(x, "::0").Err(), "step 0")
	wantErr(t, "too many", tf.Index(x, "1, 2, 3, 4").Err(), "indexes 4 dimensions")
	wantErr(t, "out of range", tf.Index(x, ":, 4").Err(), "out of bounds")
	wantErr(t, "run time", runErr(tf.Index(x, "3"), feed), "out of bounds")
}
