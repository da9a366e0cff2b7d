package tf_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

func run(t *testing.T, g *tf.Graph, fetches []*tf.Tensor, feed session.Feed) [][]float64 {
	t.Helper()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	vals, err := sess.Run(fetches, feed)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, len(vals))
	for i, v := range vals {
		out[i] = v.Float64s()
	}
	return out
}

func TestClipOps(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	a := []float64{3, -4, 0.5, 12}
	b := []float64{1, 2}
	x := tf.Constant([][]float64{{3, -4}, {0.5, 12}}, tf.Float64)
	y := tf.Constant(b, tf.Float64)
	byValue := tf.ClipByValue(x, -1.0, 2.0)
	byNorm := tf.ClipByNorm(x, 5)
	byNormRows := tf.ClipByNorm(x, 5, tf.Axis(1))
	noClip := tf.ClipByNorm(y, 10)
	zero := tf.ClipByNorm(tf.Constant([]float64{0, 0}, tf.Float64), 1)
	clipped, norm := tf.ClipByGlobalNorm([]*tf.Tensor{x, nil, y}, 2)
	if clipped[1] != nil {
		t.Errorf("ClipByGlobalNorm: nil entry became %v", clipped[1])
	}
	gn := tf.GlobalNorm([]*tf.Tensor{x, y})
	got := run(t, g, []*tf.Tensor{byValue, byNorm, byNormRows, noClip, zero, clipped[0], clipped[2], norm, gn}, nil)

	// independent values
	n := 0.0
	for _, v := range a {
		n += v * v
	}
	n = math.Sqrt(n) // sqrt(9+16+0.25+144) = 13.0096...
	scaled := func(v []float64, s float64) []float64 {
		out := make([]float64, len(v))
		for i := range v {
			out[i] = v[i] * s
		}
		return out
	}
	global := math.Sqrt(n*n + 1 + 4)
	r1, r2 := 5.0, math.Sqrt(0.25+144)
	want := [][]float64{
		{2, -1, 0.5, 2},
		scaled(a, 5/n),
		{3, -4, 0.5 * 5 / r2, 12 * 5 / r2}, // the first row's norm is exactly 5
		b,
		{0, 0},
		scaled(a, 2/global),
		scaled(b, 2/global),
		{global},
		{global},
	}
	_ = r1
	names := []string{"ClipByValue", "ClipByNorm", "ClipByNorm(axis 1)", "ClipByNorm(small)", "ClipByNorm(zero)", "ClipByGlobalNorm[0]", "ClipByGlobalNorm[2]", "global norm", "GlobalNorm"}
	for i := range want {
		if ok, d := tftest.AllClose(got[i], want[i], 1e-12, 1e-12); !ok {
			t.Errorf("%s: %s", names[i], d)
		}
	}
}

// TestClipByGlobalNormSparse: as TF's clip_by_global_norm, a sparse
// gradient stays an IndexedSlices (values scaled, indices and dense shape
// kept), and its values, a row listed twice counted twice, make its part of
// the global norm.
func TestClipByGlobalNormSparse(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	v := []float64{1, 2, -3, 0.5, 4, -1} // 3 rows of 2
	ix := []int32{2, 0, 2}
	b := []float64{1.5, -2}
	sp := tf.NewIndexedSlices(tf.Constant([][]float64{{1, 2}, {-3, 0.5}, {4, -1}}, tf.Float64), ix, tf.Shape{4, 2})
	y := tf.Constant(b, tf.Float64)
	for _, clip := range []float64{3, 100} {
		clipped, norm := tf.ClipByGlobalNorm([]*tf.Tensor{sp, y}, clip)
		cs := tf.IndexedSlicesOf(clipped[0])
		if cs == nil {
			t.Fatalf("clip %v: the sparse gradient was made dense", clip)
		}
		if !clipped[0].Shape().Equal(tf.Shape{4, 2}) {
			t.Errorf("clip %v: dense shape %v, want [4 2]", clip, clipped[0].Shape())
		}
		gn := tf.GlobalNorm([]*tf.Tensor{sp, y})
		got := run(t, g, []*tf.Tensor{cs.Values, tf.Cast(cs.Indices, tf.Float64), clipped[0], clipped[1], norm, gn}, nil)

		sum := 0.0
		for _, x := range append(append([]float64{}, v...), b...) {
			sum += x * x
		}
		global := math.Sqrt(sum) // sqrt(1+4+9+0.25+16+1+2.25+4) = 6.1644...
		scale := clip / math.Max(global, clip)
		values := make([]float64, len(v))
		for i := range v {
			values[i] = v[i] * scale
		}
		dense := make([]float64, 8)
		for i, r := range ix {
			dense[2*r] += values[2*i]
			dense[2*r+1] += values[2*i+1]
		}
		want := [][]float64{values, {2, 0, 2}, dense, {b[0] * scale, b[1] * scale}, {global}, {global}}
		names := []string{"values", "indices", "dense value", "dense gradient", "global norm", "GlobalNorm"}
		for i := range want {
			if ok, d := tftest.AllClose(got[i], want[i], 1e-14, 1e-14); !ok {
				t.Errorf("clip %v, %s: %s", clip, names[i], d)
			}
		}
	}
}

func TestClipGradients(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{2, 3})
	feed := session.Feed{x: [][]float64{{0.3, -1.7, 0.9}, {2.5, -0.2, 1.1}}}
	tftest.CheckGradients(t, g, tf.Mul(tf.ClipByValue(x, -1.0, 1.0), tf.Constant([]float64{1, 2, 3}, tf.Float64)), []*tf.Tensor{x}, feed, 1e-6, 1e-6)
	tftest.CheckGradients(t, g, tf.Mul(tf.ClipByNorm(x, 1.5, tf.Axis(1)), tf.Constant([]float64{1, 2, 3}, tf.Float64)), []*tf.Tensor{x}, feed, 1e-6, 1e-6)
	c, _ := tf.ClipByGlobalNorm([]*tf.Tensor{x}, 2)
	tftest.CheckGradients(t, g, tf.Mul(c[0], tf.Constant([]float64{1, 2, 3}, tf.Float64)), []*tf.Tensor{x}, feed, 1e-6, 1e-6)
}

func TestNameScopeTopAndExact(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	closeA := tf.NameScope("a")
	closeTop := tf.NameScope("")
	top := tf.Constant(1.0, tf.Float64, tf.Name("c"))
	closeExact := tf.NameScope("x/y/")
	exact := tf.Constant(1.0, tf.Float64, tf.Name("c"))
	closeExact()
	closeTop()
	inA := tf.Constant(1.0, tf.Float64, tf.Name("c"))
	closeA()
	v := tf.NewVariable(1.0, tf.Name("v"))
	for _, c := range []struct{ got, want string }{
		{top.Op().Name(), "c"}, {exact.Op().Name(), "x/y/c"}, {inA.Op().Name(), "a/c"},
		{v.Initializer().Name(), "v/Assign"},
	} {
		if c.got != c.want {
			t.Errorf("name %q, want %q", c.got, c.want)
		}
	}
}
