package nn_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// A fixed sampled-loss problem: 7 classes, embeddings of 3, batch 3.
var (
	slW       = [][]float64{{0.1, -0.2, 0.3}, {0.5, 0.1, -0.4}, {-0.3, 0.7, 0.2}, {0.9, -0.5, 0.1}, {-0.6, -0.1, 0.8}, {0.2, 0.3, -0.9}, {0.4, -0.8, 0.6}}
	slB       = []float64{0.05, -0.1, 0.2, 0.0, -0.3, 0.15, 0.25}
	slX       = [][]float64{{1, -0.5, 0.25}, {-0.2, 0.8, 1.5}, {0.6, 0.3, -1}}
	slSampled = []int64{2, 5, 0, 6}
	slSampExp = []float32{0.3, 0.7, 1.2, 0.45}
)

func sxe(x, z float64) float64 { return math.Max(x, 0) - x*z + math.Log1p(math.Exp(-math.Abs(x))) }

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// refSampledLogits is TF's _compute_sampled_logits in plain loops.
func refSampledLogits(labels [][]int64, trueExp [][]float32, remove, logQ bool) [][]float64 {
	out := make([][]float64, len(slX))
	for i, x := range slX {
		for k, l := range labels[i] {
			v := dot(x, slW[l]) + slB[l]
			if logQ {
				v -= math.Log(float64(trueExp[i][k]))
			}
			out[i] = append(out[i], v)
		}
		for j, s := range slSampled {
			v := dot(x, slW[s]) + slB[s]
			if remove {
				for _, l := range labels[i] {
					if l == s {
						v += -math.MaxFloat32
					}
				}
			}
			if logQ {
				v -= math.Log(float64(slSampExp[j]))
			}
			out[i] = append(out[i], v)
		}
	}
	return out
}

func TestSampledLossesMatchTFFormulas(t *testing.T) {
	cases := []struct {
		name    string
		labels  [][]int64
		softmax bool
		opts    []tf.Option
		remove  bool
		logQ    bool
	}{
		{"nce", [][]int64{{1}, {5}, {3}}, false, nil, false, true},
		{"nce remove hits", [][]int64{{1}, {5}, {3}}, false, []tf.Option{tf.RemoveAccidentalHits(true)}, true, true},
		{"nce num_true 2 no logq", [][]int64{{1, 4}, {5, 2}, {3, 3}}, false, []tf.Option{tf.NumTrue(2), tf.SubtractLogQ(false)}, false, false},
		{"sampled softmax", [][]int64{{1}, {5}, {0}}, true, nil, true, true},
		{"sampled softmax keep hits", [][]int64{{1}, {5}, {0}}, true, []tf.Option{tf.RemoveAccidentalHits(false)}, false, true},
		{"sampled softmax num_true 2", [][]int64{{1, 4}, {5, 2}, {3, 6}}, true, []tf.Option{tf.NumTrue(2)}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			nt := len(c.labels[0])
			W := tf.Placeholder(tf.Float64, tf.Shape{7, 3})
			b := tf.Placeholder(tf.Float64, tf.Shape{7})
			x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
			feed := session.Feed{W: slW, b: slB, x: slX}
			trueExp := make([][]float32, 3)
			for i := range trueExp {
				for k := range nt {
					trueExp[i] = append(trueExp[i], 0.2+0.1*float32(i+k))
				}
			}
			opts := append([]tf.Option{tf.SampledValues(tf.Constant(slSampled, tf.Int64), tf.Constant(trueExp, tf.Float32), tf.Constant(slSampExp, tf.Float32))}, c.opts...)
			var loss *tf.Tensor
			if c.softmax {
				loss = nn.SampledSoftmaxLoss(W, b, c.labels, x, 4, 7, opts...)
			} else {
				loss = nn.NCELoss(W, b, c.labels, x, 4, 7, opts...)
			}
			if loss.Err() != nil {
				t.Fatal(loss.Err())
			}
			got := runAll(t, g, []*tf.Tensor{loss}, feed)[0]
			logits := refSampledLogits(c.labels, trueExp, c.remove, c.logQ)
			var want []float64
			for _, row := range logits {
				l := 0.0
				if c.softmax {
					ls := refLogSoftmax(row)
					for k := range nt {
						l -= ls[k] / float64(nt)
					}
				} else {
					for j, v := range row {
						z := 0.0
						if j < nt {
							z = 1 / float64(nt)
						}
						l += sxe(v, z)
					}
				}
				want = append(want, l)
			}
			if ok, d := tftest.AllClose(got, want, 1e-12, 1e-12); !ok {
				t.Errorf("loss: %s\n got  %v\n want %v", d, got, want)
			}
			y := tf.ReduceSum(tf.Mul(loss, tf.Constant([]float64{1, -0.5, 2}, tf.Float64)))
			tftest.CheckGradients(t, g, y, []*tf.Tensor{W, b, x}, feed, 1e-6, 1e-7)
			gr, err := tf.Gradients([]*tf.Tensor{y}, []any{W, b})
			if err != nil {
				t.Fatal(err)
			}
			if tf.IndexedSlicesOf(gr[0]) == nil || tf.IndexedSlicesOf(gr[1]) == nil {
				t.Errorf("gradients of weights and biases are not sparse")
			}
		})
	}
}

func TestSampledLossErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	W := tf.NewVariable(tf.Zeros(tf.Shape{7, 3}, tf.Float32), tf.Name("W"))
	b := tf.NewVariable(tf.Zeros(tf.Shape{7}, tf.Float32), tf.Name("b"))
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	for _, c := range []struct {
		err  error
		want []string
	}{
		{nn.NCELoss(W, b, tf.Placeholder(tf.Int64, tf.Shape{tf.None, 1}), x, 8, 7).Err(), []string{"nn.NCELoss", "sampled_losses_test.go", "num_sampled 8 is larger than num_classes 7"}},
		{nn.NCELoss(W, b, tf.Placeholder(tf.Int64, tf.Shape{tf.None}), x, 2, 7).Err(), []string{"nn.NCELoss", "labels have shape [?]", "[batch, num_true] = [?, 1]"}},
		{nn.SampledSoftmaxLoss(W, b, tf.Placeholder(tf.Int64, tf.Shape{4, 2}), x, 2, 7).Err(), []string{"nn.SampledSoftmaxLoss", "labels have shape [4,2]"}},
		{nn.NCELoss(W, b, tf.Placeholder(tf.Float32, tf.Shape{tf.None, 1}), x, 2, 7).Err(), []string{"labels have dtype float32"}},
		{nn.NCELoss(W, tf.Zeros(tf.Shape{6}, tf.Float32), tf.Placeholder(tf.Int64, tf.Shape{tf.None, 1}), x, 2, 7).Err(), []string{"biases have shape [6]"}},
		{nn.NCELoss(W, b, [][]int64{{1}}, x, 2, 7, tf.Axis(0)).Err(), []string{"does not take the option axis"}},
	} {
		if c.err == nil {
			t.Errorf("no error, want one saying %v", c.want)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(c.err.Error(), w) {
				t.Errorf("error %q does not say %q", c.err, w)
			}
		}
	}
	// A label outside [0, num_classes) fails at Run time naming the op;
	// the session stays usable.
	g2 := tf.NewGraph()
	defer g2.AsDefault()()
	W = tf.NewVariable(tf.Zeros(tf.Shape{7, 3}, tf.Float32), tf.Name("W"))
	b = tf.NewVariable(tf.Zeros(tf.Shape{7}, tf.Float32), tf.Name("b"))
	x = tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	y := tf.Placeholder(tf.Int64, tf.Shape{tf.None, 1})
	loss := nn.NCELoss(W, b, y, x, 3, 7)
	sess := session.New(session.WithGraph(g2))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	_, err := sess.Run(loss, session.Feed{x: [][]float32{{1, 2, 3}, {4, 5, 6}}, y: [][]int64{{2}, {9}}})
	if err == nil || !strings.Contains(err.Error(), "nce_loss") || !strings.Contains(err.Error(), "= 9 is not in [0, 7)") {
		t.Errorf("label 9 of 7 classes: %v", err)
	}
	if _, err := sess.Run(loss, session.Feed{x: [][]float32{{1, 2, 3}}, y: [][]int64{{2}}}); err != nil {
		t.Errorf("after the error: %v", err)
	}
}

