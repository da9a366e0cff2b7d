package tf_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

func sameValues(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func meanStd(v []float64) (float64, float64) {
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(len(v)))
}

// build makes a graph with three random ops and returns their first-run values.
func buildRandom(t *testing.T, graphSeed *int64, opts ...tf.Option) [][]float64 {
	t.Helper()
	g := tf.NewGraph()
	defer g.AsDefault()()
	if graphSeed != nil {
		tf.SetRandomSeed(*graphSeed)
	}
	ops := []*tf.Tensor{
		tf.RandomNormal(tf.Shape{5}, tf.Float32, opts...),
		tf.TruncatedNormal(tf.Shape{5}, tf.Float64, opts...),
		tf.RandomUniform(tf.Shape{5}, tf.Float32, opts...),
	}
	out := runAll(t, g, ops, nil)
	vals := make([][]float64, len(out))
	for i, o := range out {
		vals[i] = o.Float64s()
	}
	return vals
}

func TestRandomSeeds(t *testing.T) {
	s42, s43 := int64(42), int64(43)
	a, b := buildRandom(t, &s42), buildRandom(t, &s42)
	for i := range a {
		if !sameValues(a[i], b[i]) {
			t.Errorf("graph seed 42: op %d differs between two graphs: %v vs %v", i, a[i], b[i])
		}
	}
	if sameValues(a[0], a[2]) {
		t.Error("two ops under one graph seed give the same values")
	}
	if c := buildRandom(t, &s43); sameValues(a[0], c[0]) {
		t.Error("graph seeds 42 and 43 give the same values")
	}
	// An op seed alone fixes the sequence too.
	d, e := buildRandom(t, nil, tf.Seed(7)), buildRandom(t, nil, tf.Seed(7))
	for i := range d {
		if !sameValues(d[i], e[i]) {
			t.Errorf("op seed 7: op %d differs between two graphs", i)
		}
	}
	// Graph seed + op seed differs from op seed alone (TF's DEFAULT_GRAPH_SEED).
	if f := buildRandom(t, &s42, tf.Seed(7)); sameValues(f[0], d[0]) {
		t.Error("graph seed 42 + op seed 7 equals op seed 7 alone")
	}
	// No seeds: different values each time.
	u, v := buildRandom(t, nil), buildRandom(t, nil)
	for i := range u {
		if sameValues(u[i], v[i]) {
			t.Errorf("unseeded op %d repeats across graphs", i)
		}
	}
}

// A random op draws anew at each run, and the sequence of runs repeats in a
// new session of a seeded graph.
func TestRandomRunsDrawAnew(t *testing.T) {
	g := newGraph(t)
	x := tf.RandomNormal(tf.Shape{4}, tf.Float64, tf.Seed(3))
	runs := func() [][]float64 {
		sess := session.New(session.WithGraph(g))
		defer sess.Close()
		var out [][]float64
		for i := 0; i < 2; i++ {
			v, err := sess.Run(x, nil)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v[0].Float64s())
		}
		return out
	}
	r1, r2 := runs(), runs()
	if sameValues(r1[0], r1[1]) {
		t.Error("second run repeats the first")
	}
	if !sameValues(r1[0], r2[0]) || !sameValues(r1[1], r2[1]) {
		t.Error("a new session does not repeat the seeded sequence")
	}
	// One fetch of x used twice sees one value.
	out := runAll(t, g, tf.Sub(x, x), nil)[0].Float64s()
	checkClose(t, "x - x", out, []float64{0, 0, 0, 0})
}

const nSamples = 200000