// TestSampledLossRunErrors: labels whose shape is known only at Run time
// (wrong rank, wrong batch, wrong num_true), negative labels and ids out of
// range each fail with an error naming the loss and this file's line, and
// the session keeps working.
func TestSampledLossRunErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	W := tf.NewVariable(tf.Zeros(tf.Shape{7, 3}, tf.Float32), tf.Name("W"))
	b := tf.NewVariable(tf.Zeros(tf.Shape{7}, tf.Float32), tf.Name("b"))
	emb := tf.NewVariable(tf.Ones(tf.Shape{7, 3}, tf.Float32), tf.Name("emb"))
	ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	y := tf.Placeholder(tf.Int64, nil) // any shape
	x := nn.EmbeddingLookup(emb, ids)
	nce := tf.ReduceMean(nn.NCELoss(W, b, y, x, 3, 7))
	ssm := tf.ReduceMean(nn.SampledSoftmaxLoss(W, b, y, x, 3, 7))
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	good := session.Feed{ids: []int32{1, 2}, y: [][]int64{{3}, {4}}}
	for _, c := range []struct {
		name string
		loss *tf.Tensor
		feed session.Feed
		want []string
	}{
		{"rank-1 labels", nce, session.Feed{ids: []int32{1, 2}, y: []int64{3, 4}}, []string{"nce_loss", "nn.NCELoss", "labels have shape [2]; want [batch, num_true] = [2, 1]"}},
		{"labels of another batch", nce, session.Feed{ids: []int32{1, 2}, y: [][]int64{{3}, {4}, {5}}}, []string{"nce_loss", "labels have shape [3,1]; want [batch, num_true] = [2, 1]"}},
		{"two labels a row", ssm, session.Feed{ids: []int32{1, 2}, y: [][]int64{{3, 1}, {4, 1}}}, []string{"sampled_softmax_loss", "nn.SampledSoftmaxLoss", "labels have shape [2,2]"}},
		{"negative label", nce, session.Feed{ids: []int32{1, 2}, y: [][]int64{{3}, {-4}}}, []string{"nce_loss", "-4 is not in [0, 7)"}},
		{"label 7 of 7", ssm, session.Feed{ids: []int32{1, 2}, y: [][]int64{{7}, {4}}}, []string{"sampled_softmax_loss", "7 is not in [0, 7)"}},
		{"negative id", nce, session.Feed{ids: []int32{-1, 2}, y: [][]int64{{3}, {4}}}, []string{"embedding_lookup", "-1 is not in [0, 7)"}},
		{"id out of range", nce, session.Feed{ids: []int32{1, 9}, y: [][]int64{{3}, {4}}}, []string{"embedding_lookup", "9 is not in [0, 7)"}},
	} {
		_, err := sess.Run(c.loss, c.feed)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range append(c.want, "sampled_losses_test.go:") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", c.name, err, w)
			}
		}
		if _, err := sess.Run([]*tf.Tensor{nce, ssm}, good); err != nil {
			t.Errorf("%s: the session fails after the error: %v", c.name, err)
		}
	}
}

// expCount is TF's ExpectedCountHelper in float32.
func expCount(p float32, batch, tries int) float32 {
	if tries == batch {
		return p * float32(batch)
	}
	l := float32(math.Log1p(float64(-p)))
	return float32(-math.Expm1(float64(float32(tries) * l)))
}

func TestCandidateSamplers(t *testing.T) {
	logU := func(c int64, r int) float32 {
		return float32(math.Log((float64(c)+2)/(float64(c)+1)) / math.Log(float64(r)+1))
	}
	unigrams := []float64{4, 0, 1, 9, 16}
	uni := func(c int64, _ int) float32 {
		// reserved id 0, distortion 0.5: weights sqrt(u) = 2, 0, 1, 3, 4
		w := []float64{0, 2, 0, 1, 3, 4}
		return float32(w[c] / 10)
	}
	cases := []struct {
		name   string
		unique bool
		rng    int
		prob   func(int64, int) float32
		build  func(tc *tf.Tensor, ns int, unique bool, r int) (*tf.Tensor, *tf.Tensor, *tf.Tensor)
	}{
		{"log-uniform", true, 20, logU, func(tc *tf.Tensor, ns int, u bool, r int) (*tf.Tensor, *tf.Tensor, *tf.Tensor) {
			return nn.LogUniformCandidateSampler(tc, 2, ns, u, r)
		}},
		{"log-uniform non-unique", false, 20, logU, func(tc *tf.Tensor, ns int, u bool, r int) (*tf.Tensor, *tf.Tensor, *tf.Tensor) {
			return nn.LogUniformCandidateSampler(tc, 2, ns, u, r)
		}},
		{"uniform", true, 20, func(int64, int) float32 { return float32(1.0 / 20) }, func(tc *tf.Tensor, ns int, u bool, r int) (*tf.Tensor, *tf.Tensor, *tf.Tensor) {
			return nn.UniformCandidateSampler(tc, 2, ns, u, r)
		}},
		{"unigram", true, 6, uni, func(tc *tf.Tensor, ns int, u bool, r int) (*tf.Tensor, *tf.Tensor, *tf.Tensor) {
			return nn.FixedUnigramCandidateSampler(tc, 2, ns, u, r, tf.Unigrams(unigrams), tf.Distortion(0.5), tf.NumReservedIDs(1))
		}},
		{"unigram non-unique", false, 6, uni, func(tc *tf.Tensor, ns int, u bool, r int) (*tf.Tensor, *tf.Tensor, *tf.Tensor) {
			return nn.FixedUnigramCandidateSampler(tc, 2, ns, u, r, tf.Unigrams(unigrams), tf.Distortion(0.5), tf.NumReservedIDs(1))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			g.SetRandomSeed(7)
			trueC := [][]int64{{0, 3}, {5, 1}}
			ns := 3
			s, te, se := c.build(tf.Constant(trueC, tf.Int64), ns, c.unique, c.rng)
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			counts := make([]float64, c.rng)
			const runs = 4000
			var first []int64
			for run := range runs {
				out := sess.MustRun([]tf.Fetch{s, te, se}, nil)
				sv, tev, sev := out[0].Int64s(), out[1].Float64s(), out[2].Float64s()
				if run == 0 {
					first = sv
				}
				seen := map[int64]bool{}
				for _, v := range sv {
					if v < 0 || int(v) >= c.rng {
						t.Fatalf("sampled %d outside [0, %d)", v, c.rng)
					}
					if c.unique && seen[v] {
						t.Fatalf("unique sample repeats %d: %v", v, sv)
					}
					seen[v] = true
					counts[v]++
				}
				// The number of tries is not returned; find the one that
				// gives the first expected count and check all against it.
				tries := ns
				if c.unique {
					for tries = ns; tries < 10000; tries++ {
						if expCount(c.prob(sv[0], c.rng), ns, tries) == float32(sev[0]) {
							break
						}
					}
				}
				for j, v := range sv {
					if w := expCount(c.prob(v, c.rng), ns, tries); float32(sev[j]) != w {
						t.Fatalf("sampled expected count of %d: %v, want %v (tries %d)", v, sev[j], w, tries)
					}
				}
				for i, row := range trueC {
					for k, v := range row {
						if w := expCount(c.prob(v, c.rng), ns, tries); float32(tev[i*2+k]) != w {
							t.Fatalf("true expected count of %d: %v, want %v", v, tev[i*2+k], w)
						}
					}
				}
			}
			if !c.unique {
				// Frequencies follow the distribution.
				for v, n := range counts {
					if f, p := n/(runs*float64(ns)), float64(c.prob(int64(v), c.rng)); math.Abs(f-p) > 0.015 {
						t.Errorf("class %d drawn with frequency %.4f, probability %.4f", v, f, p)
					}
				}
			}
			if c.name == "unigram" && counts[0]+counts[2] != 0 {
				t.Errorf("classes of weight 0 were drawn: %v", counts)
			}
			// The same graph seed gives the same draws in a new session.
			sess2 := session.New(session.WithGraph(g))
			defer sess2.Close()
			again := sess2.MustRun(s, nil)[0].Int64s()
			for i := range first {
				if again[i] != first[i] {
					t.Errorf("same seed, new session: %v, first %v", again, first)
					break
				}
			}
		})
	}
}