func TestRandomDistributions(t *testing.T) {
	g := newGraph(t)
	normal := tf.RandomNormal(tf.Shape{nSamples}, tf.Float64, tf.Mean(2), tf.Stddev(3), tf.Seed(1))
	trunc := tf.TruncatedNormal(tf.Shape{nSamples}, tf.Float32, tf.Mean(-1), tf.Stddev(0.5), tf.Seed(2))
	unif := tf.RandomUniform(tf.Shape{nSamples}, tf.Float64, tf.Minval(-3), tf.Maxval(5), tf.Seed(3))
	unif01 := tf.RandomUniform(tf.Shape{100, 100}, tf.Invalid, tf.Seed(4))
	ints := tf.RandomUniform(tf.Shape{nSamples}, tf.Int32, tf.Minval(-2), tf.Maxval(3), tf.Seed(5))
	out := runAll(t, g, []*tf.Tensor{normal, trunc, unif, unif01, ints}, nil)

	// Standard errors of the mean are about 3/sqrt(2e5) = 0.007; allow ~7.
	m, s := meanStd(out[0].Float64s())
	if math.Abs(m-2) > 0.05 || math.Abs(s-3) > 0.05 {
		t.Errorf("normal(2, 3): mean %v stddev %v", m, s)
	}
	// Truncated at 2 stddev: all within, and the stddev shrinks to
	// 0.5 * 0.8796 (the variance of a standard normal truncated to [-2, 2]).
	tv := out[1].Float64s()
	for _, v := range tv {
		if math.Abs(v+1) > 2*0.5+1e-6 {
			t.Fatalf("truncated normal value %v beyond 2 stddev of -1", v)
		}
	}
	if out[1].DType() != tf.Float32 {
		t.Errorf("truncated normal dtype %s", out[1].DType())
	}
	m, s = meanStd(tv)
	if math.Abs(m+1) > 0.01 || math.Abs(s-0.5*0.8796) > 0.01 {
		t.Errorf("truncated normal(-1, 0.5): mean %v stddev %v, want -1 and %v", m, s, 0.5*0.8796)
	}
	uv := out[2].Float64s()
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range uv {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo < -3 || hi >= 5 || lo > -2.99 || hi < 4.99 {
		t.Errorf("uniform[-3, 5): range [%v, %v]", lo, hi)
	}
	m, s = meanStd(uv)
	if math.Abs(m-1) > 0.05 || math.Abs(s-8/math.Sqrt(12)) > 0.05 {
		t.Errorf("uniform[-3, 5): mean %v stddev %v", m, s)
	}
	if out[3].DType() != tf.Float32 {
		t.Errorf("default dtype %s", out[3].DType())
	}
	for _, v := range out[3].Float64s() {
		if v < 0 || v >= 1 {
			t.Fatalf("uniform[0, 1) gave %v", v)
		}
	}
	count := map[float64]int{}
	for _, v := range out[4].Float64s() {
		count[v]++
	}
	for v := -2.0; v < 3; v++ {
		if c := count[v]; math.Abs(float64(c)-nSamples/5) > 2000 {
			t.Errorf("int uniform[-2, 3): %v drawn %d times of %d", v, c, nSamples)
		}
	}
	if len(count) != 5 {
		t.Errorf("int uniform[-2, 3) drew values %v", count)
	}
}

func TestRandomErrors(t *testing.T) {
	newGraph(t)
	wantErr(t, "None", tf.RandomNormal(tf.Shape{tf.None, 2}, tf.Float32).Err(), "RandomNormal", "fully known", "random_ops_test.go:")
	wantErr(t, "int normal", tf.RandomNormal(tf.Shape{2}, tf.Int32).Err(), "floating")
	wantErr(t, "int uniform without maxval", tf.RandomUniform(tf.Shape{2}, tf.Int32).Err(), "Maxval")
	wantErr(t, "min >= max", tf.RandomUniform(tf.Shape{2}, tf.Float32, tf.Minval(1), tf.Maxval(1)).Err(), "Minval")
	wantErr(t, "option", tf.RandomNormal(tf.Shape{2}, tf.Float32, tf.Minval(1)).Err(), "minval")
}

// Glorot-uniform limits follow TF's _compute_fans: [in, out] for matrices,
// receptive field × channels for convolution kernels, n for vectors.
func TestGlorotUniform(t *testing.T) {
	cases := []struct {
		shape tf.Shape
		limit float64
	}{
		{tf.Shape{30, 20}, math.Sqrt(6.0 / 50)},
		{tf.Shape{3, 3, 4, 8}, math.Sqrt(6.0 / (36 + 72))},
		{tf.Shape{500}, math.Sqrt(6.0 / 1000)},
		{tf.Shape{2, 5, 7}, math.Sqrt(6.0 / (10 + 14))},
	}
	for _, c := range cases {
		g := newGraph(t)
		tf.SetRandomSeed(11)
		init := tf.GlorotUniformInitializer()(c.shape, tf.Float64)
		checkShape(t, "shape", init.Shape(), c.shape)
		v := runAll(t, g, init, nil)[0].Float64s()
		top := 0.0
		for _, x := range v {
			top = math.Max(top, math.Abs(x))
		}
		// With >= 70 samples uniform on [-l, l], P(all |x| < 0.9 l) < 0.9^70 = 6e-4.
		if top > c.limit || top < 0.9*c.limit {
			t.Errorf("%v: max |x| = %v, limit %v", c.shape, top, c.limit)
		}
	}
	// The default initializer of GetVariable for floats is glorot-uniform.
	g := newGraph(t)
	w := tf.GetVariable("w", tf.Shape{40, 60})
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if _, err := sess.Run(tf.GlobalVariablesInitializer(), nil); err != nil {
		t.Fatal(err)
	}
	val, err := sess.Eval(w, nil)
	if err != nil {
		t.Fatal(err)
	}
	limit := math.Sqrt(6.0 / 100)
	top := 0.0
	for _, x := range val.Float64s() {
		top = math.Max(top, math.Abs(x))
	}
	if top > limit || top < 0.95*limit {
		t.Errorf("GetVariable default init: max |x| %v, limit %v", top, limit)
	}
}

func TestGlorotNormal(t *testing.T) {
	g := newGraph(t)
	tf.SetRandomSeed(5)
	v := runAll(t, g, tf.GlorotNormalInitializer()(tf.Shape{400, 600}, tf.Float64), nil)[0].Float64s()
	// TF 1.x variance_scaling(fan_avg, normal): truncated normal whose
	// stddev before truncation is sqrt(2/(400+600))/0.8796, so after it sqrt(2/1000).
	_, s := meanStd(v)
	if want := math.Sqrt(2.0 / 1000); math.Abs(s-want) > 0.01*want {
		t.Errorf("glorot normal stddev %v, want %v", s, want)
	}
}