func TestCandidateSamplerErrors(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	tc := tf.Constant([][]int64{{1}}, tf.Int64)
	for _, c := range []struct {
		err  error
		want string
	}{
		{first(nn.LogUniformCandidateSampler(tc, 1, 30, true, 20)), "num_sampled 30 is larger than range_max 20"},
		{first(nn.UniformCandidateSampler(tc, 2, 3, true, 20)), "true_classes have shape [1,1]; want [batch, num_true=2]"},
		{first(nn.FixedUnigramCandidateSampler(tc, 1, 3, true, 20)), "needs tf.Unigrams"},
		{first(nn.FixedUnigramCandidateSampler(tc, 1, 3, true, 20, tf.Unigrams([]float64{1, 2}))), "2 unigrams and 0 reserved ids for range_max 20"},
		{first(nn.LogUniformCandidateSampler(tc, 1, 0, true, 20)), "num_sampled 0 must be positive"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) || !strings.Contains(c.err.Error(), "sampled_losses_test.go") {
			t.Errorf("error %v, want one saying %q at the test's line", c.err, c.want)
		}
	}
	// Non-unique sampling may draw more than the range.
	if err := first(nn.UniformCandidateSampler(tc, 1, 30, false, 20)); err != nil {
		t.Errorf("non-unique: %v", err)
	}
}

func first(a, _, _ *tf.Tensor) error { return a.Err() }

// TestNCELossShardedWeights: weights given as two shards (partition "mod")
// give the loss of the whole matrix, and the shards' gradients are checked
// numerically.
func TestNCELossShardedWeights(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	var s0, s1 [][]float64
	for r, row := range slW {
		if r%2 == 0 {
			s0 = append(s0, row)
		} else {
			s1 = append(s1, row)
		}
	}
	W0 := tf.Placeholder(tf.Float64, tf.Shape{4, 3})
	W1 := tf.Placeholder(tf.Float64, tf.Shape{3, 3})
	W := tf.Placeholder(tf.Float64, tf.Shape{7, 3})
	b := tf.Constant(slB, tf.Float64)
	x := tf.Constant(slX, tf.Float64)
	labels := [][]int64{{1}, {6}, {3}}
	sv := tf.SampledValues(tf.Constant(slSampled, tf.Int64), tf.Constant([][]float32{{0.2}, {0.3}, {0.4}}, tf.Float32), tf.Constant(slSampExp, tf.Float32))
	sharded := nn.NCELoss([]*tf.Tensor{W0, W1}, b, labels, x, 4, 7, sv)
	whole := nn.NCELoss(W, b, labels, x, 4, 7, sv)
	feed := session.Feed{W0: s0, W1: s1, W: slW}
	got := runAll(t, g, []*tf.Tensor{sharded, whole}, feed)
	if ok, d := tftest.AllClose(got[0], got[1], 1e-14, 1e-14); !ok {
		t.Errorf("sharded %v, whole %v: %s", got[0], got[1], d)
	}
	y := tf.ReduceSum(tf.Mul(sharded, tf.Constant([]float64{1, 2, -1}, tf.Float64)))
	tftest.CheckGradients(t, g, y, []*tf.Tensor{W0, W1}, feed, 1e-6, 1e-7)
}
